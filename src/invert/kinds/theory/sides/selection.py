"""Univariate feature selection, both sides: ANOVA F scores of the 30 breast-mass measurements
and the five kept. Everything heavy is imported inside the functions."""

from __future__ import annotations

from typing import Any

Array = Any

__all__ = ["selection_ours", "selection_sklearn"]

K = 5


def _summary(scores: Array, kept: Array) -> dict[str, float]:
    import numpy as np

    order = np.argsort(-np.asarray(scores), kind="stable")
    result: dict[str, float] = {}
    for rank, feature in enumerate(order[:K], start=1):
        result[f"rank {rank}: feature number"] = float(feature + 1)
        result[f"rank {rank}: F"] = float(scores[feature])
    result["smallest F (the weakest measurement)"] = float(np.min(scores))
    result["features kept, numbers summed"] = float(np.sum(np.asarray(kept) + 1))
    return result


def selection_ours(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """`SelectKBestScratch(k=5)` on the training rows: its F scores and kept features."""
    from invert.scratch.selection import SelectKBestScratch

    selector = SelectKBestScratch(k=K).fit(X_train, y_train)
    return _summary(selector.scores_, selector.support_)


def selection_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same with scikit-learn's `SelectKBest(f_classif, k=5)`."""
    from sklearn.feature_selection import SelectKBest, f_classif

    selector = SelectKBest(f_classif, k=K).fit(X_train, y_train)
    return _summary(selector.scores_, selector.get_support(indices=True))
