"""k-nearest neighbours from scratch: remember the training set, vote among the closest rows.

There is no training beyond storing the data; all the work happens at prediction time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

import numpy as np

from invert.scratch._base import ScratchEstimator

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray


class KNeighborsClassifierScratch(ScratchEstimator):
    """Classify each row by a majority vote of its ``n_neighbors`` nearest training rows.

    Distance is Euclidean. Between classes with the same number of votes, the one that comes
    first in ``classes_`` wins, as in scikit-learn. Between training rows at exactly the same
    distance, the one that comes first in the training set counts as nearer.

    Parameters
    ----------
    n_neighbors : int, default=5
        How many neighbours vote.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The sorted class labels.
    X_train_ : ndarray of shape (n_samples, n_features)
        The stored training features.
    y_train_ : ndarray of shape (n_samples,)
        The training labels as positions in ``classes_`` (0, 1, ...).

    Notes
    -----
    Predictions are identical to scikit-learn's ``KNeighborsClassifier`` unless several training
    rows tie *exactly* for the k-th place (e.g. on raw iris, whose measurements repeat). Then
    scikit-learn keeps whichever its search (a KD-tree, or a bounded heap in brute force) meets
    first, which is not always the earliest training row, so its neighbour set can differ from
    ours and, rarely, so can the vote.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0], [10.0], [11.0]])
    >>> y = np.array(["a", "a", "a", "b", "b"])
    >>> model = KNeighborsClassifierScratch(n_neighbors=3).fit(X, y)
    >>> model.predict(np.array([[1.5], [10.5]])).tolist()
    ['a', 'b']
    >>> model.predict_proba(np.array([[10.5]])).round(3).tolist()
    [[0.333, 0.667]]
    """

    _estimator_type = "classifier"  # tells scikit-learn (via the tags) how to treat it

    classes_: NDArray[Any]
    X_train_: NDArray[np.float64]
    y_train_: NDArray[np.intp]

    def __init__(self, n_neighbors: int = 5) -> None:
        self.n_neighbors = n_neighbors

    def fit(self, X: ArrayLike, y: ArrayLike) -> Self:
        """Store the training data: that is all the "learning" kNN does.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training features.
        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        self : KNeighborsClassifierScratch
            The fitted model.
        """
        self.X_train_ = np.asarray(X, dtype=np.float64)
        self.classes_, self.y_train_ = np.unique(np.asarray(y), return_inverse=True)
        return self

    def kneighbors(self, X: ArrayLike) -> NDArray[np.intp]:
        """Find the positions, in the training set, of each row's nearest neighbours.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features)
            Query rows.

        Returns
        -------
        indices : ndarray of shape (n_queries, n_neighbors)
            Training-row positions, nearest first.
        """
        self._check_fitted()
        X = np.asarray(X, dtype=np.float64)
        neighbours = np.empty((len(X), self.n_neighbors), dtype=np.intp)
        for i, query in enumerate(X):
            # Euclidean distance d(x, x_j) = sqrt(Σ_f (x_f - x_jf)²) to every training row.
            distances = np.sqrt(np.sum((self.X_train_ - query) ** 2, axis=1))
            # Sort by distance and keep the first k. A *stable* sort keeps equally distant rows in
            # training-set order, so a tie at the k-th place goes to the earlier training row.
            neighbours[i] = np.argsort(distances, kind="stable")[: self.n_neighbors]
        return neighbours

    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Share of the neighbours' votes going to each class, columns in ``classes_`` order.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features)
            Query rows.

        Returns
        -------
        proba : ndarray of shape (n_queries, n_classes)
            Vote counts divided by ``n_neighbors``; each row sums to 1.
        """
        neighbours = self.kneighbors(X)  # (n_queries, n_neighbors) training-row positions
        neighbour_labels = self.y_train_[neighbours]
        votes = np.zeros((len(neighbour_labels), len(self.classes_)))
        for k in range(len(self.classes_)):
            votes[:, k] = np.sum(neighbour_labels == k, axis=1)
        return votes / self.n_neighbors

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """Predict the class with the most neighbour votes.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features)
            Query rows.

        Returns
        -------
        y_pred : ndarray of shape (n_queries,)
            Predicted class labels.
        """
        # argmax returns the first maximum, so equal votes go to the class listed first in
        # classes_ (the smallest label), which is what scikit-learn does too.
        proba = self.predict_proba(X)
        predicted: NDArray[Any] = self.classes_[np.argmax(proba, axis=1)]
        return predicted
