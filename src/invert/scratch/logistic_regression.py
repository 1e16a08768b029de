"""Logistic regression from scratch: gradient descent on cross-entropy plus an L2 penalty.

Two classes use one weight vector and the sigmoid; more than two use one weight vector per class
and the softmax. Both minimise the same objective as scikit-learn's ``LogisticRegression(C=C)``::

    mean cross-entropy + ||W||² / (2 C n)

which is scikit-learn's ``C · Σ loss + ½ ||W||²`` divided by ``C n`` (same minimum, and a loss on
the familiar per-row scale). The intercept is not penalised, as in scikit-learn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

import numpy as np

from invert.scratch._base import ScratchEstimator

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray


def _sigmoid(z: NDArray[np.float64]) -> NDArray[np.float64]:
    """Sigmoid σ(z) = 1 / (1 + e^-z), computed as exp(-log(1 + e^-z)) so that it cannot overflow."""
    return np.exp(-np.logaddexp(0.0, -z))


def _softmax(z: NDArray[np.float64]) -> NDArray[np.float64]:
    """Softmax of each row: e^z_k / Σ_j e^z_j."""
    # Subtracting the row maximum changes nothing mathematically but keeps exp() from overflowing.
    exp_z = np.exp(z - z.max(axis=1, keepdims=True))
    probabilities: NDArray[np.float64] = exp_z / exp_z.sum(axis=1, keepdims=True)
    return probabilities


class LogisticRegressionScratch(ScratchEstimator):
    """Binary and multiclass (softmax) logistic regression fitted by batch gradient descent.

    Standardise the features first: gradient descent needs features on similar scales.

    Parameters
    ----------
    C : float, default=1.0
        Inverse regularisation strength, as in scikit-learn: smaller C, smaller weights.
    learning_rate : float, default=0.1
        Step size of each gradient-descent epoch.
    n_epochs : int, default=2000
        Number of gradient steps (one per pass over the training set).
    fit_intercept : bool, default=True
        Whether to learn a constant term per class.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The sorted class labels.
    coef_ : ndarray of shape (1, n_features) for two classes, else (n_classes, n_features)
        Weights: one row for the positive class ``classes_[1]``, or one row per class.
    intercept_ : ndarray of shape (1,) or (n_classes,)
        Constant terms, one per row of ``coef_``.
    loss_history_ : ndarray of shape (n_epochs,)
        The penalised objective at the start of each epoch: it should fall and level off.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> y = np.array(["no", "no", "yes", "yes"])
    >>> model = LogisticRegressionScratch().fit(X, y)
    >>> model.predict(np.array([[-3.0], [3.0]])).tolist()
    ['no', 'yes']
    >>> model.predict_proba(np.array([[0.0]])).round(3).tolist()
    [[0.5, 0.5]]
    """

    _estimator_type = "classifier"  # tells scikit-learn (via the tags) how to treat it

    classes_: NDArray[Any]
    coef_: NDArray[np.float64]
    intercept_: NDArray[np.float64]
    loss_history_: NDArray[np.float64]

    def __init__(
        self,
        C: float = 1.0,
        learning_rate: float = 0.1,
        n_epochs: int = 2000,
        fit_intercept: bool = True,
    ) -> None:
        self.C = C
        self.learning_rate = learning_rate
        self.n_epochs = n_epochs
        self.fit_intercept = fit_intercept

    def fit(self, X: ArrayLike, y: ArrayLike) -> Self:
        """Run ``n_epochs`` steps of gradient descent from all-zero weights.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training features, ideally standardised.
        y : array-like of shape (n_samples,)
            Class labels (at least two distinct values).

        Returns
        -------
        self : LogisticRegressionScratch
            The fitted model.
        """
        X = np.asarray(X, dtype=np.float64)
        self.classes_, y_index = np.unique(np.asarray(y), return_inverse=True)
        n_samples, n_features = X.shape
        n_classes = len(self.classes_)
        if n_classes < 2:
            raise ValueError("LogisticRegressionScratch needs at least two classes in y")

        # Targets T: for two classes one column, 1 where y is the positive class classes_[1];
        # otherwise one-hot, one column per class.
        if n_classes == 2:
            targets = (y_index == 1).astype(np.float64)[:, np.newaxis]
        else:
            targets = np.eye(n_classes)[y_index]

        weights = np.zeros((n_features, targets.shape[1]))
        bias = np.zeros(targets.shape[1])
        losses = []
        for _ in range(self.n_epochs):
            probabilities = self._link(X @ weights + bias)  # sigmoid or softmax of the scores

            # Objective: mean cross-entropy -mean(Σ_k t_k log p_k) + ||W||² / (2 C n).
            penalty = np.sum(weights**2) / (2.0 * self.C * n_samples)
            losses.append(self._cross_entropy(targets, probabilities) + penalty)

            # Gradient. For sigmoid + binary cross-entropy AND for softmax + cross-entropy the
            # derivative with respect to the scores is the same simple error P - T, so:
            #   ∂/∂W = Xᵀ(P - T) / n + W / (C n)      ∂/∂b = mean(P - T)
            error = probabilities - targets
            grad_weights = X.T @ error / n_samples + weights / (self.C * n_samples)
            grad_bias = error.mean(axis=0)

            weights -= self.learning_rate * grad_weights
            if self.fit_intercept:
                bias -= self.learning_rate * grad_bias

        # Same layout as scikit-learn: one row of coef_ per weight vector.
        self.coef_ = weights.T
        self.intercept_ = bias
        self.loss_history_ = np.array(losses)
        return self

    def _link(self, scores: NDArray[np.float64]) -> NDArray[np.float64]:
        """Turn scores into probabilities: sigmoid for one column, softmax for several."""
        return _sigmoid(scores) if scores.shape[1] == 1 else _softmax(scores)

    @staticmethod
    def _cross_entropy(targets: NDArray[np.float64], probabilities: NDArray[np.float64]) -> float:
        """Mean cross-entropy -mean(Σ_k t_k log p_k); the binary case also counts 1 - p."""
        if targets.shape[1] == 1:  # binary: add the column for the negative class
            targets = np.hstack([1.0 - targets, targets])
            probabilities = np.hstack([1.0 - probabilities, probabilities])
        # Clip so a probability that rounds to exactly 0 gives a large loss rather than log(0).
        log_p = np.log(np.clip(probabilities, 1e-300, None))
        return float(-np.mean(np.sum(targets * log_p, axis=1)))

    def decision_function(self, X: ArrayLike) -> NDArray[np.float64]:
        """Scores ``X @ coef_.T + intercept_``: one column per row of ``coef_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features.

        Returns
        -------
        scores : ndarray of shape (n_samples, 1) or (n_samples, n_classes)
            The linear scores, before the sigmoid or softmax.
        """
        self._check_fitted()
        scores: NDArray[np.float64] = np.asarray(X, dtype=np.float64) @ self.coef_.T
        return scores + self.intercept_

    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Probability of each class, columns in the order of ``classes_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Each row sums to 1.
        """
        probabilities = self._link(self.decision_function(X))
        if probabilities.shape[1] == 1:  # binary: P(classes_[0]) = 1 - P(classes_[1])
            probabilities = np.hstack([1.0 - probabilities, probabilities])
        return probabilities

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """Predict the most probable class of each row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted class labels.
        """
        proba = self.predict_proba(X)
        predicted: NDArray[Any] = self.classes_[np.argmax(proba, axis=1)]
        return predicted
