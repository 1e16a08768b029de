"""R² from scratch: how much of the target's spread a regression's predictions account for.

R² compares the model's squared errors with those of the plainest possible model, one that
predicts the mean of the targets for every row. It is one minus their ratio: 1 for perfect
predictions, 0 for doing exactly as well as the mean, and below 0 for doing worse, which happens
on new rows when a model has fitted noise or the rows differ from the ones it learnt from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["r2_score"]


def r2_score(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """``1 - SS_res / SS_tot``, with the mean taken over the very rows being scored.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        The real targets.
    y_pred : array-like of shape (n_samples,)
        The predictions.

    Returns
    -------
    r2 : float
        At most 1, with no lower bound.

    Examples
    --------
    >>> r2_score([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
    1.0
    >>> r2_score([1.0, 2.0, 3.0], [2.0, 2.0, 2.0])
    0.0
    >>> r2_score([1.0, 2.0, 3.0], [3.0, 2.0, 1.0])
    -3.0
    """
    y = np.asarray(y_true, dtype=np.float64)
    f = np.asarray(y_pred, dtype=np.float64)
    ss_res = np.sum((y - f) ** 2)  # the model's squared errors
    ss_tot = np.sum((y - np.mean(y)) ** 2)  # the squared errors of predicting the mean
    return float(1.0 - ss_res / ss_tot)
