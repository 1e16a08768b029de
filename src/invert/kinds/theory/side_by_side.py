"""The two sides of the cards whose `[run]` compares functions rather than estimators.

Each card with ``compare = "function"`` names a pair here: ``NAME_ours`` computes a quantity with
the from-scratch code in `invert.scratch`, ``NAME_sklearn`` computes the same quantity with
scikit-learn's own function. Both take the card's split, ``f(X_train, X_test, y_train, y_test)``,
and return the same named numbers, so `invert learn CARD --run` can print them side by side and
`invert dev check` can hold their largest difference to the card's tolerance.

Everything heavy (NumPy, scikit-learn) is imported inside the functions, so that importing this
module costs nothing.
"""

from __future__ import annotations

from typing import Any

Array = Any  # a NumPy array; NumPy itself is imported only when a function runs

__all__ = [
    "cross_validation_ours",
    "cross_validation_sklearn",
    "leakage_ours",
    "leakage_sklearn",
    "learning_curve_ours",
    "learning_curve_sklearn",
    "precision_recall_ours",
    "precision_recall_sklearn",
]

N_FOLDS = 5  # k of the k-fold cross-validation (the experiments use 5 too)
CURVE_SHARES = (0.01, 0.05, 0.2, 0.5, 1.0)  # learning curve: shares of the training rows used


# --- precision, recall, F1 ----------------------------------------------------------------------


def _logistic_predictions(X_train: Array, X_test: Array, y_train: Array) -> Array:
    """Test predictions of a logistic regression: the same for both sides of the comparison.

    Both sides score the very same predictions, so any difference is in the metrics alone.
    """
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(max_iter=1000).fit(X_train, y_train).predict(X_test)


def _rare_class(y_train: Array) -> Any:
    """The less frequent class (the first on a tie): the one that counts as positive.

    On breast_cancer that is 0, malignant: the diagnosis a screening test must not miss.
    """
    import numpy as np

    labels, counts = np.unique(np.asarray(y_train), return_counts=True)
    return labels[int(np.argmin(counts))]


