"""Rebuild a decision tree in three stages: the impurity, the best split, the whole tree.

Fill in the TODOs in order; `invert check decision-tree` credits each stage as it passes. Use
NumPy only: scikit-learn is refused by the check. The concept card: `invert learn decision-trees`.
"""

import numpy as np


def gini(y):
    """Stage 1. Gini impurity of a set of labels: 1 - sum_k p_k ** 2.

    p_k is the share of label k in y. It is the chance that two labels drawn at random (with
    replacement) differ: 0 for a pure set, 0.5 for an even mix of two classes. Works for any
    labels (numbers or strings). Returns a float.
    """
    # TODO: count each distinct label (np.unique with return_counts=True), then the formula.
    raise NotImplementedError("gini")


def best_split(X, y, min_samples_leaf=1):
    """Stage 2. The question "X[:, feature] <= threshold?" whose two sides are purest.

    Try every feature and, for each, every threshold halfway between two consecutive distinct
    values of that feature (sorted). Score a cut by n_left * gini(left) + n_right * gini(right)
    (the weighted impurity of the children, times n); the lowest score wins. Each side must keep
    at least min_samples_leaf rows. On a tie, the first feature wins, then the lowest threshold.

    Returns (feature, threshold), or None when no feature can be cut.
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    # TODO: loop over the features; sort the rows by the feature; score every allowed cut;
    #       keep the best (strictly lower scores only, so earlier candidates win ties).
    raise NotImplementedError("best_split")


class DecisionTreeClassifier:
    """Stage 3. A CART tree: split greedily with best_split until a stopping rule applies.

    The idea: ask the best yes/no question about one feature, send each row down the matching
    branch, and ask again in each branch. A node becomes a leaf when it is pure, when it is at
    max_depth (the root is depth 0), when it has fewer than 2 * min_samples_leaf rows, or when
    best_split finds no cut. A leaf predicts the shares of the classes among its training rows.

    To match scikit-learn exactly, round X to 32-bit floats first, as its trees do:
    ``np.asarray(X, dtype=np.float32).astype(float)`` (in fit and in predict_proba).

    Attributes
    ----------
    classes_ : sorted class labels
    tree_ : your nodes, in whatever shape you like (a dict, a small class...)
    """

    def __init__(self, max_depth=None, min_samples_leaf=1):
        self.max_depth = max_depth
        self.min_samples_leaf = min_samples_leaf

    def fit(self, X, y):
        """Grow the tree; return self."""
        X = np.asarray(X, dtype=np.float32).astype(float)
        self.classes_ = np.unique(np.asarray(y))
        # TODO: grow the tree recursively from the root (depth 0) with best_split. (Class
        #       numbers 0..k-1 make the shares easy: np.unique(y, return_inverse=True)[1].)
        raise NotImplementedError("fit")

    def predict_proba(self, X):
        """For each row, the class shares of the leaf it reaches (columns in classes_ order)."""
        X = np.asarray(X, dtype=np.float32).astype(float)
        # TODO: walk each row from the root: left when X[row, feature] <= threshold.
        raise NotImplementedError("predict_proba")

    def predict(self, X):
        """The most common class in each row's leaf (the first in classes_ on a tie)."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
