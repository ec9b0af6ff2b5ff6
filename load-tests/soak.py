"""Soak scenario: a moderate rate for an hour, to show leaks, cache growth and expiry effects.

The gateway's default cache TTL is one hour, so the run crosses at least one expiry of the
entries cached at its start.
"""

from lib import lifecycle, shapes
from lib.mix import GatewayUser  # noqa: F401  Locust runs the user classes of this module.

lifecycle.register("soak", lifecycle.Thresholds(max_failed_rate=0.01, max_p95_ms=500, max_p99_ms=1500))


class SoakShape(shapes.StagesShape):
    """Ramp to 30 requests a second in 1 minute, hold for 62 minutes, ramp down in 1 minute."""

    abstract = False
    stages = [(60, 30), (3720, 30), (60, 0)]
