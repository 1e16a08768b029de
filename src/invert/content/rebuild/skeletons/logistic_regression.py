"""Rebuild logistic regression: a linear score turned into a probability, fitted by descent.

Fill in the TODOs, then `invert check logistic-regression`. Two stages: two classes (the
sigmoid), then several (the softmax). Use NumPy only: scikit-learn is refused by the check.
The concept card: `invert learn logistic-regression` (and `invert learn softmax`).
"""

import numpy as np


class LogisticRegression:
    """Logistic regression with an L2 penalty, fitted by batch gradient descent.

    The idea: score each class with a linear function of the features, squash the scores into
    probabilities, and choose the weights that make the true labels as probable as possible,
    while a penalty keeps the weights small.

    The formula: scores Z = X W + b. Two classes: one column, P(y = classes_[1]) = sigmoid(z)
    = 1 / (1 + exp(-z)). More classes: one column per class, P = softmax(Z), each row
    exp(z_k) / sum_j exp(z_j). With targets T (1 for the true class, else 0), minimise

        J(W, b) = -(1/n) sum_i sum_k T_ik log P_ik  +  ||W||² / (2 C n)

    which is scikit-learn's objective divided by C n (the same minimum). For both links the
    gradient has the same simple form: dJ/dW = Xᵀ (P - T) / n + W / (C n), dJ/db = mean(P - T).

    Parameters
    ----------
    C : float, default=1.0
        Inverse penalty strength, as in scikit-learn.
    learning_rate : float, default=0.5
    n_epochs : int, default=2000

    Attributes
    ----------
    classes_ : sorted class labels
    coef_ : ndarray of shape (1, n_features) for two classes, else (n_classes, n_features)
    intercept_ : ndarray of shape (1,) or (n_classes,)
    """

    def __init__(self, C=1.0, learning_rate=0.5, n_epochs=2000):
        self.C = C
        self.learning_rate = learning_rate
        self.n_epochs = n_epochs

    def fit(self, X, y):
        """Run n_epochs steps of gradient descent from all-zero weights; return self."""
        X = np.asarray(X, dtype=float)
        self.classes_ = np.unique(np.asarray(y))
        # TODO: y as class numbers 0..k-1: np.unique(y, return_inverse=True)[1]. Build the
        #       targets T (one column for two classes, one-hot otherwise), start from
        #       zero weights, and each epoch step against dJ/dW and dJ/db. Store coef_ as
        #       W.T and intercept_ as b, in scikit-learn's layout.
        raise NotImplementedError("fit")

    def predict_proba(self, X):
        """One column per class: sigmoid of the score for two classes, softmax otherwise."""
        # TODO: scores = X @ coef_.T + intercept_; two classes: p = sigmoid(score), columns
        #       [1 - p, p]; more: softmax of the scores (subtract each row's max first).
        raise NotImplementedError("predict_proba")

    def predict(self, X):
        """The most probable class."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
