"""
Train the game models, export them to ONNX and write the model card
====================================================================

Ridge regression predicts the home margin, an XGBoost classifier and a small
MLP predict the home-win probability, and a weighted ensemble combines the
three. Hyper-parameters and ensemble weights come from forward-chaining
validation inside the training seasons (2016-2024); the report uses only the
later holdout (2025, weeks 1-12). Run from ``models-onnx/``::

    python -m training.train --features ../build/features.csv --out .
"""

# %%
# Imports and settings. One ``params`` dict contains every grid so a run is
# described by a single object that goes into the manifest.
import argparse
import json
import platform
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import onnx
import onnxmltools
import onnxruntime
import pandas as pd
import skl2onnx
import sklearn
import xgboost

from . import data, export, metrics, models, report

params = {
    "ridge": {"alpha": [1.0, 10.0, 100.0, 1000.0]},
    "xgb": {
        "n_estimators": [150, 300],
        "max_depth": [2, 3],
        "learning_rate": [0.05],
        "min_child_weight": [5],
        "subsample": [0.8],
        "colsample_bytree": [0.8],
        "reg_lambda": [1.0],
    },
    "mlp": {
        "hidden_layer_sizes": [[16], [32, 16]],
        "alpha": [1.0, 10.0],
        "max_iter": [300],
    },
    "ensembleStep": 0.05,
    "goldenRows": 50,
}

# One candidate per model, for tests and smoke runs that must stay fast.
quick_params = {
    "ridge": {"alpha": [10.0]},
    "xgb": {
        "n_estimators": [100],
        "max_depth": [2],
        "learning_rate": [0.1],
        "min_child_weight": [5],
        "subsample": [0.8],
        "colsample_bytree": [0.8],
        "reg_lambda": [1.0],
    },
    "mlp": {"hidden_layer_sizes": [[8]], "alpha": [10.0], "max_iter": [200]},
    "ensembleStep": 0.1,
    "goldenRows": 50,
}

MODEL_FILES = {"ridge_margin": "ridge_margin.onnx", "xgb_win": "xgb_win.onnx", "mlp_win": "mlp_win.onnx"}
KINDS = {"ridge_margin": "ridge", "xgb_win": "xgb", "mlp_win": "mlp"}
CLASSIFIERS = {"xgb_win", "mlp_win"}


@dataclass
class TrainResult:
    """Everything a run produces, kept in memory for tests."""

    features: list
    elo_feature: str
    models: dict
    holdout: pd.DataFrame
    x_holdout: np.ndarray
    native: dict
    onnx: dict
    ensemble: dict
    metrics: dict
    selection: dict = field(default_factory=dict)


def as_float32(frame, features):
    """Return the feature block as float32, the type the ONNX graphs take."""
    return frame[features].to_numpy(dtype=np.float32)


# %%
# Hyper-parameters: forward chaining (train on seasons before 2022, 2023 and
# 2024, predict that season) never lets a model see games later than the
# ones it predicts.
def select_models(train, x_train, elo_index, run_params):
    """Run the forward-chaining search for all three models."""
    selection = {}
    out_of_fold = {}
    for name, kind in KINDS.items():
        best, scores, predictions = models.forward_chain(
            kind, run_params[kind], train, x_train, elo_index, data.VALIDATION_SEASONS
        )
        selection[name] = {"best": best, "candidates": scores}
        out_of_fold[name] = predictions
    return selection, out_of_fold


# %%
# Ensemble: the ridge margin becomes a probability through a logistic fit of
# home_win on the out-of-fold margin, then simplex weights minimise the
# validation log loss. Nothing here reads the holdout.
def fit_ensemble(train, out_of_fold, step):
    """Fit the margin-to-probability mapping and the ensemble weights."""
    validation = train[train["season"].isin(data.VALIDATION_SEASONS)]
    y = validation["home_win"].to_numpy()
    a, b = metrics.fit_logistic(out_of_fold["ridge_margin"], y)

    ridge_probability = metrics.logistic(a, b, out_of_fold["ridge_margin"])
    stacked = np.column_stack([out_of_fold["xgb_win"], out_of_fold["mlp_win"], ridge_probability])
    weights, loss = models.fit_ensemble_weights(stacked, y, step)
    return {
        "components": ["xgb_win", "mlp_win", "ridge_margin"],
        "weights": {"xgb_win": weights[0], "mlp_win": weights[1], "ridge_margin": weights[2]},
        "marginToProbability": {"intercept": a, "slope": b},
        "validationLogLoss": loss,
    }


