"""A regressor fitted to the log of the target, with its predictions turned back by exp.

Fitting to log(y) makes multiplicative effects additive and tames a right-skewed target; but
the model then predicts logs, and every prediction must go back through the inverse (exp)
before it is compared with a target in its own units. exp of a predicted mean log is not the
predicted mean: it is nearer a typical (median) value, below the mean.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

import numpy as np

from invert.scratch._base import ScratchEstimator
from invert.scratch.linear_regression import LinearRegressionNormal

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = ["LogTargetRegressorScratch", "target_transform_ours"]


class LogTargetRegressorScratch(ScratchEstimator):
    """Fit `regressor` to log(y); predict exp of its prediction, in the target's own units.

    Parameters
    ----------
    regressor : estimator or None
        Any regressor with fit/predict; None means least squares (`LinearRegressionNormal`).

    Attributes
    ----------
    regressor_ : the fitted regressor, whose predictions are on the log scale

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> model = LogTargetRegressorScratch().fit(X, 10.0 * 2.0 ** X[:, 0])  # doubles per step
    >>> model.predict([[4.0]]).round(6).tolist()
    [160.0]
    """

    _estimator_type = "regressor"  # tells scikit-learn (via the tags) how to treat it

    regressor_: Any

    def __init__(self, regressor: Any = None) -> None:
        self.regressor = regressor

    def fit(self, X: ArrayLike, y: ArrayLike) -> Self:
        """Fit the regressor to the log of the (positive) targets; return self."""
        y = np.asarray(y, dtype=float)
        if np.any(y <= 0):
            raise ValueError("the log of a target needs every target above zero")
        regressor = LinearRegressionNormal() if self.regressor is None else self.regressor
        self.regressor_ = regressor.fit(X, np.log(y))  # learns on the log scale
        return self

    def predict(self, X: ArrayLike) -> NDArray[np.float64]:
        """exp of the log-scale prediction: back in the target's own units."""
        self._check_fitted()
        predicted: NDArray[np.float64] = np.exp(self.regressor_.predict(X))
        return predicted


def target_transform_ours(
    X_train: ArrayLike, X_test: ArrayLike, y_train: ArrayLike, y_test: ArrayLike
) -> dict[str, float]:
    """Test predictions of least squares on log(y), turned back, and their errors in units."""
    y_test = np.asarray(y_test, dtype=float)
    model = LogTargetRegressorScratch().fit(X_train, y_train)
    predicted = model.predict(X_test)
    log_error = np.log(y_test) - model.regressor_.predict(X_test)
    return {
        "first test prediction": float(predicted[0]),
        "mean of the test predictions": float(predicted.mean()),
        "mean of the test targets": float(y_test.mean()),
        "RMSE in the target's units": float(np.sqrt(np.mean((y_test - predicted) ** 2))),
        "RMSE on the log scale": float(np.sqrt(np.mean(log_error**2))),
    }
