"""The two sides of the random-forest card: out-of-bag and test accuracy for two `max_features`.

Ours is `invert.scratch.out_of_bag.RandomForestOOBScratch`, scikit-learn's is
`RandomForestClassifier(oob_score=True)`; both grow the same number of trees with the same
settings, from different random generators.
"""

from __future__ import annotations

from typing import Any

Array = Any

__all__ = ["forest_ours", "forest_sklearn"]

N_TREES = 30
MAX_FEATURES: tuple[int | str, ...] = (1, "sqrt")  # one feature per split, and the default


def forest_ours(X_train: Array, X_test: Array, y_train: Array, y_test: Array) -> dict[str, float]:
    """Out-of-bag accuracy, test accuracy and the share of rows left out, from our forest."""
    from invert.scratch.out_of_bag import RandomForestOOBScratch

    result: dict[str, float] = {}
    for max_features in MAX_FEATURES:
        forest = RandomForestOOBScratch(N_TREES, max_features=max_features, random_state=0)
        forest.fit(X_train, y_train)
        result[f"out-of-bag accuracy, max_features={max_features}"] = forest.oob_score_
        result[f"test accuracy, max_features={max_features}"] = forest.score(X_test, y_test)
        result[f"share of rows a tree leaves out, max_features={max_features}"] = forest.oob_share_
    return result


def forest_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same from scikit-learn's `RandomForestClassifier`; the rows each tree drew are in
    `estimators_samples_`."""
    import numpy as np
    from sklearn.ensemble import RandomForestClassifier

    result: dict[str, float] = {}
    n = len(y_train)
    for max_features in MAX_FEATURES:
        forest = RandomForestClassifier(
            N_TREES, max_features=max_features, oob_score=True, random_state=0
        ).fit(X_train, y_train)
        left_out = [1 - len(np.unique(rows)) / n for rows in forest.estimators_samples_]
        result[f"out-of-bag accuracy, max_features={max_features}"] = float(forest.oob_score_)
        result[f"test accuracy, max_features={max_features}"] = float(forest.score(X_test, y_test))
        result[f"share of rows a tree leaves out, max_features={max_features}"] = float(
            np.mean(left_out)
        )
    return result
