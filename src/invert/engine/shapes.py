"""The vocabulary of curve shapes, and how a measured curve is classified with its noise in mind.

Pure Python on purpose: classifying a cached result must not import NumPy.

A change counts only when it is larger than the spread of the measurements it compares: two
points differ when their means are further apart than the pooled standard deviation of their
folds (and than an absolute floor, so that perfectly repeatable zero-spread points still need a
visible change).

>>> classify_curve_shape([0.80, 0.90, 0.95, 0.96, 0.96, 0.96], [0.01] * 6)
'rises then levels off'
>>> classify_curve_shape([0.80, 0.82, 0.81, 0.83], [0.03] * 4)
'flat'
>>> classify_curve_shape([0.70, 0.80, 0.85, 0.78, 0.72], [0.01] * 5)
'rises then falls'
>>> classify_gap([0.80, 0.90, 1.00], [0.79, 0.80, 0.78], [0.01] * 3, [0.01] * 3)
'widens'
"""

from __future__ import annotations

import math
from collections.abc import Sequence

SHAPES = (
    "rises",
    "falls",
    "flat",
    "rises then levels off",
    "rises then falls",
    "falls then rises",
)
GAPS = ("widens", "narrows", "stays")
FLOOR = 0.002  # absolute: below this no change is visible in a 3-decimal metric


def _differs(means: Sequence[float], spreads: Sequence[float], i: int, j: int) -> bool:
    pooled = math.sqrt((spreads[i] ** 2 + spreads[j] ** 2) / 2)
    return abs(means[j] - means[i]) > max(pooled, FLOOR * max(1.0, abs(means[i]), abs(means[j])))


def classify_curve_shape(means: Sequence[float], spreads: Sequence[float]) -> str:
    """Name the shape of a measured curve, treating changes within the spread as flat."""
    n = len(means)
    if n < 2 or len(spreads) != n:
        raise ValueError("a curve needs at least two points, each with a spread")
    if any(math.isnan(m) for m in means):
        raise ValueError("a curve with missing points has no shape")
    top = max(range(n), key=lambda i: means[i])
    bottom = min(range(n), key=lambda i: means[i])
    first, last = 0, n - 1
    if not _differs(means, spreads, bottom, top):
        return "flat"
    if 0 < top < last and means[top] > means[first] and means[top] > means[last]:
        if _differs(means, spreads, first, top) and _differs(means, spreads, top, last):
            return "rises then falls"
    if 0 < bottom < last and means[bottom] < means[first] and means[bottom] < means[last]:
        if _differs(means, spreads, first, bottom) and _differs(means, spreads, bottom, last):
            return "falls then rises"
    rises = means[last] > means[first] and _differs(means, spreads, first, last)
    falls = means[last] < means[first] and _differs(means, spreads, first, last)
    if not (rises or falls):
        # The ends agree, but one side moved: name the side that moved.
        rises = _differs(means, spreads, first, top) and not _differs(means, spreads, top, last)
        falls = _differs(means, spreads, first, bottom) and not _differs(
            means, spreads, bottom, last
        )
        if rises == falls:
            return "flat"
    if falls:
        return "falls"
    plateau = next(
        i for i in range(n) if all(not _differs(means, spreads, j, top) for j in range(i, n))
    )
    if 0 < plateau and n - plateau >= max(2, math.ceil(n / 3)):
        return "rises then levels off"
    return "rises"


def classify_gap(
    train: Sequence[float],
    test: Sequence[float],
    train_spreads: Sequence[float],
    test_spreads: Sequence[float],
    greater_is_better: bool = True,
) -> str:
    """Does the train-over-test advantage widen, narrow or stay from the first value to the last?"""
    sign = 1.0 if greater_is_better else -1.0
    gaps = [sign * (a - b) for a, b in zip(train, test, strict=True)]
    spreads = [math.sqrt(a**2 + b**2) for a, b in zip(train_spreads, test_spreads, strict=True)]
    if not _differs(gaps, spreads, 0, len(gaps) - 1):
        return "stays"
    return "widens" if gaps[-1] > gaps[0] else "narrows"


def shapes_agree(predicted: str, measured: str) -> bool:
    """Exact agreement: the vocabulary is small, and a near miss is still a miss."""
    return predicted == measured


def near_miss(predicted: str, measured: str) -> bool:
    """Right direction, wrong detail: "rises" against "rises then levels off"."""
    family = {"rises": "up", "rises then levels off": "up"}
    return predicted != measured and family.get(predicted) == family.get(measured) is not None
