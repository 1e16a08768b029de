"""The scikit-learn side of the permutation-importance card: `sklearn.inspection`'s function.

Same calling convention as `invert.kinds.theory.side_by_side`: ``f(X_train, X_test, y_train,
y_test)`` returns named numbers; the from-scratch side is
`invert.scratch.importance.permutation_importance_ours`.
"""

from __future__ import annotations

from typing import Any

Array = Any  # a NumPy array; NumPy itself is imported only when a function runs

__all__ = ["permutation_importance_sklearn"]

N_REPEATS = 30  # shuffles per column, as on the from-scratch side


def permutation_importance_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """Test-row permutation importance (drop in R²) of each column of a `LinearRegression`."""
    from sklearn.inspection import permutation_importance
    from sklearn.linear_model import LinearRegression

    model = LinearRegression().fit(X_train, y_train)
    result = permutation_importance(model, X_test, y_test, n_repeats=N_REPEATS, random_state=0)
    return {
        f"column {j}: drop in test R²": float(drop)
        for j, drop in enumerate(result.importances_mean)
    }
