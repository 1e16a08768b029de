"""A linear support vector machine from scratch: subgradient steps on the hinge loss (Pegasos).

The machine looks for weights w that give every training row a margin y (w·x) of at least 1
while keeping w short (a short w is a wide margin, 2 / ||w||). Rows that fall short pay the hinge
loss max(0, 1 - margin). The objective, with lam = 1 / (C n), is

    lam/2 ||w||² + (1/n) Σ max(0, 1 - y_i w·x_i),

which is scikit-learn's LinearSVC(loss="hinge") objective, ½||w||² + C Σ hinge, divided by C n.
The hinge has a corner, so there is no gradient there; a subgradient does the job: where a row
is inside the margin its slope is -y x, elsewhere 0. Pegasos steps against it with the step size
1 / (lam t), which shrinks as the steps t add up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

import numpy as np

from invert.scratch._base import ScratchEstimator

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray


class LinearSVMScratch(ScratchEstimator):
    """Two-class linear SVM trained by full-batch subgradient descent on the hinge loss.

    The intercept is learned as the weight of a constant feature of 1 and is penalised like the
    other weights, as scikit-learn's LinearSVC does (with intercept_scaling=1).

    Parameters
    ----------
    C : float, default=1.0
        How much a row inside the margin costs against a shorter w: larger C, fewer violations,
        narrower margin.
    n_steps : int, default=5000
        Number of subgradient steps, each over all the rows.

    Attributes
    ----------
    classes_ : the two class labels, sorted; the second is the positive side
    coef_ : array of shape (1, n_features), the weights w
    intercept_ : array of shape (1,), the intercept b
    n_features_in_ : number of features seen in fit

    Examples
    --------
    >>> X = [[0.0], [1.0], [3.0], [4.0]]
    >>> LinearSVMScratch().fit(X, [0, 0, 1, 1]).predict([[0.5], [3.5]]).tolist()
    [0, 1]
    """

    _estimator_type = "classifier"  # tells scikit-learn (via the tags) how to treat it

    classes_: NDArray[Any]
    coef_: NDArray[np.float64]
    intercept_: NDArray[np.float64]
    n_features_in_: int

    def __init__(self, C: float = 1.0, n_steps: int = 5000) -> None:
        self.C = C
        self.n_steps = n_steps

    def fit(self, X: ArrayLike, y: ArrayLike) -> Self:
        """Take `n_steps` subgradient steps on the penalised hinge loss; return self."""
        X, y = np.asarray(X, dtype=float), np.asarray(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) != 2:
            raise ValueError("LinearSVMScratch separates exactly two classes")
        self.n_features_in_ = X.shape[1]
        signs = np.where(y == self.classes_[1], 1.0, -1.0)  # y as +1 / -1
        Z = np.hstack([X, np.ones((len(X), 1))])  # the constant feature carries the intercept
        n = len(Z)
        lam = 1.0 / (self.C * n)
        w = np.zeros(Z.shape[1])
        average = np.zeros_like(w)
        for t in range(1, self.n_steps + 1):
            margins = signs * (Z @ w)
            inside = margins < 1  # rows in the margin or misclassified: their hinge is active
            subgradient = lam * w - (signs[inside] @ Z[inside]) / n
            w = w - subgradient / (lam * t)
            # Average the second half of the path: the last step alone keeps zig-zagging.
            if t > self.n_steps // 2:
                average += w
        w = average / (self.n_steps - self.n_steps // 2)
        self.coef_ = w[None, :-1]
        self.intercept_ = w[-1:]
        return self

    def decision_function(self, X: ArrayLike) -> NDArray[np.float64]:
        """w·x + b for each row: positive on the side of `classes_[1]`."""
        self._check_fitted()
        scores: NDArray[np.float64] = (
            np.asarray(X, dtype=float) @ self.coef_[0] + self.intercept_[0]
        )
        return scores

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """The class on whose side of the boundary each row falls."""
        positive = self.decision_function(X) > 0  # first: it checks that the model is fitted
        labels: NDArray[Any] = self.classes_[positive.astype(int)]
        return labels
