"""Linear regression from scratch: the closed-form normal equations, then gradient descent.

Both models predict ``y_hat = X @ coef_ + intercept_`` and choose the weights that minimise the
mean squared error. They differ only in *how* they find them: the normal equations solve for the
minimum in one step; gradient descent walks downhill towards it, one small step per epoch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

import numpy as np

from invert.scratch._base import ScratchEstimator

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray


class LinearRegressionNormal(ScratchEstimator):
    """Ordinary least squares, solved in closed form through the normal equations.

    The weights that minimise ``||y - X w||²`` are where its gradient ``-2 Xᵀ(y - X w)`` is
    zero, which rearranges to the *normal equations* ``XᵀX w = Xᵀy``.

    Parameters
    ----------
    fit_intercept : bool, default=True
        Whether to learn a constant term ``intercept_``. If False the line goes through 0.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        One weight per feature.
    intercept_ : float
        The constant term (0.0 when ``fit_intercept=False``).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> y = 2 * X[:, 0] + 1
    >>> model = LinearRegressionNormal().fit(X, y)
    >>> model.coef_.round(6).tolist(), round(model.intercept_, 6)
    ([2.0], 1.0)
    """

    _estimator_type = "regressor"  # tells scikit-learn (via the tags) how to treat it

    coef_: NDArray[np.float64]
    intercept_: float

    def __init__(self, fit_intercept: bool = True) -> None:
        self.fit_intercept = fit_intercept

    def fit(self, X: ArrayLike, y: ArrayLike) -> Self:
        """Learn ``coef_`` and ``intercept_`` from training data.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training features.
        y : array-like of shape (n_samples,)
            Training targets.

        Returns
        -------
        self : LinearRegressionNormal
            The fitted model.
        """
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)

        # Centring X and y removes the intercept from the problem: the best line always passes
        # through the point of means (x̄, ȳ), so we fit the slopes on centred data and recover
        # the intercept afterwards as b = ȳ - x̄ · w.
        if self.fit_intercept:
            X_mean, y_mean = X.mean(axis=0), y.mean()
        else:
            X_mean, y_mean = np.zeros(X.shape[1]), 0.0
        X_centred, y_centred = X - X_mean, y - y_mean

        # Normal equations XᵀX w = Xᵀy. lstsq finds the same w without forming XᵀX (forming it
        # squares the condition number, losing digits) and still answers when XᵀX is singular,
        # e.g. with perfectly correlated columns (it then returns the smallest-norm solution).
        self.coef_ = np.linalg.lstsq(X_centred, y_centred, rcond=None)[0]
        self.intercept_ = float(y_mean - X_mean @ self.coef_)
        return self

    def predict(self, X: ArrayLike) -> NDArray[np.float64]:
        """Predict targets: ``y_hat = X @ coef_ + intercept_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features to predict from.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted targets.
        """
        self._check_fitted()
        result: NDArray[np.float64] = np.asarray(X, dtype=np.float64) @ self.coef_
        return result + self.intercept_


class LinearRegressionGD(ScratchEstimator):
    """Linear regression fitted by batch gradient descent on the mean squared error.

    Each epoch computes the gradient of ``MSE = mean((X w + b - y)²)`` over the *whole*
    training set and takes one step of size ``learning_rate`` against it. Standardise the
    features first (e.g. ``StandardScaler``): with features on very different scales no single
    learning rate suits every weight, and descent crawls or diverges.

    Parameters
    ----------
    learning_rate : float, default=0.01
        Step size: how far each epoch moves the weights against the gradient.
    n_epochs : int, default=1000
        Number of gradient steps (one per pass over the training set).
    fit_intercept : bool, default=True
        Whether to learn a constant term ``intercept_``.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        One weight per feature.
    intercept_ : float
        The constant term (0.0 when ``fit_intercept=False``).
    loss_history_ : ndarray of shape (n_epochs,)
        Training MSE at the start of each epoch: plot it to watch the descent.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[-1.0], [0.0], [1.0]])
    >>> y = 3 * X[:, 0] + 2
    >>> model = LinearRegressionGD(learning_rate=0.1, n_epochs=500).fit(X, y)
    >>> model.coef_.round(4).tolist(), round(model.intercept_, 4)
    ([3.0], 2.0)
    >>> bool(model.loss_history_[0] > model.loss_history_[-1])
    True
    """

    _estimator_type = "regressor"  # tells scikit-learn (via the tags) how to treat it

    coef_: NDArray[np.float64]
    intercept_: float
    loss_history_: NDArray[np.float64]

    def __init__(
        self, learning_rate: float = 0.01, n_epochs: int = 1000, fit_intercept: bool = True
    ) -> None:
        self.learning_rate = learning_rate
        self.n_epochs = n_epochs
        self.fit_intercept = fit_intercept

    def fit(self, X: ArrayLike, y: ArrayLike) -> Self:
        """Run ``n_epochs`` steps of batch gradient descent from all-zero weights.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training features, ideally standardised.
        y : array-like of shape (n_samples,)
            Training targets.

        Returns
        -------
        self : LinearRegressionGD
            The fitted model.
        """
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        n_samples, n_features = X.shape

        weights = np.zeros(n_features)
        bias = 0.0
        losses = []
        for _ in range(self.n_epochs):
            residual = X @ weights + bias - y  # ŷ - y for every training row
            losses.append(np.mean(residual**2))  # MSE = mean((ŷ - y)²)

            # Gradient of the MSE: ∂/∂w = (2/n) Xᵀ(ŷ - y) and ∂/∂b = (2/n) Σ(ŷ - y).
            grad_weights = 2.0 / n_samples * (X.T @ residual)
            grad_bias = 2.0 * residual.mean()

            # Step downhill: w ← w - η ∂MSE/∂w (and the same for b).
            weights -= self.learning_rate * grad_weights
            if self.fit_intercept:
                bias -= self.learning_rate * grad_bias

        self.coef_ = weights
        self.intercept_ = float(bias)
        self.loss_history_ = np.array(losses)
        return self

    def predict(self, X: ArrayLike) -> NDArray[np.float64]:
        """Predict targets: ``y_hat = X @ coef_ + intercept_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features to predict from (scaled as in training).

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted targets.
        """
        self._check_fitted()
        result: NDArray[np.float64] = np.asarray(X, dtype=np.float64) @ self.coef_
        return result + self.intercept_
