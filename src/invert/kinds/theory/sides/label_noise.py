"""The scikit-learn side of the label-noise card: `DecisionTreeClassifier` and `accuracy_score`.

Same calling convention as `invert.kinds.theory.side_by_side`; the from-scratch side is
`invert.scratch.label_noise.label_noise_ours`. Both sides learn from the very same noisy labels
(`flip_labels`, the experiment's condition), so any difference is in the trees and the scoring.
"""

from __future__ import annotations

from typing import Any

Array = Any  # a NumPy array; NumPy itself is imported only when a function runs

__all__ = ["label_noise_sklearn"]


def label_noise_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same accuracies with scikit-learn's trees, at the same noise rates and leaf sizes."""
    from sklearn.metrics import accuracy_score
    from sklearn.tree import DecisionTreeClassifier

    from invert.scratch.label_noise import LEAF_SIZES, NOISE_RATES, flip_labels

    result = {}
    for rate in NOISE_RATES:
        noisy = flip_labels(y_train, rate)
        for leaf in LEAF_SIZES:
            tree = DecisionTreeClassifier(min_samples_leaf=leaf, random_state=0)
            tree.fit(X_train, noisy)
            name = f"{rate:.0%} flipped, min_samples_leaf={leaf}"
            result[f"{name}: training accuracy"] = accuracy_score(noisy, tree.predict(X_train))
            result[f"{name}: test accuracy"] = accuracy_score(y_test, tree.predict(X_test))
    return result
