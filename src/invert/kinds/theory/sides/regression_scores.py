"""The two sides of the r2 card: R² by its definition and by scikit-learn's `r2_score`, for a
linear regression and two models that do worse than it on the test rows.

Calling convention as in `invert.kinds.theory.side_by_side`.
"""

from __future__ import annotations

from typing import Any

Array = Any  # a NumPy array; NumPy itself is imported only when a function runs

__all__ = ["r2_ours", "r2_sklearn"]


def _predictions(X_train: Array, X_test: Array, y_train: Array) -> dict[str, tuple[Array, Array]]:
    """(training, test) predictions of three models: a linear regression, a tree grown to full
    depth, and the training rows' mean predicted for every row."""
    import numpy as np
    from sklearn.linear_model import LinearRegression
    from sklearn.tree import DecisionTreeRegressor

    result = {}
    for name, model in (
        ("linear regression", LinearRegression()),
        ("full-depth tree", DecisionTreeRegressor(random_state=0)),
    ):
        fitted = model.fit(X_train, y_train)
        result[name] = (fitted.predict(X_train), fitted.predict(X_test))
    mean = float(np.mean(y_train))
    result["training mean"] = (np.full(len(X_train), mean), np.full(len(X_test), mean))
    return result


def r2_ours(X_train: Array, X_test: Array, y_train: Array, y_test: Array) -> dict[str, float]:
    """R² on the training and the test rows, with `invert.scratch.regression_scores`."""
    from invert.scratch.regression_scores import r2_score

    result = {}
    for name, (train, test) in _predictions(X_train, X_test, y_train).items():
        result[f"R² on training rows, {name}"] = r2_score(y_train, train)
        result[f"R² on test rows, {name}"] = r2_score(y_test, test)
    return result


def r2_sklearn(X_train: Array, X_test: Array, y_train: Array, y_test: Array) -> dict[str, float]:
    """The same with scikit-learn's `r2_score`."""
    from sklearn.metrics import r2_score

    result = {}
    for name, (train, test) in _predictions(X_train, X_test, y_train).items():
        result[f"R² on training rows, {name}"] = float(r2_score(y_train, train))
        result[f"R² on test rows, {name}"] = float(r2_score(y_test, test))
    return result
