"""Scenario settings read from the environment, shared by every scenario file."""

import os


def _flag(name, default):
    value = os.environ.get(name, default).strip().lower()
    if value not in ("on", "off"):
        raise ValueError(f"{name}={value!r} is invalid: expected on or off")
    return value == "on"


#: Gateway API root; the scenarios only ever target this address.
BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8080").rstrip("/")

#: "off" replaces the prediction requests with CFBD proxy requests, for gateways that do not
#: serve /api/v1/predictions yet.
PREDICTIONS = _flag("PREDICTIONS", "on")

#: Season and week that consumers read most (the "hot" week kept in cache).
YEAR = int(os.environ.get("YEAR", "2025"))
WEEK = int(os.environ.get("WEEK", "12"))

#: Folder for the JSON and text summaries.
RESULTS_DIR = os.environ.get("RESULTS_DIR", os.path.join(os.path.dirname(__file__), "..", "results"))

#: Multiplies every stage rate of a scenario, to scale a profile without editing it.
RATE_SCALE = float(os.environ.get("RATE_SCALE", "1"))

#: Multiplies every stage duration, e.g. 0.1 for a quick dry run of the soak profile.
DURATION_SCALE = float(os.environ.get("DURATION_SCALE", "1"))
