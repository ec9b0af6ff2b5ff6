"""Metric functions and the logistic mapping from a score to a probability.

Probabilities are of a home win; margins are home minus away points.
"""

import numpy as np

# Probabilities are clipped to [EPS, 1 - EPS] in log loss so that a confident
# wrong prediction costs a large finite amount rather than infinity.
EPS = 1e-15


def accuracy(y, p):
    """Return the share of games where ``p > 0.5`` matches ``y`` (a tie at 0.5 predicts away)."""
    y = np.asarray(y)
    return float(np.mean((np.asarray(p) > 0.5).astype(int) == y))


def brier(y, p):
    """Return the mean squared difference between probability and outcome."""
    return float(np.mean((np.asarray(p, dtype=float) - np.asarray(y, dtype=float)) ** 2))


def log_loss(y, p):
    """Return the mean negative log-likelihood in nats."""
    y = np.asarray(y, dtype=float)
    p = np.clip(np.asarray(p, dtype=float), EPS, 1 - EPS)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def auc(y, score):
    """Return the ROC AUC by the rank-sum formula; tied scores count one half."""
    y = np.asarray(y).astype(bool)
    score = np.asarray(score, dtype=float)
    positives = int(y.sum())
    negatives = len(y) - positives
    if positives == 0 or negatives == 0:
        raise ValueError("AUC needs both outcomes in y")

    order = np.argsort(score, kind="mergesort")
    ranks = np.empty(len(score))
    sorted_scores = score[order]
    start = 0
    while start < len(score):
        end = start
        while end + 1 < len(score) and sorted_scores[end + 1] == sorted_scores[start]:
            end += 1
        ranks[order[start : end + 1]] = (start + end) / 2 + 1
        start = end + 1

    return float((ranks[y].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def mae(actual, predicted):
    """Return the mean absolute error."""
    return float(np.mean(np.abs(np.asarray(actual, dtype=float) - np.asarray(predicted, dtype=float))))


def rmse(actual, predicted):
    """Return the root mean squared error."""
    diff = np.asarray(actual, dtype=float) - np.asarray(predicted, dtype=float)
    return float(np.sqrt(np.mean(diff**2)))


def logistic(a, b, x):
    """Return ``1 / (1 + exp(-(a + b * x)))``."""
    return 1.0 / (1.0 + np.exp(-(a + b * np.asarray(x, dtype=float))))


def fit_logistic(x, y, max_iter=100, tol=1e-10):
    """Fit ``P(y = 1) = logistic(a + b * x)`` by maximum likelihood (Newton's method).

    Returns ``(a, b)``. Raises ``ValueError`` when the data are separable or
    degenerate, because then the estimate does not exist.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    design = np.column_stack([np.ones_like(x), x])
    coef = np.zeros(2)

    for _ in range(max_iter):
        p = logistic(coef[0], coef[1], x)
        gradient = design.T @ (y - p)
        hessian = design.T @ (design * (p * (1 - p))[:, None])
        try:
            step = np.linalg.solve(hessian, gradient)
        except np.linalg.LinAlgError as error:
            raise ValueError("logistic fit failed: singular Hessian (constant x or y?)") from error
        coef = coef + step
        if np.max(np.abs(step)) < tol:
            return float(coef[0]), float(coef[1])

    raise ValueError(f"logistic fit did not converge in {max_iter} iterations (separable data?)")


def classification_metrics(y, p):
    """Return accuracy, Brier score, log loss and AUC of probabilities ``p``."""
    return {
        "accuracy": accuracy(y, p),
        "brier": brier(y, p),
        "logLoss": log_loss(y, p),
        "auc": auc(y, p) if np.ptp(np.asarray(p, dtype=float)) > 0 else 0.5,
    }


def margin_metrics(actual, predicted):
    """Return MAE and RMSE of predicted margins, in points."""
    return {"mae": mae(actual, predicted), "rmse": rmse(actual, predicted)}
