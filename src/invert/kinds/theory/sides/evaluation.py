"""Function pairs for the cards on judging a classifier: the holdout split, accuracy, the
confusion matrix, baselines, balanced accuracy and class weights.

Each ``NAME_ours`` computes its numbers with `invert.scratch.holdout` or
`invert.scratch.class_metrics`; ``NAME_sklearn`` computes the same numbers with scikit-learn's
own functions. Both take the card's split, ``f(X_train, X_test, y_train, y_test)``, and return
the same named numbers (see `invert.kinds.theory.side_by_side`). Where both sides score a
model, they score the very same model, so any difference lies in the part being compared.
NumPy and scikit-learn are imported inside the functions.
"""

from __future__ import annotations

from typing import Any

Array = Any  # a NumPy array; NumPy itself is imported only when a function runs

__all__ = [
    "accuracy_ours",
    "accuracy_sklearn",
    "balanced_accuracy_ours",
    "balanced_accuracy_sklearn",
    "class_weights_ours",
    "class_weights_sklearn",
    "confusion_ours",
    "confusion_sklearn",
    "holdout_ours",
    "holdout_sklearn",
]

HOLDOUT_SEED = 0  # random_state of the holdout split both sides draw
RARE_DIGIT = 8  # digits: "is it an 8?" has about one positive in ten, the hardest digit to find


# --- train/test split ---------------------------------------------------------------------------


def _holdout_summary(X: Array, y: Array, train: Array, test: Array) -> dict[str, float]:
    """Split sizes, the first held-out rows, and a deep tree's score on each side of the split."""
    from sklearn.tree import DecisionTreeClassifier

    tree = DecisionTreeClassifier(random_state=0).fit(X[train], y[train])
    result = {"rows to learn from": float(len(train)), "rows held out": float(len(test))}
    for i in range(3):
        result[f"held-out row {i + 1} (position)"] = float(test[i])
    result["deep tree: accuracy on its training rows"] = float(tree.score(X[train], y[train]))
    result["deep tree: accuracy on the held-out rows"] = float(tree.score(X[test], y[test]))
    return result


def _all_rows(X_train: Array, X_test: Array, y_train: Array, y_test: Array) -> tuple[Array, Array]:
    import numpy as np

    return np.concatenate([X_train, X_test]), np.concatenate([y_train, y_test])


def holdout_ours(X_train: Array, X_test: Array, y_train: Array, y_test: Array) -> dict[str, float]:
    """Split all rows again, 75/25, with `train_test_indices`; fit a deep tree on the new split."""
    from invert.scratch.holdout import train_test_indices

    X, y = _all_rows(X_train, X_test, y_train, y_test)
    train, test = train_test_indices(len(y), test_size=0.25, random_state=HOLDOUT_SEED)
    return _holdout_summary(X, y, train, test)


def holdout_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same split with scikit-learn's `train_test_split` (no stratify), applied to positions."""
    import numpy as np
    from sklearn.model_selection import train_test_split

    X, y = _all_rows(X_train, X_test, y_train, y_test)
    train, test = train_test_split(np.arange(len(y)), test_size=0.25, random_state=HOLDOUT_SEED)
    return _holdout_summary(X, y, train, test)


# --- accuracy -----------------------------------------------------------------------------------


def _logistic_predictions(X_train: Array, X_test: Array, y_train: Array) -> Array:
    """Test predictions of one logistic regression, shared by both sides."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(max_iter=1000).fit(X_train, y_train).predict(X_test)


def accuracy_ours(X_train: Array, X_test: Array, y_train: Array, y_test: Array) -> dict[str, float]:
    """Accuracy as the mean of right answers, and again as the share-weighted mean of recalls."""
    import numpy as np

    from invert.scratch.class_metrics import accuracy, confusion_matrix

    predicted = _logistic_predictions(X_train, X_test, y_train)
    matrix = confusion_matrix(y_test, predicted)
    totals = matrix.sum(axis=1)
    recalls, shares = np.diag(matrix) / totals, totals / totals.sum()
    result = {"accuracy": accuracy(y_test, predicted)}
    for label, recall, share in zip(np.unique(y_test), recalls, shares, strict=True):
        result[f"class {label}: share of the test rows"] = float(share)
        result[f"class {label}: recall"] = float(recall)
    result["recalls weighted by class share"] = float(np.sum(shares * recalls))
    return result


def accuracy_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same with `accuracy_score` and `recall_score` (per class, and averaged by support)."""
    import numpy as np
    from sklearn.metrics import accuracy_score, recall_score

    predicted = _logistic_predictions(X_train, X_test, y_train)
    labels, counts = np.unique(y_test, return_counts=True)
    recalls = recall_score(y_test, predicted, average=None, labels=labels)
    result = {"accuracy": float(accuracy_score(y_test, predicted))}
    for label, recall, count in zip(labels, recalls, counts, strict=True):
        result[f"class {label}: share of the test rows"] = float(count / len(y_test))
        result[f"class {label}: recall"] = float(recall)
    result["recalls weighted by class share"] = float(
        recall_score(y_test, predicted, average="weighted")
    )
    return result


# --- confusion matrix ---------------------------------------------------------------------------


