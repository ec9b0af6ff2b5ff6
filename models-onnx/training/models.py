"""Model builders, forward-chaining hyper-parameter search and ensemble weights.

Missing values: XGBoost learns a default branch for NaN, so it trains on every
row. Ridge and the MLP train on complete rows only. Their pipelines start
with a median ``SimpleImputer`` fitted on those rows, so the exported graph
still accepts a row with a few NaN, because the gateway serves rows with at
least 95 % of the features present.
"""

import itertools
import warnings

import numpy as np
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits
from xgboost import XGBClassifier

from . import metrics

RANDOM_STATE = 42


def build_ridge(params):
    """Return an imputer, scaler and ridge regression pipeline for the home margin."""
    return Pipeline(
        [
            ("impute", SimpleImputer(strategy="median")),
            ("scale", StandardScaler()),
            ("ridge", Ridge(alpha=params["alpha"])),
        ]
    )


def build_mlp(params):
    """Return an imputer, scaler and MLP classifier pipeline for the home win."""
    return Pipeline(
        [
            ("impute", SimpleImputer(strategy="median")),
            ("scale", StandardScaler()),
            (
                "mlp",
                MLPClassifier(
                    hidden_layer_sizes=tuple(params["hidden_layer_sizes"]),
                    alpha=params["alpha"],
                    solver="lbfgs",
                    max_iter=params["max_iter"],
                    random_state=RANDOM_STATE,
                ),
            ),
        ]
    )


def build_xgb(params, n_features, elo_index):
    """Return an XGBoost classifier for the home win.

    The Elo-difference feature gets an increasing monotone constraint, so a
    larger home Elo edge can never lower the predicted home-win probability.
    """
    constraints = [0] * n_features
    constraints[elo_index] = 1
    return XGBClassifier(
        n_estimators=params["n_estimators"],
        max_depth=params["max_depth"],
        learning_rate=params["learning_rate"],
        min_child_weight=params["min_child_weight"],
        subsample=params["subsample"],
        colsample_bytree=params["colsample_bytree"],
        reg_lambda=params["reg_lambda"],
        monotone_constraints=tuple(constraints),
        objective="binary:logistic",
        eval_metric="logloss",
        tree_method="hist",
        n_jobs=2,
        random_state=RANDOM_STATE,
    )


def expand_grid(grid):
    """Return every combination of a ``{name: [values]}`` grid as a list of dicts."""
    names = sorted(grid)
    return [dict(zip(names, values)) for values in itertools.product(*(grid[n] for n in names))]


def complete_mask(x):
    """Return a boolean mask of rows with no NaN."""
    return ~np.isnan(x).any(axis=1)


def fit_model(kind, params, x, frame, elo_index):
    """Fit one model of ``kind`` (``ridge``, ``xgb`` or ``mlp``) on float32 features ``x``."""
    if kind == "xgb":
        model = build_xgb(params, x.shape[1], elo_index)
        return model.fit(x, frame["home_win"].to_numpy())

    complete = complete_mask(x)
    # One BLAS thread: on matrices this small, threads cost far more than they
    # save (an MLP fit measured about 30 times slower with the default pool).
    with threadpool_limits(limits=1, user_api="blas"), warnings.catch_warnings():
        # lbfgs stopping at max_iter is intended: max_iter is a tuned limit.
        warnings.simplefilter("ignore", ConvergenceWarning)
        if kind == "ridge":
            return build_ridge(params).fit(x[complete], frame["margin"].to_numpy()[complete])
        if kind == "mlp":
            return build_mlp(params).fit(x[complete], frame["home_win"].to_numpy()[complete])
    raise ValueError(f"unknown model kind {kind!r}")


def predict_model(kind, model, x):
    """Return the ridge margin, or the home-win probability of a classifier."""
    if kind == "ridge":
        return model.predict(x).astype(np.float64)
    return model.predict_proba(x)[:, 1].astype(np.float64)


def validation_score(kind, y_margin, y_win, prediction):
    """Return the selection loss: RMSE for ridge, log loss for classifiers."""
    if kind == "ridge":
        return metrics.rmse(y_margin, prediction)
    return metrics.log_loss(y_win, prediction)


def forward_chain(kind, grid, frame, x, elo_index, validation_seasons):
    """Pick hyper-parameters by forward chaining inside the training seasons.

    Each validation season is predicted by a model trained on all earlier
    seasons; the candidate with the lowest pooled loss wins. Returns
    ``(best_params, scores, out_of_fold)`` where ``out_of_fold`` contains the best
    candidate's predictions for the validation rows, in frame order.
    """
    seasons = frame["season"].to_numpy()
    validation = np.isin(seasons, validation_seasons)
    scores = []
    best = None

    for params in expand_grid(grid):
        prediction = np.full(len(frame), np.nan)
        for season in validation_seasons:
            train = seasons < season
            test = seasons == season
            model = fit_model(kind, params, x[train], frame[train], elo_index)
            prediction[test] = predict_model(kind, model, x[test])

        score = validation_score(
            kind,
            frame["margin"].to_numpy()[validation],
            frame["home_win"].to_numpy()[validation],
            prediction[validation],
        )
        scores.append({"params": params, "score": score})
        if best is None or score < best[1]:
            best = (params, score, prediction[validation])

    return best[0], scores, best[2]


def simplex_grid(n_components, step):
    """Return every weight vector on the simplex with the given step size."""
    ticks = int(round(1 / step))
    weights = []
    for combo in itertools.product(range(ticks + 1), repeat=n_components - 1):
        if sum(combo) <= ticks:
            weights.append([c / ticks for c in combo] + [(ticks - sum(combo)) / ticks])
    return np.array(weights)


def fit_ensemble_weights(probabilities, y, step=0.05):
    """Return the simplex weights (one per column) that minimise log loss.

    ``probabilities`` is an ``[n, k]`` array of home-win probabilities of
    ``k`` models on validation rows.
    """
    best_weights = None
    best_loss = np.inf
    for weights in simplex_grid(probabilities.shape[1], step):
        loss = metrics.log_loss(y, probabilities @ weights)
        if loss < best_loss - 1e-12:
            best_weights, best_loss = weights, loss
    return best_weights, best_loss
