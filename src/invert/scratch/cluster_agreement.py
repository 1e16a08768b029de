"""The adjusted Rand index from scratch: how much two groupings agree, over pairs of points.

Every pair of points is either put together or kept apart by each grouping. The contingency
table counts the points n_ij in group i of the first grouping and group j of the second; a pair
is together in both groupings when both points share a cell, so the number of such pairs is
Σ C(n_ij, 2). The Rand index is the share of pairs on which the groupings agree. The adjusted
Rand index (Hubert and Arabie, 1985) subtracts what random groupings with the same group sizes
would score on average and divides by the gap between that and perfect agreement: 1 for
identical groupings, about 0 (it can be negative) for groupings no better than chance.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = ["adjusted_rand_index", "contingency_table", "pairs", "rand_index"]


def contingency_table(labels_a: ArrayLike, labels_b: ArrayLike) -> NDArray[np.int64]:
    """Counts n_ij of points in group i of `labels_a` and group j of `labels_b`.

    >>> contingency_table([0, 0, 1, 1], ["x", "y", "y", "y"]).tolist()
    [[1, 1], [0, 2]]
    """
    _, a = np.unique(np.asarray(labels_a), return_inverse=True)
    _, b = np.unique(np.asarray(labels_b), return_inverse=True)
    table = np.zeros((a.max() + 1, b.max() + 1), dtype=np.int64)
    np.add.at(table, (a, b), 1)  # one count per point, in its (group a, group b) cell
    return table


def pairs(counts: ArrayLike) -> float:
    """Σ C(k, 2) = Σ k (k − 1) / 2: the pairs that can be made inside groups of these sizes."""
    k = np.asarray(counts, dtype=np.float64)
    return float(np.sum(k * (k - 1) / 2))


def rand_index(labels_a: ArrayLike, labels_b: ArrayLike) -> float:
    """The share of pairs of points that both groupings treat alike (together, or apart)."""
    table = contingency_table(labels_a, labels_b)
    n = table.sum()
    total = n * (n - 1) / 2
    together_both = pairs(table)
    together_a, together_b = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    apart_both = total - together_a - together_b + together_both
    return float((together_both + apart_both) / total)


def adjusted_rand_index(labels_a: ArrayLike, labels_b: ArrayLike) -> float:
    """(index − expected index) / (max index − expected index), the index being Σ C(n_ij, 2).

    >>> adjusted_rand_index([0, 0, 1, 1], [5, 5, 7, 7])  # the same grouping, renamed
    1.0
    >>> round(adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]), 3)  # worse than chance
    -0.5
    """
    table = contingency_table(labels_a, labels_b)
    n = table.sum()
    index = pairs(table)  # pairs together in both groupings
    rows, columns = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = rows * columns / (n * (n - 1) / 2)  # its mean over random relabellings
    maximum = (rows + columns) / 2
    if maximum == expected:  # both groupings trivial (one group, or every point alone)
        return 1.0
    return float((index - expected) / (maximum - expected))
