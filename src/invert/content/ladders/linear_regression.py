"""Linear regression, four ways: from scikit-learn down to gradient descent by hand.

Every rung receives the diabetes features X (442 rows, 10 columns, as scikit-learn ships them)
and the target y, fits y ≈ intercept + X @ coef by least squares, and returns the intercept,
the coefficients and the mean squared error on the training rows.
"""

import numpy as np
import scipy.linalg
from sklearn.linear_model import LinearRegression


def _mse(X, y, intercept, coef):
    """Mean squared error of the fitted line on the rows it was fitted to."""
    residuals = y - (intercept + X @ coef)
    return np.mean(residuals**2)


def sklearn_linear_regression(X, y):
    """scikit-learn: fit LinearRegression and read off intercept_ and coef_."""
    model = LinearRegression().fit(X, y)
    return {
        "intercept": model.intercept_,
        "coef": model.coef_,
        "mse": _mse(X, y, model.intercept_, model.coef_),
    }


def scipy_lstsq(X, y):
    """SciPy: add a column of ones for the intercept and let lstsq minimise ||y - A @ w||²."""
    A = np.column_stack([np.ones(len(X)), X])
    w, *_ = scipy.linalg.lstsq(A, y)
    return {"intercept": w[0], "coef": w[1:], "mse": _mse(X, y, w[0], w[1:])}


def normal_equations(X, y):
    """Matrix operations: at the minimum the gradient is zero, so A.T @ A @ w = A.T @ y.

    Solve that small square system (11 x 11 here) directly.
    """
    A = np.column_stack([np.ones(len(X)), X])
    w = np.linalg.solve(A.T @ A, A.T @ y)
    return {"intercept": w[0], "coef": w[1:], "mse": _mse(X, y, w[0], w[1:])}


def gradient_descent(X, y, n_iter=20_000):
    """By hand: gradient descent on standardised features, then mapped back to X's scale.

    Standardising (z = (x - mean) / std) makes the loss surface rounder, so a fixed step walks
    to the minimum quickly. The loss is half the mean squared error, whose gradient is
    A.T @ residuals / n. A line fitted to z is a line in x too: coef = w / std and
    intercept = w0 - sum(w * mean / std).
    """
    mean, std = X.mean(axis=0), X.std(axis=0)
    A = np.column_stack([np.ones(len(X)), (X - mean) / std])
    n = len(A)
    step = 1 / np.linalg.eigvalsh(A.T @ A / n).max()  # 1 / (largest curvature): a safe step
    w = np.zeros(A.shape[1])
    for _ in range(n_iter):
        residuals = A @ w - y
        w = w - step * A.T @ residuals / n
    coef = w[1:] / std
    intercept = w[0] - np.sum(coef * mean)
    return {"intercept": intercept, "coef": coef, "mse": _mse(X, y, intercept, coef)}
