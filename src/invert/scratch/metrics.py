"""Precision, recall and F1 from scratch: count the four kinds of outcome, then divide.

A binary classifier's predictions fall into four boxes: true positives (a positive called
positive), false positives (a negative called positive), false negatives (a positive missed) and
true negatives. Precision, recall and F1 are ratios of these counts; accuracy is the only one of
the four scores here that also counts the true negatives, which is why it flatters a model when
the positive class is rare.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["confusion_counts", "f1_score", "precision", "recall"]


def confusion_counts(
    y_true: ArrayLike, y_pred: ArrayLike, positive: Any
) -> tuple[int, int, int, int]:
    """Count true positives, false positives, false negatives and true negatives.

    Every label other than ``positive`` counts as negative, so this works for any two labels
    (and treats a multiclass problem as "this class against the rest").

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        The real labels.
    y_pred : array-like of shape (n_samples,)
        The predicted labels.
    positive : label
        The label that counts as positive (scikit-learn's ``pos_label``).

    Returns
    -------
    tp, fp, fn, tn : int
        The four counts; they add up to ``n_samples``.

    Examples
    --------
    >>> confusion_counts(["a", "a", "b", "b", "b"], ["a", "b", "a", "b", "b"], positive="a")
    (1, 1, 1, 2)
    """
    actual = np.asarray(y_true) == positive  # the indicator 1[y = positive], one per row
    called = np.asarray(y_pred) == positive  # the indicator 1[ŷ = positive]
    tp = int(np.sum(called & actual))  # called positive and really positive
    fp = int(np.sum(called & ~actual))  # called positive, really negative: a false alarm
    fn = int(np.sum(~called & actual))  # really positive but missed
    tn = int(np.sum(~called & ~actual))  # correctly left alone
    return tp, fp, fn, tn


def precision(tp: int, fp: int) -> float:
    """Share of the positive calls that are right: ``tp / (tp + fp)``.

    With no positive call at all the ratio is 0/0; like scikit-learn's ``zero_division=0``, the
    answer is then 0.0.

    >>> precision(tp=3, fp=1)
    0.75
    >>> precision(tp=0, fp=0)
    0.0
    """
    if tp + fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall(tp: int, fn: int) -> float:
    """Share of the real positives that are found: ``tp / (tp + fn)``.

    With no real positive at all the ratio is 0/0 and the answer is 0.0 (``zero_division=0``).

    >>> recall(tp=3, fn=3)
    0.5
    """
    if tp + fn == 0:
        return 0.0
    return tp / (tp + fn)


def f1_score(tp: int, fp: int, fn: int) -> float:
    """The harmonic mean of precision and recall, written in counts: ``2 tp / (2 tp + fp + fn)``.

    ``2 P R / (P + R)`` with ``P = tp / (tp + fp)`` and ``R = tp / (tp + fn)`` simplifies to this
    (see the derivation f1-from-counts); the count form also has no 0/0 when tp is 0 but fp or fn
    is not. The true negatives do not appear. With no positives anywhere (tp, fp and fn all 0)
    the answer is 0.0 (``zero_division=0``).

    >>> f1_score(tp=3, fp=1, fn=3)
    0.6
    >>> round(2 * precision(3, 1) * recall(3, 3) / (precision(3, 1) + recall(3, 3)), 12)
    0.6
    """
    if 2 * tp + fp + fn == 0:
        return 0.0
    return 2 * tp / (2 * tp + fp + fn)
