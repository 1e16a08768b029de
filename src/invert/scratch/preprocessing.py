"""Standardisation from scratch: subtract each feature's mean, divide by its standard deviation.

The mean and standard deviation are *learned*: ``fit`` measures them on the rows it is given, and
``transform`` applies those same numbers to any rows later. Fitting on the training rows only and
then transforming the test rows keeps the test rows out of everything the model learns; fitting
on all rows first lets the test rows leak into the training features (data leakage).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

import numpy as np

from invert.scratch._base import ScratchEstimator

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray


class StandardScalerScratch(ScratchEstimator):
    """Standardise features to mean 0 and standard deviation 1, as scikit-learn's StandardScaler.

    Parameters
    ----------
    with_mean : bool, default=True
        Subtract each feature's mean.
    with_std : bool, default=True
        Divide by each feature's standard deviation.

    Attributes
    ----------
    mean_ : ndarray of shape (n_features,) or None
        Each feature's mean over the rows seen in fit (None only if both options are off).
    var_ : ndarray of shape (n_features,) or None
        Each feature's population variance (divided by n, not n - 1); None if ``with_std`` is off.
    scale_ : ndarray of shape (n_features,) or None
        What each feature is divided by: its standard deviation, or 1 for a feature that is
        constant (up to rounding), which would otherwise be divided by zero. None if ``with_std``
        is off.
    n_samples_seen_ : int
        Number of rows seen in fit.
    n_features_in_ : int
        Number of features seen in fit.

    Notes
    -----
    The standard deviation is the *population* one, the root of the mean squared deviation
    (NumPy's default ``ddof=0``), as in scikit-learn. A feature counts as constant when its
    variance is no larger than the rounding error of computing it, the bound scikit-learn uses
    (from Chan, Golub and LeVeque's analysis of the two-pass variance): so a column of 0.1s,
    whose computed variance may come out a hair above zero, is also left unscaled.

    Examples
    --------
    >>> X = np.array([[1.0, 5.0], [3.0, 5.0]])
    >>> scaler = StandardScalerScratch().fit(X)
    >>> scaler.mean_.tolist(), scaler.scale_.tolist()
    ([2.0, 5.0], [1.0, 1.0])
    >>> scaler.transform(X).tolist()
    [[-1.0, 0.0], [1.0, 0.0]]
    >>> scaler.inverse_transform([[0.5, 2.0]]).tolist()
    [[2.5, 7.0]]
    """

    _estimator_type = "transformer"  # tells scikit-learn (via the tags) how to treat it

    mean_: NDArray[np.float64] | None
    var_: NDArray[np.float64] | None
    scale_: NDArray[np.float64] | None
    n_samples_seen_: int
    n_features_in_: int

    def __init__(self, with_mean: bool = True, with_std: bool = True) -> None:
        self.with_mean = with_mean
        self.with_std = with_std

    def fit(self, X: ArrayLike, y: Any = None) -> Self:
        """Measure each feature's mean and standard deviation on the rows of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The rows to learn the statistics from: the training rows only.
        y : ignored
            Accepted so that the scaler fits in a Pipeline like any estimator.

        Returns
        -------
        self : StandardScalerScratch
            The fitted scaler.
        """
        X = np.asarray(X, dtype=np.float64)
        n_samples, n_features = X.shape
        mean = X.mean(axis=0)  # μ_j = Σ_i x_ij / n, one per feature (column)
        var = X.var(axis=0)  # σ_j² = Σ_i (x_ij - μ_j)² / n, the population variance
        # A feature whose variance is within rounding error of zero is constant: divide it by 1.
        eps = np.finfo(np.float64).eps
        constant = var <= n_samples * eps * var + (n_samples * mean * eps) ** 2
        scale = np.where(constant, 1.0, np.sqrt(var))  # σ_j, or 1 for a constant feature

        self.mean_ = mean if (self.with_mean or self.with_std) else None
        self.var_ = var if self.with_std else None
        self.scale_ = scale if self.with_std else None
        self.n_samples_seen_ = n_samples
        self.n_features_in_ = n_features
        return self

    def transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """Standardise rows with the statistics learned in fit: ``(X - mean_) / scale_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows to standardise (training or test: the statistics stay those of fit).

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_features)
            The standardised rows (a new array; ``X`` is not changed).
        """
        self._check_fitted()
        X = np.array(X, dtype=np.float64)  # a copy, so the caller's array is left alone
        if self.with_mean and self.mean_ is not None:
            X = X - self.mean_  # centre: x - μ
        if self.with_std and self.scale_ is not None:
            X = X / self.scale_  # rescale: (x - μ) / σ
        return X

    def fit_transform(self, X: ArrayLike, y: Any = None) -> NDArray[np.float64]:
        """Fit to ``X``, then standardise it.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training rows.
        y : ignored
            Accepted for Pipeline compatibility.

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_features)
            The standardised rows.
        """
        return self.fit(X).transform(X)

    def inverse_transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """Undo the standardisation: ``X * scale_ + mean_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Standardised rows.

        Returns
        -------
        X_original : ndarray of shape (n_samples, n_features)
            The rows in their original units.
        """
        self._check_fitted()
        X = np.array(X, dtype=np.float64)
        if self.with_std and self.scale_ is not None:
            X = X * self.scale_
        if self.with_mean and self.mean_ is not None:
            X = X + self.mean_
        return X
