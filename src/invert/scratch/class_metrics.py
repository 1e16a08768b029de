"""Accuracy, the confusion matrix and balanced accuracy from scratch: count, then divide.

The confusion matrix counts, for every true class and every predicted class, how many rows had
that truth and got that prediction. Every score of a classifier's hard predictions is read off
it: accuracy is the diagonal over the total; a class's recall is its diagonal entry over its
row's total; balanced accuracy is the mean of those recalls, so that every class counts the
same however few rows it has. Class weights of the 'balanced' kind do the same for training.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = ["accuracy", "balanced_accuracy", "balanced_class_weights", "confusion_matrix"]


def accuracy(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """The share of rows whose prediction equals the truth: the mean of a 0/1 indicator.

    >>> accuracy(["a", "b", "b", "b"], ["a", "b", "a", "b"])
    0.75
    """
    right = np.asarray(y_true) == np.asarray(y_pred)  # the indicator 1[ŷᵢ = yᵢ], one per row
    return float(np.sum(right) / len(right))


def confusion_matrix(
    y_true: ArrayLike, y_pred: ArrayLike, labels: ArrayLike | None = None
) -> NDArray[np.int64]:
    """Counts of rows by true class (rows of the table) and predicted class (columns).

    Like scikit-learn's ``confusion_matrix``: ``labels`` fixes the order (by default every label
    seen in either array, sorted); entry [i, j] counts rows of class ``labels[i]`` predicted as
    ``labels[j]``, so the diagonal holds the right answers.

    >>> confusion_matrix([0, 0, 1, 1, 1], [0, 1, 1, 1, 0]).tolist()
    [[1, 1], [1, 2]]
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    labels = np.unique(np.concatenate([y_true, y_pred])) if labels is None else np.asarray(labels)
    position = {label: i for i, label in enumerate(labels.tolist())}
    matrix = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for truth, guess in zip(y_true.tolist(), y_pred.tolist(), strict=True):
        if truth in position and guess in position:  # rows of unlisted labels are left out
            matrix[position[truth], position[guess]] += 1  # one more row in this box
    return matrix


def balanced_accuracy(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """The mean over the true classes of each class's recall, read off the confusion matrix.

    A class's recall is its diagonal count over its row total (the rows really of that class).
    Classes that only appear among the predictions have no row total and are left out, as in
    scikit-learn's ``balanced_accuracy_score``.

    >>> balanced_accuracy([0, 0, 0, 0, 1], [0, 0, 0, 0, 0])  # always the common class
    0.5
    """
    matrix = confusion_matrix(y_true, y_pred)
    per_class = matrix.sum(axis=1)  # row totals: how many rows really are of each class
    present = per_class > 0
    recalls = np.diag(matrix)[present] / per_class[present]  # found / really of that class
    return float(np.mean(recalls))  # every class counts once, however many rows it has


def balanced_class_weights(y: ArrayLike) -> dict[Any, float]:
    """One weight per class, n / (k * n_c): rarer classes weigh more, every class the same in all.

    A class with n_c of the n rows, among k classes, gets weight n / (k n_c), so its rows
    together weigh n_c * n / (k n_c) = n / k, the same for every class, and all rows together
    still weigh n. scikit-learn's ``class_weight="balanced"`` uses the same formula.

    >>> balanced_class_weights(["a", "a", "a", "b"])
    {'a': 0.6666666666666666, 'b': 2.0}
    """
    y = np.asarray(y)
    classes, counts = np.unique(y, return_counts=True)  # n_c for every class c
    n, k = len(y), len(classes)
    weights = n / (k * counts)  # n / (k n_c), one per class
    return {label: float(w) for label, w in zip(classes.tolist(), weights, strict=True)}
