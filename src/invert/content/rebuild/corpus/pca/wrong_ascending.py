"""PCA keeping the eigenvectors in np.linalg.eigh's order: the smallest variances first."""

import numpy as np


class PCA:
    def __init__(self, n_components=None):
        self.n_components = n_components

    def fit(self, X, y=None):
        X = np.asarray(X, dtype=float)
        self.mean_ = X.mean(axis=0)
        Xc = X - self.mean_
        values, vectors = np.linalg.eigh(Xc.T @ Xc / (len(X) - 1))
        k = self.n_components or len(values)
        self.components_ = vectors[:, :k].T
        self.explained_variance_ = values[:k]
        self.explained_variance_ratio_ = values[:k] / values.sum()
        return self

    def transform(self, X):
        return (np.asarray(X, dtype=float) - self.mean_) @ self.components_.T
