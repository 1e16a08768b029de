"""'gini' returning sum p², the chance two labels agree: purity, not impurity."""

from collections import Counter
from itertools import pairwise

import numpy as np


def gini(y):
    n = len(y)
    return float(sum((count / n) ** 2 for count in Counter(np.asarray(y).tolist()).values()))


def best_split(X, y, min_samples_leaf=1):
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    best, best_score = None, np.inf
    for feature in range(X.shape[1]):
        values = np.unique(X[:, feature])
        for low, high in pairwise(values):
            threshold = (low + high) / 2
            left = X[:, feature] <= threshold
            n_left = int(left.sum())
            if n_left < min_samples_leaf or len(y) - n_left < min_samples_leaf:
                continue
            score = n_left * gini(y[left]) + (len(y) - n_left) * gini(y[~left])
            if score < best_score:
                best, best_score = (feature, threshold), score
    return best


class DecisionTreeClassifier:
    def __init__(self, max_depth=None, min_samples_leaf=1):
        self.max_depth = max_depth
        self.min_samples_leaf = min_samples_leaf

    def _grow(self, X, codes, depth):
        node = {"value": np.bincount(codes, minlength=len(self.classes_)) / len(codes)}
        if (
            len(set(codes.tolist())) == 1
            or (self.max_depth is not None and depth >= self.max_depth)
            or len(codes) < 2 * self.min_samples_leaf
        ):
            return node
        found = best_split(X, codes, self.min_samples_leaf)
        if found is None:
            return node
        feature, threshold = found
        left = X[:, feature] <= threshold
        node.update(feature=feature, threshold=threshold)
        node["left"] = self._grow(X[left], codes[left], depth + 1)
        node["right"] = self._grow(X[~left], codes[~left], depth + 1)
        return node

    def fit(self, X, y):
        X = np.asarray(X, dtype=np.float32).astype(float)
        self.classes_, codes = np.unique(np.asarray(y), return_inverse=True)
        self.tree_ = self._grow(X, codes, 0)
        return self

    def predict_proba(self, X):
        X = np.asarray(X, dtype=np.float32).astype(float)
        rows = []
        for x in X:
            node = self.tree_
            while "feature" in node:
                node = node["left"] if x[node["feature"]] <= node["threshold"] else node["right"]
            rows.append(node["value"])
        return np.array(rows)

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
