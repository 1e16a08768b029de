"""kNN ordering neighbours with np.lexsort on (distance, row number) and voting with bincount."""

import numpy as np


class KNeighborsClassifier:
    def __init__(self, n_neighbors=5):
        self.n_neighbors = n_neighbors

    def fit(self, X, y):
        self.X_train_ = np.asarray(X, dtype=float)
        self.classes_, self.codes_ = np.unique(np.asarray(y), return_inverse=True)
        return self

    def predict_proba(self, X):
        positions = np.arange(len(self.X_train_))
        proba = []
        for x in np.asarray(X, dtype=float):
            distances = np.linalg.norm(self.X_train_ - x, axis=1)
            nearest = np.lexsort((positions, distances))[: self.n_neighbors]
            counts = np.bincount(self.codes_[nearest], minlength=len(self.classes_))
            proba.append(counts / self.n_neighbors)
        return np.array(proba)

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
