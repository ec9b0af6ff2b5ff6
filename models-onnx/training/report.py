"""
Write the model card and calibration plot from the metrics of a training run
============================================================================

Every number in ``MODEL_CARD.md`` comes from ``metrics.json``,
``manifest.json`` and ``holdout_predictions.csv`` in the output folder, so the
card can be rebuilt without retraining::

    python -m training.report --out .
"""

# %%
# Imports. Agg draws to files without a display.
import argparse
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

# Columns of holdout_predictions.csv with a home-win probability, by row label.
PROBABILITY_COLUMNS = {
    "xgb_win": "xgb_prob",
    "mlp_win": "mlp_prob",
    "ridge_prob": "ridge_prob",
    "ensemble": "ensemble_prob",
    "market": "market_prob",
    "elo": "elo_prob",
    "homeAlwaysWins": "home_prob",
}
# Columns with a predicted home margin, by row label.
MARGIN_COLUMNS = {"ridge_margin": "ridge_margin", "ensemble": "ensemble_margin", "market": "market_margin"}

LABELS = {
    "xgb_win": "XGBoost classifier",
    "mlp_win": "MLP classifier",
    "ridge_prob": "Ridge margin mapped to probability",
    "ridge_margin": "Ridge regression",
    "ensemble": "**Ensemble**",
    "market": "Betting market (spread)",
    "elo": "Elo alone",
    "homeAlwaysWins": "Home team always wins",
}

# Target from the product owner: ensemble accuracy within 2 points of the
# market's and Brier score within 0.01 of the market-implied probability.
TARGET_ACCURACY_GAP = 0.02
TARGET_BRIER_GAP = 0.01
CALIBRATION_BINS = 10


# %%
# Calibration: mean predicted probability against the observed home-win rate
# in equal-width bins, on the scored holdout games.
def calibration_points(y, p, bins=CALIBRATION_BINS):
    """Return ``(mean_predicted, observed_rate, count)`` for each non-empty bin."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    index = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    points = []
    for b in range(bins):
        members = index == b
        if members.any():
            points.append((float(p[members].mean()), float(y[members].mean()), int(members.sum())))
    return points


def plot_calibration(table, path):
    """Draw the ensemble and market calibration curves to a PNG."""
    scored = table[table["excluded_reason"] == ""]
    y = scored["home_win"].to_numpy()
    figure, axis = plt.subplots(figsize=(5.5, 5.5), dpi=110)
    axis.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    for column, label, marker in [("ensemble_prob", "ensemble", "o"), ("market_prob", "market (spread)", "s")]:
        points = calibration_points(y, scored[column].to_numpy())
        axis.plot([p[0] for p in points], [p[1] for p in points], marker=marker, label=label)
    axis.set_xlabel("predicted home-win probability")
    axis.set_ylabel("observed home-win rate")
    axis.set_title(f"Holdout calibration ({len(scored)} games, {CALIBRATION_BINS} bins)")
    axis.set_xlim(0, 1)
    axis.set_ylim(0, 1)
    axis.legend(loc="upper left")
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


# %%
# Card text.
def classification_table(holdout_metrics):
    """Return the Markdown table of classification metrics."""
    lines = [
        "| model | accuracy | Brier score | log loss | AUC |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name in PROBABILITY_COLUMNS:
        m = holdout_metrics["classification"][name]
        lines.append(
            f"| {LABELS[name]} | {m['accuracy']:.3f} | {m['brier']:.4f} | {m['logLoss']:.4f} | {m['auc']:.3f} |"
        )
    return "\n".join(lines)


def margin_table(holdout_metrics):
    """Return the Markdown table of margin errors."""
    lines = ["| model | MAE (points) | RMSE (points) |", "| --- | ---: | ---: |"]
    for name in MARGIN_COLUMNS:
        m = holdout_metrics["margin"][name]
        lines.append(f"| {LABELS[name]} | {m['mae']:.2f} | {m['rmse']:.2f} |")
    return "\n".join(lines)


def target_statement(holdout_metrics):
    """Return a sentence on the ensemble against the market target."""
    ensemble = holdout_metrics["classification"]["ensemble"]
    market = holdout_metrics["classification"]["market"]
    accuracy_gap = market["accuracy"] - ensemble["accuracy"]
    brier_gap = ensemble["brier"] - market["brier"]
    accuracy_met = accuracy_gap <= TARGET_ACCURACY_GAP
    brier_met = brier_gap <= TARGET_BRIER_GAP
    return (
        f"Target: ensemble accuracy within {TARGET_ACCURACY_GAP * 100:.0f} points of the market and Brier score "
        f"within {TARGET_BRIER_GAP} of the market-implied probability.\n\n"
        f"- Accuracy: ensemble {ensemble['accuracy']:.3f}, market {market['accuracy']:.3f}, "
        f"gap {accuracy_gap * 100:+.1f} points: **{'met' if accuracy_met else 'not met'}**.\n"
        f"- Brier score: ensemble {ensemble['brier']:.4f}, market {market['brier']:.4f}, "
        f"gap {brier_gap:+.4f}: **{'met' if brier_met else 'not met'}**."
    )


def render_card(holdout_metrics, manifest):
    """Return the model card as Markdown."""
    ensemble = holdout_metrics["ensemble"]
    weights = ensemble["weights"]
    mapping = ensemble["marginToProbability"]
    baselines = holdout_metrics["baselines"]
    excluded = ", ".join(f"{count} {reason}" for reason, count in sorted(holdout_metrics["excluded"].items())) or "none"
    models = {entry["name"]: entry for entry in manifest["models"]}
    features = manifest["features"]
    seasons = models["xgb_win"]["trainingSeasons"]

    hyperparameters = "\n".join(
        f"- `{name}` (`{entry['file']}`, version `{entry['version']}`): "
        + ", ".join(f"{key}={value}" for key, value in sorted(entry["hyperparameters"].items()))
        for name, entry in models.items()
    )
    return f"""# Model card: Script Ohio Gateway game models

