"""A train/test split from scratch: shuffle the row positions once, cut off the test rows.

A model has to be judged on rows it did not learn from: on its own training rows a flexible
model can be perfect by remembering them. A holdout split sets a share of the rows aside before
any fitting. Shuffling first matters because data files are often sorted (by class, by date, by
who collected them), and a cut without shuffling would test on a different kind of row.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = ["train_test_indices"]


def train_test_indices(
    n_samples: int, test_size: float = 0.25, random_state: int = 0
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Row positions of a shuffled holdout split: (train, test).

    The same rows as scikit-learn's ``train_test_split(..., test_size, random_state)`` without
    ``stratify``: it too draws one permutation from NumPy's legacy ``RandomState(random_state)``,
    takes its first ``ceil(test_size * n_samples)`` positions as the test rows and the rest as
    the training rows.

    Parameters
    ----------
    n_samples : int
        Number of rows.
    test_size : float, default=0.25
        Share of the rows held out, strictly between 0 and 1 (rounded up to whole rows).
    random_state : int, default=0
        Seed of the shuffle: the same seed gives the same split.

    Returns
    -------
    train : ndarray of shape (n_samples - n_test,)
        Positions of the rows to learn from.
    test : ndarray of shape (n_test,)
        Positions of the rows held out, never seen while fitting.

    Examples
    --------
    >>> train, test = train_test_indices(8, test_size=0.25, random_state=0)
    >>> len(train), len(test), sorted([*train, *test]) == list(range(8))
    (6, 2, True)
    """
    if not 0.0 < test_size < 1.0:
        raise ValueError(f"test_size must be between 0 and 1, got {test_size}")
    n_test = math.ceil(test_size * n_samples)  # a share of rows, rounded up to whole rows
    if not 0 < n_test < n_samples:
        raise ValueError(f"test_size={test_size} leaves no rows on one side of {n_samples}")
    permutation = np.random.RandomState(random_state).permutation(n_samples)  # the shuffle
    test = permutation[:n_test]  # the first n_test shuffled positions are held out
    train = permutation[n_test:]  # every other row is for learning
    return train, test
