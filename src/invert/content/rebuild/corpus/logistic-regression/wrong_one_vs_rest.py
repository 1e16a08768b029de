"""Several classes: one sigmoid per class (one-vs-rest), normalised afterwards, instead of the
softmax."""

import numpy as np


class LogisticRegression:
    def __init__(self, C=1.0, learning_rate=0.5, n_epochs=2000):
        self.C = C
        self.learning_rate = learning_rate
        self.n_epochs = n_epochs

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        self.classes_, codes = np.unique(np.asarray(y), return_inverse=True)
        n = len(X)
        A = np.hstack([X, np.ones((n, 1))])
        penalised = np.ones(A.shape[1])
        penalised[-1] = 0.0  # the intercept is not penalised, as in scikit-learn
        if len(self.classes_) == 2:
            t = (codes == 1).astype(float)
            w = np.zeros(A.shape[1])
            for _ in range(self.n_epochs):
                p = np.exp(-np.logaddexp(0.0, -(A @ w)))
                w -= self.learning_rate * (A.T @ (p - t) / n + penalised * w / (self.C * n))
            self.coef_, self.intercept_ = w[None, :-1], w[-1:]
        else:
            T = np.eye(len(self.classes_))[codes]
            W = np.zeros((A.shape[1], len(self.classes_)))
            for _ in range(self.n_epochs):
                P = 1 / (1 + np.exp(-(A @ W)))  # each class against the rest
                W -= self.learning_rate * (
                    A.T @ (P - T) / n + penalised[:, None] * W / (self.C * n)
                )
            self.coef_, self.intercept_ = W[:-1].T, W[-1]
        return self

    def predict_proba(self, X):
        scores = np.asarray(X, dtype=float) @ self.coef_.T + self.intercept_
        if len(self.classes_) == 2:
            p = np.exp(-np.logaddexp(0.0, -scores[:, 0]))
            return np.column_stack([1 - p, p])
        P = 1 / (1 + np.exp(-scores))
        return P / P.sum(axis=1, keepdims=True)

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
