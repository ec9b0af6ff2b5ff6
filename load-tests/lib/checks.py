"""Named value checks, counted like k6 checks: a failed check does not fail the request."""

import logging
from collections import Counter

LOG = logging.getLogger("checks")

passes = Counter()
failures = Counter()

#: Failed checks logged in full before the rest are only counted.
MAX_LOGGED_FAILURES = 20


def check(name, condition, detail=""):
    """Record one check result and return it, so callers can skip dependent checks."""
    if condition:
        passes[name] += 1
        return True
    failures[name] += 1
    if sum(failures.values()) <= MAX_LOGGED_FAILURES:
        LOG.warning("check failed: %s %s", name, detail)
    return False


def rate():
    """Return the share of passed checks, or 1.0 when no check ran."""
    total = sum(passes.values()) + sum(failures.values())
    return 1.0 if total == 0 else sum(passes.values()) / total


def summary():
    """Return pass and fail counts per check name."""
    names = sorted(set(passes) | set(failures))
    return {name: {"passes": passes[name], "fails": failures[name]} for name in names}
