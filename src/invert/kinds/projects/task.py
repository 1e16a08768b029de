"""Classification or regression: decided from the target's values, with the reason said."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

MAX_CLASSES = 20  # a numeric target with this many distinct values or fewer is read as classes


@dataclass(frozen=True)
class TaskDecision:
    """The task and why."""

    task: str  # "classification" or "regression"
    reason: str


def decide_task(target: pd.Series) -> TaskDecision:
    """Classification for text, booleans and integers with few distinct values; else regression.

    >>> import pandas as pd
    >>> decide_task(pd.Series(["yes", "no", "yes"], name="churn")).task
    'classification'
    >>> decide_task(pd.Series([1.5, 2.25, 3.0, 4.75] * 10, name="price")).reason
    "'price' is numeric with 4 distinct values, some not whole numbers: regression"
    """
    values = target.dropna()
    name = target.name
    distinct = values.nunique()
    if values.dtype.kind == "b":
        return TaskDecision("classification", f"'{name}' is true/false: classification")
    if values.dtype.kind not in "iuf":
        return TaskDecision(
            "classification", f"'{name}' holds text ({distinct} distinct values): classification"
        )
    whole = bool((values == values.round()).all())
    if whole and distinct <= MAX_CLASSES:
        return TaskDecision(
            "classification",
            f"'{name}' holds {distinct} distinct whole numbers (at most {MAX_CLASSES}): "
            "classification; use --task regression if they are amounts",
        )
    detail = "some not whole numbers" if not whole else f"more than {MAX_CLASSES}"
    return TaskDecision(
        "regression", f"'{name}' is numeric with {distinct} distinct values, {detail}: regression"
    )
