"""Baselines from scratch: models that ignore the features and give one answer to everyone.

A classifier that always predicts the most frequent training class, and a regressor that always
predicts the training targets' mean (or median), learn nothing about how the features relate to
the target. Their scores are the floor: a real model is only worth its complexity by the margin
it gains over them. They follow scikit-learn's DummyClassifier and DummyRegressor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

import numpy as np

from invert.scratch._base import ScratchEstimator

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = ["DummyClassifierScratch", "DummyRegressorScratch"]


class DummyClassifierScratch(ScratchEstimator):
    """Predict the most frequent training class for every row, whatever its features.

    Parameters
    ----------
    strategy : {"prior", "most_frequent"}, default="prior"
        Both predict the most frequent class (the first in sorted order on a tie).
        ``predict_proba`` returns each class's share of the training rows for "prior", and
        probability 1 for the most frequent class for "most_frequent", as in scikit-learn.

    Attributes
    ----------
    classes_ : array of the class labels, sorted
    class_prior_ : array of shape (n_classes,), each class's share of the training rows
    n_features_in_ : number of features seen in fit (and never used)

    Examples
    --------
    >>> model = DummyClassifierScratch().fit([[0], [1], [2], [3]], ["no", "no", "no", "yes"])
    >>> model.predict([[5], [-5]]).tolist(), model.score([[0], [3]], ["no", "yes"])
    (['no', 'no'], 0.5)
    """

    _estimator_type = "classifier"

    classes_: NDArray[Any]
    class_prior_: NDArray[np.float64]
    n_features_in_: int

    def __init__(self, strategy: str = "prior") -> None:
        self.strategy = strategy

    def fit(self, X: ArrayLike, y: ArrayLike) -> Self:
        """Count each class's share of the training rows; the features are only counted."""
        if self.strategy not in ("prior", "most_frequent"):
            raise ValueError(f"unknown strategy {self.strategy!r}")
        X, y = np.asarray(X), np.asarray(y)
        self.n_features_in_ = X.shape[1]
        self.classes_, counts = np.unique(y, return_counts=True)
        self.class_prior_ = counts / len(y)  # n_c / n, each class's share
        return self

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """The most frequent training class, once per row."""
        self._check_fitted()
        majority = self.classes_[np.argmax(self.class_prior_)]  # argmax: first on a tie
        return np.full(len(np.asarray(X)), majority)

    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """The same row of probabilities for every row: the class shares, or 1 for the majority."""
        self._check_fitted()
        if self.strategy == "prior":
            row = self.class_prior_
        else:
            row = np.eye(len(self.classes_))[np.argmax(self.class_prior_)]
        return np.tile(row, (len(np.asarray(X)), 1))


class DummyRegressorScratch(ScratchEstimator):
    """Predict one number for every row: the mean (or the median) of the training targets.

    The mean is the constant with the smallest squared error on the training rows, so this
    baseline's training R² is exactly 0; on new rows its R² is near 0, usually a little below.

    Parameters
    ----------
    strategy : {"mean", "median"}, default="mean"
        Which constant to predict (the median minimises the absolute error instead).

    Attributes
    ----------
    constant_ : float, the prediction for every row
    n_features_in_ : number of features seen in fit (and never used)

    Examples
    --------
    >>> DummyRegressorScratch().fit([[0], [1], [2]], [1.0, 2.0, 6.0]).predict([[9]]).tolist()
    [3.0]
    """

    _estimator_type = "regressor"

    constant_: float
    n_features_in_: int

    def __init__(self, strategy: str = "mean") -> None:
        self.strategy = strategy

    def fit(self, X: ArrayLike, y: ArrayLike) -> Self:
        """Remember the training targets' mean (or median); the features are not looked at."""
        X, y = np.asarray(X), np.asarray(y, dtype=float)
        self.n_features_in_ = X.shape[1]
        if self.strategy == "mean":
            self.constant_ = float(np.sum(y) / len(y))  # Σᵢ yᵢ / n
        elif self.strategy == "median":
            self.constant_ = float(np.median(y))
        else:
            raise ValueError(f"unknown strategy {self.strategy!r}")
        return self

    def predict(self, X: ArrayLike) -> NDArray[np.float64]:
        """The same constant for every row."""
        self._check_fitted()
        return np.full(len(np.asarray(X)), self.constant_)
