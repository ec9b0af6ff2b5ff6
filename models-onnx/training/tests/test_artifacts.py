"""Checks of a folder of trained artefacts: the committed ``models-onnx/`` and
the output of a quick synthetic run.

The committed folder must hold ``manifest.json``, the three ONNX files,
``golden.json``, ``metrics.json``, ``holdout_predictions.csv`` and
``MODEL_CARD.md``.
"""

import json

import numpy as np
import pytest

from training import export, metrics, report, train

from .conftest import MODELS_DIR
from .elo_sweep import elo_sweep_rows, increasing_step_share


@pytest.fixture(params=["committed", "synthetic"], scope="module")
def artefacts(request):
    """Path of a folder with a complete set of artefacts."""
    if request.param == "committed":
        manifest = MODELS_DIR / "manifest.json"
        assert manifest.is_file(), f"{manifest} is missing: train with python -m training.train and commit the output"
        return MODELS_DIR
    return request.getfixturevalue("synthetic_run")[1]


def load_json(folder, name):
    return json.loads((folder / name).read_text())


def sessions_of(folder, manifest):
    return {entry["name"]: export.open_session(folder / entry["file"]) for entry in manifest["models"]}


def test_manifest_sha256MatchesFiles(artefacts):
    manifest = load_json(artefacts, "manifest.json")
    assert sorted(entry["name"] for entry in manifest["models"]) == ["mlp_win", "ridge_margin", "xgb_win"]
    for entry in manifest["models"]:
        digest = export.sha256_of(artefacts / entry["file"])
        assert digest == entry["sha256"], f"{entry['file']}: sha256 {digest} differs from the manifest"
        assert entry["version"] == digest[:12]
        assert entry["features"] == manifest["features"]


def test_manifest_inputMatchesGraph(artefacts):
    manifest = load_json(artefacts, "manifest.json")
    for name, session in sessions_of(artefacts, manifest).items():
        inputs = session.get_inputs()
        assert [i.name for i in inputs] == ["features"], name
        assert inputs[0].type == "tensor(float)", name
        assert inputs[0].shape[1] == len(manifest["features"]), name
        entry = next(e for e in manifest["models"] if e["name"] == name)
        assert [o["name"] for o in entry["outputs"]] == [o.name for o in session.get_outputs()]


def test_golden_reproducedByOnnx(artefacts):
    manifest = load_json(artefacts, "manifest.json")
    golden = load_json(artefacts, "golden.json")
    assert len(golden["rows"]) == 50
    x = np.array([row["features"] for row in golden["rows"]], dtype=np.float32)
    assert not np.isnan(x).any(), "golden rows must have complete features"

    outputs = {}
    for name, session in sessions_of(artefacts, manifest).items():
        outputs[name] = export.run_session(session, x, classifier=name in train.CLASSIFIERS)
        expected = np.array([row["outputs"][name] for row in golden["rows"]])
        difference = np.abs(outputs[name] - expected).max()
        assert difference <= 1e-5, f"{name}: golden difference {difference}"

    probability, margin = train.combine(manifest["ensemble"], outputs["xgb_win"], outputs["mlp_win"], outputs["ridge_margin"])
    expected_probability = np.array([row["outputs"]["ensembleProbability"] for row in golden["rows"]])
    expected_margin = np.array([row["outputs"]["ensembleMargin"] for row in golden["rows"]])
    assert np.abs(probability - expected_probability).max() <= 1e-5
    assert np.abs(margin - expected_margin).max() <= 1e-5


def test_committedModels_probabilityRisesWithElo(artefacts):
    manifest = load_json(artefacts, "manifest.json")
    golden = load_json(artefacts, "golden.json")
    x = np.array([row["features"] for row in golden["rows"]], dtype=np.float32)
    rows = elo_sweep_rows(x, manifest["features"].index(manifest["eloFeature"]))

    sessions = sessions_of(artefacts, manifest)
    for name in ("xgb_win", "mlp_win"):
        probability = export.run_session(sessions[name], rows, classifier=True)
        assert probability[-1] - probability[0] > 0.1, f"{name}: {probability[0]:.3f} -> {probability[-1]:.3f}"
        assert increasing_step_share(probability) >= 0.9, f"{name}: {np.round(probability, 3)}"
    margin = export.run_session(sessions["ridge_margin"], rows, classifier=False)
    assert margin[-1] > margin[0], f"ridge margin {margin[0]:.1f} -> {margin[-1]:.1f}"


def test_card_numbersRecomputedFromPredictions(artefacts):
    table = report.read_predictions(artefacts / "holdout_predictions.csv")
    scored = table[table["excluded_reason"] == ""]
    holdout_metrics = load_json(artefacts, "metrics.json")
    card = (artefacts / "MODEL_CARD.md").read_text()

    ensemble_brier = metrics.brier(scored["home_win"], scored["ensemble_prob"])
    market_accuracy = float(np.mean((scored["spread"] < 0).astype(int) == scored["home_win"]))

    assert len(scored) == holdout_metrics["scoredGames"]
    assert ensemble_brier == pytest.approx(holdout_metrics["classification"]["ensemble"]["brier"], abs=1e-6)
    assert market_accuracy == pytest.approx(holdout_metrics["classification"]["market"]["accuracy"], abs=1e-9)
    assert f"Brier score: ensemble {ensemble_brier:.4f}" in card
    assert f"market {market_accuracy:.3f}" in card


def test_card_matchesRenderedMetrics(artefacts):
    holdout_metrics = load_json(artefacts, "metrics.json")
    manifest = load_json(artefacts, "manifest.json")
    card = (artefacts / "MODEL_CARD.md").read_text()
    assert card == report.render_card(holdout_metrics, manifest), "MODEL_CARD.md was edited or is stale"
    assert (artefacts / "calibration.png").stat().st_size > 0
