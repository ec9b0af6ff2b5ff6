"""Metric functions and the logistic fit on small hand-made arrays."""

import math

import numpy as np
import pytest

from training import metrics, models


def test_accuracy_thresholdAtHalf():
    # 0.5 is an away pick, so only the first two and the last are right.
    assert metrics.accuracy([1, 0, 1, 0], [0.9, 0.2, 0.5, 0.6]) == pytest.approx(0.5)
    assert metrics.accuracy([1, 0, 0], [0.9, 0.2, 0.5]) == pytest.approx(1.0)


def test_brier_handComputed():
    # (0.1^2 + 0.2^2 + 0.5^2) / 3 = 0.3 / 3
    assert metrics.brier([1, 0, 1], [0.9, 0.2, 0.5]) == pytest.approx(0.1)


def test_logLoss_handComputed():
    expected = -(math.log(0.8) + math.log(0.6)) / 2
    assert metrics.log_loss([1, 0], [0.8, 0.4]) == pytest.approx(expected)


def test_logLoss_clipsCertainMistake():
    loss = metrics.log_loss([1], [0.0])
    assert math.isfinite(loss)
    assert loss == pytest.approx(-math.log(metrics.EPS))


def test_auc_perfectAndReversed():
    assert metrics.auc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]) == pytest.approx(1.0)
    assert metrics.auc([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1]) == pytest.approx(0.0)


def test_auc_tiesCountHalf():
    # Pairs (positive, negative): (0.5, 0.5) tie = 0.5, (0.5, 0.1) win,
    # (0.9, 0.5) win, (0.9, 0.1) win: 3.5 / 4.
    assert metrics.auc([1, 0, 1, 0], [0.5, 0.5, 0.9, 0.1]) == pytest.approx(0.875)


def test_auc_oneClass_raises():
    with pytest.raises(ValueError, match="both outcomes"):
        metrics.auc([1, 1], [0.2, 0.3])


def test_marginMetrics_handComputed():
    result = metrics.margin_metrics([10, -3, 7], [7, 1, 7])
    assert result["mae"] == pytest.approx(7 / 3)
    assert result["rmse"] == pytest.approx(math.sqrt(25 / 3))


def test_fitLogistic_symmetricData_zeroIntercept():
    x = np.array([-2.0, -1.0, -1.0, 1.0, 1.0, 2.0])
    y = np.array([0, 0, 1, 0, 1, 1])
    a, b = metrics.fit_logistic(x, y)
    assert a == pytest.approx(0.0, abs=1e-9)
    assert b > 0


def test_fitLogistic_scoreEquationsHold():
    # At the maximum-likelihood estimate the residuals sum to zero and are
    # orthogonal to x.
    x = np.array([-14.0, -7.0, -3.0, 0.0, 2.0, 3.0, 7.0, 10.0, 21.0])
    y = np.array([0, 0, 1, 0, 1, 0, 1, 1, 1])
    a, b = metrics.fit_logistic(x, y)
    residual = y - metrics.logistic(a, b, x)
    assert residual.sum() == pytest.approx(0.0, abs=1e-8)
    assert (residual * x).sum() == pytest.approx(0.0, abs=1e-8)
    assert b > 0


def test_fitLogistic_knownProportions():
    # Two groups with win rates 1/4 and 3/4 give a = logit(1/4), b = logit(3/4) - logit(1/4).
    x = np.array([0.0] * 4 + [1.0] * 4)
    y = np.array([1, 0, 0, 0, 1, 1, 1, 0])
    a, b = metrics.fit_logistic(x, y)
    assert a == pytest.approx(math.log(1 / 3))
    assert b == pytest.approx(2 * math.log(3))


def test_fitLogistic_separable_raises():
    with pytest.raises(ValueError):
        metrics.fit_logistic([-2.0, -1.0, 1.0, 2.0], [0, 0, 1, 1])


def test_simplexGrid_weightsSumToOne():
    grid = models.simplex_grid(3, 0.25)
    assert len(grid) == 15
    assert np.allclose(grid.sum(axis=1), 1.0)
    assert (grid >= 0).all()


def test_ensembleWeights_pickBetterModel():
    y = np.array([1, 0, 1, 0, 1, 1])
    good = np.array([0.9, 0.1, 0.8, 0.2, 0.7, 0.9])
    poor = np.array([0.4, 0.6, 0.5, 0.5, 0.3, 0.5])
    weights, loss = models.fit_ensemble_weights(np.column_stack([poor, good]), y, step=0.1)
    assert weights.tolist() == pytest.approx([0.0, 1.0])
    assert loss == pytest.approx(metrics.log_loss(y, good))
