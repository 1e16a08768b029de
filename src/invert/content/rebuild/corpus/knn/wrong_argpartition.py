"""kNN taking the k nearest with np.argpartition: fast, but which of several rows tied for the
k-th place it keeps is arbitrary."""

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
        proba = np.zeros((len(X), len(self.classes_)))
        for row, x in enumerate(np.asarray(X, dtype=float)):
            distances = np.linalg.norm(self.X_train_ - x, axis=1)
            nearest = np.argpartition(distances, self.n_neighbors - 1)[: self.n_neighbors]
            for label in self.y_train_[nearest]:
                proba[row, np.searchsorted(self.classes_, label)] += 1 / self.n_neighbors
        return proba

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
