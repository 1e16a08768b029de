"""Step 3: prepare the data.

Models need numbers with no gaps. One scikit-learn ColumnTransformer says how each column gets
there: numbers have their gaps filled with the column's median and are scaled to mean 0 and
standard deviation 1; text has its gaps filled with the word "missing" and becomes one 0/1
column per value (the 20 most frequent values; rarer ones share one column).

The preparation is part of the model's Pipeline, so cross-validation fits it afresh on each
fold's training rows: medians, scales and categories never come from the rows a fold is scored
on.

Run it:  python step3_prepare.py   (or: invert project run --step 3)
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from step1_define import TASK, load_data, save_result, split

MAX_CATEGORIES = 20  # per text column; the rarest values beyond that share one column
# Where a model's own settings sit inside the full estimator built by full_pipeline().
PARAM_PREFIX = "regressor__model__" if TASK == "regression" else "model__"


def make_preprocessor(X: pd.DataFrame) -> ColumnTransformer:
    """Fill gaps, scale numbers, encode text: one transformer for the columns of X."""
    numeric = X.select_dtypes("number").columns.tolist()
    text = [column for column in X.columns if column not in numeric]
    numbers = Pipeline([("fill", SimpleImputer(strategy="median")), ("scale", StandardScaler())])
    words = Pipeline(
        [
            ("fill", SimpleImputer(strategy="constant", fill_value="missing")),
            (
                "encode",
                OneHotEncoder(
                    handle_unknown="infrequent_if_exist",
                    max_categories=MAX_CATEGORIES,
                    sparse_output=False,
                ),
            ),
        ]
    )
    return ColumnTransformer([("numbers", numbers, numeric), ("text", words, text)])


def full_pipeline(model: Any, X: pd.DataFrame) -> Any:
    """The preparation followed by the model, as one estimator.

    For regression the target is standardised too, and predictions turned back into its units:
    models that measure distances or take gradient steps (SVR, the neural network) need it.
    """
    pipeline = Pipeline([("prepare", make_preprocessor(X)), ("model", model)])
    if TASK == "regression":
        return TransformedTargetRegressor(regressor=pipeline, transformer=StandardScaler())
    return pipeline


if __name__ == "__main__":
    X, y = load_data()
    X_train, _, _, _ = split(X, y)
    preprocessor = make_preprocessor(X_train)
    prepared = preprocessor.fit_transform(X_train)
    numeric, text = preprocessor.transformers_[0][2], preprocessor.transformers_[1][2]
    print(f"NUMBERS ({len(numeric)}): median for gaps, then scaled")
    print("  " + (", ".join(map(str, numeric)) or "none"))
    print(f"TEXT ({len(text)}): 'missing' for gaps, then one 0/1 column per value")
    capped = []
    for column in text:
        values = X_train[column].nunique()
        note = f" (only the {MAX_CATEGORIES} most frequent kept)" if values > MAX_CATEGORIES else ""
        if note:
            capped.append(str(column))
        print(f"  {column}: {values} values{note}")
    names = preprocessor.get_feature_names_out()
    print(f"\n{X_train.shape[1]} columns in, {prepared.shape[1]} numeric features out")
    print("  first features: " + ", ".join(names[:8]))
    save_result(
        3,
        {
            "numeric": [str(c) for c in numeric],
            "text": [str(c) for c in text],
            "capped": capped,
            "features_out": int(prepared.shape[1]),
        },
    )
