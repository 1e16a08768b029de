"""Kernels from scratch: similarity matrices, and a linear method that uses only them.

A kernel k(a, b) scores how alike two rows are. The RBF (Gaussian) kernel exp(-gamma ||a - b||²)
is 1 for identical rows and fades towards 0 with distance, at a rate set by gamma. The
polynomial kernel (gamma a·b + coef0)^degree is a dot product of hidden features (every product
of up to `degree` original features), computed without building them. Kernel ridge regression
shows the trick at work: its prediction is a weighted sum of kernel values against the training
rows, so only the kernel matrix is ever needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

import numpy as np

from invert.scratch._base import ScratchEstimator

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray


def squared_distances(A: ArrayLike, B: ArrayLike) -> NDArray[np.float64]:
    """||a - b||² for every row a of A and row b of B: one row of the result per row of A."""
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    # ||a||² + ||b||² - 2 a·b, all pairs at once; rounding can leave tiny negatives, clip them.
    d2 = np.sum(A**2, axis=1)[:, None] + np.sum(B**2, axis=1)[None, :] - 2 * A @ B.T
    clipped: NDArray[np.float64] = np.maximum(d2, 0.0)
    return clipped


def rbf_kernel(A: ArrayLike, B: ArrayLike, gamma: float) -> NDArray[np.float64]:
    """exp(-gamma ||a - b||²) for every pair of rows: 1 for identical rows, near 0 for far ones."""
    return np.exp(-gamma * squared_distances(A, B))


def polynomial_kernel(
    A: ArrayLike, B: ArrayLike, degree: int = 2, gamma: float = 1.0, coef0: float = 1.0
) -> NDArray[np.float64]:
    """(gamma a·b + coef0)^degree for every pair of rows."""
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    kernel: NDArray[np.float64] = (gamma * A @ B.T + coef0) ** degree
    return kernel


class KernelRidgeScratch(ScratchEstimator):
    """Ridge regression with an RBF kernel: predictions are kernel-weighted sums over training rows.

    Solves (K + alpha I) a = y for the dual weights a, where K holds the kernel between every
    pair of training rows; a new row's prediction is Σ_i a_i k(x, x_i).

    Parameters
    ----------
    alpha : float, default=1.0
        Penalty on the size of the fitted function.
    gamma : float, default=0.1
        How fast the RBF similarity fades with squared distance.

    Attributes
    ----------
    dual_coef_ : array of shape (n_samples,), the weights a
    X_fit_ : the training rows, needed at prediction time
    n_features_in_ : number of features seen in fit

    Examples
    --------
    >>> model = KernelRidgeScratch(alpha=0.01, gamma=1.0).fit([[0.0], [1.0], [2.0]], [0, 1, 4])
    >>> [round(v, 1) for v in model.predict([[1.0]]).tolist()]
    [1.0]
    """

    _estimator_type = "regressor"  # tells scikit-learn (via the tags) how to treat it

    dual_coef_: NDArray[np.float64]
    X_fit_: NDArray[np.float64]
    n_features_in_: int

    def __init__(self, alpha: float = 1.0, gamma: float = 0.1) -> None:
        self.alpha = alpha
        self.gamma = gamma

    def fit(self, X: ArrayLike, y: ArrayLike) -> Self:
        """Solve for one weight per training row; return self."""
        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
        K = rbf_kernel(X, X, self.gamma)
        self.dual_coef_ = np.linalg.solve(K + self.alpha * np.eye(len(X)), y)
        self.X_fit_ = X
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X: ArrayLike) -> NDArray[np.float64]:
        """Σ_i a_i k(x, x_i) for each row x: its likeness to every training row, weighted."""
        self._check_fitted()
        prediction: NDArray[np.float64] = rbf_kernel(X, self.X_fit_, self.gamma) @ self.dual_coef_
        return prediction
