"""Distances between rows from scratch: Euclidean, Manhattan and cosine, and how they bunch up.

Nearest neighbours, k-means and RBF kernels all judge how alike two rows are by a distance. The
Euclidean distance is the straight line, the square root of the summed squared differences; the
Manhattan distance adds the absolute differences (a walk along the axes); the cosine distance
ignores length and compares only direction. `nearest_to_farthest` measures the curse of
dimensionality: how close a row's nearest neighbour is, compared with its farthest one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = [
    "cosine_distances",
    "euclidean_distances",
    "manhattan_distances",
    "nearest_to_farthest",
]


def euclidean_distances(A: ArrayLike, B: ArrayLike) -> NDArray[np.float64]:
    """sqrt(Σ_j (a_j - b_j)²) for every row a of A and row b of B."""
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    result = np.empty((len(A), len(B)))
    for i, a in enumerate(A):  # one row at a time: all pairs at once can need gigabytes
        result[i] = np.sqrt(np.sum((a - B) ** 2, axis=1))
    return result


def manhattan_distances(A: ArrayLike, B: ArrayLike) -> NDArray[np.float64]:
    """Σ_j |a_j - b_j| for every pair of rows: the length of a walk along the axes."""
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    result = np.empty((len(A), len(B)))
    for i, a in enumerate(A):
        result[i] = np.sum(np.abs(a - B), axis=1)
    return result


def cosine_distances(A: ArrayLike, B: ArrayLike) -> NDArray[np.float64]:
    """1 - a·b / (||a|| ||b||) for every pair of rows: 0 for the same direction, 2 for opposite."""
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    lengths_a = np.sqrt(np.sum(A**2, axis=1))[:, None]
    lengths_b = np.sqrt(np.sum(B**2, axis=1))[None, :]
    distances: NDArray[np.float64] = 1.0 - (A @ B.T) / (lengths_a * lengths_b)
    return distances


def nearest_to_farthest(queries: ArrayLike, rows: ArrayLike) -> float:
    """The mean, over the queries, of (distance to the nearest row) / (distance to the farthest).

    Near 0 when each query has a clear nearest neighbour; near 1 when every row is about as far
    away as every other, and "nearest" no longer means much.
    """
    distances = euclidean_distances(queries, rows)
    return float(np.mean(distances.min(axis=1) / distances.max(axis=1)))
