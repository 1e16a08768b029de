"""A random forest that grades itself on the rows each tree never saw: the out-of-bag score.

A bootstrap sample of n rows drawn with replacement leaves out each row with probability
(1 - 1/n)^n, about 37% (1/e). So every row is unseen by about a third of the trees, and those
trees' vote on it is a fair test: the forest's out-of-bag accuracy estimates its accuracy on new
rows without holding any rows back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

import numpy as np

from invert.scratch.forest import RandomForestClassifierScratch
from invert.scratch.tree import DecisionTreeClassifierScratch

if TYPE_CHECKING:
    from numpy.typing import ArrayLike


class RandomForestOOBScratch(RandomForestClassifierScratch):
    """`RandomForestClassifierScratch` that also records each tree's bootstrap rows and, from
    them, the out-of-bag accuracy (`oob_score_`).

    Parameters are those of `RandomForestClassifierScratch`.

    Attributes
    ----------
    oob_score_ : float
        Accuracy of the vote of the trees that did not see a row, over the rows that at least
        one tree left out.
    oob_share_ : float
        Mean share of the training rows a tree left out (about 0.37 for large n).

    Examples
    --------
    >>> X = [[float(i)] for i in range(10)] + [[float(i)] for i in range(20, 30)]
    >>> forest = RandomForestOOBScratch(n_estimators=20, random_state=0).fit(X, [0] * 10 + [1] * 10)
    >>> forest.oob_score_  # the two groups are far apart: every left-out row is voted right
    1.0
    """

    oob_score_: float
    oob_share_: float

    def fit(self, X: ArrayLike, y: ArrayLike) -> Self:
        """Grow the trees; each row is voted on only by the trees that left it out; return self."""
        X, y = np.asarray(X, dtype=float), np.asarray(y)
        rng = np.random.default_rng(self.random_state)
        n_samples = len(y)
        self.classes_ = np.unique(y)
        self.n_features_in_ = X.shape[1]
        self.estimators_ = []
        votes = np.zeros((n_samples, len(self.classes_)))
        left_out_shares = []
        for _ in range(self.n_estimators):
            rows = rng.integers(0, n_samples, size=n_samples)
            tree = DecisionTreeClassifierScratch(
                max_depth=self.max_depth,
                max_features=self.max_features,
                random_state=int(rng.integers(2**31 - 1)),
            ).fit(X[rows], y[rows])
            self.estimators_.append(tree)
            out = np.ones(n_samples, dtype=bool)
            out[rows] = False  # the rows this tree never saw
            left_out_shares.append(out.mean())
            columns = np.searchsorted(self.classes_, tree.classes_)
            votes[np.ix_(out, columns)] += tree.predict_proba(X[out])
        voted = votes.sum(axis=1) > 0  # rows that at least one tree left out
        guesses = self.classes_[np.argmax(votes[voted], axis=1)]
        self.oob_score_ = float(np.mean(guesses == y[voted]))
        self.oob_share_ = float(np.mean(left_out_shares))
        return self
