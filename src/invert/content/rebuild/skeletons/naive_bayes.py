"""Rebuild Gaussian naive Bayes: Bayes' rule with every feature treated as independent.

Fill in the TODOs, then `invert check naive-bayes`. Use NumPy only: scikit-learn is refused by
the check. The concept card: `invert learn naive-bayes` (and `invert learn probability`).
"""

import numpy as np


class GaussianNB:
    """Classify by the class that makes the row most probable, under a bell curve per feature.

    The idea: for each class, summarise each feature by a normal distribution (its mean and
    variance within the class). A new row's score for a class is how common the class is
    times how likely each of the row's values is under that class's bell curves, as if the
    features were independent given the class (the "naive" part). Normalise the scores into
    probabilities.

    The formula: log P(c | x) = log P(c) + sum_f log N(x_f; mu_cf, var_cf) - log P(x), with
    log N(x; mu, var) = -0.5 log(2 pi var) - (x - mu) ** 2 / (2 var). P(c) is the share of the
    training rows in class c; mu and var are the class's mean and (population, ddof=0)
    variance of each feature, each variance plus epsilon_ = var_smoothing * the largest
    variance of any feature over all rows. log P(x) = logsumexp over the classes of the
    numerators; subtract each row's largest before exponentiating so nothing overflows.

    Attributes
    ----------
    classes_, class_prior_, theta_ (means), var_ (variances + epsilon_), epsilon_
    """

    def __init__(self, var_smoothing=1e-9):
        self.var_smoothing = var_smoothing

    def fit(self, X, y):
        """Estimate the priors, and each feature's mean and variance in each class; return self."""
        X, y = np.asarray(X, dtype=float), np.asarray(y)
        self.classes_ = np.unique(y)
        # TODO: epsilon_, theta_ and var_ (shape (n_classes, n_features)), class_prior_.
        raise NotImplementedError("fit")

    def _joint_log_likelihood(self, X):
        """log P(c) + log P(x | c) for every row and class: shape (n_rows, n_classes)."""
        # TODO: one column per class, summing the log densities over the features.
        raise NotImplementedError("_joint_log_likelihood")

    def predict_proba(self, X):
        """P(c | x): the numerators divided by their sum, computed in logs."""
        # TODO: subtract log P(x) (a log-sum-exp over the classes) and exponentiate.
        raise NotImplementedError("predict_proba")

    def predict(self, X):
        """The class with the largest posterior probability."""
        scores = self._joint_log_likelihood(np.asarray(X, dtype=float))
        return self.classes_[np.argmax(scores, axis=1)]
