"""Gaussian naive Bayes from scratch: Bayes' rule with one bell curve per class and feature.

Bayes' rule: P(class | x) is proportional to P(class) * P(x | class). The "naive" assumption is
that, within a class, the features are independent, so P(x | class) is a product of one
density per feature; here each is a normal (Gaussian) density with the class's mean and
variance for that feature. Fitting is counting and averaging, with no iterations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

import numpy as np

from invert.scratch._base import ScratchEstimator

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray


class GaussianNBScratch(ScratchEstimator):
    """Gaussian naive Bayes classifier, computed as scikit-learn's GaussianNB computes it.

    Parameters
    ----------
    var_smoothing : float
        Added to every variance, as a fraction of the largest feature variance: keeps a
        feature that is constant within a class from giving a zero variance (and a division
        by zero).

    Attributes
    ----------
    classes_ : array of the class labels, sorted
    class_prior_ : array of shape (n_classes,), P(class): each class's share of the rows
    theta_ : array of shape (n_classes, n_features), the mean of each feature in each class
    var_ : array of shape (n_classes, n_features), the variance of each feature in each class
        (plus `epsilon_`)
    epsilon_ : float, the amount added to the variances
    n_features_in_ : number of features seen in fit

    Examples
    --------
    >>> nb = GaussianNBScratch().fit([[1.0], [1.2], [3.0], [3.2]], ["a", "a", "b", "b"])
    >>> nb.predict([[0.9], [3.5]]).tolist(), nb.theta_.ravel().round(2).tolist()
    (['a', 'b'], [1.1, 3.1])
    """

    _estimator_type = "classifier"  # tells scikit-learn (via the tags) how to treat it

    classes_: NDArray[Any]
    class_prior_: NDArray[np.float64]
    theta_: NDArray[np.float64]
    var_: NDArray[np.float64]
    epsilon_: float
    n_features_in_: int

    def __init__(self, var_smoothing: float = 1e-9) -> None:
        self.var_smoothing = var_smoothing

    def fit(self, X: ArrayLike, y: ArrayLike) -> Self:
        """Estimate the class priors and each feature's mean and variance per class; return self."""
        X, y = np.asarray(X, dtype=float), np.asarray(y)
        self.classes_ = np.unique(y)
        self.n_features_in_ = X.shape[1]
        self.epsilon_ = float(self.var_smoothing * np.var(X, axis=0).max())
        self.theta_ = np.array([X[y == c].mean(axis=0) for c in self.classes_])
        self.var_ = np.array([X[y == c].var(axis=0) for c in self.classes_]) + self.epsilon_
        self.class_prior_ = np.array([np.mean(y == c) for c in self.classes_])
        return self

    def _joint_log_likelihood(self, X: ArrayLike) -> NDArray[np.float64]:
        """log P(class) + log P(x | class) for every row and class: Bayes' numerator, in logs.

        Logs turn the product over features into a sum, and avoid multiplying many small
        densities down to 0.
        """
        self._check_fitted()
        X = np.asarray(X, dtype=float)
        columns = []
        for prior, mean, var in zip(self.class_prior_, self.theta_, self.var_, strict=True):
            # log of the normal density: -1/2 log(2 pi var) - (x - mean)**2 / (2 var), per feature
            log_density = -0.5 * np.sum(np.log(2.0 * np.pi * var))
            log_density = log_density - 0.5 * np.sum((X - mean) ** 2 / var, axis=1)
            columns.append(np.log(prior) + log_density)
        return np.array(columns).T

    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """P(class | x): Bayes' numerators divided by their sum (the evidence P(x))."""
        jll = self._joint_log_likelihood(X)
        # Dividing in logs is subtracting log sum exp; shifting by the row max avoids overflow.
        top: NDArray[np.float64] = jll.max(axis=1, keepdims=True)
        log_evidence: NDArray[np.float64] = top + np.log(
            np.sum(np.exp(jll - top), axis=1, keepdims=True)
        )
        return np.exp(jll - log_evidence)

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """The class with the highest posterior probability."""
        scores = self._joint_log_likelihood(X)  # first: it checks that the model is fitted
        labels: NDArray[Any] = self.classes_[np.argmax(scores, axis=1)]
        return labels