def combine(ensemble, xgb_probability, mlp_probability, ridge_margin):
    """Return the ensemble home-win probability and margin."""
    mapping = ensemble["marginToProbability"]
    weights = ensemble["weights"]
    ridge_probability = metrics.logistic(mapping["intercept"], mapping["slope"], ridge_margin)
    probability = (
        weights["xgb_win"] * xgb_probability
        + weights["mlp_win"] * mlp_probability
        + weights["ridge_margin"] * ridge_probability
    )
    return probability, np.asarray(ridge_margin, dtype=float)


# %%
# Baselines fitted on the training seasons only: the market (logistic fit of
# home_win on -spread), Elo alone (logistic fit on the Elo-difference
# feature) and a constant home-win rate.
def fit_baselines(train, elo_feature):
    """Return the baseline coefficients fitted on the training seasons."""
    with_spread = train[train["spread"].notna()]
    market_a, market_b = metrics.fit_logistic(-with_spread["spread"].to_numpy(), with_spread["home_win"].to_numpy())
    with_elo = train[train[elo_feature].notna()]
    elo_a, elo_b = metrics.fit_logistic(with_elo[elo_feature].to_numpy(), with_elo["home_win"].to_numpy())
    return {
        "market": {"intercept": market_a, "slope": market_b, "games": len(with_spread)},
        "elo": {"feature": elo_feature, "intercept": elo_a, "slope": elo_b, "games": len(with_elo)},
        "homeAlwaysWins": {"homeWinRate": float(train["home_win"].mean()), "meanMargin": float(train["margin"].mean())},
    }


def holdout_table(holdout, features, elo_feature, predictions, baselines):
    """Return the holdout rows with labels, every model's output and the baselines."""
    quality = data.present_fraction(holdout, features)
    reason = np.where(
        quality < data.DATA_QUALITY_THRESHOLD,
        "lowDataQuality",
        np.where(holdout["spread"].isna(), "noSpread", np.where(holdout[elo_feature].isna(), "noElo", "")),
    )
    market = baselines["market"]
    elo = baselines["elo"]
    home = baselines["homeAlwaysWins"]
    table = pd.DataFrame(
        {
            "game_id": holdout["game_id"].to_numpy(),
            "season": holdout["season"].to_numpy(),
            "week": holdout["week"].to_numpy(),
            "home_team": holdout["home_team"].to_numpy(),
            "away_team": holdout["away_team"].to_numpy(),
            "margin": holdout["margin"].to_numpy(),
            "home_win": holdout["home_win"].to_numpy(),
            "spread": holdout["spread"].to_numpy(),
            "present_fraction": quality,
            "excluded_reason": reason,
            "ridge_margin": predictions["ridge_margin"],
            "ridge_prob": predictions["ridge_prob"],
            "xgb_prob": predictions["xgb_win"],
            "mlp_prob": predictions["mlp_win"],
            "ensemble_prob": predictions["ensemble_prob"],
            "ensemble_margin": predictions["ensemble_margin"],
            "market_prob": metrics.logistic(market["intercept"], market["slope"], -holdout["spread"].to_numpy()),
            "market_margin": -holdout["spread"].to_numpy(),
            "elo_prob": metrics.logistic(elo["intercept"], elo["slope"], holdout[elo_feature].to_numpy()),
            "home_prob": np.full(len(holdout), home["homeWinRate"]),
        }
    )
    return table


def evaluate(table):
    """Return holdout metrics on the rows with no exclusion reason."""
    scored = table[table["excluded_reason"] == ""]
    y = scored["home_win"].to_numpy()
    margin = scored["margin"].to_numpy()
    excluded = table.loc[table["excluded_reason"] != "", "excluded_reason"].value_counts()

    classification = {
        name: metrics.classification_metrics(y, scored[column].to_numpy())
        for name, column in report.PROBABILITY_COLUMNS.items()
    }
    # The market picks the home team when it is favoured (spread < 0); a
    # pick'em (spread 0) counts as an away pick, like p = 0.5 elsewhere.
    classification["market"]["accuracy"] = float(np.mean((scored["spread"].to_numpy() < 0).astype(int) == y))
    margin_table = {
        name: metrics.margin_metrics(margin, scored[column].to_numpy())
        for name, column in report.MARGIN_COLUMNS.items()
    }
    return {
        "holdoutGames": int(len(table)),
        "scoredGames": int(len(scored)),
        "excluded": {reason: int(count) for reason, count in excluded.items()},
        "classification": classification,
        "margin": margin_table,
    }


