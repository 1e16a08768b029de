"""The two sides of the decision-thresholds card: the cheapest threshold on out-of-fold scores of
the training rows, found by `invert.scratch.thresholds` and by a sweep over scikit-learn's
`roc_curve`, then the test cost of deciding at one half and at that threshold.

Calling convention as in `invert.kinds.theory.side_by_side`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Array = Any  # a NumPy array; NumPy itself is imported only when a function runs

__all__ = ["thresholds_ours", "thresholds_sklearn"]

MALIGNANT = 0  # breast_cancer's label for malignant: the positive class, the one not to miss
COST_FP = 1.0  # a benign mass sent for a biopsy it did not need
COST_FN = 5.0  # a malignant mass sent home: counted five times as bad (an assumption, not data)


def _scores(X_train: Array, X_test: Array, y_train: Array) -> tuple[Array, Array]:
    """Probabilities of malignant: out of fold for the training rows (each predicted by a model
    that did not see it, so the threshold is not tuned on fitted rows), and from a model fitted
    on all training rows for the test rows."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    model = LogisticRegression(max_iter=1000)
    column = sorted(set(y_train)).index(MALIGNANT)
    train = cross_val_predict(model, X_train, y_train, cv=5, method="predict_proba")[:, column]
    test = model.fit(X_train, y_train).predict_proba(X_test)[:, column]
    return train, test


def _summary(
    threshold: float, cost: Callable[[float], float], calibrated: float
) -> dict[str, float]:
    return {
        "threshold chosen on the training rows": threshold,
        "threshold from the costs alone, if calibrated": calibrated,
        "test cost, threshold one half": cost(0.5),
        "test cost, chosen threshold": cost(threshold),
    }


def thresholds_ours(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """Try every distinct out-of-fold score as the threshold and keep the cheapest."""
    from invert.scratch.thresholds import bayes_threshold, cheapest_threshold, total_cost

    train, test = _scores(X_train, X_test, y_train)
    threshold = cheapest_threshold(y_train, train, COST_FP, COST_FN, positive=MALIGNANT)

    def cost(t: float) -> float:
        return total_cost(y_test, test, t, COST_FP, COST_FN, positive=MALIGNANT)

    return _summary(threshold, cost, bayes_threshold(COST_FP, COST_FN))


def thresholds_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same sweep read off scikit-learn's `roc_curve`: at each threshold the false alarms are
    the false-positive rate times the negatives, the misses one minus the true-positive rate times
    the positives."""
    import numpy as np
    from sklearn.metrics import confusion_matrix, roc_curve

    train, test = _scores(X_train, X_test, y_train)
    actual = np.asarray(y_train) == MALIGNANT
    fpr, tpr, cuts = roc_curve(actual, train, drop_intermediate=False)
    costs = COST_FP * fpr * np.sum(~actual) + COST_FN * (1 - tpr) * np.sum(actual)
    # roc_curve lists thresholds from the highest down (the first is +inf, flagging nothing);
    # among equal costs keep the lowest threshold, as the scratch side does.
    best = np.flatnonzero(np.isclose(costs, costs.min()))[-1]
    is_malignant = np.asarray(y_test) == MALIGNANT

    def cost(t: float) -> float:
        # Rows: true benign, malignant; columns: flagged or not (labels False, True).
        matrix = confusion_matrix(is_malignant, test >= t, labels=[False, True])
        return float(COST_FP * matrix[0, 1] + COST_FN * matrix[1, 0])

    return _summary(float(cuts[best]), cost, COST_FP / (COST_FP + COST_FN))
