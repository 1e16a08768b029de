"""Gradient descent that never moves b, written with separate w and b: the intercept left out
another way. The normal equations are right (lstsq on centred data)."""

import numpy as np


class LinearRegression:
    def __init__(self, fit_intercept=True):
        self.fit_intercept = fit_intercept

    def fit(self, X, y):
        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
        Xc, yc = X - X.mean(axis=0), y - y.mean()
        self.coef_ = np.linalg.lstsq(Xc, yc, rcond=None)[0]
        self.intercept_ = float(y.mean() - X.mean(axis=0) @ self.coef_)
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
            w -= self.learning_rate * (2 / len(y)) * (X.T @ residual)
        self.coef_, self.intercept_ = w, b
        return self

    def predict(self, X):
        return np.asarray(X, dtype=float) @ self.coef_ + self.intercept_
