"""Not a rebuild: every stage answered by scikit-learn's tree. Must be refused."""

import numpy as np
from sklearn.tree import DecisionTreeClassifier


def gini(y):
    tree = DecisionTreeClassifier(max_depth=1).fit(np.zeros((len(y), 1)), y)
    return float(tree.tree_.impurity[0])


def best_split(X, y, min_samples_leaf=1):
    tree = DecisionTreeClassifier(max_depth=1, min_samples_leaf=min_samples_leaf).fit(X, y)
    return int(tree.tree_.feature[0]), float(tree.tree_.threshold[0])
