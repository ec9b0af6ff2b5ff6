"""Load the feature table, split it in time and build a synthetic stand-in.

The table has one row per completed game. Identifiers come first, then the
features in schema order (every column between ``away_team`` and ``margin``),
then the labels ``margin`` (home minus away points), ``home_win`` (0 or 1) and
``spread``. The spread is the market spread, negative when the home team is
favoured, and is never a model input. An empty cell is a missing value.
"""

import re

import numpy as np
import pandas as pd

ID_COLUMNS = ["game_id", "season", "week", "season_type", "start_date", "home_team", "away_team"]
LABEL_COLUMNS = ["margin", "home_win", "spread"]

TRAIN_SEASONS = list(range(2016, 2025))
VALIDATION_SEASONS = [2022, 2023, 2024]
HOLDOUT_SEASON = 2025
HOLDOUT_WEEKS = (1, 12)

# Same rule as the gateway: it makes no prediction when fewer than 95 % of the
# features are present, so rows below it are not scored in the holdout either.
DATA_QUALITY_THRESHOLD = 0.95

_ELO_DIFF = re.compile(r"elo.*diff|diff.*elo", re.IGNORECASE)


def feature_columns(columns):
    """Return the feature names: every column between ``away_team`` and ``margin``."""
    columns = list(columns)
    if "away_team" not in columns or "margin" not in columns:
        raise ValueError(
            f"feature table must have 'away_team' and 'margin' columns, got {columns[:10]}..."
        )
    features = columns[columns.index("away_team") + 1 : columns.index("margin")]
    if not features:
        raise ValueError("feature table has no columns between 'away_team' and 'margin'")
    return features


def load_features(path):
    """Read the feature CSV and return ``(frame, feature_names)``.

    Feature columns are float64 with NaN for empty cells; ``spread`` is NaN
    when the game has no market line.
    """
    frame = pd.read_csv(path, dtype={"season_type": str, "home_team": str, "away_team": str})
    missing = [c for c in ID_COLUMNS + LABEL_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"feature table {path} is missing columns {missing}")

    features = feature_columns(frame.columns)
    frame[features] = frame[features].astype(np.float64)
    frame["spread"] = frame["spread"].astype(np.float64)
    frame["home_win"] = frame["home_win"].astype(int)
    return frame, features


def find_elo_feature(features):
    """Return the name of the Elo-difference feature (home minus away), preferring ``elo_diff``."""
    if "elo_diff" in features:
        return "elo_diff"
    for name in features:
        if _ELO_DIFF.search(name):
            return name
    raise ValueError(f"no Elo-difference feature (a name with 'elo' and 'diff') in {features}")


def present_fraction(frame, features):
    """Return the fraction of features present in each row."""
    return frame[features].notna().mean(axis=1).to_numpy()


def training_rows(frame):
    """Return the rows of the training seasons (2016-2024, all season types)."""
    return frame[frame["season"].isin(TRAIN_SEASONS)]


def holdout_rows(frame):
    """Return the rows of the holdout: 2025 regular season, weeks 1-12."""
    first, last = HOLDOUT_WEEKS
    mask = (
        (frame["season"] == HOLDOUT_SEASON)
        & (frame["season_type"] == "regular")
        & frame["week"].between(first, last)
    )
    return frame[mask]


def synthetic_features(games_per_season=300, seed=0):
    """Build a synthetic feature table with the real schema, for tests.

    ``elo_diff`` drives the margin, ``talent_diff`` and ``ppa_diff`` add a
    little signal, ``noise`` adds none, and about 3 % of ``talent_diff`` cells
    are empty. The spread is a noisy copy of the expected margin, negated.
    """
    rng = np.random.default_rng(seed)
    rows = []
    game_id = 400000000
    for season in range(2016, 2026):
        for index in range(games_per_season):
            game_id += 1
            week = 1 + index * 15 // games_per_season
            elo_diff = rng.normal(0.0, 250.0)
            talent_diff = rng.normal(0.0, 150.0)
            ppa_diff = rng.normal(0.0, 0.15)
            neutral = float(rng.random() < 0.05)
            expected = elo_diff / 25.0 + talent_diff / 100.0 + ppa_diff * 20.0 + 2.5 * (1 - neutral)
            margin = round(expected + rng.normal(0.0, 14.0))
            if margin == 0:
                margin = 3
            spread = round(-(expected + rng.normal(0.0, 3.0)) * 2) / 2
            rows.append(
                {
                    "game_id": game_id,
                    "season": season,
                    "week": week,
                    "season_type": "regular",
                    "start_date": f"{season}-09-01T19:00:00Z",
                    "home_team": f"Home {index}",
                    "away_team": f"Away {index}",
                    "elo_diff": elo_diff,
                    "talent_diff": np.nan if rng.random() < 0.03 else talent_diff,
                    "ppa_diff": ppa_diff,
                    "neutral_site": neutral,
                    "noise": rng.normal(),
                    "margin": margin,
                    "home_win": int(margin > 0),
                    "spread": np.nan if rng.random() < 0.02 else spread,
                }
            )
    return pd.DataFrame(rows)
