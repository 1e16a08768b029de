"""kNN with every distance at once: a (test rows x training rows) matrix, no Python loop."""

import numpy as np


class KNeighborsClassifier:
    def __init__(self, n_neighbors=5):
        self.n_neighbors = n_neighbors

    def fit(self, X, y):
        self.X_train_ = np.asarray(X, dtype=float)
        self.y_train_ = np.asarray(y)
        self.classes_ = np.unique(self.y_train_)
        return self

    def predict_proba(self, X):
        X = np.asarray(X, dtype=float)
        # Squared distances order the rows as the distances do, ties included.
        squared = ((X[:, None, :] - self.X_train_[None, :, :]) ** 2).sum(axis=2)
        nearest = np.argsort(squared, axis=1, kind="stable")[:, : self.n_neighbors]
        codes = np.searchsorted(self.classes_, self.y_train_)[nearest]
        counts = np.zeros((len(X), len(self.classes_)))
        for column in range(self.n_neighbors):
            counts[np.arange(len(X)), codes[:, column]] += 1
        return counts / self.n_neighbors

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
