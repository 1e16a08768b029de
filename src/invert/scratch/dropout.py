"""Inverted dropout from scratch: in training, zero each unit at random and scale the survivors.

Each unit is kept with probability `keep_prob` (a draw m of 0 or 1) and, when kept, divided by
`keep_prob`. The expected output is then the input itself, E[m x / p] = x, so the layers above
see activations of the same average size in training and at evaluation, where dropout does
nothing at all. This is what torch.nn.Dropout(p=1 - keep_prob) does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = ["inverted_dropout"]


def inverted_dropout(
    A: ArrayLike, keep_prob: float, rng: np.random.Generator, training: bool = True
) -> NDArray[np.float64]:
    """Activations A with dropout applied: a random mask, scaled, in training; A unchanged else.

    >>> A = np.ones((2, 4))
    >>> out = inverted_dropout(A, keep_prob=0.5, rng=np.random.default_rng(0))
    >>> sorted(set(out.ravel().tolist()))  # a unit is either dropped (0) or doubled (2)
    [0.0, 2.0]
    >>> inverted_dropout(A, 0.5, np.random.default_rng(0), training=False).tolist()
    [[1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0]]
    """
    A = np.asarray(A, dtype=np.float64)
    if not 0.0 < keep_prob <= 1.0:
        raise ValueError(f"keep_prob must be in (0, 1], got {keep_prob}")
    if not training:
        return A  # evaluation: every unit passes, unscaled
    mask = rng.random(A.shape) < keep_prob  # m = 1 with probability p, else 0
    return A * mask / keep_prob  # survivors scaled by 1/p, so E[m x / p] = x
