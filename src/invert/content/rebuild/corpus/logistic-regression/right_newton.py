"""Logistic regression minimising the same penalised cross-entropy by other means: Newton's
method for two classes, gradient descent with momentum for several."""

import numpy as np


def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


class LogisticRegression:
    def __init__(self, C=1.0, learning_rate=0.5, n_epochs=2000):
        self.C = C
        self.learning_rate = learning_rate
        self.n_epochs = n_epochs

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        self.classes_, codes = np.unique(np.asarray(y), return_inverse=True)
        n, d = X.shape
        if len(self.classes_) == 2:
            A, t = np.hstack([np.ones((n, 1)), X]), (codes == 1).astype(float)
            ridge = np.eye(d + 1) / (self.C * n)
            ridge[0, 0] = 0.0
            w = np.zeros(d + 1)
            for _ in range(50):  # Newton steps: the gradient over the Hessian
                p = 1 / (1 + np.exp(-(A @ w)))
                hessian = A.T @ (A * (p * (1 - p))[:, None]) / n + ridge
                w -= np.linalg.solve(hessian, A.T @ (p - t) / n + ridge @ w)
            self.intercept_, self.coef_ = w[:1], w[None, 1:]
            return self
        T = np.eye(len(self.classes_))[codes]
        W, b = np.zeros((d, T.shape[1])), np.zeros(T.shape[1])
        vW, vb = np.zeros_like(W), np.zeros_like(b)
        for _ in range(self.n_epochs):
            P = softmax(X @ W + b)
            vW = 0.9 * vW - 0.1 * (X.T @ (P - T) / n + W / (self.C * n))
            vb = 0.9 * vb - 0.1 * (P - T).mean(axis=0)
            W, b = W + vW, b + vb
        self.coef_, self.intercept_ = W.T, b
        return self

    def predict_proba(self, X):
        scores = np.asarray(X, dtype=float) @ self.coef_.T + self.intercept_
        if len(self.classes_) == 2:
            p = 1 / (1 + np.exp(-scores[:, 0]))
            return np.column_stack([1 - p, p])
        return softmax(scores)

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
