"""Agglomerative clustering with Ward's criterion from scratch: merge the closest groups, bottom up.

Every row starts as a group of its own. At each step the two groups whose merging raises the
within-group sum of squared distances the least are merged, until `n_clusters` groups are left.
Merging groups of sizes a and b whose centres are a squared distance d apart raises that sum by
a*b/(a+b)*d. No labels are used anywhere: the groups are whatever this criterion finds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

import numpy as np

from invert.scratch._base import ScratchEstimator
from invert.scratch.cluster_agreement import adjusted_rand_index

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = ["WardClusteringScratch", "clustering_ours"]


def _merge_costs(
    centres: NDArray[np.float64], sizes: NDArray[np.float64], i: int
) -> NDArray[np.float64]:
    """How much merging group i with each group would raise the within-group sum of squares."""
    squared = np.sum((centres - centres[i]) ** 2, axis=1)
    rise: NDArray[np.float64] = sizes * sizes[i] / (sizes + sizes[i]) * squared
    return rise


class WardClusteringScratch(ScratchEstimator):
    """Bottom-up clustering: repeatedly merge the two groups whose union is tightest (Ward).

    Parameters
    ----------
    n_clusters : int
        How many groups to stop at.

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,)
        The group of each row, numbered 0 to n_clusters - 1 in order of first appearance.
    n_features_in_ : number of features seen in fit

    Examples
    --------
    >>> X = [[0.0, 0.0], [0.0, 1.0], [5.0, 5.0], [5.0, 6.0], [9.0, 0.0]]
    >>> WardClusteringScratch(n_clusters=3).fit_predict(X).tolist()
    [0, 0, 1, 1, 2]
    """

    _estimator_type = "clusterer"  # tells scikit-learn (via the tags) how to treat it

    labels_: NDArray[np.intp]
    n_features_in_: int

    def __init__(self, n_clusters: int = 2) -> None:
        self.n_clusters = n_clusters

    def fit(self, X: ArrayLike, y: Any = None) -> Self:
        """Merge groups of the rows of X until `n_clusters` are left; y is ignored."""
        X = np.asarray(X, dtype=float)
        n = len(X)
        self.n_features_in_ = X.shape[1]
        centres, sizes = X.copy(), np.ones(n)
        group = np.arange(n)  # each row's group, named after one of its rows
        # cost[i, j]: the rise in within-group squared distance if groups i and j merged
        cost = np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1) / 2
        np.fill_diagonal(cost, np.inf)
        for _ in range(n - self.n_clusters):
            i, j = sorted(divmod(int(np.argmin(cost)), n))  # the cheapest merge
            centres[i] = (sizes[i] * centres[i] + sizes[j] * centres[j]) / (sizes[i] + sizes[j])
            sizes[i] += sizes[j]
            group[group == j] = i
            cost[j, :] = cost[:, j] = np.inf  # group j no longer exists
            row = _merge_costs(centres, sizes, i)
            row[~np.isfinite(cost[i])] = np.inf  # merged-away groups, and i itself, stay out
            cost[i, :] = cost[:, i] = row
        first_seen = np.unique(group, return_index=True)[1]
        order = np.argsort(np.argsort(first_seen))  # number groups by their first row
        self.labels_ = order[np.unique(group, return_inverse=True)[1]]
        return self

    def fit_predict(self, X: ArrayLike, y: Any = None) -> NDArray[np.intp]:
        """Fit, then return the group of each row."""
        return self.fit(X).labels_


def clustering_ours(
    X_train: ArrayLike, X_test: ArrayLike, y_train: ArrayLike, y_test: ArrayLike
) -> dict[str, float]:
    """Ward's groups of all the rows (no labels used), then compared with the true classes."""
    X = np.vstack([np.asarray(X_train, dtype=float), np.asarray(X_test, dtype=float)])
    truth = np.concatenate([np.asarray(y_train), np.asarray(y_test)])
    k = len(np.unique(truth))  # as many groups as there are species: a choice, not a given
    labels = WardClusteringScratch(n_clusters=k).fit_predict(X)
    sizes = np.sort(np.bincount(labels))[::-1]
    result = {
        f"size of the {rank}. largest group": float(size) for rank, size in enumerate(sizes, 1)
    }
    within = sum(
        float(np.sum((X[labels == g] - X[labels == g].mean(axis=0)) ** 2)) for g in range(k)
    )
    result["within-group sum of squares"] = within
    result["adjusted Rand index with the true classes"] = adjusted_rand_index(truth, labels)
    return result
