"""The two sides of the cross-entropy and calibration cards: log loss, the Brier score and a
binned reliability curve, from `invert.scratch.probability_scores` and from scikit-learn's
`log_loss`, `brier_score_loss` and `calibration_curve`.

Both sides score the very same predicted probabilities, so any difference is in the scores alone.
Calling convention as in `invert.kinds.theory.side_by_side`.
"""

from __future__ import annotations

from typing import Any

Array = Any  # a NumPy array; NumPy itself is imported only when a function runs

__all__ = ["calibration_ours", "calibration_sklearn", "cross_entropy_ours", "cross_entropy_sklearn"]

BENIGN = 1  # breast_cancer's label 1: the class whose probability is scored
N_BINS = 5  # bins of the reliability curve: 143 test rows leave too few per bin with 10


def _probabilities(X_train: Array, X_test: Array, y_train: Array) -> dict[str, Array]:
    """Each model's probability of benign for the test rows, and a constant guess: the share of
    benign masses among the training rows, the best a model that looks at nothing can say."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import GaussianNB

    result = {}
    for name, model in (
        ("logistic regression", LogisticRegression(max_iter=1000)),
        ("naive Bayes", GaussianNB()),
    ):
        fitted = model.fit(X_train, y_train)
        result[name] = fitted.predict_proba(X_test)[:, list(fitted.classes_).index(BENIGN)]
    share = float(np.mean(np.asarray(y_train) == BENIGN))
    result["the training share for every row"] = np.full(len(X_test), share)
    return result


def cross_entropy_ours(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The test log loss of each set of probabilities, by the formula."""
    from invert.scratch.probability_scores import log_loss

    probabilities = _probabilities(X_train, X_test, y_train)
    return {
        f"log loss, {name}": log_loss(y_test, p, positive=BENIGN)
        for name, p in probabilities.items()
    }


def cross_entropy_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same with scikit-learn's `log_loss`."""
    import numpy as np
    from sklearn.metrics import log_loss

    probabilities = _probabilities(X_train, X_test, y_train)
    is_benign = np.asarray(y_test) == BENIGN
    return {
        f"log loss, {name}": float(log_loss(is_benign, p, labels=[False, True]))
        for name, p in probabilities.items()
    }


def _curve_summary(name: str, observed: Array, predicted: Array, brier: float) -> dict[str, float]:
    result = {f"Brier score, {name}": brier}
    for i, (o, p) in enumerate(zip(observed, predicted, strict=True), start=1):
        result[f"{name}, bin {i}: mean predicted"] = float(p)
        result[f"{name}, bin {i}: share benign"] = float(o)
    return result


def calibration_ours(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """Brier score and reliability curve of each model, by `invert.scratch.probability_scores`."""
    from invert.scratch.probability_scores import brier_score, reliability_curve

    result: dict[str, float] = {}
    for name, p in _probabilities(X_train, X_test, y_train).items():
        if name.startswith("the training share"):
            continue
        observed, predicted, _ = reliability_curve(y_test, p, N_BINS, positive=BENIGN)
        result |= _curve_summary(name, observed, predicted, brier_score(y_test, p, BENIGN))
    return result


def calibration_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same with scikit-learn's `calibration_curve` (equal bins) and `brier_score_loss`."""
    import numpy as np
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import brier_score_loss

    is_benign = np.asarray(y_test) == BENIGN
    result: dict[str, float] = {}
    for name, p in _probabilities(X_train, X_test, y_train).items():
        if name.startswith("the training share"):
            continue
        observed, predicted = calibration_curve(is_benign, p, n_bins=N_BINS)
        brier = float(brier_score_loss(is_benign, p))
        result |= _curve_summary(name, observed, predicted, brier)
    return result
