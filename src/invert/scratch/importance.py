"""Permutation importance from scratch: shuffle one column of held-out rows, see the score drop.

A fitted model is scored on rows it did not learn from. Then one column is shuffled, which
keeps that column's values (its distribution) but cuts every link between them and the rest of
the row and the target; the model is scored again. The drop, averaged over several shuffles, is
how much this model relies on that column on these rows: a property of the model, not a
statement about what causes the target.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from invert.scratch.linear_regression import LinearRegressionNormal

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = ["permutation_importance", "permutation_importance_ours"]

N_REPEATS = 30  # shuffles per column in the card's comparison


def permutation_importance(
    model: Any, X: ArrayLike, y: ArrayLike, n_repeats: int = 5, seed: int = 0
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Mean and standard deviation, over `n_repeats` shuffles, of the score drop per column.

    `model` is already fitted; its `score(X, y)` is the score that drops (accuracy for a
    classifier, R² for a regressor). Pass held-out rows: on the training rows the drop also
    measures what the model memorised.

    >>> X = np.array([[0.0, 5.0], [1.0, 3.0], [2.0, 9.0], [3.0, 1.0], [4.0, 4.0]])
    >>> model = LinearRegressionNormal().fit(X, X[:, 0])  # the target is the first column
    >>> mean, _ = permutation_importance(model, X, X[:, 0], n_repeats=20)
    >>> bool(mean[0] > 0.5), abs(round(float(mean[1]), 6))
    (True, 0.0)
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    rng = np.random.default_rng(seed)
    baseline = model.score(X, y)
    drops = np.empty((X.shape[1], n_repeats))
    for column in range(X.shape[1]):
        for repeat in range(n_repeats):
            shuffled = X.copy()
            shuffled[:, column] = rng.permutation(X[:, column])  # this column only
            drops[column, repeat] = baseline - model.score(shuffled, y)
    return drops.mean(axis=1), drops.std(axis=1)


def permutation_importance_ours(
    X_train: ArrayLike, X_test: ArrayLike, y_train: ArrayLike, y_test: ArrayLike
) -> dict[str, float]:
    """Test-row permutation importance (drop in R²) of each column of a least-squares model."""
    model = LinearRegressionNormal().fit(X_train, y_train)
    mean, _ = permutation_importance(model, X_test, y_test, n_repeats=N_REPEATS, seed=0)
    return {f"column {j}: drop in test R²": float(drop) for j, drop in enumerate(mean)}