def precision_recall_ours(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """Confusion counts, precision, recall, F1 and accuracy with `invert.scratch.metrics`."""
    from invert.scratch.metrics import confusion_counts, f1_score, precision, recall

    predicted = _logistic_predictions(X_train, X_test, y_train)
    tp, fp, fn, tn = confusion_counts(y_test, predicted, positive=_rare_class(y_train))
    return {
        "true positives": float(tp),
        "false positives": float(fp),
        "false negatives": float(fn),
        "true negatives": float(tn),
        "precision": precision(tp, fp),
        "recall": recall(tp, fn),
        "F1": f1_score(tp, fp, fn),
        "accuracy": (tp + tn) / (tp + fp + fn + tn),
    }


def precision_recall_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same numbers with scikit-learn's `confusion_matrix` and metric functions."""
    from sklearn.metrics import (
        accuracy_score,
        confusion_matrix,
        f1_score,
        precision_score,
        recall_score,
    )

    predicted = _logistic_predictions(X_train, X_test, y_train)
    positive = _rare_class(y_train)
    # Rows are the true class, columns the predicted one; listing the positive class first
    # puts the true positives at [0, 0].
    negatives = [label for label in sorted(set(y_test) | set(predicted)) if label != positive]
    matrix = confusion_matrix(y_test, predicted, labels=[positive, *negatives])
    tp, fn = matrix[0, 0], matrix[0, 1:].sum()
    fp, tn = matrix[1:, 0].sum(), matrix[1:, 1:].sum()
    options = {"pos_label": positive, "zero_division": 0}
    return {
        "true positives": float(tp),
        "false positives": float(fp),
        "false negatives": float(fn),
        "true negatives": float(tn),
        "precision": float(precision_score(y_test, predicted, **options)),
        "recall": float(recall_score(y_test, predicted, **options)),
        "F1": float(f1_score(y_test, predicted, **options)),
        "accuracy": float(accuracy_score(y_test, predicted)),
    }


# --- cross-validation ---------------------------------------------------------------------------


def _forest() -> Any:
    """The random forest of the random-seed-spread experiment: 10 trees, a fixed seed."""
    from sklearn.ensemble import RandomForestClassifier

    return RandomForestClassifier(n_estimators=10, random_state=0)


def _fold_summary(scores: Array, mean: float, standard_error: float) -> dict[str, float]:
    result = {f"fold {i} accuracy": float(score) for i, score in enumerate(scores, start=1)}
    result["mean accuracy"] = mean
    result["standard error of the mean"] = standard_error
    return result


def cross_validation_ours(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """5-fold scores of a 10-tree forest on the training rows, with `invert.scratch.validation`.

    Only the training rows are cut into folds: the test rows stay untouched, as they should.
    """
    from invert.scratch.validation import cross_val_scores, mean_and_standard_error

    scores = cross_val_scores(_forest(), X_train, y_train, n_splits=N_FOLDS)
    return _fold_summary(scores, *mean_and_standard_error(scores))


def cross_validation_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same with scikit-learn's `cross_val_score` and `KFold` (no shuffling)."""
    import numpy as np
    from sklearn.model_selection import KFold, cross_val_score

    scores = cross_val_score(_forest(), X_train, y_train, cv=KFold(N_FOLDS))
    standard_error = float(np.std(scores, ddof=1) / np.sqrt(len(scores)))
    return _fold_summary(scores, float(np.mean(scores)), standard_error)


# --- learning curves ----------------------------------------------------------------------------


def _svm() -> Any:
    """The support vector machine of the training-set-size experiment (for raw digits)."""
    from sklearn.svm import SVC

    return SVC(gamma=0.001)


def _sizes(n_train: int) -> list[int]:
    """Training-set sizes: the shares in CURVE_SHARES of the training rows, at least 2 rows."""
    return sorted({max(2, round(share * n_train)) for share in CURVE_SHARES})


def _curve_summary(sizes: list[int], train: Array, test: Array) -> dict[str, float]:
    result: dict[str, float] = {}
    for n, train_score, test_score in zip(sizes, train, test, strict=True):
        result[f"train accuracy, {n} rows"] = float(train_score)
        result[f"test accuracy, {n} rows"] = float(test_score)
    return result


def learning_curve_ours(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """Training and test accuracy of the SVM trained on the first n rows, for growing n."""
    from invert.scratch.validation import learning_curve_scores

    sizes = _sizes(len(y_train))
    train, test = learning_curve_scores(_svm(), X_train, y_train, X_test, y_test, sizes)
    return _curve_summary(sizes, train, test)


def learning_curve_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same with scikit-learn's `learning_curve`, given the one split as its `cv`."""
    import numpy as np
    from sklearn.model_selection import learning_curve

    n_train, n_test = len(y_train), len(y_test)
    X = np.concatenate([np.asarray(X_train), np.asarray(X_test)])
    y = np.concatenate([np.asarray(y_train), np.asarray(y_test)])
    split = [(np.arange(n_train), np.arange(n_train, n_train + n_test))]
    sizes = _sizes(n_train)
    _, train, test = learning_curve(_svm(), X, y, train_sizes=sizes, cv=split, shuffle=False)
    return _curve_summary(sizes, train[:, 0], test[:, 0])


# --- leakage through scaling --------------------------------------------------------------------


def _leakage_summary(
    clean_mean: Array,
    clean_scale: Array,
    leaky_mean: Array,
    leaky_scale: Array,
    clean_train: Array,
    leaky_train: Array,
) -> dict[str, float]:
    """Feature 1's statistics fitted both ways, and how far the test rows move the training rows."""
    import numpy as np

    shift = np.abs(np.asarray(leaky_train) - np.asarray(clean_train))
    return {
        "mean of feature 1, training rows only": float(clean_mean[0]),
        "mean of feature 1, all rows (leaky)": float(leaky_mean[0]),
        "sd of feature 1, training rows only": float(clean_scale[0]),
        "sd of feature 1, all rows (leaky)": float(leaky_scale[0]),
        "largest shift of a standardised training value": float(np.max(shift)),
        "mean shift of a standardised training value": float(np.mean(shift)),
    }


def leakage_ours(X_train: Array, X_test: Array, y_train: Array, y_test: Array) -> dict[str, float]:
    """Standardise the training rows twice with `StandardScalerScratch`: fitted on them alone,
    and fitted on all rows (the leak); report the statistics and how far the test rows moved them.
    """
    import numpy as np

    from invert.scratch.preprocessing import StandardScalerScratch

    clean = StandardScalerScratch().fit(X_train)
    leaky = StandardScalerScratch().fit(np.concatenate([X_train, X_test]))
    return _leakage_summary(
        clean.mean_,
        clean.scale_,
        leaky.mean_,
        leaky.scale_,
        clean.transform(X_train),
        leaky.transform(X_train),
    )


def leakage_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same with scikit-learn's `StandardScaler`."""
    import numpy as np
    from sklearn.preprocessing import StandardScaler

    clean = StandardScaler().fit(X_train)
    leaky = StandardScaler().fit(np.concatenate([X_train, X_test]))
    return _leakage_summary(
        clean.mean_,
        clean.scale_,
        leaky.mean_,
        leaky.scale_,
        clean.transform(X_train),
        leaky.transform(X_train),
    )
