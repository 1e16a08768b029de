"""kNN whose neighbours come from np.argsort's default sort, which does not keep equal
distances in training order."""

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
        distances = np.sqrt(((X[:, None, :] - self.X_train_[None]) ** 2).sum(axis=2))
        nearest = np.argsort(distances, axis=1)[:, : self.n_neighbors]
        labels = self.y_train_[nearest]
        return np.stack([(labels == c).mean(axis=1) for c in self.classes_], axis=1)

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
