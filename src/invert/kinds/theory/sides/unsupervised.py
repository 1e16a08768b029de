"""The scikit-learn side of the unsupervised-learning card: `PCA` and `KMeans` on the penguins'
measurements alone, the species brought back only afterwards to see what was found.

Everything heavy is imported inside the functions.
"""

from __future__ import annotations

from typing import Any

Array = Any

__all__ = ["unsupervised_ours", "unsupervised_sklearn"]

N_CLUSTERS = 3


def unsupervised_ours(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """Directions of variation and groups with `invert.scratch` (PCA, k-means), no labels used."""
    from invert.scratch.cluster_agreement import adjusted_rand_index
    from invert.scratch.kmeans import KMeansScratch
    from invert.scratch.pca import PCAScratch

    pca = PCAScratch(n_components=2).fit(X_train)  # fit sees the measurements only
    kmeans = KMeansScratch(n_clusters=N_CLUSTERS, random_state=0).fit(X_train)
    return {
        "variance explained, first direction": float(pca.explained_variance_ratio_[0]),
        "variance explained, first two directions": float(sum(pca.explained_variance_ratio_)),
        "k-means inertia": float(kmeans.inertia_),
        "clusters vs species afterwards (ARI)": adjusted_rand_index(kmeans.labels_, y_train),
    }


def unsupervised_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same with scikit-learn's `PCA`, `KMeans` (10 starts) and `adjusted_rand_score`."""
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA
    from sklearn.metrics import adjusted_rand_score

    pca = PCA(n_components=2).fit(X_train)
    kmeans = KMeans(n_clusters=N_CLUSTERS, n_init=10, random_state=0).fit(X_train)
    return {
        "variance explained, first direction": float(pca.explained_variance_ratio_[0]),
        "variance explained, first two directions": float(sum(pca.explained_variance_ratio_)),
        "k-means inertia": float(kmeans.inertia_),
        "clusters vs species afterwards (ARI)": float(adjusted_rand_score(y_train, kmeans.labels_)),
    }
