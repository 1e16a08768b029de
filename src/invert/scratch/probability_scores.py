"""Scores for predicted probabilities from scratch: log loss, the Brier score, a reliability curve.

Accuracy only asks whether a probability fell on the right side of a threshold. These ask how good
the probability itself is. The log loss charges minus the log of the probability given to the
true label, so a confident mistake costs far more than a hesitant one. The Brier score is the
mean squared gap between the probability and the 0/1 label. A reliability curve groups the rows
by their predicted probability and compares, bin by bin, the mean prediction with the share of
rows that really were positive: for a calibrated model the two agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = ["brier_score", "log_loss", "reliability_curve"]


def log_loss(y_true: ArrayLike, proba: ArrayLike, positive: Any = 1) -> float:
    """Mean cross-entropy of a two-class model: ``-mean(y log p + (1 - y) log(1 - p))``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        The real labels; ``positive`` counts as 1, every other label as 0.
    proba : array-like of shape (n_samples,)
        The predicted probability of the positive class.
    positive : label, default=1
        The label that counts as 1.

    A probability of exactly 0 for a true label would cost an infinite amount; like
    scikit-learn, the probabilities are clipped to stay a machine epsilon away from 0 and 1.

    >>> round(log_loss([1, 0], [0.9, 0.2]), 4)
    0.1643
    """
    y = (np.asarray(y_true) == positive).astype(np.float64)
    eps = np.finfo(np.float64).eps
    p = np.clip(np.asarray(proba, dtype=np.float64), eps, 1 - eps)
    per_row = -(y * np.log(p) + (1 - y) * np.log(1 - p))  # only the true label's term counts
    return float(np.mean(per_row))


def brier_score(y_true: ArrayLike, proba: ArrayLike, positive: Any = 1) -> float:
    """Mean squared gap between the probability of the positive class and the 0/1 label.

    >>> brier_score([1, 0], [0.9, 0.2])
    0.025
    """
    y = (np.asarray(y_true) == positive).astype(np.float64)
    p = np.asarray(proba, dtype=np.float64)
    return float(np.mean((p - y) ** 2))


def reliability_curve(
    y_true: ArrayLike, proba: ArrayLike, n_bins: int = 10, positive: Any = 1
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int64]]:
    """Per bin of predicted probability: the share of positives, the mean prediction, the count.

    The interval [0, 1] is cut into ``n_bins`` equal bins; a probability on an inner edge goes to
    the bin below it, as in scikit-learn's ``calibration_curve``. Empty bins are left out.

    >>> curve = reliability_curve([0, 1, 1, 1], [0.25, 0.375, 0.625, 0.875], n_bins=2)
    >>> [part.tolist() for part in curve]
    [[0.5, 1.0], [0.3125, 0.75], [2, 2]]
    """
    y = (np.asarray(y_true) == positive).astype(np.float64)
    p = np.asarray(proba, dtype=np.float64)
    inner_edges = np.linspace(0.0, 1.0, n_bins + 1)[1:-1]
    bins = np.searchsorted(inner_edges, p)  # bin number of every row, 0 to n_bins - 1
    counts = np.bincount(bins, minlength=n_bins)
    positives = np.bincount(bins, weights=y, minlength=n_bins)
    predicted = np.bincount(bins, weights=p, minlength=n_bins)
    used = counts > 0
    observed_share = positives[used] / counts[used]  # o: how often the label really was 1
    mean_predicted = predicted[used] / counts[used]  # p̄: what the model said, on average
    return observed_share, mean_predicted, counts[used]
