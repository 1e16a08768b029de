"""A validation curve from scratch: training and held-out scores as one setting of a model grows.

For each value of the setting (a tree's depth, say), fit a fresh copy of the model on k - 1
folds and score it on the rows it learned from and on the fold left out, k times, and average.
The training score measures how well the model can follow its rows; the held-out score how well
what it learned carries over. Overfitting is the widening gap between the two.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

from invert.scratch.validation import kfold_indices

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = ["validation_curve_scores"]


def validation_curve_scores(
    estimator: Any,
    X: ArrayLike,
    y: ArrayLike,
    param_name: str,
    values: Iterable[Any],
    n_splits: int = 5,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Mean training and held-out scores over k unshuffled folds, one pair per setting value.

    Returns two arrays of the same length as `values`: the training scores and the test scores.
    """
    from sklearn.base import clone

    X, y = np.asarray(X), np.asarray(y)
    train_means, test_means = [], []
    for value in values:
        train_scores, test_scores = [], []
        for train, test in kfold_indices(len(y), n_splits):
            model = clone(estimator).set_params(**{param_name: value})
            model.fit(X[train], y[train])
            train_scores.append(model.score(X[train], y[train]))  # how well it follows its rows
            test_scores.append(model.score(X[test], y[test]))  # how well that carries over
        train_means.append(np.mean(train_scores))
        test_means.append(np.mean(test_scores))
    return np.array(train_means), np.array(test_means)
