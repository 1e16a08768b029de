"""Regression diagnostics from scratch: residuals, summarised by how large the prediction is.

One error number (the RMSE) averages over every row. Cutting the rows into groups by their
predicted value and summarising the residuals (truth minus prediction) in each group shows what
the average hides: a mean residual that is not zero in some group is a pattern the model missed,
and a spread that grows from group to group is an error that grows with the prediction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from invert.scratch.linear_regression import LinearRegressionNormal

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["residual_summary", "residuals_ours"]

N_GROUPS = 5  # fifths of the predictions, from the lowest to the highest


def residual_summary(
    y: ArrayLike, predicted: ArrayLike, n_groups: int = N_GROUPS
) -> dict[str, float]:
    """RMSE and mean residual overall, then the mean and spread of the residuals per group.

    The rows are sorted by prediction and cut at the quantiles of the predictions into
    `n_groups` groups of (nearly) equal size; a group's spread is the standard deviation of its
    residuals (divided by its size minus one).

    >>> summary = residual_summary([1.0, 2.0, 3.0, 9.0], [1.0, 2.0, 4.0, 6.0], n_groups=2)
    >>> summary["group 2 of 2: mean residual"], summary["mean residual"]
    (1.0, 0.5)
    """
    y, predicted = np.asarray(y, dtype=float), np.asarray(predicted, dtype=float)
    residuals = y - predicted
    summary = {
        "RMSE": float(np.sqrt(np.mean(residuals**2))),
        "mean residual": float(residuals.mean()),
    }
    # Group boundaries at the quantiles of the predictions; a row on a boundary goes below it.
    edges = np.quantile(predicted, np.linspace(0, 1, n_groups + 1))
    group = np.clip(np.searchsorted(edges, predicted, side="left") - 1, 0, n_groups - 1)
    for g in range(n_groups):
        inside = residuals[group == g]
        name = f"group {g + 1} of {n_groups}"
        summary[f"{name}: mean prediction"] = float(predicted[group == g].mean())
        summary[f"{name}: mean residual"] = float(inside.mean())
        summary[f"{name}: residual spread"] = float(inside.std(ddof=1))
    return summary


def residuals_ours(
    X_train: ArrayLike, X_test: ArrayLike, y_train: ArrayLike, y_test: ArrayLike
) -> dict[str, float]:
    """The residual summary of a least-squares model's test predictions, by fifths."""
    model = LinearRegressionNormal().fit(X_train, y_train)
    return residual_summary(y_test, model.predict(X_test))
