"""Gradient boosting for regression from scratch: trees fitted one after another to the residuals.

Start from the best constant, the mean. Then, round after round, fit a small regression tree to
what the model still gets wrong and add a shrunken copy of it to the model:

    F_0(x) = mean(y)
    F_m(x) = F_{m-1}(x) + learning_rate * tree_m(x),  tree_m fitted to r = y - F_{m-1}(x)

For the squared error L = (y - F)**2 / 2 the residual r is exactly the negative gradient
-dL/dF, so each round is one step of gradient descent, taken in the space of functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

import numpy as np

from invert.scratch._base import ScratchEstimator
from invert.scratch.tree import DecisionTreeRegressorScratch

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray


class GradientBoostingRegressorScratch(ScratchEstimator):
    """Gradient boosting with squared error: each tree fits the residuals of the trees before it.

    Parameters
    ----------
    n_estimators : int
        Number of boosting rounds (trees).
    learning_rate : float
        Shrinks each tree's contribution; smaller steps need more trees but generalise better.
    max_depth : int
        Depth of each regression tree; 1 gives stumps (one question per tree, no interactions).

    Attributes
    ----------
    init_ : float
        The starting prediction F_0, the mean of the training targets.
    estimators_ : list of the fitted `DecisionTreeRegressorScratch`, one per round
    train_loss_ : list of float
        Mean squared error on the training set after each round.
    n_features_in_ : number of features seen in fit

    Examples
    --------
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> model = GradientBoostingRegressorScratch(n_estimators=50, learning_rate=0.5, max_depth=1)
    >>> model.fit(X, [0.0, 0.0, 10.0, 10.0]).predict([[0.5], [2.5]]).round(3).tolist()
    [0.0, 10.0]
    """

    _estimator_type = "regressor"  # tells scikit-learn (via the tags) how to treat it

    init_: float
    estimators_: list[DecisionTreeRegressorScratch]
    train_loss_: list[float]
    n_features_in_: int

    def __init__(
        self, n_estimators: int = 100, learning_rate: float = 0.1, max_depth: int = 3
    ) -> None:
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.max_depth = max_depth

    def fit(self, X: ArrayLike, y: ArrayLike) -> Self:
        """Run `n_estimators` boosting rounds on rows X with numeric targets y; return self."""
        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
        self.n_features_in_ = X.shape[1]
        self.init_ = float(np.mean(y))  # F_0: the constant with the lowest squared error
        F = np.full(len(y), self.init_)  # the model's current predictions on the training rows
        self.estimators_ = []
        self.train_loss_ = []
        for _ in range(self.n_estimators):
            residuals = y - F  # the negative gradient of (y - F)**2 / 2 with respect to F
            tree = DecisionTreeRegressorScratch(max_depth=self.max_depth).fit(X, residuals)
            F = F + self.learning_rate * tree.predict(X)  # a small step towards the residuals
            self.estimators_.append(tree)
            self.train_loss_.append(float(np.mean((y - F) ** 2)))
        return self

    def predict(self, X: ArrayLike) -> NDArray[np.float64]:
        """F_0 plus the shrunken prediction of every tree, added in the order they were fitted."""
        self._check_fitted()
        X = np.asarray(X, dtype=float)
        F = np.full(len(X), self.init_)
        for tree in self.estimators_:
            F = F + self.learning_rate * tree.predict(X)
        return F
