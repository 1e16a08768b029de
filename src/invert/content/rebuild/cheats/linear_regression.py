"""Not a rebuild: it hands the work to scikit-learn inside fit. Must be refused."""

import importlib


class LinearRegression:
    def __init__(self, fit_intercept=True):
        self.fit_intercept = fit_intercept

    def fit(self, X, y):
        library = importlib.import_module("sklearn.linear_model")
        self.model_ = library.LinearRegression(fit_intercept=self.fit_intercept).fit(X, y)
        self.coef_, self.intercept_ = self.model_.coef_, self.model_.intercept_
        return self

    def predict(self, X):
        return self.model_.predict(X)


LinearRegressionGD = LinearRegression
