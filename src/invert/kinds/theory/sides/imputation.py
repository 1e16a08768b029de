"""Missing values, both sides: breast-cancer measurements with gaps, filled with the training
rows' medians or means and flagged by indicator columns.

The bundled data has no gaps, so both sides blank the same cells first: a tenth of the cells of
each split, chosen with a fixed seed, completely at random. Everything heavy is imported inside
the functions.
"""

from __future__ import annotations

from typing import Any

Array = Any

__all__ = ["imputation_ours", "imputation_sklearn"]

SHARE_MISSING = 0.1


def with_gaps(X: Array, seed: int) -> Array:
    """A copy of ``X`` with a share SHARE_MISSING of its cells set to NaN, at random (seeded)."""
    import numpy as np

    X = np.array(X, dtype=float)
    X[np.random.default_rng(seed).random(X.shape) < SHARE_MISSING] = np.nan
    return X


def _summary(
    median: Any, mean: Any, train: Array, test: Array, n_features: int
) -> dict[str, float]:
    """Fill values of the first two features, the indicator count, and fingerprints of the
    imputed matrices."""
    import numpy as np

    result = {
        "median fill, feature 1 (mean radius)": float(median.statistics_[0]),
        "median fill, feature 2 (mean texture)": float(median.statistics_[1]),
        "mean fill, feature 1 (mean radius)": float(mean.statistics_[0]),
        "mean fill, feature 2 (mean texture)": float(mean.statistics_[1]),
        "indicator columns added": float(test.shape[1] - n_features),
        "gaps flagged in the test rows": float(test[:, n_features:].sum()),
        "sum of the imputed training matrix": float(train.sum()),
        "sum of the imputed test matrix": float(test.sum()),
    }
    result["largest value in the imputed test matrix"] = float(np.max(test))
    return result


def imputation_ours(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """Median imputation with indicators (and mean imputation) by `SimpleImputerScratch`."""
    from invert.scratch.imputation import SimpleImputerScratch

    train, test = with_gaps(X_train, 0), with_gaps(X_test, 1)
    median = SimpleImputerScratch(strategy="median", add_indicator=True).fit(train)
    mean = SimpleImputerScratch(strategy="mean").fit(train)
    return _summary(median, mean, median.transform(train), median.transform(test), train.shape[1])


def imputation_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same with scikit-learn's `SimpleImputer(add_indicator=True)`."""
    from sklearn.impute import SimpleImputer

    train, test = with_gaps(X_train, 0), with_gaps(X_test, 1)
    median = SimpleImputer(strategy="median", add_indicator=True).fit(train)
    mean = SimpleImputer(strategy="mean").fit(train)
    return _summary(median, mean, median.transform(train), median.transform(test), train.shape[1])
