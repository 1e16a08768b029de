"""The reference side of the dropout card: what inverted dropout must give on average, exactly.

scikit-learn has no dropout, so the scratch side (`invert.scratch.dropout`, random masks
actually drawn) is held to the exact expectations of the method instead: a unit kept with
probability p and divided by p has mean x and variance x² (1 − p) / p, and evaluation mode
changes nothing. The activations are the training digits' grey levels divided by 16, between
0 and 1 like the outputs of a hidden layer. torch.nn.Dropout(p=1 − keep) does the same thing
(the card's idea gives its figures); it is not needed here, so the card runs without torch.
"""

from __future__ import annotations

from typing import Any

Array = Any

__all__ = ["dropout_ours", "dropout_sklearn"]

KEEP = 0.5  # keep probability p, as in the predictions-flicker drill (torch's p = 0.5 drops half)
N_MASKS = 20  # forward passes in training mode, each with a fresh mask


def dropout_ours(X_train: Array, X_test: Array, y_train: Array, y_test: Array) -> dict[str, float]:
    """Draw N_MASKS masks with `inverted_dropout` and measure what they do to the activations."""
    import numpy as np

    from invert.scratch.dropout import inverted_dropout

    A = np.asarray(X_train, dtype=float) / 16.0
    rng = np.random.default_rng(0)
    passes = np.stack([inverted_dropout(A, KEEP, rng) for _ in range(N_MASKS)])
    active = A > 0
    kept = passes[:, active] != 0
    survivors = passes[:, active][kept]
    scaled_inputs = np.broadcast_to(A[active] / KEEP, kept.shape)[kept]
    spread = passes[:, active].var(axis=0, ddof=1) / A[active] ** 2
    evaluation = inverted_dropout(A, KEEP, rng, training=False)
    return {
        "share of units kept in training mode": float(kept.mean()),
        "mean output / mean input, training mode": float(passes.mean() / A.mean()),
        "largest |survivor - input / p|": float(np.max(np.abs(survivors - scaled_inputs))),
        "variance of an output / input², averaged": float(spread.mean()),
        "largest change in evaluation mode": float(np.max(np.abs(evaluation - A))),
    }


def dropout_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The exact values: p, 1 (the mean is kept), 0, (1 − p) / p, and 0."""
    return {
        "share of units kept in training mode": KEEP,
        "mean output / mean input, training mode": 1.0,
        "largest |survivor - input / p|": 0.0,
        "variance of an output / input², averaged": (1 - KEEP) / KEEP,
        "largest change in evaluation mode": 0.0,
    }
