"""kNN in plain Python loops: neighbours sorted by (distance, position), votes counted by hand."""

import numpy as np


class KNeighborsClassifier:
    def __init__(self, n_neighbors=5):
        self.n_neighbors = n_neighbors

    def fit(self, X, y):
        self.X_train_ = np.asarray(X, dtype=float)
        self.y_train_ = np.asarray(y)
        self.classes_ = np.unique(self.y_train_)
        return self

    def _votes(self, x):
        distances = [float(np.dot(row - x, row - x)) for row in self.X_train_]
        ranked = sorted(range(len(distances)), key=lambda i: (distances[i], i))
        votes = {c: 0 for c in self.classes_}
        for i in ranked[: self.n_neighbors]:
            votes[self.y_train_[i]] += 1
        return votes

    def predict_proba(self, X):
        rows = []
        for x in np.asarray(X, dtype=float):
            votes = self._votes(x)
            rows.append([votes[c] / self.n_neighbors for c in self.classes_])
        return np.array(rows)

    def predict(self, X):
        predicted = []
        for x in np.asarray(X, dtype=float):
            votes = self._votes(x)
            best = self.classes_[0]
            for c in self.classes_:
                if votes[c] > votes[best]:  # strictly more: the earlier class keeps a tie
                    best = c
            predicted.append(best)
        return np.array(predicted)
