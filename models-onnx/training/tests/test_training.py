"""Quick training runs: ONNX parity, holdout skill and label direction.

Each test runs on a synthetic table and on the real feature table
(``FEATURES_CSV``, default ``<repo>/build/features.csv``; skipped when it is
missing, a failure when ``CI=true``).
"""

import numpy as np
import pytest

from training import export, train

from .elo_sweep import elo_sweep_rows, increasing_step_share


def test_onnx_matchesNativeProbabilities(any_run):
    result, _ = any_run
    for name in ("xgb_win", "mlp_win"):
        difference = np.abs(result.onnx[name] - result.native[name]).max()
        assert difference <= 1e-5, f"{name}: max ONNX vs native difference {difference}"


def test_onnx_matchesNativeMargin(any_run):
    result, _ = any_run
    difference = np.abs(result.onnx["ridge_margin"] - result.native["ridge_margin"]).max()
    assert difference <= 1e-4, f"ridge_margin: max ONNX vs native difference {difference} points"


def test_onnx_acceptsMissingValues(any_run):
    result, out = any_run
    row = np.nanmedian(result.x_holdout, axis=0, keepdims=True).astype(np.float32)
    row[0, 0] = np.nan
    for name in train.MODEL_FILES:
        session = export.open_session(out / train.MODEL_FILES[name])
        value = export.run_session(session, row, classifier=name in train.CLASSIFIERS)
        assert np.isfinite(value).all(), f"{name} returned {value} for a row with one NaN"


@pytest.mark.parametrize("name", ["xgb_win", "mlp_win", "ridge_prob", "ensemble"])
def test_holdout_aucAtLeast070(any_run, name):
    result, _ = any_run
    auc = result.metrics["classification"][name]["auc"]
    assert auc >= 0.70, f"{name}: holdout AUC {auc:.3f}"


def test_holdout_scoredGamesCounted(any_run):
    result, _ = any_run
    excluded = sum(result.metrics["excluded"].values())
    assert result.metrics["scoredGames"] + excluded == result.metrics["holdoutGames"]
    assert result.metrics["scoredGames"] > 0


def test_probability_risesWithEloEdge(any_run):
    result, out = any_run
    elo_index = result.features.index(result.elo_feature)
    rows = elo_sweep_rows(result.x_holdout, elo_index)

    for name in ("xgb_win", "mlp_win"):
        session = export.open_session(out / train.MODEL_FILES[name])
        probability = export.run_session(session, rows, classifier=True)
        assert probability[-1] - probability[0] > 0.1, f"{name}: {probability[0]:.3f} -> {probability[-1]:.3f}"
        assert increasing_step_share(probability) >= 0.9, f"{name}: {np.round(probability, 3)}"
        if name == "xgb_win":
            assert increasing_step_share(probability) == 1.0, "monotone constraint broken"

    session = export.open_session(out / train.MODEL_FILES["ridge_margin"])
    margin = export.run_session(session, rows, classifier=False)
    assert margin[-1] > margin[0] + 3.0, f"ridge margin {margin[0]:.1f} -> {margin[-1]:.1f}"


def test_ensemble_weightsOnSimplex(any_run):
    result, _ = any_run
    weights = np.array(list(result.ensemble["weights"].values()))
    assert (weights >= 0).all()
    assert weights.sum() == pytest.approx(1.0)
    assert result.ensemble["marginToProbability"]["slope"] > 0
