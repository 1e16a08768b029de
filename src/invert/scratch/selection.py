"""Choosing features from scratch: score each feature on its own against the label, keep the best.

The ANOVA F statistic asks, for one feature, how far apart the class means are compared with the
spread inside each class. Univariate selection ranks the features by it and keeps the top k. The
scores look at the labels, so selection is part of fitting: inside cross-validation it must be
redone in every fold, on that fold's training rows only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

import numpy as np

from invert.scratch._base import ScratchEstimator

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = ["SelectKBestScratch", "anova_f"]


def anova_f(X: ArrayLike, y: ArrayLike) -> NDArray[np.float64]:
    """The one-way ANOVA F statistic of every feature against the classes, as ``f_classif``.

    F = (between-class sum of squares / (k - 1)) / (within-class sum of squares / (n - k)),
    for n rows in k classes: large when the class means differ by much more than the rows of
    one class scatter around their own mean.

    >>> anova_f([[1.0], [2.0], [5.0], [6.0]], [0, 0, 1, 1]).round(3).tolist()
    [32.0]
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    classes = np.unique(y)
    n, k = len(y), len(classes)
    overall = X.mean(axis=0)
    between = np.zeros(X.shape[1])
    within = np.zeros(X.shape[1])
    for c in classes:
        rows = X[y == c]
        class_mean = rows.mean(axis=0)
        between += len(rows) * (class_mean - overall) ** 2  # n_c (mean_c − mean)²
        within += np.sum((rows - class_mean) ** 2, axis=0)  # Σ (x − mean_c)² inside class c
    return (between / (k - 1)) / (within / (n - k))


class SelectKBestScratch(ScratchEstimator):
    """Keep the ``k`` features with the largest ANOVA F, as SelectKBest(f_classif, k=k).

    Parameters
    ----------
    k : int, default=10
        How many features to keep.

    Attributes
    ----------
    scores_ : ndarray of shape (n_features,)
        Each feature's F statistic on the rows given to fit.
    support_ : ndarray of int
        The kept features' positions, in their original order.
    """

    _estimator_type = "transformer"

    scores_: NDArray[np.float64]
    support_: NDArray[np.intp]
    n_features_in_: int

    def __init__(self, k: int = 10) -> None:
        self.k = k

    def fit(self, X: ArrayLike, y: ArrayLike) -> Self:
        """Score every feature against the labels of these rows and remember the top k."""
        self.scores_ = anova_f(X, y)
        # the k largest scores; a stable sort keeps the earlier feature on a tie
        best = np.argsort(-self.scores_, kind="stable")[: self.k]
        self.support_ = np.sort(best)
        self.n_features_in_ = len(self.scores_)
        return self

    def transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """Only the kept columns, chosen in fit: new rows never change the choice."""
        self._check_fitted()
        return np.asarray(X, dtype=np.float64)[:, self.support_]

    def fit_transform(self, X: ArrayLike, y: Any = None) -> NDArray[np.float64]:
        return self.fit(X, y).transform(X)
