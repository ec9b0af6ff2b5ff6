"""Stress scenario: raise the rate step by step until the gateway fails, to find its ceiling.

The run stops early once more than 5 % of the last minute's requests failed, so the last rate
in the summary is the first one the gateway could not sustain.
"""

from lib import lifecycle, shapes
from lib.mix import GatewayUser  # noqa: F401  Locust runs the user classes of this module.

# The alert levels of production: the ceiling is the rate at which these start to fail.
lifecycle.register("stress", lifecycle.Thresholds(max_failed_rate=0.05, max_p95_ms=5000, max_p99_ms=10000))


class StressShape(shapes.StagesShape):
    """50 requests a second more every minute, from 50 up to 500."""

    abstract = False
    stages = [stage for rate in range(50, 501, 50) for stage in ((10, rate), (50, rate))]

    #: Share of failed requests in the last window that ends the run.
    MAX_WINDOW_FAILED_RATE = 0.05
    #: Seconds between two looks at the failure counters.
    WINDOW_SECONDS = 60

    def __init__(self):
        super().__init__()
        self._window = (0.0, 0, 0)

    def tick(self):
        elapsed = self.get_run_time()
        started, requests, failures = self._window
        if elapsed - started >= self.WINDOW_SECONDS:
            total = self.runner.stats.total
            new_requests = total.num_requests - requests
            new_failures = total.num_failures - failures
            if new_requests > 0 and new_failures / new_requests > self.MAX_WINDOW_FAILED_RATE:
                return None
            self._window = (elapsed, total.num_requests, total.num_failures)
        return super().tick()
