"""The scikit-learn side of the learning-rate card: where gradient descent on least squares must
be after t steps, worked out from the closed-form answer and the curvatures, with no steps taken.

The loss of a linear model is a bowl. Along each principal direction of the (centred) features
its curvature is a = 2 × that direction's variance (divided by n), and a step of size η
multiplies the distance to the bottom along it by (1 − η a). So after t steps from zero the
excess loss is Σ a/2 (1 − η a)^(2t) e², e being the start's distance to the least-squares
weights along the direction, plus the intercept's share with a = 2. `LinearRegression` gives
the bottom, `PCA` the directions and variances. The scratch side walks there step by step.

Everything heavy is imported inside the functions.
"""

from __future__ import annotations

from typing import Any

Array = Any

__all__ = ["learning_rate_ours", "learning_rate_sklearn"]

RATES = (0.01, 0.1, 0.2, 0.24, 0.25)  # step sizes, the last just past the limit on diabetes
N_STEPS = 100


def _summary(limit: float, excess: dict[float, float]) -> dict[str, float]:
    import numpy as np

    result = {"largest stable learning rate, 2 / largest curvature": limit}
    for rate, value in excess.items():
        # log10, so that a loss that explodes and one that has all but vanished compare alike
        result[f"rate {rate}: log10 excess loss after {N_STEPS} steps"] = float(np.log10(value))
    return result


def learning_rate_ours(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """Take the steps with `invert.scratch.learning_rate`; the bottom by least squares."""
    import numpy as np

    from invert.scratch.learning_rate import gradient_descent_losses, largest_stable_rate

    design = np.column_stack([X_train, np.ones(len(X_train))])
    solution = np.linalg.lstsq(design, y_train, rcond=None)[0]
    lowest = float(np.mean((design @ solution - y_train) ** 2))
    excess = {
        rate: float(gradient_descent_losses(X_train, y_train, rate, N_STEPS)[-1] - lowest)
        for rate in RATES
    }
    return _summary(largest_stable_rate(X_train), excess)


def learning_rate_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same numbers from `LinearRegression` (the bottom) and `PCA` (the curvatures)."""
    import numpy as np
    from sklearn.decomposition import PCA
    from sklearn.linear_model import LinearRegression

    n = len(X_train)
    best = LinearRegression().fit(X_train, y_train)
    pca = PCA().fit(X_train)
    curvatures = 2.0 * pca.explained_variance_ * (n - 1) / n  # PCA divides by n - 1
    start = pca.components_ @ (0.0 - best.coef_)  # distance from w = 0 along each direction
    excess = {}
    for rate in RATES:
        weights = np.sum(curvatures / 2 * (1 - rate * curvatures) ** (2 * N_STEPS) * start**2)
        intercept = (1 - 2 * rate) ** (2 * N_STEPS) * best.intercept_**2
        excess[rate] = float(weights + intercept)
    return _summary(2.0 / max(float(curvatures.max()), 2.0), excess)
