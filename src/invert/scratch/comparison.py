"""How much of a score is luck: the spread over random seeds, and two models compared fold by fold.

Changing the seed changes which rows land in which fold and how a random model is grown; the
spread of the cross-validated mean over seeds shows how much one run's number can move. Two
models scored on the same folds share each fold's luck (an easy fold is easy for both), so the
question "is A better than B" is answered by the k differences A - B, fold by fold: their mean,
and their spread divided by the square root of k. Because the training sets overlap, that
standard error is optimistic; Nadeau and Bengio's correction replaces the variance of the mean,
s²/k, by (1/k + n_test/n_train) * s², a heuristic that widens it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from invert.scratch.validation import kfold_indices

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = ["paired_difference", "seed_spread"]


def paired_difference(
    scores_a: ArrayLike, scores_b: ArrayLike, n_train: int, n_test: int
) -> tuple[float, float, float]:
    """The mean of the per-fold differences a - b, its standard error, and the corrected one.

    ``scores_a`` and ``scores_b`` must come from the same folds, in the same order.

    Returns
    -------
    mean : float
        The mean difference, the same as the difference of the two means.
    standard_error : float
        The differences' sample standard deviation over the square root of k, as if the k
        differences were independent (the paired t-test's denominator).
    corrected : float
        Nadeau and Bengio's corrected standard error, the square root of
        ``(1/k + n_test/n_train) * s²``, which allows for the overlap of the training sets.

    Examples
    --------
    >>> mean, se, corrected = paired_difference([0.9, 0.8, 0.7], [0.88, 0.77, 0.69], 20, 10)
    >>> round(mean, 4), round(se, 4), round(corrected, 4)
    (0.02, 0.0058, 0.0091)
    """
    d = np.asarray(scores_a, dtype=np.float64) - np.asarray(scores_b, dtype=np.float64)
    k = len(d)
    mean = float(np.sum(d) / k)  # the mean of the differences, fold by fold
    s2 = float(np.sum((d - mean) ** 2) / (k - 1))  # their sample variance
    standard_error = float(np.sqrt(s2 / k))  # treats the k differences as independent
    corrected = float(np.sqrt((1 / k + n_test / n_train) * s2))  # allows for shared rows
    return mean, standard_error, corrected


def seed_spread(
    make_model: Any, X: ArrayLike, y: ArrayLike, seeds: list[int], n_splits: int = 5
) -> NDArray[np.float64]:
    """The cross-validated mean score for each seed; the seed shuffles the rows and seeds the model.

    For each seed the rows are shuffled with NumPy's legacy generator seeded with it (as
    ``KFold(shuffle=True, random_state=seed)`` does), cut into ``n_splits`` consecutive folds,
    and ``make_model(seed)`` is fitted on each training part. Returns one mean per seed: their
    spread is how much a single run's reported number depends on the seed.

    Examples
    --------
    >>> from invert.scratch.knn import KNeighborsClassifierScratch
    >>> X = np.array([[0.0], [1.0], [10.0], [11.0], [0.5], [10.5]])
    >>> y = np.array([0, 0, 1, 1, 0, 1])
    >>> seed_spread(lambda s: KNeighborsClassifierScratch(n_neighbors=1), X, y, [0, 1], 3).tolist()
    [1.0, 1.0]
    """
    X, y = np.asarray(X), np.asarray(y)
    means = []
    for seed in seeds:
        order = np.random.RandomState(seed).permutation(len(y))  # this seed's order of the rows
        scores = []
        for train, test in kfold_indices(len(y), n_splits):
            fit_rows = np.sort(order[train])  # in file order, as scikit-learn passes them
            model = make_model(seed).fit(X[fit_rows], y[fit_rows])
            scores.append(model.score(X[order[test]], y[order[test]]))
        means.append(np.mean(scores))
    return np.array(means, dtype=np.float64)
