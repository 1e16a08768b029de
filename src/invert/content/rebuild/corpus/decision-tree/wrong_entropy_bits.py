"""Entropy in place of Gini, written another way: np.unique counts and natural logs."""

import numpy as np


def gini(y):
    _, counts = np.unique(np.asarray(y), return_counts=True)
    p = counts / counts.sum()
    return float(-(p * np.log(p)).sum())


def best_split(X, y, min_samples_leaf=1):
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    best, best_score = None, np.inf
    for j in range(X.shape[1]):
        order = np.argsort(X[:, j], kind="stable")
        x, labels = X[order, j], y[order]
        for i in range(min_samples_leaf - 1, len(y) - min_samples_leaf):
            if x[i] == x[i + 1]:
                continue
            score = (i + 1) * gini(labels[: i + 1]) + (len(y) - i - 1) * gini(labels[i + 1 :])
            if score < best_score:
                best, best_score = (j, (x[i] + x[i + 1]) / 2), score
    return best


class DecisionTreeClassifier:
    def __init__(self, max_depth=None, min_samples_leaf=1):
        self.max_depth = max_depth
        self.min_samples_leaf = min_samples_leaf

    def _grow(self, X, y, depth):
        shares = np.array([np.mean(y == c) for c in self.classes_])
        stop = shares.max() == 1 or len(y) < 2 * self.min_samples_leaf
        if stop or (self.max_depth is not None and depth >= self.max_depth):
            return {"value": shares}
        found = best_split(X, y, self.min_samples_leaf)
        if found is None:
            return {"value": shares}
        j, t = found
        go = X[:, j] <= t
        return {
            "value": shares,
            "feature": j,
            "threshold": t,
            "left": self._grow(X[go], y[go], depth + 1),
            "right": self._grow(X[~go], y[~go], depth + 1),
        }

    def fit(self, X, y):
        X = np.asarray(X, dtype=np.float32).astype(float)
        self.classes_ = np.unique(np.asarray(y))
        self.tree_ = self._grow(X, np.asarray(y), 0)
        return self

    def predict_proba(self, X):
        out = []
        for x in np.asarray(X, dtype=np.float32).astype(float):
            node = self.tree_
            while "feature" in node:
                node = node["left"] if x[node["feature"]] <= node["threshold"] else node["right"]
            out.append(node["value"])
        return np.array(out)

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
