"""Not a rebuild: scikit-learn imported lazily, inside the method. Must be refused."""


class GaussianNB:
    def __init__(self, var_smoothing=1e-9):
        self.var_smoothing = var_smoothing

    def fit(self, X, y):
        from sklearn.naive_bayes import GaussianNB as Library

        self.model_ = Library(var_smoothing=self.var_smoothing).fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        return self.model_.predict_proba(X)

    def predict(self, X):
        return self.model_.predict(X)
