"""The reference: invert/scratch/tree.py, with the skeleton's three names.

The skeleton's tree searches the features in order (the first wins a tie); invert's scratch
tree replays scikit-learn's shuffled order instead, so here it searches them all in order too.
"""

from invert.scratch.tree import DecisionTreeClassifierScratch, gini
from invert.scratch.tree import best_split as _best_split

__all__ = ["DecisionTreeClassifier", "best_split", "gini"]


def best_split(X, y, min_samples_leaf=1):
    found = _best_split(X, y, "gini", None, min_samples_leaf)
    return None if found is None else (found.feature, found.threshold)


class DecisionTreeClassifier(DecisionTreeClassifierScratch):
    def __init__(self, max_depth=None, min_samples_leaf=1):
        super().__init__(max_depth=max_depth, min_samples_leaf=min_samples_leaf)

    def _split(self, X, y, depth, drawer):
        return _best_split(X, y, self.criterion, None, self.min_samples_leaf)
