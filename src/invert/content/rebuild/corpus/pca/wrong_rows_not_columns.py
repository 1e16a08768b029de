"""PCA taking the rows of eigh's eigenvector matrix as the components, not its columns."""

import numpy as np


class PCA:
    def __init__(self, n_components=None):
        self.n_components = n_components

    def fit(self, X, y=None):
        X = np.asarray(X, dtype=float)
        self.mean_ = X.mean(axis=0)
        Xc = X - self.mean_
        values, vectors = np.linalg.eigh(Xc.T @ Xc / (len(X) - 1))
        order = np.argsort(values)[::-1]
        k = self.n_components or len(values)
        self.components_ = vectors[order][:k]
        self.explained_variance_ = values[order][:k]
        self.explained_variance_ratio_ = values[order][:k] / values.sum()
        return self

    def transform(self, X):
        return (np.asarray(X, dtype=float) - self.mean_) @ self.components_.T
