"""Validation splits that respect how the rows were made: whole groups, and the order of time.

Plain k-fold treats every row as a separate draw. When rows come in groups (three scans of one
patient, the houses of one neighbourhood) a group split keeps each group on one side, so the
score is for groups the model has never met. When rows are ordered in time a forward split
trains on the past and tests on what came after, as the model will be used.

Both return row positions exactly as scikit-learn's ``GroupKFold`` and ``TimeSeriesSplit`` do.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = ["forward_indices", "group_kfold_indices", "scores_on_splits"]


def group_kfold_indices(
    groups: ArrayLike, n_splits: int
) -> Iterator[tuple[NDArray[np.intp], NDArray[np.intp]]]:
    """Yield (train, test) row positions with every group wholly on one side.

    Groups are dealt out largest first, each to the fold that holds the fewest rows so far, so
    the folds come out about equal in rows. This is scikit-learn's ``GroupKFold(n_splits)``
    (without shuffling), fold for fold, ties included.

    Parameters
    ----------
    groups : array-like of shape (n_samples,)
        The group label of each row.
    n_splits : int
        Number of folds, at least 2 and at most the number of groups.

    Yields
    ------
    train, test : ndarray
        Positions of the rows to fit on and to score on; no group is in both.

    Examples
    --------
    >>> [test.tolist() for _, test in group_kfold_indices(["a", "a", "b", "c", "c", "c"], 2)]
    [[3, 4, 5], [0, 1, 2]]
    """
    groups = np.asarray(groups)
    labels, group_of_row = np.unique(groups, return_inverse=True)
    if not 2 <= n_splits <= len(labels):
        raise ValueError(f"n_splits must be between 2 and {len(labels)} groups, got {n_splits}")
    sizes = np.bincount(group_of_row)
    order = np.argsort(sizes, kind="stable")[::-1]  # the largest groups are placed first
    rows_in_fold = np.zeros(n_splits)
    fold_of_group = np.zeros(len(labels), dtype=np.intp)
    for g in order:
        lightest = int(np.argmin(rows_in_fold))  # the fold with the fewest rows so far
        fold_of_group[g] = lightest
        rows_in_fold[lightest] += sizes[g]
    fold_of_row = fold_of_group[group_of_row]  # a row goes wherever its group went
    for fold in range(n_splits):
        yield np.flatnonzero(fold_of_row != fold), np.flatnonzero(fold_of_row == fold)


def forward_indices(
    n_samples: int, n_splits: int
) -> Iterator[tuple[NDArray[np.intp], NDArray[np.intp]]]:
    """Yield (train, test) positions that always train on earlier rows and test on later ones.

    The rows must be in time order. The last ``n_splits`` blocks of ``n_samples // (n_splits +
    1)`` rows are the test sets, oldest first; each trains on every row before its block, so the
    training set grows from split to split. This is scikit-learn's ``TimeSeriesSplit(n_splits)``.

    Examples
    --------
    >>> [(train.tolist(), test.tolist()) for train, test in forward_indices(8, 3)]
    [([0, 1], [2, 3]), ([0, 1, 2, 3], [4, 5]), ([0, 1, 2, 3, 4, 5], [6, 7])]
    """
    size = n_samples // (n_splits + 1)
    if n_splits < 2 or size < 1:
        raise ValueError(f"cannot make {n_splits} forward splits of {n_samples} rows")
    indices = np.arange(n_samples)
    for start in range(n_samples - n_splits * size, n_samples, size):
        train = indices[:start]  # only the past: nothing from the test block or after it
        test = indices[start : start + size]
        yield train, test


def scores_on_splits(
    estimator: Any,
    X: ArrayLike,
    y: ArrayLike,
    splits: Iterable[tuple[NDArray[np.intp], NDArray[np.intp]]],
) -> NDArray[np.float64]:
    """Fit a fresh copy of ``estimator`` on each split's training rows; score it on its test rows.

    ``cross_val_score(estimator, X, y, cv=splits)`` for any list of (train, test) positions.

    >>> from invert.scratch.knn import KNeighborsClassifierScratch
    >>> X, y = np.array([[0.0], [1.0], [10.0], [11.0]]), np.array([0, 0, 1, 1])
    >>> model = KNeighborsClassifierScratch(n_neighbors=1)
    >>> scores_on_splits(model, X, y, group_kfold_indices([0, 1, 0, 1], 2)).tolist()
    [1.0, 1.0]
    """
    from sklearn.base import clone

    X, y = np.asarray(X), np.asarray(y)
    scores = []
    for train, test in splits:
        model = clone(estimator).fit(X[train], y[train])  # nothing from the test rows
        scores.append(model.score(X[test], y[test]))
    return np.array(scores, dtype=np.float64)
