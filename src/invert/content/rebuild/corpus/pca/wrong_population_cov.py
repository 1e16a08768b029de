"""PCA with np.cov(..., bias=True): the variances divided by n, written another way."""

import numpy as np


class PCA:
    def __init__(self, n_components=None):
        self.n_components = n_components

    def fit(self, X, y=None):
        X = np.asarray(X, dtype=float)
        self.mean_ = np.mean(X, axis=0)
        values, vectors = np.linalg.eig(np.cov(X, rowvar=False, bias=True))
        values, vectors = values.real, vectors.real  # a symmetric matrix: real in theory
        order = sorted(range(len(values)), key=lambda i: -values[i])
        k = len(values) if self.n_components is None else self.n_components
        keep = order[:k]
        self.components_ = np.array([vectors[:, i] for i in keep])
        self.explained_variance_ = values[keep]
        self.explained_variance_ratio_ = values[keep] / np.sum(values)
        return self

    def transform(self, X):
        centred = np.asarray(X, dtype=float) - self.mean_
        return np.column_stack([centred @ c for c in self.components_])
