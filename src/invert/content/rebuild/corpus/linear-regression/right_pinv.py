"""Least squares with the pseudo-inverse of [X, 1]; gradient descent written as averages of
residual times feature."""

import numpy as np


class LinearRegression:
    def __init__(self, fit_intercept=True):
        self.fit_intercept = fit_intercept

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        if self.fit_intercept:
            weights = np.linalg.pinv(np.hstack([np.ones((len(X), 1)), X])) @ y
            self.intercept_, self.coef_ = float(weights[0]), weights[1:]
        else:
            self.coef_, self.intercept_ = np.linalg.pinv(X) @ y, 0.0
        return self

    def predict(self, X):
        return np.asarray(X, dtype=float) @ self.coef_ + self.intercept_


class LinearRegressionGD:
    def __init__(self, learning_rate=0.1, n_epochs=1000, fit_intercept=True):
        self.learning_rate = learning_rate
        self.n_epochs = n_epochs
        self.fit_intercept = fit_intercept

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        w, b = np.zeros(X.shape[1]), 0.0
        self.loss_history_ = []
        for _ in range(self.n_epochs):
            error = X.dot(w) + b - y
            self.loss_history_.append(float((error**2).mean()))
            step_w = np.array([2 * np.mean(error * X[:, j]) for j in range(X.shape[1])])
            step_b = 2 * error.mean() if self.fit_intercept else 0.0
            w = w - self.learning_rate * step_w
            b = b - self.learning_rate * step_b
        self.coef_, self.intercept_ = w, float(b)
        return self

    def predict(self, X):
        return np.asarray(X, dtype=float) @ self.coef_ + self.intercept_
