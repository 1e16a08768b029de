"""Label noise from scratch: flip a share of the labels, then see what a tree learns from them.

`flip_labels` turns a chosen share of the rows to another class, the rows drawn at random. An
unpruned tree fits every training label, wrong ones included, so its training accuracy against
the noisy labels stays perfect while its accuracy on clean test labels falls; leaves that must
hold many rows outvote isolated wrong labels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from invert.scratch.tree import DecisionTreeClassifierScratch

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = ["NOISE_RATES", "flip_labels", "label_noise_ours"]

NOISE_RATES = (0.0, 0.2, 0.4)  # shares of the training labels flipped in the card's comparison
LEAF_SIZES = (1, 20)  # an unpruned tree, and one whose leaves hold at least 20 rows


def flip_labels(y: ArrayLike, rate: float, seed: int = 0) -> NDArray[Any]:
    """A copy of y with round(rate * n) labels, at random rows, changed to another class.

    With two classes the other class is the only one; with more, it is drawn at random among
    the others.

    >>> flip_labels([0, 0, 0, 0, 1, 1, 1, 1], 0.25, seed=0).tolist()
    [0, 0, 1, 0, 0, 1, 1, 1]
    """
    y = np.asarray(y)
    rng = np.random.default_rng(seed)
    classes = np.unique(y)
    flipped = y.copy()
    for row in rng.permutation(len(y))[: round(rate * len(y))]:
        others = classes[classes != y[row]]
        flipped[row] = others[rng.integers(len(others))]  # never the label it had
    return flipped


def label_noise_ours(
    X_train: ArrayLike, X_test: ArrayLike, y_train: ArrayLike, y_test: ArrayLike
) -> dict[str, float]:
    """Training accuracy (noisy labels) and test accuracy (clean labels) of scratch trees."""
    y_test = np.asarray(y_test)
    result = {}
    for rate in NOISE_RATES:
        noisy = flip_labels(y_train, rate)
        for leaf in LEAF_SIZES:
            tree = DecisionTreeClassifierScratch(min_samples_leaf=leaf, random_state=0)
            tree.fit(X_train, noisy)
            name = f"{rate:.0%} flipped, min_samples_leaf={leaf}"
            result[f"{name}: training accuracy"] = float(np.mean(tree.predict(X_train) == noisy))
            result[f"{name}: test accuracy"] = float(np.mean(tree.predict(X_test) == y_test))
    return result
