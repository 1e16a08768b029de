"""The scikit-learn side of the clustering card: `AgglomerativeClustering` with Ward's linkage.

Same calling convention as `invert.kinds.theory.side_by_side`; the from-scratch side is
`invert.scratch.agglomerative.clustering_ours`.
"""

from __future__ import annotations

from typing import Any

Array = Any  # a NumPy array; NumPy itself is imported only when a function runs

__all__ = ["clustering_sklearn"]


def clustering_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same groups, sizes, within-group sum of squares and agreement with the classes."""
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics import adjusted_rand_score

    X = np.vstack([X_train, X_test])
    truth = np.concatenate([y_train, y_test])
    k = len(np.unique(truth))
    labels = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(X)
    sizes = np.sort(np.bincount(labels))[::-1]
    result = {
        f"size of the {rank}. largest group": float(size) for rank, size in enumerate(sizes, 1)
    }
    centres = np.array([X[labels == g].mean(axis=0) for g in range(k)])
    result["within-group sum of squares"] = float(np.sum((X - centres[labels]) ** 2))
    result["adjusted Rand index with the true classes"] = float(adjusted_rand_score(truth, labels))
    return result
