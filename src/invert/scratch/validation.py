"""Cross-validation and learning curves from scratch: fit on some rows, score on others, repeat.

k-fold cross-validation cuts the rows into k consecutive folds, fits a fresh copy of the model on
k - 1 of them and scores it on the one left out, k times; the mean of the k scores estimates how
well the model does on rows it has not seen, and their spread shows how much one split's score
can mislead. A learning curve instead grows the training set and scores each model on the rows
it learned from and on a fixed test set, to show whether more data would still help.

The models are copied with scikit-learn's ``clone`` (a fresh, unfitted model with the same
parameters) and judged by their own ``score`` method (accuracy for a classifier, R² for a
regressor), exactly as ``cross_val_score`` and ``learning_curve`` do.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = ["cross_val_scores", "kfold_indices", "learning_curve_scores", "mean_and_standard_error"]


def kfold_indices(
    n_samples: int, n_splits: int
) -> Iterator[tuple[NDArray[np.intp], NDArray[np.intp]]]:
    """Yield (train, test) row positions for k-fold cross-validation, without shuffling.

    The rows are cut, in their order, into ``n_splits`` consecutive folds; the first
    ``n_samples % n_splits`` folds get one row more than the others. Each fold is the test set
    once, and the other rows are the training set. This is scikit-learn's
    ``KFold(n_splits, shuffle=False)``, fold for fold.

    Parameters
    ----------
    n_samples : int
        Number of rows.
    n_splits : int
        Number of folds, at least 2 and at most ``n_samples``.

    Yields
    ------
    train : ndarray of shape (n_samples - fold size,)
        Positions of the rows to fit on.
    test : ndarray of shape (fold size,)
        Positions of the rows to score on.

    Examples
    --------
    >>> [(train.tolist(), test.tolist()) for train, test in kfold_indices(5, 2)]
    [([3, 4], [0, 1, 2]), ([0, 1, 2], [3, 4])]
    """
    if not 2 <= n_splits <= n_samples:
        raise ValueError(f"n_splits must be between 2 and n_samples={n_samples}, got {n_splits}")
    indices = np.arange(n_samples)
    fold_sizes = np.full(n_splits, n_samples // n_splits)
    fold_sizes[: n_samples % n_splits] += 1  # the remainder goes to the first folds
    start = 0
    for size in fold_sizes:
        stop = start + size
        test = indices[start:stop]
        train = np.concatenate([indices[:start], indices[stop:]])  # every row not in the fold
        yield train, test
        start = stop


def cross_val_scores(
    estimator: Any, X: ArrayLike, y: ArrayLike, n_splits: int = 5
) -> NDArray[np.float64]:
    """Score a fresh copy of ``estimator`` on each of ``n_splits`` folds, trained on the rest.

    Identical to scikit-learn's ``cross_val_score(estimator, X, y, cv=KFold(n_splits))``: no
    shuffling, so shuffle the rows first (or use a split that did) if they are sorted by class.

    Parameters
    ----------
    estimator : a scikit-learn-compatible estimator (a scratch one will do)
        The model to evaluate; it is cloned for every fold and never fitted itself.
    X : array-like of shape (n_samples, n_features)
        Features.
    y : array-like of shape (n_samples,)
        Targets.
    n_splits : int, default=5
        Number of folds k.

    Returns
    -------
    scores : ndarray of shape (n_splits,)
        One score per fold, from ``estimator.score`` on the held-out rows.

    Examples
    --------
    >>> from invert.scratch.knn import KNeighborsClassifierScratch
    >>> X = np.array([[0.0], [1.0], [10.0], [11.0], [0.5], [10.5]])
    >>> y = np.array([0, 0, 1, 1, 0, 1])
    >>> cross_val_scores(KNeighborsClassifierScratch(n_neighbors=1), X, y, n_splits=3).tolist()
    [1.0, 1.0, 1.0]
    """
    from sklearn.base import clone

    X, y = np.asarray(X), np.asarray(y)
    scores = []
    for train, test in kfold_indices(len(y), n_splits):
        model = clone(estimator).fit(X[train], y[train])  # learn from the other k - 1 folds
        scores.append(model.score(X[test], y[test]))  # judge on the fold it never saw
    return np.array(scores, dtype=np.float64)


def mean_and_standard_error(scores: ArrayLike) -> tuple[float, float]:
    """The mean of k fold scores and its standard error, the spread of the scores over √k.

    The standard error treats the k scores as independent; the folds share training rows, so
    it understates the real uncertainty (Bengio and Grandvalet, 2004): read it as a lower bound.

    >>> mean, standard_error = mean_and_standard_error([0.90, 0.92, 0.94, 0.96, 0.98])
    >>> round(mean, 4), round(standard_error, 4)
    (0.94, 0.0141)
    """
    scores = np.asarray(scores, dtype=np.float64)
    k = len(scores)
    mean = float(np.sum(scores) / k)  # the cross-validation estimate: Σ_j S_j / k
    spread = float(np.std(scores, ddof=1))  # the sample standard deviation of the k scores
    return mean, spread / float(np.sqrt(k))


def learning_curve_scores(
    estimator: Any,
    X_train: ArrayLike,
    y_train: ArrayLike,
    X_test: ArrayLike,
    y_test: ArrayLike,
    sizes: Iterable[int],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Train on the first n training rows, for each n in ``sizes``; score on them and on the test.

    The same as scikit-learn's ``learning_curve`` given the single split (training rows, test
    rows), ``train_sizes=sizes`` as counts and ``shuffle=False``: it too trains on the first n
    rows of the training set. Shuffle the training rows first if their order means anything.

    Parameters
    ----------
    estimator : a scikit-learn-compatible estimator
        The model; cloned for every size.
    X_train, y_train : array-like
        The training rows the subsets are taken from, in order.
    X_test, y_test : array-like
        The fixed rows every model is tested on.
    sizes : iterable of int
        How many training rows each model learns from.

    Returns
    -------
    train_scores : ndarray of shape (len(sizes),)
        Each model's score on the rows it learned from.
    test_scores : ndarray of shape (len(sizes),)
        Each model's score on the test rows.

    Examples
    --------
    >>> from invert.scratch.knn import KNeighborsClassifierScratch
    >>> X = np.array([[0.0], [10.0], [1.0], [11.0], [2.0], [12.0]])
    >>> y = np.array([0, 1, 0, 1, 0, 1])
    >>> model = KNeighborsClassifierScratch(n_neighbors=1)
    >>> train, test = learning_curve_scores(model, X, y, [[0.5], [11.5]], [0, 1], [2, 6])
    >>> train.tolist(), test.tolist()
    ([1.0, 1.0], [1.0, 1.0])
    """
    from sklearn.base import clone

    X_train, y_train = np.asarray(X_train), np.asarray(y_train)
    X_test, y_test = np.asarray(X_test), np.asarray(y_test)
    train_scores, test_scores = [], []
    for n in sizes:
        model = clone(estimator).fit(X_train[:n], y_train[:n])  # learn from the first n rows
        train_scores.append(model.score(X_train[:n], y_train[:n]))  # on the rows it learned
        test_scores.append(model.score(X_test, y_test))  # on rows it never saw
    return np.array(train_scores, dtype=np.float64), np.array(test_scores, dtype=np.float64)
