"""The lasso from scratch: least squares with an L1 penalty, by coordinate descent.

The objective is ``(1/(2n)) * ||y − Xw − b||² + alpha * Σ|w_j|``. Holding every weight but one
fixed, the best value of that one has a closed form: the least-squares value shrunk towards zero
by a fixed amount and set to exactly zero when it would cross it (soft-thresholding). Sweeping
over the weights again and again converges to the minimum, and the weights that end at zero drop
their features from the model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

import numpy as np

from invert.scratch._base import ScratchEstimator

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = ["LassoScratch", "soft_threshold"]


def soft_threshold(z: float, threshold: float) -> float:
    """Shrink ``z`` towards zero by ``threshold``; exactly zero inside [−threshold, threshold].

    >>> soft_threshold(3.0, 1.0), soft_threshold(-3.0, 1.0), soft_threshold(0.5, 1.0)
    (2.0, -2.0, 0.0)
    """
    return float(np.sign(z) * max(abs(z) - threshold, 0.0))


class LassoScratch(ScratchEstimator):
    """Linear regression with an L1 penalty, fitted by cyclic coordinate descent, as Lasso.

    Parameters
    ----------
    alpha : float, default=1.0
        Strength of the penalty on the sum of absolute weights.
    max_iter : int, default=1000
        Most sweeps over all the weights.
    tol : float, default=1e-4
        Stop once no weight moved by more than this in a whole sweep.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        The weights; many are exactly zero when alpha is large enough.
    intercept_ : float
        Not penalised: the target's mean minus the weights times the features' means.
    n_iter_ : int
        Sweeps run.
    """

    _estimator_type = "regressor"

    coef_: NDArray[np.float64]
    intercept_: float
    n_iter_: int
    n_features_in_: int

    def __init__(self, alpha: float = 1.0, max_iter: int = 1000, tol: float = 1e-4) -> None:
        self.alpha = alpha
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X: ArrayLike, y: ArrayLike) -> Self:
        """Minimise the penalised squared error one weight at a time until nothing moves."""
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        n_samples, n_features = X.shape
        x_mean, y_mean = X.mean(axis=0), y.mean()
        Xc, yc = X - x_mean, y - y_mean  # centring takes the unpenalised intercept out
        squares = np.sum(Xc**2, axis=0) / n_samples  # each feature's (1/n) Σ x_ij²
        w = np.zeros(n_features)
        residual = yc.copy()  # y − Xw for the current w (zero at the start)
        sweeps = 0
        while sweeps < self.max_iter:
            sweeps += 1
            largest_step = 0.0
            for j in range(n_features):
                if squares[j] == 0.0:
                    continue  # a constant feature can only have weight zero
                # z: the least-squares value of w_j with every other weight held fixed
                z = w[j] + Xc[:, j] @ residual / n_samples / squares[j]
                new = soft_threshold(z, self.alpha / squares[j])
                residual -= Xc[:, j] * (new - w[j])
                largest_step = max(largest_step, abs(new - w[j]))
                w[j] = new
            if largest_step < self.tol:
                break
        self.coef_ = w
        self.intercept_ = float(y_mean - x_mean @ w)
        self.n_iter_ = sweeps
        self.n_features_in_ = n_features
        return self

    def predict(self, X: ArrayLike) -> NDArray[np.float64]:
        self._check_fitted()
        return np.asarray(X, dtype=np.float64) @ self.coef_ + self.intercept_