def _neighbour_predictions(X_train: Array, X_test: Array, y_train: Array) -> Array:
    """Test predictions of 5 nearest neighbours on the card's (unscaled) features."""
    from sklearn.neighbors import KNeighborsClassifier

    return KNeighborsClassifier(n_neighbors=5).fit(X_train, y_train).predict(X_test)


def _matrix_summary(matrix: Array, labels: Array) -> dict[str, float]:
    result = {}
    for i, truth in enumerate(labels):
        for j, guess in enumerate(labels):
            result[f"true {truth}, predicted {guess}"] = float(matrix[i, j])
    result["accuracy (diagonal / total)"] = float(matrix.trace() / matrix.sum())
    return result


def confusion_ours(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The counts of every (true class, predicted class) pair with `class_metrics`."""
    import numpy as np

    from invert.scratch.class_metrics import confusion_matrix

    predicted = _neighbour_predictions(X_train, X_test, y_train)
    labels = np.unique(y_train)
    return _matrix_summary(confusion_matrix(y_test, predicted, labels=labels), labels)


def confusion_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same with scikit-learn's `confusion_matrix`."""
    import numpy as np
    from sklearn.metrics import confusion_matrix

    predicted = _neighbour_predictions(X_train, X_test, y_train)
    labels = np.unique(y_train)
    return _matrix_summary(confusion_matrix(y_test, predicted, labels=labels), labels)


# --- balanced accuracy and class weights: one rare class, the 8s among the digits ---------------


def _is_rare(y: Array) -> Array:
    """1 for an image of the rare digit, 0 for every other digit."""
    import numpy as np

    return (np.asarray(y) == RARE_DIGIT).astype(int)


def _rare_digit_predictions(X_train: Array, X_test: Array, y_train: Array) -> dict[str, Array]:
    """Test predictions of "is it an 8?" by a never-8 baseline and by a logistic regression."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    rare = _is_rare(y_train)
    return {
        "always 'not an 8'": np.zeros(len(X_test), dtype=int),
        "logistic regression": LogisticRegression(max_iter=1000).fit(X_train, rare).predict(X_test),
    }


def balanced_accuracy_ours(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """Accuracy and balanced accuracy of both models with `class_metrics`."""
    from invert.scratch.class_metrics import accuracy, balanced_accuracy

    truth, result = _is_rare(y_test), {}
    for name, predicted in _rare_digit_predictions(X_train, X_test, y_train).items():
        result[f"{name}: accuracy"] = accuracy(truth, predicted)
        result[f"{name}: balanced accuracy"] = balanced_accuracy(truth, predicted)
    return result


def balanced_accuracy_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same with `accuracy_score` and `balanced_accuracy_score`."""
    from sklearn.metrics import accuracy_score, balanced_accuracy_score

    truth, result = _is_rare(y_test), {}
    for name, predicted in _rare_digit_predictions(X_train, X_test, y_train).items():
        result[f"{name}: accuracy"] = float(accuracy_score(truth, predicted))
        result[f"{name}: balanced accuracy"] = float(balanced_accuracy_score(truth, predicted))
    return result


def _weighted_summary(
    weights: dict[int, float], rare_train: Array, truth: Array, plain: Array, weighted: Array
) -> dict[str, float]:
    """The two class weights, each class's total weight, and both models' scores on the 8s."""
    import numpy as np
    from sklearn.metrics import balanced_accuracy_score, precision_score, recall_score

    result = {
        "weight of an 8": weights[1],
        "weight of another digit": weights[0],
        "total weight of the 8s": weights[1] * float(np.sum(rare_train == 1)),
        "total weight of the other digits": weights[0] * float(np.sum(rare_train == 0)),
    }
    for name, predicted in (("unweighted", plain), ("balanced weights", weighted)):
        result[f"{name}: accuracy"] = float(np.mean(predicted == truth))
        result[f"{name}: recall of the 8s"] = float(recall_score(truth, predicted))
        result[f"{name}: precision on the 8s"] = float(precision_score(truth, predicted))
        result[f"{name}: balanced accuracy"] = float(balanced_accuracy_score(truth, predicted))
    return result


def class_weights_ours(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """'Balanced' weights by `balanced_class_weights`, given to the fit as per-row weights."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from invert.scratch.class_metrics import balanced_class_weights

    rare = _is_rare(y_train)
    weights = balanced_class_weights(rare)
    per_row = np.array([weights[label] for label in rare.tolist()])  # each row's loss weight
    plain = LogisticRegression(max_iter=1000).fit(X_train, rare)
    weighted = LogisticRegression(max_iter=1000).fit(X_train, rare, sample_weight=per_row)
    return _weighted_summary(
        weights, rare, _is_rare(y_test), plain.predict(X_test), weighted.predict(X_test)
    )


def class_weights_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same with `compute_class_weight` and `LogisticRegression(class_weight="balanced")`."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.utils.class_weight import compute_class_weight

    rare = _is_rare(y_train)
    classes = np.array([0, 1])
    computed = compute_class_weight("balanced", classes=classes, y=rare)
    weights = {int(c): float(w) for c, w in zip(classes, computed, strict=True)}
    plain = LogisticRegression(max_iter=1000).fit(X_train, rare)
    weighted = LogisticRegression(max_iter=1000, class_weight="balanced").fit(X_train, rare)
    return _weighted_summary(
        weights, rare, _is_rare(y_test), plain.predict(X_test), weighted.predict(X_test)
    )
