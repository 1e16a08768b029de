"""k-means, four ways: from scikit-learn down to a plain-Python loop over rows.

Every rung receives the standardised iris features X (150 rows, 4 columns; y is ignored) and
runs Lloyd's algorithm for 3 clusters from the same starting centres, rows 0, 50 and 100 (one
flower of each species). Each rung returns the final centres, sorted row by row so that the
arbitrary cluster numbering does not matter, and the inertia: the sum of squared distances from
each row to its nearest centre.
"""

import numpy as np
import scipy.cluster.vq
from sklearn.cluster import KMeans

START_ROWS = [0, 50, 100]


def _sorted_rows(centres):
    """Sort the centres lexicographically (by first column, ties by the second, ...)."""
    return centres[np.lexsort(centres.T[::-1])]


def _inertia(X, centres):
    """Sum over rows of the squared distance to the nearest centre."""
    distances = ((X[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
    return distances.min(axis=1).sum()


def sklearn_kmeans(X, y):
    """scikit-learn: KMeans with our starting centres, one run, Lloyd's algorithm to the end."""
    model = KMeans(n_clusters=3, init=X[START_ROWS], n_init=1, algorithm="lloyd", tol=0.0)
    model.fit(X)
    return {"centres": _sorted_rows(model.cluster_centers_), "inertia": model.inertia_}


def scipy_kmeans2(X, y):
    """SciPy: kmeans2 with minit="matrix" takes the starting centres as given.

    It runs a fixed number of iterations with no stopping test; once no row changes cluster
    the centres stop moving, so extra iterations change nothing.
    """
    centres, _labels = scipy.cluster.vq.kmeans2(X, X[START_ROWS], iter=100, minit="matrix")
    return {"centres": _sorted_rows(centres), "inertia": _inertia(X, centres)}


def numpy_lloyd(X, y, max_iter=100):
    """Matrix operations: Lloyd's two steps on whole arrays at once.

    Broadcasting X as (n, 1, p) against the centres as (1, k, p) gives every row-to-centre
    difference in one array; assign each row to its nearest centre, then move each centre to
    the mean of its rows. Stop when no row changes cluster.
    """
    centres = X[START_ROWS].copy()
    labels = None
    for _ in range(max_iter):
        distances = ((X[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)  # (n, k)
        new_labels = distances.argmin(axis=1)
        if labels is not None and np.array_equal(new_labels, labels):
            break
        labels = new_labels
        centres = np.array([X[labels == j].mean(axis=0) for j in range(len(centres))])
    return {"centres": _sorted_rows(centres), "inertia": _inertia(X, centres)}


def python_loop(X, y, max_iter=100):
    """By hand: the same algorithm with plain Python lists and loops, one row at a time."""
    rows = X.tolist()
    centres = [rows[i] for i in START_ROWS]
    labels = None
    for _ in range(max_iter):
        new_labels = []
        for row in rows:  # assignment: the nearest centre for this row
            distances = [sum((a - b) ** 2 for a, b in zip(row, c, strict=True)) for c in centres]
            new_labels.append(distances.index(min(distances)))
        if new_labels == labels:
            break
        labels = new_labels
        for j in range(len(centres)):  # update: each centre moves to the mean of its rows
            members = [row for row, label in zip(rows, labels, strict=True) if label == j]
            centres[j] = [sum(column) / len(members) for column in zip(*members, strict=True)]
    inertia = 0.0
    for row, label in zip(rows, labels, strict=True):
        inertia += sum((a - b) ** 2 for a, b in zip(row, centres[label], strict=True))
    centres = np.array(centres)
    return {"centres": _sorted_rows(centres), "inertia": inertia}
