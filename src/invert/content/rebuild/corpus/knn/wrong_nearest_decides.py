"""kNN that settles a tied vote by the class of the nearest neighbour among the tied classes."""

import numpy as np


class KNeighborsClassifier:
    def __init__(self, n_neighbors=5):
        self.n_neighbors = n_neighbors

    def fit(self, X, y):
        self.X_train_ = np.asarray(X, dtype=float)
        self.y_train_ = np.asarray(y)
        self.classes_ = np.unique(self.y_train_)
        return self

    def _nearest(self, x):
        distances = np.sqrt(((self.X_train_ - x) ** 2).sum(axis=1))
        return np.argsort(distances, kind="stable")[: self.n_neighbors]

    def predict_proba(self, X):
        return np.array(
            [
                [np.mean(self.y_train_[self._nearest(x)] == c) for c in self.classes_]
                for x in np.asarray(X, dtype=float)
            ]
        )

    def predict(self, X):
        predicted = []
        for x, shares in zip(np.asarray(X, dtype=float), self.predict_proba(X), strict=True):
            tied = self.classes_[shares == shares.max()]
            for i in self._nearest(x):  # the closest neighbour whose class is among the tied
                if self.y_train_[i] in tied:
                    predicted.append(self.y_train_[i])
                    break
        return np.array(predicted)
