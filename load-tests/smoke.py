"""Smoke scenario: a low, steady rate for 30 s to prove every route works and is fast.

CI runs it on each change through ``run.sh smoke``; the whole run, start-up included, stays
under a minute.
"""

from lib import lifecycle, shapes
from lib.mix import GatewayUser  # noqa: F401  Locust runs the user classes of this module.

lifecycle.register("smoke", lifecycle.Thresholds(max_failed_rate=0.01, max_p95_ms=500, max_p99_ms=1500))


class SmokeShape(shapes.StagesShape):
    """5 requests a second after a 5 s ramp, 30 s in all."""

    abstract = False
    stages = [(5, 5), (25, 5)]
