"""The request mix of real consumers and the value checks on each reply.

With predictions on, most requests read the cached predictions of the hot week, some read one
game, some post a matchup, some go through the CFBD proxy, and a few read other (cold) weeks.
With PREDICTIONS=off every prediction request becomes a CFBD proxy request.
"""

import random

from locust import FastHttpUser, constant_throughput, task

from lib import settings
from lib.checks import check

#: Game list read by setup; single-game and matchup requests draw from it.
games = []

#: Hot proxy reads: the requests a dashboard of the current week sends.
HOT_PROXY_PATHS = [
    f"games?year={settings.YEAR}&week={settings.WEEK}&seasonType=regular&classification=fbs",
    f"lines?year={settings.YEAR}&week={settings.WEEK}&seasonType=regular",
    f"ratings/elo?year={settings.YEAR}&week={settings.WEEK}",
    f"teams/fbs?year={settings.YEAR}",
    f"talent?year={settings.YEAR}",
]

#: Weeks other than the hot one, read rarely, so their first read misses the cache.
COLD_WEEKS = [week for week in range(1, 14) if week != settings.WEEK]


def _json(response):
    try:
        return response.json()
    except ValueError:
        return None


def accept_ok(response, detail):
    """Mark a reply failed unless its status is 200, and return whether it was 200."""
    if response.status_code != 200:
        response.failure(f"status {response.status_code} for {detail}")
        return False
    response.success()
    return True


def check_prediction(name, prediction):
    """Check one game of a predictions response.

    A predicted game has a homeWinProbability in [0, 1]; a game below the data-quality threshold
    has status insufficient_data and a reason instead.
    """
    if not check(f"{name} is an object", isinstance(prediction, dict), repr(prediction)[:200]):
        return
    if prediction.get("status") == "insufficient_data":
        check(f"{name} without a prediction gives a reason", bool(prediction.get("reason")),
              repr(prediction)[:200])
        return
    probability = prediction.get("homeWinProbability")
    check(f"{name} homeWinProbability in [0, 1]",
          isinstance(probability, (int, float)) and 0.0 <= probability <= 1.0, f"got {probability!r}")


def check_week_predictions(response, week):
    """Check a week's predictions: a non-empty games list, each game of the requested week."""
    body = _json(response)
    items = body.get("games") if isinstance(body, dict) else None
    if not check("week predictions is a non-empty list", isinstance(items, list) and len(items) > 0,
                 f"week {week}: {str(body)[:200]}"):
        return
    for item in items:
        check_prediction("week prediction", item)
        check("week prediction is of the requested week", item.get("week") == week,
              f"asked {week}, got {item.get('week')!r}")


class GatewayUser(FastHttpUser):
    """One API consumer; the scenario's shape sets how many run, each at most one request a second.

    NOTE: each user waits for its reply before the next request, so the offered rate drops
    below the target once replies take longer than a second (a closed model, unlike k6's
    arrival-rate executors). The summary reports the achieved rate to make that visible.
    """

    host = settings.BASE_URL
    wait_time = constant_throughput(1)

    # Connections are reused between requests, as a consumer's HTTP client would.
    connection_timeout = 5.0
    network_timeout = 30.0

    def _get(self, path, name):
        return self.client.get(path, name=name, catch_response=True)

    def _proxy(self, path):
        endpoint = path.split("?", 1)[0]
        with self._get(f"/api/v1/cfbd/{path}", f"/api/v1/cfbd/{endpoint}") as response:
            if not accept_ok(response, path):
                return
            body = _json(response)
            check("proxy body is a JSON array", isinstance(body, list), f"{path}: {str(body)[:200]}")
            check("proxy reply has X-Cache", response.headers.get("X-Cache") in ("HIT", "MISS", "STALE"),
                  f"{path}: X-Cache={response.headers.get('X-Cache')!r}")
            if endpoint == "games" and isinstance(body, list):
                check("proxy games are of the requested season",
                      all(game.get("season") == settings.YEAR for game in body), path)

    def _week_predictions(self, week):
        path = f"/api/v1/predictions?year={settings.YEAR}&week={week}&seasonType=regular"
        with self._get(path, "/api/v1/predictions") as response:
            if not accept_ok(response, f"week {week}"):
                return
            check_week_predictions(response, week)

    @task(50)
    def hot_week(self):
        if settings.PREDICTIONS:
            self._week_predictions(settings.WEEK)
        else:
            self._proxy(HOT_PROXY_PATHS[0])

    @task(15)
    def single_game(self):
        if not settings.PREDICTIONS or not games:
            self._proxy(random.choice(HOT_PROXY_PATHS))
            return
        game = random.choice(games)
        with self._get(f"/api/v1/predictions/{game['id']}", "/api/v1/predictions/:gameId") as response:
            if not accept_ok(response, f"game {game['id']}"):
                return
            body = _json(response)
            prediction = body
            check_prediction("game prediction", prediction)
            if isinstance(prediction, dict) and "homeTeam" in prediction:
                check("game prediction names the home team", prediction["homeTeam"] == game["homeTeam"],
                      f"game {game['id']}: {prediction['homeTeam']!r} != {game['homeTeam']!r}")

    @task(10)
    def matchup(self):
        if not settings.PREDICTIONS or not games:
            self._proxy(random.choice(HOT_PROXY_PATHS))
            return
        game = random.choice(games)
        request = {"homeTeam": game["homeTeam"], "awayTeam": game["awayTeam"], "year": settings.YEAR,
                   "week": settings.WEEK, "neutralSite": bool(game.get("neutralSite", False))}
        with self.client.post("/api/v1/predictions/matchup", json=request, name="/api/v1/predictions/matchup",
                              catch_response=True) as response:
            if not accept_ok(response, str(request)):
                return
            body = _json(response)
            check_prediction("matchup prediction", body)

    @task(20)
    def proxy(self):
        self._proxy(random.choice(HOT_PROXY_PATHS))

    @task(5)
    def cold_week(self):
        week = random.choice(COLD_WEEKS)
        if settings.PREDICTIONS:
            self._week_predictions(week)
        else:
            self._proxy(f"games?year={settings.YEAR}&week={week}&seasonType=regular&classification=fbs")
