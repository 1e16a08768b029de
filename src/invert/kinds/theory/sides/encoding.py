"""Categories as numbers, both sides: one-hot encoding and target encoding of the penguins' island.

The card's split hands over the penguins' four measurements; the categorical columns of the same
rows (island, sex) are looked up in the penguins file by those measurements, which are distinct
for every penguin. Everything heavy is imported inside the functions.
"""

from __future__ import annotations

from typing import Any

Array = Any

__all__ = [
    "one_hot_ours",
    "one_hot_sklearn",
    "target_encoding_ours",
    "target_encoding_sklearn",
]

MEASUREMENTS = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
SMOOTH = 10.0  # m: the overall share counts as this many rows of every island
FOLDS = 5
UNSEEN = "Anvers"  # an island the penguins file never names: a category fit cannot have seen


def penguin_categories(X: Array) -> Array:
    """Island and sex (a missing sex written "unknown") of the penguins whose measurements are
    the rows of ``X``, as an object array of shape (n, 2)."""
    import numpy as np
    import pandas as pd

    from invert.catalog.loader import CONTENT_DIR

    frame = pd.read_csv(CONTENT_DIR / "data" / "penguins.csv").dropna(subset=MEASUREMENTS)
    keys = [tuple(row) for row in frame[MEASUREMENTS].to_numpy(dtype=float)]
    if len(set(keys)) != len(keys):
        raise ValueError("two penguins share all four measurements: rows cannot be matched")
    categories = frame[["island", "sex"]].fillna("unknown").to_numpy(dtype=object)
    lookup = dict(zip(keys, categories, strict=True))
    return np.array([lookup[tuple(row)] for row in np.asarray(X, dtype=float)], dtype=object)


def _with_unseen(rows: Array) -> Array:
    import numpy as np

    return np.vstack([rows, np.array([[UNSEEN, "female"]], dtype=object)])


def _one_hot_summary(names: list[str], train: Array, test: Array) -> dict[str, float]:
    """How many training and test rows each column marks, and what the unseen island gets."""
    import numpy as np

    result: dict[str, float] = {"columns": float(train.shape[1])}
    for name, column in zip(names, train.T, strict=True):
        result[f"training rows with {name}"] = float(column.sum())
    result["test rows with exactly one island and one sex"] = float(np.sum(test[:-1].sum(1) == 2))
    result[f"ones in the row from {UNSEEN} (unseen island, female)"] = float(test[-1].sum())
    result["position-weighted sum of the test matrix"] = float(
        np.sum(test * np.arange(test.size).reshape(test.shape))
    )
    return result


def one_hot_ours(X_train: Array, X_test: Array, y_train: Array, y_test: Array) -> dict[str, float]:
    """Island and sex one-hot encoded with `OneHotEncoderScratch`, fitted on the training rows."""
    from invert.scratch.encoding import OneHotEncoderScratch

    encoder = OneHotEncoderScratch(handle_unknown="ignore").fit(penguin_categories(X_train))
    names = [f"{c}" for categories in encoder.categories_ for c in categories]
    test = encoder.transform(_with_unseen(penguin_categories(X_test)))
    return _one_hot_summary(names, encoder.transform(penguin_categories(X_train)), test)


def one_hot_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same with scikit-learn's `OneHotEncoder(handle_unknown="ignore")`, dense output."""
    from sklearn.preprocessing import OneHotEncoder

    encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    encoder.fit(penguin_categories(X_train))
    names = [f"{c}" for categories in encoder.categories_ for c in categories]
    test = encoder.transform(_with_unseen(penguin_categories(X_test)))
    return _one_hot_summary(names, encoder.transform(penguin_categories(X_train)), test)


# --- target encoding ----------------------------------------------------------------------------


def _islands_and_adelie(X: Array, y: Array) -> tuple[Array, Array]:
    """The island column, and the target: 1.0 for an Adelie penguin (species code 0), else 0."""
    import numpy as np

    return penguin_categories(X)[:, :1], (np.asarray(y) == 0).astype(float)


def _target_summary(
    islands: Array, encoded: Array, crossed: Array, train_islands: Array, test: Array
) -> dict[str, float]:
    import numpy as np

    result: dict[str, float] = {}
    for island, code in zip(islands, encoded, strict=True):
        result[f"share of Adelie on {island}, smoothed"] = float(code)
    result[f"value of {UNSEEN} (unseen island)"] = float(test[-1, 0])
    for island in islands:
        rows = train_islands[:, 0] == island
        result[f"{island}: cross-fitted values, mean"] = float(np.mean(crossed[rows, 0]))
    result["cross-fitted values, position-weighted sum"] = float(
        np.sum(crossed[:, 0] * np.arange(len(crossed)))
    )
    return result


def target_encoding_ours(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The island encoded by the smoothed share of Adelie penguins, with `TargetEncoderScratch`:
    fitted on all training rows for the test rows, and cross-fitted over 5 consecutive folds for
    the training rows themselves."""
    from invert.scratch.encoding import TargetEncoderScratch

    islands, adelie = _islands_and_adelie(X_train, y_train)
    encoder = TargetEncoderScratch(smooth=SMOOTH, cv=FOLDS)
    crossed = encoder.fit_transform(islands, adelie)
    test = encoder.transform(_with_unseen(penguin_categories(X_test))[:, :1])
    return _target_summary(encoder.categories_[0], encoder.encodings_[0], crossed, islands, test)


def target_encoding_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same with scikit-learn's `TargetEncoder(smooth=10, target_type="continuous")`, its
    fit_transform cross-fitting over the same unshuffled KFold(5)."""
    from sklearn.model_selection import KFold
    from sklearn.preprocessing import TargetEncoder

    islands, adelie = _islands_and_adelie(X_train, y_train)
    encoder = TargetEncoder(smooth=SMOOTH, target_type="continuous", cv=KFold(FOLDS))
    crossed = encoder.fit_transform(islands, adelie)
    test = encoder.transform(_with_unseen(penguin_categories(X_test))[:, :1])
    return _target_summary(encoder.categories_[0], encoder.encodings_[0], crossed, islands, test)
