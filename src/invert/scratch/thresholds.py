"""Choosing a decision threshold from scratch: the cut-off that costs least on rows set aside.

A classifier flags a row when its score reaches a threshold. Which threshold is best depends on
what a false alarm and a miss each cost. If the probabilities were calibrated, the cheapest rule
would flag a row when its probability passes ``cost_fp / (cost_fp + cost_fn)``; with scores of
unknown calibration, the threshold is chosen instead by trying every distinct score on rows the
model did not fit (out-of-fold predictions on the training rows) and keeping the cheapest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["bayes_threshold", "cheapest_threshold", "total_cost"]


def bayes_threshold(cost_fp: float, cost_fn: float) -> float:
    """The threshold on a calibrated probability that minimises the expected cost of a decision.

    Flagging a row with probability p of being positive costs ``(1 - p) cost_fp`` on average;
    leaving it costs ``p cost_fn``; flagging is cheaper when p passes this value.

    >>> bayes_threshold(cost_fp=1.0, cost_fn=4.0)
    0.2
    """
    return cost_fp / (cost_fp + cost_fn)


def total_cost(
    y_true: ArrayLike,
    scores: ArrayLike,
    threshold: float,
    cost_fp: float,
    cost_fn: float,
    positive: Any = 1,
) -> float:
    """What the decisions "flag when score >= threshold" cost on these rows, in all.

    >>> total_cost([1, 1, 0], [0.9, 0.3, 0.6], threshold=0.5, cost_fp=1.0, cost_fn=4.0)
    5.0
    """
    actual = np.asarray(y_true) == positive
    flagged = np.asarray(scores, dtype=np.float64) >= threshold
    fp = np.sum(flagged & ~actual)  # false alarms
    fn = np.sum(~flagged & actual)  # misses
    return float(cost_fp * fp + cost_fn * fn)


def cheapest_threshold(
    y_true: ArrayLike, scores: ArrayLike, cost_fp: float, cost_fn: float, positive: Any = 1
) -> float:
    """The distinct score that, used as the threshold, costs least on these rows.

    Only the distinct scores need trying: between two of them every threshold makes the same
    decisions. On a tie the lowest such score is kept.

    >>> cheapest_threshold([1, 1, 0, 0], [0.9, 0.3, 0.6, 0.1], cost_fp=1.0, cost_fn=4.0)
    0.3
    """
    candidates = np.unique(np.asarray(scores, dtype=np.float64))  # sorted, lowest first
    costs = [total_cost(y_true, scores, t, cost_fp, cost_fn, positive) for t in candidates]
    return float(candidates[int(np.argmin(costs))])
