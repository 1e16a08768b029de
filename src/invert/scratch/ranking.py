"""ROC AUC from scratch: the share of (positive, negative) pairs the scores put in the right order.

An ROC curve sweeps a threshold down through every value a classifier's score takes and plots the
share of positives found (true-positive rate) against the share of negatives wrongly flagged
(false-positive rate). The area under it needs no curve at all: it is the chance that a positive
picked at random gets a higher score than a negative picked at random, a tie counting one half.
That is what this module computes, by comparing every positive with every negative.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = ["roc_auc_by_pairs", "roc_points"]


def roc_auc_by_pairs(y_true: ArrayLike, scores: ArrayLike, positive: Any = 1) -> float:
    """The area under the ROC curve, as the share of (positive, negative) pairs ranked right.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        The real labels; every label other than ``positive`` counts as negative.
    scores : array-like of shape (n_samples,)
        Higher means "more likely positive": a probability of the positive class, a decision
        function, any number that ranks. Hard 0/1 labels are scores too, with only two values.
    positive : label, default=1
        The label that counts as positive.

    Returns
    -------
    auc : float
        Between 0 and 1; 0.5 is a ranking no better than chance.

    Examples
    --------
    >>> roc_auc_by_pairs([1, 1, 0, 0], [0.9, 0.4, 0.4, 0.1])
    0.875
    """
    actual = np.asarray(y_true) == positive
    s = np.asarray(scores, dtype=np.float64)
    s_pos, s_neg = s[actual], s[~actual]  # the P scores of positives, the N of negatives
    # Every positive against every negative: a P x N table of comparisons, by broadcasting.
    above = s_pos[:, np.newaxis] > s_neg[np.newaxis, :]
    tied = s_pos[:, np.newaxis] == s_neg[np.newaxis, :]
    right = np.sum(above) + 0.5 * np.sum(tied)  # a tie is a coin toss: half right
    return float(right / (s_pos.size * s_neg.size))


def roc_points(
    y_true: ArrayLike, scores: ArrayLike, positive: Any = 1
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The ROC curve's corners: false- and true-positive rates at every distinct score.

    The threshold starts above the highest score (nothing flagged: the point (0, 0)) and moves
    down through each distinct score in turn, flagging every row whose score is at least the
    threshold; the last point flags everything, (1, 1). A score with only two values gives three
    points.

    >>> fpr, tpr = roc_points([1, 0, 1, 0], [1, 1, 0, 0])
    >>> fpr.tolist(), tpr.tolist()
    ([0.0, 0.5, 1.0], [0.0, 0.5, 1.0])
    """
    actual = np.asarray(y_true) == positive
    s = np.asarray(scores, dtype=np.float64)
    thresholds = np.unique(s)[::-1]  # distinct scores, highest first
    flagged = s[np.newaxis, :] >= thresholds[:, np.newaxis]  # one row per threshold
    tpr = np.sum(flagged & actual, axis=1) / np.sum(actual)
    fpr = np.sum(flagged & ~actual, axis=1) / np.sum(~actual)
    return np.concatenate([[0.0], fpr]), np.concatenate([[0.0], tpr])
