"""The scikit-learn side of the regression-diagnostics card: residuals grouped with pandas.

Same calling convention as `invert.kinds.theory.side_by_side`; the from-scratch side is
`invert.scratch.residuals.residuals_ours`.
"""

from __future__ import annotations

from typing import Any

Array = Any  # a NumPy array; NumPy itself is imported only when a function runs

__all__ = ["residuals_sklearn"]

N_GROUPS = 5  # fifths of the predictions, as on the from-scratch side


def residuals_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same summary from `LinearRegression`'s predictions, cut into fifths by `pandas.qcut`."""
    import numpy as np
    import pandas as pd
    from sklearn.linear_model import LinearRegression
    from sklearn.metrics import mean_squared_error

    predicted = LinearRegression().fit(X_train, y_train).predict(X_test)
    frame = pd.DataFrame({"predicted": predicted, "residual": np.asarray(y_test) - predicted})
    frame["group"] = pd.qcut(frame["predicted"], N_GROUPS, labels=False)
    summary = {
        "RMSE": float(np.sqrt(mean_squared_error(y_test, predicted))),
        "mean residual": float(frame["residual"].mean()),
    }
    for g, rows in frame.groupby("group"):
        name = f"group {int(str(g)) + 1} of {N_GROUPS}"
        summary[f"{name}: mean prediction"] = float(rows["predicted"].mean())
        summary[f"{name}: mean residual"] = float(rows["residual"].mean())
        summary[f"{name}: residual spread"] = float(rows["residual"].std())
    return summary
