"""Start check, thresholds and summary shared by every scenario.

A scenario calls ``register`` once with its name and thresholds. Before load starts the
gateway must serve the CFBD proxy (and the predictions API unless PREDICTIONS=off). When it
does not, the run stops at once with exit code 2. At the end every threshold is compared with
the totals, a JSON and a text summary go to RESULTS_DIR, and the exit code is 1 when any
threshold failed.
"""

import json
import logging
import os
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass

from locust import events

from lib import checks, mix, settings

LOG = logging.getLogger("lifecycle")

#: Exit code when the gateway is not up before the load starts.
EXIT_NOT_READY = 2
#: Exit code when a threshold failed.
EXIT_THRESHOLD_FAILED = 1

#: Seconds to wait for each start-check request. Unless the start-up warm-up has done it, the
#: first week of predictions loads every season since 2014, which can take half a minute on a
#: busy 2-core machine.
PREFLIGHT_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class Thresholds:
    """Pass criteria of one scenario. Latencies are milliseconds, rates are shares from 0 to 1."""

    max_failed_rate: float
    max_p95_ms: float
    max_p99_ms: float
    min_checks_rate: float = 0.99


def _get_json(path):
    with urllib.request.urlopen(settings.BASE_URL + path, timeout=PREFLIGHT_TIMEOUT_SECONDS) as reply:
        return reply.status, json.loads(reply.read())


def preflight():
    """Check that the gateway serves the APIs the mix needs and load the hot week's games.

    Returns an error message, or None when the gateway is ready.
    """
    games_path = f"/api/v1/cfbd/{mix.HOT_PROXY_PATHS[0]}"
    try:
        status, body = _get_json(f"/api/v1/cfbd/teams/fbs?year={settings.YEAR}")
        if status != 200 or not isinstance(body, list):
            return f"GET /api/v1/cfbd/teams/fbs returned {status}, expected 200 with a JSON array"
        status, body = _get_json(games_path)
        mix.games[:] = [game for game in body if "id" in game and "homeTeam" in game and "awayTeam" in game]
        if not mix.games:
            return f"GET {games_path} returned no games; set YEAR and WEEK to a week the data covers"
        if settings.PREDICTIONS:
            status, _ = _get_json(f"/api/v1/predictions?year={settings.YEAR}&week={settings.WEEK}")
    except urllib.error.HTTPError as error:
        hint = " (set PREDICTIONS=off if this gateway has no predictions API)" if "predictions" in error.url else ""
        return f"GET {error.url} returned {error.code}{hint}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return f"gateway at {settings.BASE_URL} is not reachable or returned invalid JSON: {error}"
    return None


def _results(environment, scenario, thresholds, started_at):
    total = environment.stats.total
    seconds = max(time.time() - started_at, 1e-9)
    measured = {
        "failed_rate": total.fail_ratio,
        "p95_ms": total.get_response_time_percentile(0.95) if total.num_requests else 0,
        "p99_ms": total.get_response_time_percentile(0.99) if total.num_requests else 0,
        "checks_rate": checks.rate(),
    }
    verdicts = {
        "failed_rate": measured["failed_rate"] <= thresholds.max_failed_rate,
        "p95_ms": measured["p95_ms"] <= thresholds.max_p95_ms,
        "p99_ms": measured["p99_ms"] <= thresholds.max_p99_ms,
        "checks_rate": measured["checks_rate"] >= thresholds.min_checks_rate,
    }
    routes = {
        name: {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "median_ms": entry.median_response_time,
            "p95_ms": entry.get_response_time_percentile(0.95),
            "p99_ms": entry.get_response_time_percentile(0.99),
            "max_ms": entry.max_response_time,
        }
        for (name, method), entry in sorted(environment.stats.entries.items())
    }
    return {
        "scenario": scenario,
        "baseUrl": settings.BASE_URL,
        "predictions": settings.PREDICTIONS,
        "seconds": round(seconds, 1),
        "requests": total.num_requests,
        "failures": total.num_failures,
        "achievedRatePerSecond": round(total.num_requests / seconds, 1),
        "measured": measured,
        "thresholds": asdict(thresholds),
        "passed": verdicts,
        "checks": checks.summary(),
        "routes": routes,
        "errors": [{"name": error.name, "error": str(error.error), "occurrences": error.occurrences}
                   for error in environment.stats.errors.values()],
    }


def _text(results):
    measured, thresholds, passed = results["measured"], results["thresholds"], results["passed"]
    mark = {True: "ok  ", False: "FAIL"}
    lines = [
        f"scenario {results['scenario']} against {results['baseUrl']}"
        f" (predictions {'on' if results['predictions'] else 'off'})",
        f"{results['requests']} requests in {results['seconds']} s"
        f" ({results['achievedRatePerSecond']}/s), {results['failures']} failed",
        f"{mark[passed['failed_rate']]} failed rate {measured['failed_rate']:.4f} <= {thresholds['max_failed_rate']}",
        f"{mark[passed['p95_ms']]} p95 {measured['p95_ms']:.0f} ms <= {thresholds['max_p95_ms']:.0f} ms",
        f"{mark[passed['p99_ms']]} p99 {measured['p99_ms']:.0f} ms <= {thresholds['max_p99_ms']:.0f} ms",
        f"{mark[passed['checks_rate']]} checks {measured['checks_rate']:.4f} >= {thresholds['min_checks_rate']}",
        "per route (requests, failures, p95 ms, p99 ms):",
    ]
    for name, route in results["routes"].items():
        lines.append(f"  {name}: {route['requests']}, {route['failures']}, {route['p95_ms']:.0f}, {route['p99_ms']:.0f}")
    failed_checks = {name: counts for name, counts in results["checks"].items() if counts["fails"]}
    for name, counts in failed_checks.items():
        lines.append(f"  check failed {counts['fails']} of {counts['fails'] + counts['passes']}: {name}")
    lines.append("PASSED" if all(passed.values()) else "FAILED")
    return "\n".join(lines) + "\n"


def _write(scenario, results, text):
    os.makedirs(settings.RESULTS_DIR, exist_ok=True)
    stem = os.path.join(settings.RESULTS_DIR, f"{scenario}-{time.strftime('%Y%m%dT%H%M%S')}")
    with open(stem + ".json", "w") as file:
        json.dump(results, file, indent=2)
    with open(stem + ".txt", "w") as file:
        file.write(text)
    LOG.info("summary written to %s.json and %s.txt", stem, stem)


def register(scenario, thresholds):
    """Attach the start check and the end-of-run evaluation to this Locust process."""
    state = {"started_at": time.time(), "preflight_error": None}

    @events.test_start.add_listener
    def on_test_start(environment, **_kwargs):
        state["started_at"] = time.time()
        error = preflight()
        if error is not None:
            state["preflight_error"] = error
            LOG.error("gateway not ready, stopping before any load: %s", error)
            environment.process_exit_code = EXIT_NOT_READY
            environment.runner.quit()
            return
        LOG.info("gateway ready at %s; %d games in week %d of %d", settings.BASE_URL, len(mix.games),
                 settings.WEEK, settings.YEAR)

    @events.quitting.add_listener
    def on_quitting(environment, **_kwargs):
        if state["preflight_error"] is not None:
            environment.process_exit_code = EXIT_NOT_READY
            return
        results = _results(environment, scenario, thresholds, state["started_at"])
        text = _text(results)
        print(text, end="")
        _write(scenario, results, text)
        environment.process_exit_code = 0 if all(results["passed"].values()) else EXIT_THRESHOLD_FAILED
