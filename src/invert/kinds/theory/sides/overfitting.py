"""The two sides of the overfitting card: a validation curve over a tree's depth.

Both sides take the card's split, ``f(X_train, X_test, y_train, y_test)``, cut the training rows
into the same five unshuffled folds and fit the same scikit-learn tree at each depth; ours
loops by hand (`invert.scratch.complexity`), scikit-learn's is `validation_curve`. Heavy imports
happen inside the functions.
"""

from __future__ import annotations

from typing import Any

Array = Any  # a NumPy array; NumPy itself is imported only when a function runs

__all__ = ["overfitting_ours", "overfitting_sklearn"]

DEPTHS = (1, 2, 3, 5, 8, 12)  # from a stump to a tree deep enough to fit every training row
N_FOLDS = 5


def _tree() -> Any:
    from sklearn.tree import DecisionTreeClassifier

    return DecisionTreeClassifier(random_state=0)


def _summary(train: Array, test: Array) -> dict[str, float]:
    result: dict[str, float] = {}
    for depth, train_score, test_score in zip(DEPTHS, train, test, strict=True):
        result[f"training accuracy, depth {depth}"] = float(train_score)
        result[f"held-out accuracy, depth {depth}"] = float(test_score)
    return result


def overfitting_ours(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """Mean training and held-out fold accuracy at each depth, with our validation curve."""
    from invert.scratch.complexity import validation_curve_scores

    train, test = validation_curve_scores(_tree(), X_train, y_train, "max_depth", DEPTHS, N_FOLDS)
    return _summary(train, test)


def overfitting_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same with scikit-learn's `validation_curve` and `KFold` (no shuffling)."""
    from sklearn.model_selection import KFold, validation_curve

    train, test = validation_curve(
        _tree(), X_train, y_train, param_name="max_depth", param_range=DEPTHS, cv=KFold(N_FOLDS)
    )
    return _summary(train.mean(axis=1), test.mean(axis=1))
