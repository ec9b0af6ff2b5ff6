"""Stage profiles: a list of (seconds, requests per second) steps turned into a Locust shape."""

from locust import LoadTestShape

from lib import settings


class StagesShape(LoadTestShape):
    """Ramps linearly from each stage's start rate to its target rate, then stops.

    Every user sends at most one request a second, so the user count equals the target rate.
    Subclasses set ``stages`` as ``[(seconds, target_rate), ...]``; the first stage ramps up
    from 0.
    """

    abstract = True
    stages = []

    def tick(self):
        elapsed = self.get_run_time()
        start_rate = 0.0
        for seconds, target in self.stages:
            seconds *= settings.DURATION_SCALE
            target *= settings.RATE_SCALE
            if elapsed < seconds:
                rate = start_rate + (target - start_rate) * elapsed / seconds
                # Spawn fast enough to follow the steepest ramp within one tick (1 s).
                return max(1, round(rate)), max(1.0, abs(target - start_rate) / max(seconds, 1.0) * 2, target)
            elapsed -= seconds
            start_rate = target
        return None

