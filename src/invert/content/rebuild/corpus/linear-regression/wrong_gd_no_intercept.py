"""Gradient descent on the weights alone: the intercept stays at zero."""

import numpy as np


class LinearRegression:
    def __init__(self, fit_intercept=True):
        self.fit_intercept = fit_intercept

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        x_mean = X.mean(axis=0) if self.fit_intercept else np.zeros(X.shape[1])
        y_mean = y.mean() if self.fit_intercept else 0.0
        Xc, yc = X - x_mean, y - y_mean
        self.coef_ = np.linalg.solve(Xc.T @ Xc, Xc.T @ yc)
        self.intercept_ = float(y_mean - x_mean @ self.coef_)
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
        A = X
        theta = np.zeros(A.shape[1])
        self.loss_history_ = []
        for _ in range(self.n_epochs):
            residual = A @ theta - y
            self.loss_history_.append(float(np.mean(residual**2)))
            theta -= self.learning_rate * 2 * A.T @ residual / len(y)
        self.coef_ = theta
        self.intercept_ = 0.0
        return self

    def predict(self, X):
        return np.asarray(X, dtype=float) @ self.coef_ + self.intercept_
