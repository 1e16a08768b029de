"""The scikit-learn side of the target-transform card: `TransformedTargetRegressor`.

Same calling convention as `invert.kinds.theory.side_by_side`; the from-scratch side is
`invert.scratch.target_transform.target_transform_ours`.
"""

from __future__ import annotations

from typing import Any

Array = Any  # a NumPy array; NumPy itself is imported only when a function runs

__all__ = ["target_transform_sklearn"]


def target_transform_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """`LinearRegression` on np.log(y) inside `TransformedTargetRegressor`, inverse np.exp."""
    import numpy as np
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.linear_model import LinearRegression
    from sklearn.metrics import root_mean_squared_error

    model = TransformedTargetRegressor(LinearRegression(), func=np.log, inverse_func=np.exp)
    predicted = model.fit(X_train, y_train).predict(X_test)  # already back in units
    log_predicted = model.regressor_.predict(X_test)
    return {
        "first test prediction": float(predicted[0]),
        "mean of the test predictions": float(predicted.mean()),
        "mean of the test targets": float(np.mean(y_test)),
        "RMSE in the target's units": float(root_mean_squared_error(y_test, predicted)),
        "RMSE on the log scale": float(root_mean_squared_error(np.log(y_test), log_predicted)),
    }
