"""Shared fixtures: a synthetic feature table, the real one, and quick training runs."""

import os
from pathlib import Path

import pytest

from training import data, train

MODELS_DIR = Path(__file__).resolve().parents[2]
REPO_DIR = MODELS_DIR.parent


def features_csv_path():
    """Return the real feature table: env ``FEATURES_CSV`` or ``<repo>/build/features.csv``."""
    return Path(os.environ.get("FEATURES_CSV", REPO_DIR / "build" / "features.csv"))


@pytest.fixture(scope="session")
def synthetic_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("synthetic") / "features.csv"
    data.synthetic_features(games_per_season=300, seed=7).to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def real_csv():
    path = features_csv_path()
    if not path.is_file():
        message = (
            f"feature table {path} not found: run the gateway's export-features command first "
            "(or set FEATURES_CSV)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def synthetic_run(synthetic_csv, tmp_path_factory):
    out = tmp_path_factory.mktemp("synthetic-run")
    return train.run(synthetic_csv, out, run_params=train.quick_params), out


@pytest.fixture(scope="session")
def real_run(real_csv, tmp_path_factory):
    out = tmp_path_factory.mktemp("real-run")
    return train.run(real_csv, out, run_params=train.quick_params), out


@pytest.fixture(params=["synthetic", "real"], scope="session")
def any_run(request):
    """A quick training run on the synthetic table, then on the real one."""
    return request.getfixturevalue(f"{request.param}_run")
