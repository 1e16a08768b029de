"""Naive Bayes with each class's sample variance (ddof=1), not the population variance."""

import numpy as np


class GaussianNB:
    def __init__(self, var_smoothing=1e-9):
        self.var_smoothing = var_smoothing

    def fit(self, X, y):
        X, y = np.asarray(X, dtype=float), np.asarray(y)
        self.classes_ = np.unique(y)
        self.epsilon_ = self.var_smoothing * np.max(np.var(X, axis=0))
        means, variances, priors = [], [], []
        for c in self.classes_:
            rows = X[y == c]
            means.append(rows.mean(axis=0))
            variances.append(rows.var(axis=0, ddof=1) + self.epsilon_)
            priors.append(len(rows) / len(X))
        self.theta_, self.var_ = np.array(means), np.array(variances)
        self.class_prior_ = np.array(priors)
        return self

    def _joint_log_likelihood(self, X):
        X = np.asarray(X, dtype=float)
        columns = []
        for prior, mean, var in zip(self.class_prior_, self.theta_, self.var_, strict=True):
            log_density = -0.5 * np.log(2 * np.pi * var) - (X - mean) ** 2 / (2 * var)
            columns.append(np.log(prior) + log_density.sum(axis=1))
        return np.column_stack(columns)

    def predict_proba(self, X):
        jll = self._joint_log_likelihood(X)
        return np.exp(jll - np.logaddexp.reduce(jll, axis=1, keepdims=True))

    def predict(self, X):
        scores = self._joint_log_likelihood(np.asarray(X, dtype=float))
        return self.classes_[np.argmax(scores, axis=1)]
