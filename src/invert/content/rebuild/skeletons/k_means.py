"""Rebuild k-means: groups found by alternating two easy steps until nothing moves.

Fill in the TODOs, then `invert check k-means`. Two stages: Lloyd's iterations from starting
centres the check gives you, then your own k-means++ seeding. Use NumPy only: scikit-learn is
refused by the check. The concept card: `invert learn k-means`.
"""

import numpy as np


class KMeans:
    """Lloyd's algorithm: assign each row to its nearest centre, move each centre to its rows' mean.

    The idea: good groups are tight, so look for k centres that make the total squared
    distance from each row to its own centre (the inertia) small. Two steps take turns and
    neither can raise the inertia: every row joins its nearest centre; every centre moves to
    the mean of its rows. Stop when the rows stop changing groups.

    The formula: inertia = sum_i min_j ||x_i - c_j||². Assignment: label_i = argmin_j
    ||x_i - c_j||² (the first j on a tie). Update: c_j = mean of the rows with label j.
    Stop when no label changed, or when sum_j ||c_j(new) - c_j(old)||² <= tol * mean of the
    per-feature variances of X (scikit-learn's rule), or after max_iter rounds. Then assign the
    rows once more to the final centres.

    k-means++ seeding (used when ``init="k-means++"``): the first centre is a random row; each
    next centre is a row drawn with probability proportional to its squared distance to the
    nearest centre chosen so far, so the centres start spread out (Arthur and Vassilvitskii,
    "k-means++: the advantages of careful seeding", 2007).

    Parameters
    ----------
    n_clusters : int
    init : "k-means++" or an array of shape (n_clusters, n_features) of starting centres
    max_iter : int, default=300
    tol : float, default=1e-4
    random_state : int or None (for k-means++)

    Attributes
    ----------
    cluster_centers_, labels_, inertia_
    """

    def __init__(self, n_clusters=8, init="k-means++", max_iter=300, tol=1e-4, random_state=None):
        self.n_clusters = n_clusters
        self.init = init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    def _initial_centres(self, X):
        """The starting centres: the given array, or k-means++ seeding."""
        if not isinstance(self.init, str):
            return np.array(self.init, dtype=float)
        # TODO: k-means++ with rng = np.random.default_rng(self.random_state): one random row,
        #       then n_clusters - 1 more, each drawn with probability proportional to each
        #       row's squared distance to its nearest centre chosen so far.
        raise NotImplementedError("k-means++ seeding")

    def fit(self, X, y=None):
        """Run Lloyd's iterations from the starting centres; return self."""
        X = np.asarray(X, dtype=float)
        # TODO: start from centres = self._initial_centres(X); repeat the assignment and update
        #       steps with the stopping rules above; then set labels_, cluster_centers_ and
        #       inertia_ from a final assignment.
        raise NotImplementedError("fit")

    def predict(self, X):
        """The index of the nearest centre for each row."""
        # TODO: argmin over the squared distances to cluster_centers_.
        raise NotImplementedError("predict")
