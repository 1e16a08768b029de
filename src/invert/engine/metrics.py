"""The metrics an experiment can measure, by name; their directions are known without sklearn."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# name -> (higher is better, needs class probabilities)
METRICS: dict[str, tuple[bool, bool]] = {
    "accuracy": (True, False),
    "balanced_accuracy": (True, False),
    "recall": (True, False),
    "precision": (True, False),
    "f1": (True, False),
    "roc_auc": (True, True),
    "log_loss": (False, True),
    "r2": (True, False),
    "mae": (False, False),
    "rmse": (False, False),
}


def greater_is_better(metric: str) -> bool:
    return METRICS[metric][0]


def needs_proba(metric: str) -> bool:
    return METRICS[metric][1]


def metric_function(metric: str, positive: Any = None) -> Callable[..., float]:
    """score(y_true, y_pred_or_proba, classes) for a metric name (imports scikit-learn)."""
    from sklearn import metrics as m

    def with_positive(function: Callable[..., float], **extra: Any) -> Callable[..., float]:
        def score(y_true: Any, y_pred: Any, classes: Any) -> float:
            return float(function(y_true, y_pred, pos_label=positive, **extra))

        return score

    def plain(function: Callable[..., float]) -> Callable[..., float]:
        return lambda y_true, y_pred, classes: float(function(y_true, y_pred))

    if metric == "roc_auc":

        def roc_auc(y_true: Any, proba: Any, classes: Any) -> float:
            if proba.shape[1] == 2:
                column = list(classes).index(positive) if positive is not None else 1
                return float(m.roc_auc_score(y_true == classes[column], proba[:, column]))
            return float(m.roc_auc_score(y_true, proba, multi_class="ovr", labels=classes))

        return roc_auc
    if metric == "log_loss":
        return lambda y_true, proba, classes: float(m.log_loss(y_true, proba, labels=classes))
    if metric == "recall":
        return with_positive(m.recall_score)
    if metric == "precision":
        return with_positive(m.precision_score, zero_division=0)
    if metric == "f1":
        return with_positive(m.f1_score, zero_division=0)
    table = {
        "accuracy": m.accuracy_score,
        "balanced_accuracy": m.balanced_accuracy_score,
        "r2": m.r2_score,
        "mae": m.mean_absolute_error,
        "rmse": m.root_mean_squared_error,
    }
    return plain(table[metric])
