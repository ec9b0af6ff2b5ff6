"""Load scenario: the expected busy-hour rate held for 5 minutes."""

from lib import lifecycle, shapes
from lib.mix import GatewayUser  # noqa: F401  Locust runs the user classes of this module.

lifecycle.register("load", lifecycle.Thresholds(max_failed_rate=0.01, max_p95_ms=500, max_p99_ms=1500))


class LoadShape(shapes.StagesShape):
    """Ramp to 50 requests a second in 30 s, hold for 5 minutes, ramp down in 10 s."""

    abstract = False
    stages = [(30, 50), (300, 50), (10, 0)]
