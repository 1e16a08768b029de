"""A random forest from scratch: many decorrelated trees, each grown on a bootstrap sample.

One deep tree has low bias but high variance: small changes in the data change it a lot.
Averaging many trees cuts the variance, but only if their errors differ. Two sources of
randomness make them differ: each tree sees a bootstrap sample of the rows (bagging), and each
node searches only a random subset of the features (`max_features`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

import numpy as np

from invert.scratch._base import ScratchEstimator
from invert.scratch.tree import DecisionTreeClassifierScratch

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray


class RandomForestClassifierScratch(ScratchEstimator):
    """Random forest classifier: bagged trees with random feature subsets, probabilities averaged.

    Parameters
    ----------
    n_estimators : int
        Number of trees.
    max_features : None, "sqrt", "log2", int or float
        Features searched at each node; "sqrt" of the feature count is the usual choice for
        classification, None (all features) gives plain bagging.
    max_depth : int or None
        Depth limit of each tree; None grows each tree until its leaves are pure.
    random_state : int or None
        Seed for the bootstrap samples and the feature draws.

    Attributes
    ----------
    estimators_ : list of the fitted `DecisionTreeClassifierScratch`
    classes_ : array of the class labels, sorted
    n_features_in_ : number of features seen in fit

    Examples
    --------
    >>> X = [[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]]
    >>> forest = RandomForestClassifierScratch(n_estimators=10, random_state=0)
    >>> forest.fit(X, [0, 0, 0, 1, 1, 1]).predict([[0.5], [4.5]]).tolist()
    [0, 1]
    """

    _estimator_type = "classifier"  # tells scikit-learn (via the tags) how to treat it

    classes_: NDArray[Any]
    estimators_: list[DecisionTreeClassifierScratch]
    n_features_in_: int

    def __init__(
        self,
        n_estimators: int = 100,
        max_features: int | float | str | None = "sqrt",
        max_depth: int | None = None,
        random_state: int | None = None,
    ) -> None:
        self.n_estimators = n_estimators
        self.max_features = max_features
        self.max_depth = max_depth
        self.random_state = random_state

    def fit(self, X: ArrayLike, y: ArrayLike) -> Self:
        """Grow `n_estimators` trees, each on its own bootstrap sample; return self."""
        X, y = np.asarray(X, dtype=float), np.asarray(y)
        rng = np.random.default_rng(self.random_state)
        n_samples = len(y)
        self.classes_ = np.unique(y)
        self.n_features_in_ = X.shape[1]
        self.estimators_ = []
        for _ in range(self.n_estimators):
            # Bagging: draw n rows with replacement; each tree sees ~63% of the distinct rows.
            rows = rng.integers(0, n_samples, size=n_samples)
            tree = DecisionTreeClassifierScratch(
                max_depth=self.max_depth,
                max_features=self.max_features,  # the random feature subset at each node
                random_state=int(rng.integers(2**31 - 1)),  # each tree draws different features
            )
            self.estimators_.append(tree.fit(X[rows], y[rows]))
        return self

    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """The mean of the trees' class probabilities (a soft majority vote)."""
        self._check_fitted()
        X = np.asarray(X, dtype=float)
        proba = np.zeros((len(X), len(self.classes_)))
        for tree in self.estimators_:
            # A bootstrap sample can miss a class: line each tree's columns up with classes_.
            columns = np.searchsorted(self.classes_, tree.classes_)
            proba[:, columns] += tree.predict_proba(X)
        return proba / len(self.estimators_)

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """The class with the highest mean probability."""
        scores = self.predict_proba(X)  # first: it checks that the model is fitted
        labels: NDArray[Any] = self.classes_[np.argmax(scores, axis=1)]
        return labels
