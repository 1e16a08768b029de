"""The learning rate from scratch: gradient descent on least squares at a chosen step size, and
the largest step size that still converges.

The mean squared error of a linear model is a bowl whose curvature along each direction is an
eigenvalue of (2/n) XᵀX (2 for the intercept, when the features are centred). One gradient step
multiplies the distance to the bottom along a direction of curvature a by (1 − η a), so the walk
converges only while η a < 2 in every direction: the steepest direction sets the limit
2 / a_max. `largest_stable_rate` finds a_max by power iteration, without any library solver.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = ["gradient_descent_losses", "largest_curvature", "largest_stable_rate"]


def gradient_descent_losses(
    X: ArrayLike, y: ArrayLike, learning_rate: float, n_steps: int
) -> NDArray[np.float64]:
    """The training mean squared error before each of `n_steps` full-batch gradient steps, and
    after the last one, of a linear model with an intercept started at zero.

    >>> X = np.array([[-1.0], [1.0]])
    >>> gradient_descent_losses(X, [-2.0, 2.0], learning_rate=0.25, n_steps=2).tolist()
    [4.0, 1.0, 0.25]
    """
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    n_samples, n_features = X.shape
    weights, bias = np.zeros(n_features), 0.0
    losses = []
    for _ in range(n_steps):
        residual = X @ weights + bias - y  # prediction minus target, every row at once
        losses.append(np.mean(residual**2))
        grad_weights = 2.0 / n_samples * (X.T @ residual)  # slope of the loss for each weight
        grad_bias = 2.0 * residual.mean()
        weights = weights - learning_rate * grad_weights  # the step: rate times slope, downhill
        bias = bias - learning_rate * grad_bias
    losses.append(np.mean((X @ weights + bias - y) ** 2))
    return np.array(losses, dtype=np.float64)


def largest_curvature(X: ArrayLike, n_iter: int = 1000, seed: int = 0) -> float:
    """The largest curvature of the mean squared error in the weights: the largest eigenvalue of
    the Hessian (2/n) XᵀX, found by power iteration (or 2, the intercept's, if that is larger).

    >>> round(largest_curvature([[-1.0, 0.0], [1.0, 0.0], [0.0, 3.0], [0.0, -3.0]]), 6)
    9.0
    """
    X = np.asarray(X, dtype=np.float64)
    hessian = 2.0 / len(X) * (X.T @ X)  # how fast each weight's slope changes with each weight
    vector = np.random.default_rng(seed).standard_normal(hessian.shape[0])
    for _ in range(n_iter):
        vector = hessian @ vector  # repeated products turn towards the steepest direction
        vector /= np.linalg.norm(vector)
    curvature = float(vector @ hessian @ vector)
    return max(curvature, 2.0)  # the intercept's own curvature is 2 (features centred)


def largest_stable_rate(X: ArrayLike) -> float:
    """2 / largest curvature: every learning rate below it converges, every one above diverges."""
    return 2.0 / largest_curvature(X)
