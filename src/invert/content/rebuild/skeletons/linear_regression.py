"""Rebuild linear regression twice: solved in one step, then found by walking downhill.

Fill in the TODOs, then `invert check linear-regression`. The check has two stages: the normal
equations first, then gradient descent. Use NumPy only: scikit-learn is refused by the check.
The concept cards: `invert learn least-squares` and `invert learn gradient-descent`.
"""

import numpy as np


class LinearRegression:
    """Ordinary least squares, solved in closed form (the normal equations).

    The idea: of all the lines (planes) y_hat = X w + b, take the one whose squared errors
    add up to the least. The sum of squares is a bowl in w; its bottom is where the slope is
    zero, and setting the slope to zero gives equations you can solve directly.

    The formula: minimise L(w, b) = sum_i (y_i - x_i . w - b) ** 2. With the intercept folded
    into the data by centring (x_c = x - mean(x), y_c = y - mean(y)), the gradient
    -2 X_cᵀ (y_c - X_c w) is zero where X_cᵀ X_c w = X_cᵀ y_c: the normal equations. Then
    b = mean(y) - mean(x) . w. (Adding a column of ones to X and solving for [w, b] together
    is the same thing.)

    Prefer ``np.linalg.lstsq`` (or ``np.linalg.solve``) to inverting X_cᵀ X_c yourself: the
    inverse loses digits when two columns are nearly alike.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    """

    def __init__(self, fit_intercept=True):
        self.fit_intercept = fit_intercept

    def fit(self, X, y):
        """Solve the normal equations for coef_ and intercept_; return self."""
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        # TODO: centre X and y (only when fit_intercept), solve for the weights, then recover
        #       the intercept from the means.
        raise NotImplementedError("LinearRegression.fit")

    def predict(self, X):
        """y_hat = X @ coef_ + intercept_."""
        return np.asarray(X, dtype=float) @ self.coef_ + self.intercept_


class LinearRegressionGD:
    """The same least-squares line, found by batch gradient descent from all-zero weights.

    The idea: instead of solving for the bottom of the bowl, stand anywhere on it, find the
    downhill direction (minus the gradient) and take a small step; repeat. On standardised
    features, enough small steps land on the normal equations' answer.

    The formula: the mean squared error MSE(w, b) = (1/n) sum_i (x_i . w + b - y_i) ** 2 has
    gradient dMSE/dw = (2/n) Xᵀ (X w + b - y) and dMSE/db = (2/n) sum_i (x_i . w + b - y_i).
    Each epoch: w <- w - learning_rate * dMSE/dw, and the same for b (when fit_intercept).

    Parameters
    ----------
    learning_rate : float, default=0.1
        Step size.
    n_epochs : int, default=1000
        Number of steps, each over the whole training set.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    loss_history_ : list of float, the MSE before each step (it should fall, then level off)
    """

    def __init__(self, learning_rate=0.1, n_epochs=1000, fit_intercept=True):
        self.learning_rate = learning_rate
        self.n_epochs = n_epochs
        self.fit_intercept = fit_intercept

    def fit(self, X, y):
        """Run n_epochs steps of gradient descent from w = 0, b = 0; return self."""
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        self.loss_history_ = []
        # TODO: start from zeros; each epoch compute the residuals X @ w + b - y, record the MSE,
        #       compute both gradients, and step against them. Store coef_ and intercept_.
        raise NotImplementedError("LinearRegressionGD.fit")

    def predict(self, X):
        """y_hat = X @ coef_ + intercept_."""
        return np.asarray(X, dtype=float) @ self.coef_ + self.intercept_