Generated by `python -m training.report` from `metrics.json`, `manifest.json`
and `holdout_predictions.csv`. Do not edit by hand; retrain or rerun the report.

## Data

- Feature table: one row per completed game, written by the gateway's
  `export-features` command. Features are computed point in time (only from
  games completed before kickoff).
- Training seasons: {seasons[0]}-{seasons[-1]}, regular season and postseason,
  {holdout_metrics['trainingGames']} games.
- Holdout: {manifest['holdout']['season']} regular season, weeks
  {manifest['holdout']['weeks'][0]}-{manifest['holdout']['weeks'][1]},
  {holdout_metrics['holdoutGames']} games. Scored: {holdout_metrics['scoredGames']};
  excluded: {excluded}. `lowDataQuality` means fewer than
  {manifest['dataQualityThreshold'] * 100:.0f} % of the features present (the
  gateway would not predict), `noSpread` means no market line (no market
  baseline), `noElo` means the Elo feature is missing (no Elo baseline).
  Every model and baseline below is scored on the same {holdout_metrics['scoredGames']} games.

## Features

{len(features)} features in this order (the ONNX input columns):
{", ".join(f"`{name}`" for name in features)}.

The betting spread is never an input; it is only the market baseline.

## Training

- Ridge regression predicts the home margin (home minus away points); the
  XGBoost and MLP classifiers predict P(home win).
- Hyper-parameters by forward chaining inside the training seasons: each of
  {", ".join(str(s) for s in models['xgb_win']['validation']['validationSeasons'])}
  is predicted by a model trained on all earlier seasons; the lowest pooled
  RMSE (ridge) or log loss (classifiers) wins. The winners are refitted on all
  training seasons. Seeds are fixed.
- Missing values: XGBoost trains on every row and routes NaN down a learned
  branch. Ridge and MLP train on complete rows only. A median imputer fitted
  on those rows is inside their graphs, so a served row with a few missing
  values still gets a prediction. Scaling (StandardScaler) is inside the
  graphs too, so callers send raw float32 features.
- XGBoost has an increasing monotone constraint on `{manifest['eloFeature']}`.

{hyperparameters}

## Ensemble

- Ridge margin to probability: P = 1 / (1 + exp(-(a + b * margin))) with
  a = {mapping['intercept']:.4f}, b = {mapping['slope']:.4f} per point, fitted by maximum
  likelihood on the out-of-fold validation margins.
- Weights, chosen on a simplex grid to minimise validation log loss
  ({ensemble['validationLogLoss']:.4f}): XGBoost {weights['xgb_win']:.2f},
  MLP {weights['mlp_win']:.2f}, ridge-derived probability {weights['ridge_margin']:.2f}.
- The ensemble margin is the ridge margin.

## Holdout results

Probability of a home win ({holdout_metrics['scoredGames']} games):

{classification_table(holdout_metrics)}

Home margin:

{margin_table(holdout_metrics)}

Baselines, fitted on the training seasons:

- Market: home win when spread < 0 for accuracy; margin = -spread;
  probability = 1 / (1 + exp(-(a + b * (-spread)))) with a = {baselines['market']['intercept']:.4f},
  b = {baselines['market']['slope']:.4f} ({baselines['market']['games']} training games with a spread).
- Elo alone: logistic fit of home win on `{baselines['elo']['feature']}` (the gateway's own Elo
  difference, not the standard Elo formula), a = {baselines['elo']['intercept']:.4f},
  b = {baselines['elo']['slope']:.6f} per Elo point.
- Home team always wins: accuracy is the holdout home-win rate; the probability is the
  training home-win rate {baselines['homeAlwaysWins']['homeWinRate']:.4f} for every game
  (AUC 0.5 by construction).

## Against the market

{target_statement(holdout_metrics)}

![Ensemble calibration on the holdout](calibration.png)
"""


def read_predictions(path):
    """Read ``holdout_predictions.csv``; an empty exclusion reason means the game is scored."""
    table = pd.read_csv(path)
    table["excluded_reason"] = table["excluded_reason"].fillna("")
    return table


def write_report(metrics_path, predictions_path, out_dir):
    """Write ``MODEL_CARD.md`` and ``calibration.png`` into ``out_dir``."""
    out_dir = Path(out_dir)
    holdout_metrics = json.loads(Path(metrics_path).read_text())
    manifest = json.loads((out_dir / "manifest.json").read_text())
    table = read_predictions(predictions_path)
    plot_calibration(table, out_dir / "calibration.png")
    (out_dir / "MODEL_CARD.md").write_text(render_card(holdout_metrics, manifest))


def main(argv=None):
    """Rebuild the card from the files of a finished training run."""
    parser = argparse.ArgumentParser(description="Write MODEL_CARD.md and calibration.png from a training run.")
    parser.add_argument("--out", required=True, help="folder with metrics.json, manifest.json and holdout_predictions.csv")
    args = parser.parse_args(argv)
    out = Path(args.out)
    write_report(out / "metrics.json", out / "holdout_predictions.csv", out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
