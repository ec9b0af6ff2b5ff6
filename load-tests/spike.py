"""Spike scenario: a sudden jump to six times the normal rate, then back, to test recovery."""

from lib import lifecycle, shapes
from lib.mix import GatewayUser  # noqa: F401  Locust runs the user classes of this module.

lifecycle.register("spike", lifecycle.Thresholds(max_failed_rate=0.05, max_p95_ms=2000, max_p99_ms=5000))


class SpikeShape(shapes.StagesShape):
    """50 requests a second, a jump to 300 within 10 s held for 1 minute, then 50 again."""

    abstract = False
    stages = [(20, 50), (40, 50), (10, 300), (60, 300), (10, 50), (60, 50), (10, 0)]
