"""Row identifiers: columns that name each row, judged from their values whatever their dtype.

A column nearly unique per row is an identifier when nothing says it is a measurement: text,
whole numbers that count the rows or rise with them, whole numbers spread evenly over their
range with no relation to the target (codes), or a name like an identifier. A float or integer
measurement that merely happens to be distinct (a population, an area, a price) is skewed or
related to the target, and is kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from invert.kinds.projects._columns import in_file_order, is_text, numbers, whole_numbers, words

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

DISTINCT = 0.95  # share of known values that differ from every other
MIN_ROWS = 20  # fewer known values say nothing about distinctness
DENSE = 1.5  # a count of rows: its range is at most this many times its distinct values
RISING = 0.99  # share of consecutive values that do not decrease
PROSE_WORDS = 8  # names have a few words ("Allen, Miss. Elisabeth Walton"); messages more
CODE_ROWS = 200  # fewer values cannot tell codes from counts spread by chance (votes per district)
UNRELATED = 0.01  # a code's rank explains at most this share of the target's variance
ID_WORDS = frozenset(
    {
        "id", "ids", "uuid", "guid", "uid", "pid", "key", "code", "number", "no", "num", "nr",
        "iso", "index", "idx", "sku", "serial", "ref", "identifier",
    }
)  # fmt: skip


def row_identifier(values: pd.Series, name: str, target: pd.Series, task: str) -> str | None:
    """Why `values` identifies rows (the evidence, one clause), or None when it does not."""
    known = values.dropna()
    if len(known) < MIN_ROWS:
        return None
    distinct = int(known.nunique())
    if distinct < DISTINCT * len(known):
        return None
    share = f"{distinct} different values in {len(known)} rows"
    if words(name) & ID_WORDS:
        return f"it is named like an identifier and has {share}"
    if is_text(values):
        if _prose(known):
            return None  # free text (a review, a message): distinct, but words a model can read
        return f"it is text with {share}"
    if not whole_numbers(values):
        return None  # a measurement with decimals that happens to be distinct
    x = numbers(known)
    assert x is not None
    low, high = float(x.min()), float(x.max())
    if high - low + 1 <= DENSE * distinct:
        return f"its {distinct} whole numbers fill {low:.0f} to {high:.0f}: it counts rows"
    if in_file_order(x) >= RISING:
        return f"its {distinct} whole numbers rise with the row order"
    if len(known) >= CODE_ROWS and _uniform(x.to_numpy()) and _unrelated(x, target, task):
        return (
            f"its {distinct} whole numbers are spread evenly from {low:.0f} to {high:.0f} "
            "with no relation to the target: codes"
        )
    return None


def _prose(known: pd.Series) -> bool:
    """Sentences rather than names: a median of at least PROSE_WORDS words per value."""
    sample = known.astype(str).head(500)
    return bool(sample.map(lambda v: len(v.split())).median() >= PROSE_WORDS)


def _uniform(x: np.ndarray) -> bool:
    """Spread evenly over its range (a Kolmogorov-Smirnov distance within chance at 1%)."""
    import numpy as np

    x = np.sort(x)
    low, high = x[0], x[-1]
    if high <= low:
        return False
    expected = (x - low) / (high - low)
    observed = np.arange(1, x.size + 1) / x.size
    distance = float(np.max(np.abs(observed - expected)))
    return bool(distance <= max(1.63 / np.sqrt(x.size), 0.05))


def _unrelated(x: pd.Series, target: pd.Series, task: str) -> bool:
    """The share of the target's variance the column's rank explains is at chance level."""
    import numpy as np

    y = target.reindex(x.index)
    keep = y.notna().to_numpy()
    if keep.sum() < MIN_ROWS:
        return True
    ranks = x[keep].rank().to_numpy()
    ranks = (ranks - ranks.mean()) / (ranks.std() or 1.0)
    if task == "classification":
        labels = y[keep].astype(str).to_numpy()
        classes, inverse = np.unique(labels, return_inverse=True)
        means = np.bincount(inverse, ranks) / np.bincount(inverse)
        explained = float(np.sum(np.bincount(inverse) * means**2) / ranks.size)
        chance = 3 * (classes.size - 1) / ranks.size
    else:
        other = y[keep].rank().to_numpy()
        other = (other - other.mean()) / (other.std() or 1.0)
        explained = float(np.mean(ranks * other) ** 2)
        chance = 3 / ranks.size
    return bool(explained <= UNRELATED + chance)
