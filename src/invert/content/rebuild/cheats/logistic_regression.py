"""Not a rebuild: it wraps scikit-learn's estimator, found through __import__. Must be refused."""


class LogisticRegression:
    def __init__(self, C=1.0, learning_rate=0.5, n_epochs=2000):
        self.C, self.learning_rate, self.n_epochs = C, learning_rate, n_epochs

    def fit(self, X, y):
        library = __import__("sklearn.linear_model", fromlist=["LogisticRegression"])
        self.model_ = library.LogisticRegression(C=self.C).fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        return self.model_.predict_proba(X)

    def predict(self, X):
        return self.model_.predict(X)
