"""Least squares by np.linalg.lstsq on the raw X (no centring, no column of ones); gradient
descent done right. The line is forced through the origin, written another way."""

import numpy as np


class LinearRegression:
    def __init__(self, fit_intercept=True):
        self.fit_intercept = fit_intercept

    def fit(self, X, y):
        self.coef_ = np.linalg.lstsq(np.asarray(X, float), np.asarray(y, float), rcond=None)[0]
        self.intercept_ = 0.0
        return self

    def predict(self, X):
        return np.asarray(X, dtype=float) @ self.coef_ + self.intercept_


class LinearRegressionGD:
    def __init__(self, learning_rate=0.1, n_epochs=1000, fit_intercept=True):
        self.learning_rate = learning_rate
        self.n_epochs = n_epochs
        self.fit_intercept = fit_intercept

    def fit(self, X, y):
        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
        w, b = np.zeros(X.shape[1]), 0.0
        self.loss_history_ = []
        for _ in range(self.n_epochs):
            residual = X @ w + b - y
            self.loss_history_.append(float(np.mean(residual**2)))
            w = w - self.learning_rate * 2 / len(y) * X.T @ residual
            b = b - self.learning_rate * 2 * residual.mean()
        self.coef_, self.intercept_ = w, float(b)
        return self

    def predict(self, X):
        return np.asarray(X, dtype=float) @ self.coef_ + self.intercept_
