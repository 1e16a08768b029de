"""k-means vectorised; k-means++ drawn by inverting the cumulative sum of D² with one uniform
number per centre (np.searchsorted), and the update written as a one-hot matrix product."""

import numpy as np


def squared_distances(X, centres):
    return (X**2).sum(axis=1)[:, None] - 2 * X @ centres.T + (centres**2).sum(axis=1)[None, :]


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
        chosen = [int(rng.random() * len(X))]
        for _ in range(self.n_clusters - 1):
            d2 = ((X[:, None, :] - X[chosen][None, :, :]) ** 2).sum(axis=2).min(axis=1)
            total = np.cumsum(d2)
            chosen.append(int(np.searchsorted(total, rng.random() * total[-1], side="right")))
        return X[chosen].copy()

    def fit(self, X, y=None):
        X = np.asarray(X, dtype=float)
        centres = self._initial_centres(X)
        limit = self.tol * np.mean(np.var(X, axis=0))
        labels = None
        for _ in range(self.max_iter):
            exact = ((X[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
            new_labels = exact.argmin(axis=1)
            onehot = np.eye(self.n_clusters)[new_labels]
            sizes = onehot.sum(axis=0)
            moved = np.where(
                sizes[:, None] > 0, onehot.T @ X / np.maximum(sizes, 1)[:, None], centres
            )
            shift = ((moved - centres) ** 2).sum()
            centres = moved
            if labels is not None and (labels == new_labels).all():
                break
            labels = new_labels
            if shift <= limit:
                break
        final = ((X[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        self.labels_ = final.argmin(axis=1)
        self.cluster_centers_ = centres
        self.inertia_ = float(final.min(axis=1).sum())
        return self

    def predict(self, X):
        return squared_distances(np.asarray(X, dtype=float), self.cluster_centers_).argmin(axis=1)
