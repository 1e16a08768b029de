"""The scikit-learn side of the dataset-shift card: `scipy.stats.ks_2samp` and `cross_val_score`.

Same calling convention as `invert.kinds.theory.side_by_side`; the from-scratch side is
`invert.scratch.shift.shift_ours`, which also says which rows count as "new".
"""

from __future__ import annotations

from typing import Any

Array = Any  # a NumPy array; NumPy itself is imported only when a function runs

__all__ = ["shift_sklearn"]

N_SPLITS = 5  # folds of the adversarial cross-validation, as on the from-scratch side


def _adversarial_auc(old: Array, new: Array) -> float:
    """Mean 5-fold ROC AUC of a standardised logistic regression telling new rows from old.

    The rows are mixed by the same permutation as on the from-scratch side, so that both sides
    cut the same folds and differ only in the model and the AUC computation.
    """
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X = np.vstack([old, new])
    is_new = np.r_[np.zeros(len(old)), np.ones(len(new))]
    order = np.random.default_rng(0).permutation(len(X))
    model = make_pipeline(StandardScaler(), LogisticRegression())
    scores = cross_val_score(model, X[order], is_new[order], cv=KFold(N_SPLITS), scoring="roc_auc")
    return float(np.mean(scores))


def shift_sklearn(X_train: Array, X_test: Array, y_train: Array, y_test: Array) -> dict[str, float]:
    """The same shift checks with SciPy's two-sample KS test and scikit-learn's cross-validation."""
    import numpy as np
    from scipy.stats import ks_2samp  # type: ignore[import-untyped]

    from invert.scratch.shift import shifted_rows

    X_all = np.vstack([X_train, X_test])
    new, without_bmi = shifted_rows(X_all)
    gaps = [ks_2samp(X_train[:, j], X_test[:, j]).statistic for j in range(X_train.shape[1])]
    return {
        "random split: largest KS statistic over the columns": float(max(gaps)),
        "random split: adversarial AUC": _adversarial_auc(X_train, X_test),
        "heaviest quarter: KS statistic of column 8 (s5)": float(
            ks_2samp(X_all[~new, 8], X_all[new, 8]).statistic
        ),
        "heaviest quarter: adversarial AUC without BMI": _adversarial_auc(
            without_bmi[~new], without_bmi[new]
        ),
    }
