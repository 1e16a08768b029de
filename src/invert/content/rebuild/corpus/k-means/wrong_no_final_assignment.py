"""k-means that keeps the labels from before the last update instead of assigning once more."""

import numpy as np


class KMeans:
    def __init__(self, n_clusters=8, init="k-means++", max_iter=300, tol=1e-4, random_state=None):
        self.n_clusters = n_clusters
        self.init = init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    def _initial_centres(self, X):
        if not isinstance(self.init, str):
            return np.array(self.init, dtype=float)
        rng = np.random.default_rng(self.random_state)
        centres = [X[rng.integers(len(X))]]
        while len(centres) < self.n_clusters:
            d2 = np.array([min(np.sum((x - c) ** 2) for c in centres) for x in X])
            centres.append(X[rng.choice(len(X), p=d2 / d2.sum())])
        return np.array(centres)

    def _assign(self, X, centres):
        labels = np.empty(len(X), dtype=int)
        for i, x in enumerate(X):
            labels[i] = np.argmin(np.sum((centres - x) ** 2, axis=1))
        return labels

    def fit(self, X, y=None):
        X = np.asarray(X, dtype=float)
        centres = self._initial_centres(X)
        tolerance = self.tol * X.var(axis=0).mean()
        labels = None
        for _ in range(self.max_iter):
            new_labels = self._assign(X, centres)
            old = centres.copy()
            for j in range(self.n_clusters):
                if np.any(new_labels == j):
                    centres[j] = X[new_labels == j].mean(axis=0)
            if labels is not None and np.array_equal(labels, new_labels):
                break
            labels = new_labels
            if np.sum((centres - old) ** 2) <= tolerance:
                break
        self.cluster_centers_ = centres
        self.labels_ = new_labels
        self.inertia_ = float(np.sum((X - centres[self.labels_]) ** 2))
        return self

    def predict(self, X):
        return self._assign(np.asarray(X, dtype=float), self.cluster_centers_)
