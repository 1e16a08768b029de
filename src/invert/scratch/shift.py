"""Detecting dataset shift from scratch: compare one column's distributions, or train a classifier
to tell the old rows from the new ones.

Two checks that need no target. The two-sample Kolmogorov-Smirnov statistic is the largest gap
between the empirical distribution functions of one column in the two sets of rows: 0 when they
match, 1 when they do not overlap at all. Adversarial validation labels the old rows 0 and the
new rows 1 and cross-validates a classifier on that label: an area under the ROC curve near 0.5
means it cannot tell them apart (no shift it can detect), near 1 that the new rows are unlike
the old ones. Neither says whether the link between inputs and target has changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from invert.scratch.logistic_regression import LogisticRegressionScratch
from invert.scratch.preprocessing import StandardScalerScratch
from invert.scratch.ranking import roc_auc_by_pairs as roc_auc  # the ROC card's, by pairs
from invert.scratch.validation import kfold_indices

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = ["adversarial_auc", "ks_statistic", "shift_ours", "shifted_rows"]

N_SPLITS = 5  # folds of the adversarial cross-validation
SHIFT_COLUMN = 2  # diabetes: body mass index
SHIFT_QUANTILE = 0.75  # the "new" patients are the heaviest quarter


def ks_statistic(a: ArrayLike, b: ArrayLike) -> float:
    """The largest gap between the empirical distribution functions of samples a and b.

    >>> ks_statistic([1, 2, 3], [1, 2, 3]), ks_statistic([1, 2], [3, 4])
    (0.0, 1.0)
    >>> ks_statistic([1, 2, 3, 4], [3, 4, 5, 6])
    0.5
    """
    a, b = np.sort(np.asarray(a, dtype=float)), np.sort(np.asarray(b, dtype=float))
    values = np.concatenate([a, b])  # the gap can only change at an observed value
    cdf_a = np.searchsorted(a, values, side="right") / len(a)  # share of a at or below each value
    cdf_b = np.searchsorted(b, values, side="right") / len(b)
    return float(np.max(np.abs(cdf_a - cdf_b)))


def adversarial_auc(
    old: ArrayLike, new: ArrayLike, n_splits: int = N_SPLITS, seed: int = 0
) -> float:
    """Mean cross-validated AUC of a logistic regression telling new rows (1) from old (0)."""
    old, new = np.asarray(old, dtype=float), np.asarray(new, dtype=float)
    X = np.vstack([old, new])
    is_new = np.r_[np.zeros(len(old)), np.ones(len(new))]
    order = np.random.default_rng(seed).permutation(len(X))  # mix old and new before the folds
    X, is_new = X[order], is_new[order]
    aucs = []
    for train, test in kfold_indices(len(X), n_splits):
        scaler = StandardScalerScratch().fit(X[train])  # learnt on the fold's training rows
        # Standardised features let gradient descent take unit steps: 300 of them reach the
        # optimum closely enough (AUC within 0.002 of 2000 steps at 0.1), in a tenth of the time.
        model = LogisticRegressionScratch(learning_rate=1.0, n_epochs=300)
        model.fit(scaler.transform(X[train]), is_new[train])
        aucs.append(roc_auc(is_new[test], model.predict_proba(scaler.transform(X[test]))[:, 1]))
    return float(np.mean(aucs))


def shifted_rows(X: NDArray[np.float64]) -> tuple[NDArray[np.bool_], NDArray[np.float64]]:
    """Which rows are "new" (the heaviest quarter), and the rows without the BMI column."""
    new = X[:, SHIFT_COLUMN] > np.quantile(X[:, SHIFT_COLUMN], SHIFT_QUANTILE)
    return new, np.delete(X, SHIFT_COLUMN, axis=1)


def shift_ours(
    X_train: ArrayLike, X_test: ArrayLike, y_train: ArrayLike, y_test: ArrayLike
) -> dict[str, float]:
    """Shift checks on the card's random split, then on a split by body mass index."""
    X_train, X_test = np.asarray(X_train, dtype=float), np.asarray(X_test, dtype=float)
    X_all = np.vstack([X_train, X_test])
    new, without_bmi = shifted_rows(X_all)
    gaps = [ks_statistic(X_train[:, j], X_test[:, j]) for j in range(X_train.shape[1])]
    return {
        "random split: largest KS statistic over the columns": max(gaps),
        "random split: adversarial AUC": adversarial_auc(X_train, X_test),
        "heaviest quarter: KS statistic of column 8 (s5)": ks_statistic(
            X_all[~new, 8], X_all[new, 8]
        ),
        "heaviest quarter: adversarial AUC without BMI": adversarial_auc(
            without_bmi[~new], without_bmi[new]
        ),
    }
