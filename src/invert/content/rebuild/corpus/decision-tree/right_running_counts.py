"""A tree whose split search walks each sorted feature once, moving one row at a time from the
right side's class counts to the left's; nodes as a small class; gini from np.bincount."""

import numpy as np


def gini(y):
    _, codes = np.unique(np.asarray(y), return_inverse=True)
    p = np.bincount(codes) / len(codes)
    return float(1 - p @ p)


def _weighted_gini(counts):  # n * gini, from a side's class counts
    n = sum(counts)
    return n - sum(c * c for c in counts) / n


def best_split(X, y, min_samples_leaf=1):
    X = np.asarray(X, dtype=float)
    _, codes = np.unique(np.asarray(y), return_inverse=True)
    n = len(codes)
    best, best_score = None, float("inf")
    for j in range(X.shape[1]):
        order = np.argsort(X[:, j], kind="stable")
        x, c = X[order, j], codes[order]
        left, right = [0] * (codes.max() + 1), list(np.bincount(codes))
        for i in range(n - 1):
            left[c[i]] += 1
            right[c[i]] -= 1
            n_left = i + 1
            if x[i] == x[i + 1] or n_left < min_samples_leaf or n - n_left < min_samples_leaf:
                continue
            score = _weighted_gini(left) + _weighted_gini(right)
            if score < best_score:
                best, best_score = (j, (x[i] + x[i + 1]) / 2), score
    return best


class Node:
    def __init__(self, shares):
        self.shares, self.feature, self.threshold, self.left, self.right = shares, *[None] * 4


class DecisionTreeClassifier:
    def __init__(self, max_depth=None, min_samples_leaf=1):
        self.max_depth, self.min_samples_leaf = max_depth, min_samples_leaf

    def fit(self, X, y):
        X = np.asarray(X, dtype=np.float32).astype(float)
        self.classes_, codes = np.unique(np.asarray(y), return_inverse=True)
        k = len(self.classes_)
        self.tree_ = Node(np.bincount(codes, minlength=k) / len(codes))
        stack = [(self.tree_, np.arange(len(codes)), 0)]
        while stack:
            node, rows, depth = stack.pop()
            deep = self.max_depth is not None and depth >= self.max_depth
            if deep or gini(codes[rows]) == 0 or len(rows) < 2 * self.min_samples_leaf:
                continue
            found = best_split(X[rows], codes[rows], self.min_samples_leaf)
            if found is None:
                continue
            node.feature, node.threshold = found
            goes_left = X[rows, node.feature] <= node.threshold
            for side, part in (("left", rows[goes_left]), ("right", rows[~goes_left])):
                child = Node(np.bincount(codes[part], minlength=k) / len(part))
                setattr(node, side, child)
                stack.append((child, part, depth + 1))
        return self

    def predict_proba(self, X):
        out = []
        for x in np.asarray(X, dtype=np.float32).astype(float):
            node = self.tree_
            while node.feature is not None:
                node = node.left if x[node.feature] <= node.threshold else node.right
            out.append(node.shares)
        return np.array(out)

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
