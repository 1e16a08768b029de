"""The two sides of the roc-auc card: the area under the ROC curve, by counting pairs and by
scikit-learn's `roc_auc_score` and `roc_curve`.

Both sides score the same test rows with the same scores, so any difference is in the metric
alone. Calling convention as in `invert.kinds.theory.side_by_side`.
"""

from __future__ import annotations

from typing import Any

Array = Any  # a NumPy array; NumPy itself is imported only when a function runs

__all__ = ["roc_auc_ours", "roc_auc_sklearn"]

MALIGNANT = 0  # breast_cancer's label for malignant: the positive class a screening looks for
TEXTURE = 1  # column of "mean texture", a single measurement that ranks the masses only roughly


def _scores(X_train: Array, X_test: Array, y_train: Array) -> dict[str, Array]:
    """Three rankings of the test masses: a logistic regression's probability of malignant,
    one measurement on its own, and the regression's hard 0/1 calls (1 for malignant)."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(max_iter=1000).fit(X_train, y_train)
    malignant_column = list(model.classes_).index(MALIGNANT)
    return {
        "probability": model.predict_proba(X_test)[:, malignant_column],
        "texture": X_test[:, TEXTURE],
        "labels": (model.predict(X_test) == MALIGNANT).astype(float),
    }


def roc_auc_ours(X_train: Array, X_test: Array, y_train: Array, y_test: Array) -> dict[str, float]:
    """AUC as the share of (malignant, benign) pairs ranked right, with `invert.scratch.ranking`."""
    from invert.scratch.ranking import roc_auc_by_pairs, roc_points

    scores = _scores(X_train, X_test, y_train)
    result = {
        f"AUC, {name}": roc_auc_by_pairs(y_test, s, positive=MALIGNANT)
        for name, s in scores.items()
    }
    for name in ("probability", "labels"):
        fpr, _ = roc_points(y_test, scores[name], positive=MALIGNANT)
        result[f"points on the ROC curve, {name}"] = float(len(fpr))
    return result


def roc_auc_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same with scikit-learn's `roc_auc_score` and `roc_curve` (every point kept)."""
    import numpy as np
    from sklearn.metrics import roc_auc_score, roc_curve

    scores = _scores(X_train, X_test, y_train)
    is_malignant = np.asarray(y_test) == MALIGNANT
    result = {f"AUC, {name}": float(roc_auc_score(is_malignant, s)) for name, s in scores.items()}
    for name in ("probability", "labels"):
        fpr, _, _ = roc_curve(is_malignant, scores[name], drop_intermediate=False)
        result[f"points on the ROC curve, {name}"] = float(len(fpr))
    return result
