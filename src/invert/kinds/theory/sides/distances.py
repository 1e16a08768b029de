"""The two sides of the distance and curse-of-dimensionality cards.

Ours are `invert.scratch.distances`; scikit-learn's are `sklearn.metrics.pairwise_distances`
and `sklearn.neighbors.NearestNeighbors`. Both sides measure the same rows.
"""

from __future__ import annotations

from typing import Any

Array = Any

__all__ = ["curse_ours", "curse_sklearn", "distances_ours", "distances_sklearn"]

METRICS = ("euclidean", "manhattan", "cosine")
DIMENSIONS = (2, 10, 100, 1000)  # uniform random points in the unit cube of each dimension
N_POINTS, N_QUERIES = 200, 50


def _distance_summary(name: str, D: Array) -> dict[str, float]:
    import numpy as np

    return {
        f"{name}: first test wine to its nearest training wine": float(np.min(D[0])),
        f"{name}: mean over test and training wines": float(np.mean(D)),
    }


def distances_ours(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """Nearest and mean distances between test and training rows, three ways, from scratch."""
    from invert.scratch import distances

    result: dict[str, float] = {}
    for name in METRICS:
        D = getattr(distances, f"{name}_distances")(X_test, X_train)
        result |= _distance_summary(name, D)
    return result


def distances_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same with scikit-learn's `pairwise_distances`."""
    from sklearn.metrics import pairwise_distances

    result: dict[str, float] = {}
    for name in METRICS:
        result |= _distance_summary(name, pairwise_distances(X_test, X_train, metric=name))
    return result


def _cubes() -> list[tuple[int, Array, Array]]:
    """(d, points, queries) for each dimension d: the same random points for both sides."""
    import numpy as np

    rng = np.random.default_rng(0)
    return [(d, rng.random((N_POINTS, d)), rng.random((N_QUERIES, d))) for d in DIMENSIONS]


def curse_ours(X_train: Array, X_test: Array, y_train: Array, y_test: Array) -> dict[str, float]:
    """Mean nearest-to-farthest distance ratio in random cubes and on the digits, from scratch;
    and the mean squared distance over 2 d s² (s² = 1/12, a uniform coordinate's variance)."""
    import numpy as np

    from invert.scratch.distances import euclidean_distances, nearest_to_farthest

    result: dict[str, float] = {}
    for d, points, queries in _cubes():
        result[f"nearest / farthest, {d} dimensions"] = nearest_to_farthest(queries, points)
        squared = euclidean_distances(queries, points) ** 2
        result[f"mean squared distance / (2 d s²), {d} dimensions"] = float(
            np.mean(squared) / (2 * d / 12)
        )
    result["nearest / farthest, digits (64 pixels)"] = nearest_to_farthest(X_test, X_train)
    return result


def _ratio_sklearn(queries: Array, points: Array) -> float:
    import numpy as np
    from sklearn.neighbors import NearestNeighbors

    found = NearestNeighbors(n_neighbors=len(points)).fit(points)
    distances, _ = found.kneighbors(queries)  # each row sorted: nearest first, farthest last
    return float(np.mean(distances[:, 0] / distances[:, -1]))


def curse_sklearn(X_train: Array, X_test: Array, y_train: Array, y_test: Array) -> dict[str, float]:
    """The same with scikit-learn's `NearestNeighbors` and `pairwise_distances`."""
    import numpy as np
    from sklearn.metrics import pairwise_distances

    result: dict[str, float] = {}
    for d, points, queries in _cubes():
        result[f"nearest / farthest, {d} dimensions"] = _ratio_sklearn(queries, points)
        squared = pairwise_distances(queries, points) ** 2
        result[f"mean squared distance / (2 d s²), {d} dimensions"] = float(
            np.mean(squared) / (2 * d / 12)
        )
    result["nearest / farthest, digits (64 pixels)"] = _ratio_sklearn(X_test, X_train)
    return result
