"""k-means seeded with rows picked by rng.integers, all at once: uniform, and even with repeats."""

import numpy as np


class KMeans:
    def __init__(self, n_clusters=8, init="k-means++", max_iter=300, tol=1e-4, random_state=None):
        self.n_clusters = n_clusters
        self.init = init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    def _initial_centres(self, X):
        if isinstance(self.init, str):
            picks = np.random.default_rng(self.random_state).integers(0, len(X), self.n_clusters)
            return X[picks].astype(float)
        return np.asarray(self.init, dtype=float).copy()

    def fit(self, X, y=None):
        X = np.asarray(X, dtype=float)
        centres = self._initial_centres(X)
        tolerance = self.tol * X.var(axis=0).mean()
        labels = None
        for _ in range(self.max_iter):
            d2 = ((X[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
            new_labels = d2.argmin(axis=1)
            new_centres = np.array(
                [
                    X[new_labels == j].mean(axis=0) if np.any(new_labels == j) else centres[j]
                    for j in range(self.n_clusters)
                ]
            )
            shift = ((new_centres - centres) ** 2).sum()
            centres = new_centres
            if labels is not None and np.array_equal(labels, new_labels):
                break
            labels = new_labels
            if shift <= tolerance:
                break
        d2 = ((X[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        self.labels_ = d2.argmin(axis=1)
        self.cluster_centers_ = centres
        self.inertia_ = float(d2.min(axis=1).sum())
        return self

    def predict(self, X):
        X = np.asarray(X, dtype=float)
        return ((X[:, None, :] - self.cluster_centers_[None]) ** 2).sum(axis=2).argmin(axis=1)
