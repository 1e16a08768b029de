"""PCA on X as it is: the SVD of uncentred data finds directions from the origin, not the mean."""

import numpy as np


class PCA:
    def __init__(self, n_components=None):
        self.n_components = n_components

    def fit(self, X, y=None):
        X = np.asarray(X, dtype=float)
        self.mean_ = X.mean(axis=0)
        _, s, Vt = np.linalg.svd(X, full_matrices=False)
        variances = s**2 / (len(X) - 1)
        k = self.n_components or len(s)
        self.components_ = Vt[:k]
        self.explained_variance_ = variances[:k]
        self.explained_variance_ratio_ = variances[:k] / variances.sum()
        return self

    def transform(self, X):
        return (np.asarray(X, dtype=float) - self.mean_) @ self.components_.T
