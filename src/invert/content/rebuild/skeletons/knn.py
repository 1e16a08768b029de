"""Rebuild k-nearest neighbours: classify a row by a vote among the training rows closest to it.

Fill in the TODOs, then `invert check knn`. Use NumPy only: scikit-learn is refused by the check.
The concept card: `invert learn nearest-neighbours`.
"""

import numpy as np


class KNeighborsClassifier:
    """Predict the class most common among a row's ``n_neighbors`` nearest training rows.

    The idea: rows that are close in feature space tend to share a label, so to label a new
    row, look up the k training rows nearest to it and let them vote. There is no training
    beyond remembering the data; all the work happens when predicting.

    The formula: the distance between rows x and x' is Euclidean,
    d(x, x') = sqrt(sum_f (x_f - x'_f) ** 2); N_k(x) is the set of the k training rows with
    the smallest d; the probability of class c is |{i in N_k(x) : y_i = c}| / k, and the
    prediction is the class with the largest probability.

    Ties, decided by these two rules (the check tests both):
    - two classes with the same number of votes: the one that comes first in ``classes_``
      (as scikit-learn does);
    - two training rows at the same distance for the k-th place: the earlier training row
      (scikit-learn leaves this one to the order it searches the rows in).

    Parameters
    ----------
    n_neighbors : int, default=5
        How many neighbours vote.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The sorted class labels.
    """

    def __init__(self, n_neighbors=5):
        self.n_neighbors = n_neighbors

    def fit(self, X, y):
        """Remember the training rows and their labels; return self."""
        self.X_train_ = np.asarray(X, dtype=float)
        self.y_train_ = np.asarray(y)
        self.classes_ = np.unique(self.y_train_)
        return self

    def predict_proba(self, X):
        """The share of each class among each row's k nearest training rows.

        Returns an array of shape (n_rows, n_classes), columns in the order of ``classes_``.
        """
        X = np.asarray(X, dtype=float)
        # TODO: for each row, the distance to every training row; the positions of the k
        #       smallest (np.argsort with kind="stable" keeps equal distances in training order);
        #       then, for each class, the fraction of those k rows that have it.
        raise NotImplementedError("predict_proba")

    def predict(self, X):
        """The class with the most votes for each row (the first in ``classes_`` on a tie)."""
        # TODO: the column of the largest probability, turned back into a label of classes_.
        raise NotImplementedError("predict")
