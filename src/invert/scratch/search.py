"""Choosing settings by cross-validation, and judging the choice with an outer loop (nested CV).

A grid search scores every candidate setting by k-fold cross-validation on the rows it is given
and keeps the one with the best mean. That best mean is flattered: it won because it was high,
partly by luck. Nested cross-validation runs the whole search again inside each outer training
set and scores the chosen model on the outer fold, which the search never saw.

The same arithmetic as scikit-learn's ``GridSearchCV`` (unshuffled ``KFold``, the first of tied
candidates wins, the winner refitted on all the rows) and ``cross_val_score`` around it.
"""

from __future__ import annotations

from itertools import product
from typing import TYPE_CHECKING, Any

import numpy as np

from invert.scratch.validation import cross_val_scores, kfold_indices

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = ["grid_search", "nested_cv_scores"]


def _candidates(grid: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Every combination of the grid's values, in GridSearchCV's order (names sorted)."""
    names = sorted(grid)
    return [dict(zip(names, values, strict=True)) for values in product(*(grid[n] for n in names))]


def grid_search(
    estimator: Any, grid: dict[str, list[Any]], X: ArrayLike, y: ArrayLike, n_splits: int = 5
) -> tuple[dict[str, Any], NDArray[np.float64], Any]:
    """Score every candidate by k-fold cross-validation; refit the best on all the rows.

    Returns
    -------
    best : dict
        The winning setting (the first one on a tie), as ``best_params_``.
    means : ndarray of shape (n_candidates,)
        Each candidate's mean fold score, as ``cv_results_["mean_test_score"]``.
    model : estimator
        A fresh copy with the winning setting, fitted on all of ``X``.

    Examples
    --------
    >>> from invert.scratch.knn import KNeighborsClassifierScratch
    >>> X = np.array([[0.0], [1.0], [10.0], [11.0], [0.5], [10.5]])
    >>> y = np.array([0, 0, 1, 1, 0, 1])
    >>> grid = {"n_neighbors": [1, 3]}
    >>> best, means, _ = grid_search(KNeighborsClassifierScratch(), grid, X, y, 3)
    >>> best, means.tolist()
    ({'n_neighbors': 1}, [1.0, 0.3333333333333333])
    """
    from sklearn.base import clone

    X, y = np.asarray(X), np.asarray(y)
    candidates = _candidates(grid)
    means = np.array(
        [
            np.mean(cross_val_scores(clone(estimator).set_params(**c), X, y, n_splits))
            for c in candidates
        ]
    )
    best = candidates[int(np.argmax(means))]  # argmax keeps the first of equal means
    model = clone(estimator).set_params(**best).fit(X, y)  # refit the winner on every row
    return best, means, model


def nested_cv_scores(
    estimator: Any,
    grid: dict[str, list[Any]],
    X: ArrayLike,
    y: ArrayLike,
    outer_splits: int = 5,
    inner_splits: int = 3,
) -> NDArray[np.float64]:
    """Score the whole search on outer folds it never saw: the number to report.

    For each outer fold, the grid search runs on the other outer folds only (cut again into
    ``inner_splits``), and the model it refits is scored on the held-out fold. The same as
    ``cross_val_score(GridSearchCV(estimator, grid, cv=KFold(inner)), X, y, cv=KFold(outer))``.

    Examples
    --------
    >>> from invert.scratch.knn import KNeighborsClassifierScratch
    >>> X = np.array([[0.0], [1.0], [10.0], [11.0], [0.5], [10.5], [0.2], [10.2], [0.7]])
    >>> y = np.array([0, 0, 1, 1, 0, 1, 0, 1, 0])
    >>> grid = {"n_neighbors": [1, 3]}
    >>> nested_cv_scores(KNeighborsClassifierScratch(), grid, X, y, 3, 2).tolist()
    [1.0, 1.0, 1.0]
    """
    X, y = np.asarray(X), np.asarray(y)
    scores = []
    for train, test in kfold_indices(len(y), outer_splits):
        _, _, model = grid_search(estimator, grid, X[train], y[train], inner_splits)
        scores.append(model.score(X[test], y[test]))  # the search never saw these rows
    return np.array(scores, dtype=np.float64)
