"""What to distrust in a dataset before any model is fitted: leakage and sanity problems.

Each finding names its column and says why it matters, in one line. The single-column check
fits a small tree on each column alone (3-fold cross-validation, at most 5000 rows): a column
that predicts the target almost perfectly by itself is usually recorded after the outcome.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

NEAR_PERFECT = 0.97  # accuracy (classification) or R² (regression) of one column alone
SAMPLE_ROWS = 5000
ID_NAME = re.compile(r"(^|[^a-z])(id|uuid|guid|index|key)$|^(id|pid|order)$", re.IGNORECASE)
DATE_TEXT = re.compile(r"^\s*(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})")


@dataclass(frozen=True)
class Finding:
    """One problem: its kind, the column (None for the whole table) and the sentence to show."""

    kind: str  # "identifier", "near-perfect", "duplicates", "constant", "target-name", "date"
    column: str | None
    message: str


def _normalise(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def find_problems(frame: pd.DataFrame, target: str, task: str) -> list[Finding]:
    """Every leakage and sanity finding for predicting `target` from the other columns."""
    findings: list[Finding] = []
    features = [c for c in frame.columns if c != target]
    rows = len(frame)
    duplicates = int(frame.duplicated().sum())
    if duplicates:
        findings.append(
            Finding(
                "duplicates",
                None,
                f"{duplicates} rows are exact duplicates of another: a copy can land in both the "
                "training and the test rows and flatter the score",
            )
        )
    key = _normalise(target)
    for column in features:
        values = frame[column]
        name = str(column)
        if values.nunique(dropna=False) <= 1:
            findings.append(
                Finding("constant", name, f"'{name}' has one value in every row: it cannot help")
            )
            continue
        if key and (key in _normalise(name) or _normalise(name) in key) and _normalise(name):
            findings.append(
                Finding(
                    "target-name",
                    name,
                    f"'{name}' is named like the target '{target}': check it is not the target "
                    "itself, or computed from it",
                )
            )
        if _is_date(values):
            findings.append(
                Finding(
                    "date",
                    name,
                    f"'{name}' holds dates: split by time (train on the past, test on the "
                    "future), and turn them into features a model can use",
                )
            )
        elif _is_identifier(values, name, rows):
            findings.append(
                Finding(
                    "identifier",
                    name,
                    f"'{name}' looks like an identifier (a different value in almost every row): "
                    "a model can only memorise it; drop it",
                )
            )
    findings += _near_perfect(frame, target, task, features)
    return findings


def _is_identifier(values: pd.Series, name: str, rows: int) -> bool:
    distinct = values.nunique()
    if ID_NAME.search(name) and distinct >= 0.9 * rows:
        return True
    if values.dtype.kind == "f" or rows < 20:
        return False  # measurements are often all different; that is not an identifier
    text = values.dtype.kind == "O" or str(values.dtype) == "str"
    return distinct >= 0.98 * rows and (values.dtype.kind in "iu" or text)


def _is_date(values: pd.Series) -> bool:
    if values.dtype.kind == "M":
        return True
    if values.dtype.kind in "iufb":
        return False
    sample = values.dropna().astype(str).head(200)
    return len(sample) > 0 and sample.str.match(DATE_TEXT).mean() >= 0.9


def _near_perfect(
    frame: pd.DataFrame, target: str, task: str, features: list[str]
) -> list[Finding]:
    import numpy as np
    from sklearn.model_selection import cross_val_score
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    data = frame.dropna(subset=[target])
    if len(data) > SAMPLE_ROWS:
        data = data.sample(SAMPLE_ROWS, random_state=0)
    y = data[target]
    if len(y) < 3 * 3 or (task == "classification" and y.value_counts().min() < 3):
        return []  # too few rows to cross-validate one column: no verdict either way
    if task == "classification":
        model = DecisionTreeClassifier(max_depth=4, random_state=0)
        baseline = float(y.value_counts(normalize=True).iloc[0])
        scoring = "accuracy"
    else:
        model = DecisionTreeRegressor(max_depth=4, random_state=0)
        baseline = 0.0
        scoring = "r2"
    findings = []
    for column in features:
        values = data[column]
        if values.dtype.kind in "iufb":
            x = values.astype(float).fillna(values.astype(float).min() - 1).to_numpy()
        else:  # one code per category, missing as its own
            x = values.astype("category").cat.codes.to_numpy().astype(float)
        if np.unique(x).size < 2:
            continue
        score = float(np.mean(cross_val_score(model, x.reshape(-1, 1), y, cv=3, scoring=scoring)))
        if score >= NEAR_PERFECT and score > baseline + 0.5 * (1 - baseline):
            what = "accuracy" if task == "classification" else "R²"
            findings.append(
                Finding(
                    "near-perfect",
                    str(column),
                    f"'{column}' alone predicts '{target}' with {what} {score:.3f}: it is "
                    "probably recorded after the outcome (leakage); check before using it",
                )
            )
    return findings
