"""k-means from scratch: Lloyd's algorithm started from k-means++ centres.

Lloyd's algorithm alternates two steps until nothing changes: assign every row to its nearest
centre, then move every centre to the mean of its rows. Each step can only lower the inertia
(the sum of squared distances from rows to their centres), so it always stops, though possibly
in a local minimum: where it ends depends on where the centres start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

import numpy as np

from invert.scratch._base import ScratchEstimator

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray


def _squared_distances(X: NDArray[np.float64], centres: NDArray[np.float64]) -> NDArray[np.float64]:
    """Squared Euclidean distance ||x_i - c_j||² from every row i to every centre j."""
    # Broadcasting (n, 1, p) against (1, k, p) gives every row-centre difference: (n, k, p).
    differences = X[:, np.newaxis, :] - centres[np.newaxis, :, :]
    distances: NDArray[np.float64] = np.sum(differences**2, axis=2)
    return distances


class KMeansScratch(ScratchEstimator):
    """Cluster rows into ``n_clusters`` groups with Lloyd's algorithm (one run).

    Parameters
    ----------
    n_clusters : int, default=8
        Number of clusters (and centres) to find.
    max_iter : int, default=300
        Maximum number of assign-then-update iterations.
    tol : float, default=1e-4
        Stop when the centres move less than this, as scikit-learn measures it: the summed
        squared movement of all centres compared with ``tol`` times the mean feature variance.
    random_state : int or None, default=None
        Seed for the random initialisation; fix it for repeatable clusters.
    init : {"k-means++", "random"} or array-like of shape (n_clusters, n_features), \
            default="k-means++"
        Starting centres: k-means++ seeding, ``n_clusters`` distinct random rows, or given.

    Attributes
    ----------
    cluster_centers_ : ndarray of shape (n_clusters, n_features)
        The final centres.
    labels_ : ndarray of shape (n_samples,)
        Cluster index of each training row.
    inertia_ : float
        Sum of squared distances from each training row to its centre.
    n_iter_ : int
        Number of iterations run.

    Notes
    -----
    With the same starting centres (an array ``init``) this reproduces scikit-learn's
    ``KMeans(init=..., n_init=1, algorithm="lloyd")``. The k-means++ seeding here is the
    textbook one; scikit-learn's tries several candidates per centre ("greedy" k-means++), so
    the two start, and may end, in different places. Unlike scikit-learn, a centre that loses
    all its rows stays where it is instead of jumping to a far-away row.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [10.0, 0.0], [10.0, 1.0]])
    >>> model = KMeansScratch(n_clusters=2, random_state=0).fit(X)
    >>> sorted(model.cluster_centers_.tolist())
    [[0.0, 0.5], [10.0, 0.5]]
    >>> float(model.inertia_)
    1.0
    """

    _estimator_type = "clusterer"  # tells scikit-learn (via the tags) how to treat it

    cluster_centers_: NDArray[np.float64]
    labels_: NDArray[np.intp]
    inertia_: float
    n_iter_: int

    def __init__(
        self,
        n_clusters: int = 8,
        max_iter: int = 300,
        tol: float = 1e-4,
        random_state: int | None = None,
        init: str | ArrayLike = "k-means++",
    ) -> None:
        self.n_clusters = n_clusters
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state
        self.init = init

    def _initial_centres(self, X: NDArray[np.float64]) -> NDArray[np.float64]:
        """Choose the starting centres according to ``init``."""
        rng = np.random.default_rng(self.random_state)
        if isinstance(self.init, str) and self.init == "random":
            return X[rng.choice(len(X), size=self.n_clusters, replace=False)]
        if isinstance(self.init, str) and self.init == "k-means++":
            # k-means++: the first centre is a random row; each next one is a row drawn with
            # probability proportional to D(x)², its squared distance to the nearest centre so
            # far. Far-away rows are likely picks, so the centres start spread out.
            chosen = [X[rng.integers(len(X))]]
            for _ in range(1, self.n_clusters):
                closest = _squared_distances(X, np.array(chosen)).min(axis=1)  # D(x)²
                chosen.append(X[rng.choice(len(X), p=closest / closest.sum())])
            return np.array(chosen)
        if isinstance(self.init, str):
            raise ValueError(f"init must be 'k-means++', 'random' or an array, not {self.init!r}")
        centres = np.array(self.init, dtype=np.float64)  # a copy: fit must not change `init`
        if centres.shape != (self.n_clusters, X.shape[1]):
            raise ValueError(
                f"init has shape {centres.shape}; expected {(self.n_clusters, X.shape[1])}"
            )
        return centres

    def fit(self, X: ArrayLike, y: Any = None) -> Self:
        """Find the clusters: initialise the centres, then run Lloyd's iterations.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training rows.
        y : ignored
            Accepted so that the model fits in a Pipeline like any estimator.

        Returns
        -------
        self : KMeansScratch
            The fitted model.
        """
        X = np.asarray(X, dtype=np.float64)
        centres = self._initial_centres(X)
        # scikit-learn's stopping rule measures centre movement relative to the data's spread.
        tolerance = self.tol * np.mean(np.var(X, axis=0))

        labels = None
        n_iter = 0
        for _ in range(self.max_iter):
            n_iter += 1
            # Assignment step: each row joins its nearest centre, argmin_j ||x - c_j||².
            new_labels = np.argmin(_squared_distances(X, centres), axis=1)

            # Update step: each centre moves to the mean of its rows (the point that minimises
            # their summed squared distance). A centre with no rows stays put.
            new_centres = centres.copy()
            for j in range(self.n_clusters):
                members = X[new_labels == j]
                if len(members) > 0:
                    new_centres[j] = members.mean(axis=0)
            shift = np.sum((new_centres - centres) ** 2)  # Σ_j ||c_j(new) - c_j(old)||²
            centres = new_centres

            # Stop when no row changed cluster (then the centres cannot move again), or when
            # the centres barely moved.
            if labels is not None and np.array_equal(new_labels, labels):
                break
            labels = new_labels
            if shift <= tolerance:
                break

        # Assign the rows once more so that the labels belong to the final centres.
        distances = _squared_distances(X, centres)
        self.labels_ = np.argmin(distances, axis=1)
        self.cluster_centers_ = centres
        self.n_iter_ = n_iter
        # Inertia: Σ_i ||x_i - c_label(i)||², the quantity Lloyd's algorithm lowers.
        self.inertia_ = float(np.sum(distances[np.arange(len(X)), self.labels_]))
        return self

    def predict(self, X: ArrayLike) -> NDArray[np.intp]:
        """Assign each row to its nearest learned centre.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows to assign.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Cluster index of each row.
        """
        self._check_fitted()
        X = np.asarray(X, dtype=np.float64)
        labels: NDArray[np.intp] = np.argmin(_squared_distances(X, self.cluster_centers_), axis=1)
        return labels

    def fit_predict(self, X: ArrayLike, y: Any = None) -> NDArray[np.intp]:
        """Fit, then return the cluster index of each training row (``labels_``).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training rows.
        y : ignored
            Accepted for Pipeline compatibility.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Cluster index of each training row.
        """
        return self.fit(X).labels_

    def score(self, X: ArrayLike, y: Any = None) -> float:
        """Minus the inertia of ``X`` under the learned centres (higher is better, as in sklearn).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows to score.
        y : ignored
            Accepted for Pipeline compatibility.

        Returns
        -------
        score : float
            ``-Σ_i min_j ||x_i - c_j||²``.
        """
        self._check_fitted()
        X = np.asarray(X, dtype=np.float64)
        return -float(np.sum(_squared_distances(X, self.cluster_centers_).min(axis=1)))