# %%
# Export: convert, score the holdout with ONNX Runtime and keep those
# outputs, since they are what the gateway serves.
def export_models(fitted, n_features, out_dir):
    """Write the three ONNX files and return their paths."""
    paths = {}
    for name, model in fitted.items():
        onnx_model = export.to_onnx(model, n_features, classifier=name in CLASSIFIERS)
        path = out_dir / MODEL_FILES[name]
        path.write_bytes(onnx_model.SerializeToString())
        paths[name] = path
    return paths


def golden_rows(holdout, x_holdout, features, onnx_outputs, ensemble_outputs, count):
    """Return ``count`` complete holdout rows with every model's ONNX output."""
    complete = np.flatnonzero(models.complete_mask(x_holdout))
    if len(complete) < count:
        raise ValueError(f"only {len(complete)} complete holdout rows, need {count} golden rows")
    chosen = complete[np.linspace(0, len(complete) - 1, count).round().astype(int)]
    rows = []
    for i in chosen:
        rows.append(
            {
                "gameId": int(holdout["game_id"].iloc[i]),
                "features": [float(v) for v in x_holdout[i]],
                "outputs": {
                    "ridge_margin": float(onnx_outputs["ridge_margin"][i]),
                    "xgb_win": float(onnx_outputs["xgb_win"][i]),
                    "mlp_win": float(onnx_outputs["mlp_win"][i]),
                    "ensembleProbability": float(ensemble_outputs[0][i]),
                    "ensembleMargin": float(ensemble_outputs[1][i]),
                },
            }
        )
    return {"features": features, "inputName": export.INPUT_NAME, "rows": rows}


def library_versions():
    """Return the versions of the libraries that trained and exported the models."""
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "scikit-learn": sklearn.__version__,
        "xgboost": xgboost.__version__,
        "onnx": onnx.__version__,
        "skl2onnx": skl2onnx.__version__,
        "onnxmltools": onnxmltools.__version__,
        "onnxruntime": onnxruntime.__version__,
    }


def model_outputs(name, session):
    """Return the manifest's description of a model's outputs."""
    described = export.describe_outputs(session)
    for output in described:
        if name == "ridge_margin":
            output["meaning"] = "predicted home margin in points (home minus away), column 0"
        elif output["name"] == "probabilities":
            output["meaning"] = "column 0 = P(away win), column 1 = P(home win)"
        else:
            output["meaning"] = "predicted class: 1 = home win, 0 = away win"
    return described


def build_manifest(result, paths, sessions, run_params, schema_version):
    """Return the manifest dictionary."""
    versions = library_versions()
    validation = {
        "scheme": "forward chaining",
        "validationSeasons": data.VALIDATION_SEASONS,
        "rule": "each validation season is predicted by a model trained on all earlier training seasons",
    }
    entries = []
    for name, path in paths.items():
        digest = export.sha256_of(path)
        kind = KINDS[name]
        entries.append(
            {
                "name": name,
                "file": path.name,
                "sha256": digest,
                "version": digest[:12],
                "inputName": export.INPUT_NAME,
                "inputType": "float32",
                "inputShape": ["N", len(result.features)],
                "features": result.features,
                "outputs": model_outputs(name, sessions[name]),
                "task": "regression of home margin" if kind == "ridge" else "binary classification of home win",
                "trainingSeasons": data.TRAIN_SEASONS,
                "trainingRows": "complete rows only" if kind != "xgb" else "all rows (NaN handled by the trees)",
                "validation": validation,
                "holdout": holdout_entry(result.metrics, name),
                "hyperparameters": result.selection[name]["best"],
                "targetOpset": export.TARGET_OPSET,
                "libraryVersions": versions,
            }
        )

    manifest = {
        "features": result.features,
        "eloFeature": result.elo_feature,
        "dataQualityThreshold": data.DATA_QUALITY_THRESHOLD,
        "holdout": {"season": data.HOLDOUT_SEASON, "weeks": list(data.HOLDOUT_WEEKS), "seasonType": "regular"},
        "models": entries,
        "ensemble": {
            **result.ensemble,
            "combine": (
                "p = w_xgb * xgb_win[:,1] + w_mlp * mlp_win[:,1]"
                " + w_ridge * 1 / (1 + exp(-(intercept + slope * ridge_margin)));"
                " margin = ridge_margin"
            ),
            "version": "-".join(entry["version"][:8] for entry in entries),
        },
        "params": run_params,
        "libraryVersions": versions,
    }
    if schema_version:
        manifest["featureSchemaVersion"] = schema_version
    return manifest


def holdout_entry(holdout_metrics, name):
    """Return the holdout metrics of one model for the manifest."""
    entry = {"games": holdout_metrics["scoredGames"]}
    if name == "ridge_margin":
        entry.update(holdout_metrics["margin"]["ridge_margin"])
        entry["probability"] = holdout_metrics["classification"]["ridge_prob"]
    else:
        entry.update(holdout_metrics["classification"][name])
    return entry


