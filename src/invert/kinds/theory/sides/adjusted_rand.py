"""The scikit-learn side of the adjusted-Rand-index card: `adjusted_rand_score` and `rand_score`.

Both sides score the very same groupings of the training penguins (k-means clusters of the
standardised measurements, found once by scikit-learn, a random labelling, the clusters under
other names), so any difference is in the agreement measure alone.

Everything heavy is imported inside the functions.
"""

from __future__ import annotations

from typing import Any

Array = Any

__all__ = ["adjusted_rand_ours", "adjusted_rand_sklearn"]


def _groupings(X_train: Array, y_train: Array) -> dict[str, tuple[Array, Array]]:
    """Pairs of labellings to compare: (first grouping, second grouping) by name."""
    import numpy as np
    from sklearn.cluster import KMeans

    species = np.asarray(y_train)
    clusters = {
        k: KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(X_train) for k in (2, 3, 4)
    }
    random = np.random.default_rng(0).integers(0, 3, size=len(species))
    return {
        "3 clusters vs species": (clusters[3], species),
        "2 clusters vs species": (clusters[2], species),
        "4 clusters vs species": (clusters[4], species),
        "3 clusters vs themselves renamed": (clusters[3], 10 + (clusters[3] + 1) % 3),
        "random labels vs species": (random, species),
    }


def adjusted_rand_ours(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """Rand and adjusted Rand indices with `invert.scratch.cluster_agreement`."""
    from invert.scratch.cluster_agreement import adjusted_rand_index, rand_index

    groupings = _groupings(X_train, y_train)
    result = {f"ARI, {name}": adjusted_rand_index(a, b) for name, (a, b) in groupings.items()}
    result["Rand index, 3 clusters vs species"] = rand_index(*groupings["3 clusters vs species"])
    return result


def adjusted_rand_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same with scikit-learn's `adjusted_rand_score` and `rand_score`."""
    from sklearn.metrics import adjusted_rand_score, rand_score

    groupings = _groupings(X_train, y_train)
    result = {
        f"ARI, {name}": float(adjusted_rand_score(a, b)) for name, (a, b) in groupings.items()
    }
    result["Rand index, 3 clusters vs species"] = float(
        rand_score(*groupings["3 clusters vs species"])
    )
    return result