# %%
# The whole run, callable from tests with a smaller grid and a temporary
# output folder.
def run(features_csv, out_dir, run_params=None, schema_version=None, write_card=True):
    """Train, select, export and evaluate; write every artefact into ``out_dir``."""
    run_params = run_params or params
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    frame, features = data.load_features(features_csv)
    elo_feature = data.find_elo_feature(features)
    elo_index = features.index(elo_feature)
    train = data.training_rows(frame).sort_values(["season", "week", "game_id"]).reset_index(drop=True)
    holdout = data.holdout_rows(frame).sort_values(["week", "game_id"]).reset_index(drop=True)
    if train.empty or holdout.empty:
        raise ValueError(f"{features_csv}: {len(train)} training rows and {len(holdout)} holdout rows")
    x_train = as_float32(train, features)
    x_holdout = as_float32(holdout, features)

    selection, out_of_fold = select_models(train, x_train, elo_index, run_params)
    ensemble = fit_ensemble(train, out_of_fold, run_params["ensembleStep"])

    fitted = {
        name: models.fit_model(KINDS[name], selection[name]["best"], x_train, train, elo_index) for name in KINDS
    }
    native = {name: models.predict_model(KINDS[name], model, x_holdout) for name, model in fitted.items()}

    paths = export_models(fitted, len(features), out_dir)
    sessions = {name: export.open_session(path) for name, path in paths.items()}
    onnx_outputs = {
        name: export.run_session(session, x_holdout, classifier=name in CLASSIFIERS) for name, session in sessions.items()
    }

    ensemble_probability, ensemble_margin = combine(
        ensemble, onnx_outputs["xgb_win"], onnx_outputs["mlp_win"], onnx_outputs["ridge_margin"]
    )
    mapping = ensemble["marginToProbability"]
    predictions = {
        **onnx_outputs,
        "ridge_prob": metrics.logistic(mapping["intercept"], mapping["slope"], onnx_outputs["ridge_margin"]),
        "ensemble_prob": ensemble_probability,
        "ensemble_margin": ensemble_margin,
    }
    baselines = fit_baselines(train, elo_feature)
    table = holdout_table(holdout, features, elo_feature, predictions, baselines)
    holdout_metrics = evaluate(table)
    holdout_metrics["baselines"] = baselines
    holdout_metrics["trainingGames"] = int(len(train))
    holdout_metrics["ensemble"] = ensemble

    result = TrainResult(
        features=features,
        elo_feature=elo_feature,
        models=fitted,
        holdout=holdout,
        x_holdout=x_holdout,
        native=native,
        onnx=onnx_outputs,
        ensemble=ensemble,
        metrics=holdout_metrics,
        selection=selection,
    )

    manifest = build_manifest(result, paths, sessions, run_params, schema_version)
    golden = golden_rows(
        holdout, x_holdout, features, onnx_outputs, (ensemble_probability, ensemble_margin), run_params["goldenRows"]
    )
    table.to_csv(out_dir / "holdout_predictions.csv", index=False, float_format="%.9g")
    write_json(out_dir / "manifest.json", manifest)
    write_json(out_dir / "golden.json", golden)
    write_json(out_dir / "metrics.json", holdout_metrics)
    if write_card:
        report.write_report(out_dir / "metrics.json", out_dir / "holdout_predictions.csv", out_dir)
    return result


def write_json(path, payload):
    """Write JSON with stable key order and a final newline."""
    path.write_text(json.dumps(payload, indent=2, default=_json_default) + "\n")


def _json_default(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"cannot serialise {type(value).__name__}")


# %%
# Command line.
def main(argv=None):
    """Parse arguments and run training."""
    parser = argparse.ArgumentParser(description="Train the game models and export them to ONNX.")
    parser.add_argument("--features", required=True, help="feature table CSV written by export-features")
    parser.add_argument("--out", required=True, help="folder for the ONNX files, manifest, golden rows and card")
    parser.add_argument("--feature-schema-version", help="feature schema version to record in the manifest")
    parser.add_argument("--quick", action="store_true", help="one candidate per model, for smoke runs")
    args = parser.parse_args(argv)

    result = run(
        args.features,
        args.out,
        run_params=quick_params if args.quick else params,
        schema_version=args.feature_schema_version,
    )
    summary = result.metrics["classification"]["ensemble"]
    print(
        f"holdout: {result.metrics['scoredGames']} games scored of {result.metrics['holdoutGames']}; "
        f"ensemble accuracy {summary['accuracy']:.3f}, Brier {summary['brier']:.4f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
