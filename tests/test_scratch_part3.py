"""From-scratch tools, part 3: metrics, validation and standardisation against scikit-learn.

Precision, recall and F1 from counts; k-fold cross-validation and learning curves; the standard
scaler; and the pairs of functions the cards compare. All of them are deterministic computations
on the same numbers as scikit-learn's, so every comparison below is exact unless it says why not.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pytest
from sklearn import datasets
from sklearn.base import clone
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import confusion_matrix, f1_score, precision_score, recall_score
from sklearn.model_selection import KFold, cross_val_score, learning_curve, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from invert.kinds.theory import side_by_side
from invert.scratch import metrics
from invert.scratch.knn import KNeighborsClassifierScratch
from invert.scratch.preprocessing import StandardScalerScratch
from invert.scratch.validation import (
    cross_val_scores,
    kfold_indices,
    learning_curve_scores,
    mean_and_standard_error,
)

Array = np.ndarray[Any, Any]
DATASETS = ["iris", "wine", "breast_cancer", "diabetes", "digits"]


@cache
def load(name: str) -> tuple[Array, Array]:
    """A bundled scikit-learn data set (iris, wine, breast_cancer, diabetes, digits) as X, y."""
    X, y = getattr(datasets, f"load_{name}")(return_X_y=True)
    return X, y


@cache
def split(name: str, scale: bool = True) -> tuple[Array, Array, Array, Array]:
    """The cards' split: 75/25, stratified for classes, standardised on the training rows."""
    X, y = load(name)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, random_state=0, stratify=None if name == "diabetes" else y
    )
    if scale:
        scaler = StandardScaler().fit(X_train)
        X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    return X_train, X_test, y_train, y_test


@cache
def predictions(name: str) -> tuple[Array, Array]:
    """Test labels and a classifier's test predictions, with a few mistakes to count."""
    X_train, X_test, y_train, y_test = split(name)
    predicted = LogisticRegression(max_iter=1000).fit(X_train, y_train).predict(X_test)
    return y_test, predicted


# --- Precision, recall, F1 ---------------------------------------------------------------------


@pytest.mark.parametrize("data", ["breast_cancer", "wine", "digits"])
def test_counts_and_scores_are_identical_to_sklearn(data: str) -> None:
    # Every class in turn is the positive one (the rest negative, as in one-vs-rest): the
    # counts are integers and the scores the same divisions, so they must be IDENTICAL.
    y_true, y_pred = predictions(data)
    for positive in np.unique(y_true):
        tp, fp, fn, tn = metrics.confusion_counts(y_true, y_pred, positive)
        matrix = confusion_matrix(y_true == positive, y_pred == positive, labels=[True, False])
        assert (tp, fn, fp, tn) == tuple(matrix.ravel())
        assert tp + fp + fn + tn == len(y_true)

        truth, guess = y_true == positive, y_pred == positive
        options: dict[str, Any] = {"zero_division": 0}
        assert metrics.precision(tp, fp) == precision_score(truth, guess, **options)
        assert metrics.recall(tp, fn) == recall_score(truth, guess, **options)
        assert metrics.f1_score(tp, fp, fn) == f1_score(truth, guess, **options)


def test_positive_label_can_be_any_label() -> None:
    y_true, y_pred = predictions("breast_cancer")
    names = np.array(["malignant", "benign"])
    tp, fp, fn, _ = metrics.confusion_counts(names[y_true], names[y_pred], "malignant")
    assert metrics.precision(tp, fp) == precision_score(y_true, y_pred, pos_label=0)
    assert metrics.recall(tp, fn) == recall_score(y_true, y_pred, pos_label=0)


@pytest.mark.parametrize(
    ("y_true", "y_pred"),
    [
        ([0, 0, 1, 1], [0, 0, 0, 0]),  # never calls positive: precision is 0/0
        ([0, 0, 0, 0], [0, 1, 0, 0]),  # no real positive: recall is 0/0
        ([0, 0, 0, 0], [0, 0, 0, 0]),  # no positive anywhere: all three are 0/0
        ([1, 0, 1, 0], [0, 1, 0, 1]),  # positives exist but none found: tp = 0
    ],
)
def test_zero_division_gives_zero_as_sklearn(y_true: list[int], y_pred: list[int]) -> None:
    tp, fp, fn, _ = metrics.confusion_counts(y_true, y_pred, positive=1)
    assert metrics.precision(tp, fp) == precision_score(y_true, y_pred, zero_division=0)
    assert metrics.recall(tp, fn) == recall_score(y_true, y_pred, zero_division=0)
    assert metrics.f1_score(tp, fp, fn) == f1_score(y_true, y_pred, zero_division=0)


def test_f1_from_counts_is_the_harmonic_mean_of_precision_and_recall() -> None:
    # The derivation f1-from-counts: 2PR / (P + R) = 2tp / (2tp + fp + fn). Two roundings apart.
    for tp, fp, fn in [(50, 3, 3), (1, 9, 0), (7, 2, 40), (3, 0, 1)]:
        p, r = metrics.precision(tp, fp), metrics.recall(tp, fn)
        assert metrics.f1_score(tp, fp, fn) == pytest.approx(2 * p * r / (p + r), rel=1e-14)


def test_true_negatives_do_not_move_f1() -> None:
    # Add 1000 rows that are negative and called negative: accuracy soars, F1 stays put.
    y_true, y_pred = predictions("breast_cancer")
    padded_true = np.concatenate([y_true, np.ones(1000, dtype=y_true.dtype)])
    padded_pred = np.concatenate([y_pred, np.ones(1000, dtype=y_pred.dtype)])
    before = metrics.confusion_counts(y_true, y_pred, positive=0)
    after = metrics.confusion_counts(padded_true, padded_pred, positive=0)
    assert after[3] == before[3] + 1000
    assert metrics.f1_score(*after[:3]) == metrics.f1_score(*before[:3])


# --- k-fold cross-validation -------------------------------------------------------------------


@pytest.mark.parametrize("n_samples", [2, 5, 10, 11, 13, 100, 569])
@pytest.mark.parametrize("n_splits", [2, 3, 5, 10])
def test_kfold_indices_are_sklearn_kfold(n_samples: int, n_splits: int) -> None:
    if n_splits > n_samples:
        with pytest.raises(ValueError, match="n_splits"):
            list(kfold_indices(n_samples, n_splits))
        return
    ours = list(kfold_indices(n_samples, n_splits))
    theirs = list(KFold(n_splits).split(np.zeros((n_samples, 1))))
    assert len(ours) == len(theirs) == n_splits
    for (our_train, our_test), (their_train, their_test) in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(our_train, their_train)
        np.testing.assert_array_equal(our_test, their_test)
    # Every row is tested exactly once.
    np.testing.assert_array_equal(
        np.sort(np.concatenate([t for _, t in ours])), np.arange(n_samples)
    )


@pytest.mark.parametrize(
    ("data", "estimator"),
    [
        ("breast_cancer", LogisticRegression(max_iter=1000)),
        ("breast_cancer", DecisionTreeClassifier(max_depth=3, random_state=0)),
        ("wine", KNeighborsClassifier(n_neighbors=5)),
        ("diabetes", LinearRegression()),  # a regressor: its score is R²
    ],
)
@pytest.mark.parametrize("n_splits", [3, 5])
def test_cross_val_scores_are_identical_to_sklearn(
    data: str, estimator: Any, n_splits: int
) -> None:
    # The same folds, the same clone, the same fits and the same score method: IDENTICAL.
    X_train, _, y_train, _ = split(data)
    ours = cross_val_scores(estimator, X_train, y_train, n_splits=n_splits)
    theirs = cross_val_score(clone(estimator), X_train, y_train, cv=KFold(n_splits))
    np.testing.assert_array_equal(ours, theirs)


def test_cross_val_scores_takes_a_pipeline_and_a_scratch_model() -> None:
    X_train, _, y_train, _ = split("wine", scale=False)
    model = make_pipeline(StandardScalerScratch(), KNeighborsClassifierScratch(n_neighbors=3))
    ours = cross_val_scores(model, X_train, y_train, n_splits=5)
    theirs = cross_val_score(model, X_train, y_train, cv=KFold(5))
    np.testing.assert_array_equal(ours, theirs)
    assert not hasattr(model.steps[-1][1], "classes_")  # the model passed in stays unfitted


def test_mean_and_standard_error() -> None:
    scores = np.array([0.94, 0.98, 0.98, 0.95, 0.99])
    mean, standard_error = mean_and_standard_error(scores)
    assert mean == pytest.approx(np.mean(scores), rel=1e-15)
    assert standard_error == pytest.approx(np.std(scores, ddof=1) / np.sqrt(5), rel=1e-15)


# --- Learning curves ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "estimator", "sizes"),
    [
        ("breast_cancer", LogisticRegression(max_iter=1000), [10, 40, 160, 426]),
        ("digits", KNeighborsClassifier(n_neighbors=3), [20, 100, 500, 1347]),
        ("diabetes", LinearRegression(), [15, 50, 331]),
    ],
)
def test_learning_curve_scores_are_identical_to_sklearn(
    data: str, estimator: Any, sizes: list[int]
) -> None:
    # scikit-learn's learning_curve, given our one split as its cv and shuffle=False, also
    # trains on the first n training rows: the scores must be IDENTICAL.
    X_train, X_test, y_train, y_test = split(data)
    ours_train, ours_test = learning_curve_scores(
        estimator, X_train, y_train, X_test, y_test, sizes
    )
    n_train, n_test = len(y_train), len(y_test)
    _, theirs_train, theirs_test = learning_curve(
        clone(estimator),
        np.concatenate([X_train, X_test]),
        np.concatenate([y_train, y_test]),
        train_sizes=sizes,
        cv=[(np.arange(n_train), np.arange(n_train, n_train + n_test))],
        shuffle=False,
    )
    np.testing.assert_array_equal(ours_train, theirs_train[:, 0])
    np.testing.assert_array_equal(ours_test, theirs_test[:, 0])


# --- Standard scaler ---------------------------------------------------------------------------


@pytest.mark.parametrize("data", DATASETS)
def test_standard_scaler_is_identical_to_sklearn(data: str) -> None:
    # The same mean, the same population variance (NumPy's two-pass sums) and the same
    # subtraction and division, in the same order: every number must be IDENTICAL.
    X_train, X_test, _, _ = split(data, scale=False)
    ours = StandardScalerScratch().fit(X_train)
    theirs = StandardScaler().fit(X_train)
    for name in ("mean_", "var_", "scale_"):
        np.testing.assert_array_equal(getattr(ours, name), getattr(theirs, name), err_msg=name)
    assert ours.n_samples_seen_ == theirs.n_samples_seen_
    assert ours.n_features_in_ == theirs.n_features_in_
    np.testing.assert_array_equal(ours.transform(X_test), theirs.transform(X_test))
    np.testing.assert_array_equal(
        StandardScalerScratch().fit_transform(X_train), StandardScaler().fit_transform(X_train)
    )
    np.testing.assert_array_equal(ours.inverse_transform(X_test), theirs.inverse_transform(X_test))


def test_constant_features_are_divided_by_one() -> None:
    # Column 1 is exactly constant; column 2 is constant but 0.1 has no exact binary form, so its
    # computed variance may be a rounding error above 0: both must get scale 1, as in sklearn.
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.normal(size=50), np.full(50, 3.0), np.full(50, 0.1)])
    ours, theirs = StandardScalerScratch().fit(X), StandardScaler().fit(X)
    assert ours.scale_ is not None
    np.testing.assert_array_equal(ours.scale_[1:], [1.0, 1.0])
    np.testing.assert_array_equal(ours.scale_, theirs.scale_)
    np.testing.assert_array_equal(ours.transform(X), theirs.transform(X))


@pytest.mark.parametrize("with_mean", [True, False])
@pytest.mark.parametrize("with_std", [True, False])
def test_standard_scaler_options_match_sklearn(with_mean: bool, with_std: bool) -> None:
    X_train, X_test, _, _ = split("wine", scale=False)
    ours = StandardScalerScratch(with_mean=with_mean, with_std=with_std).fit(X_train)
    theirs = StandardScaler(with_mean=with_mean, with_std=with_std).fit(X_train)
    for name in ("mean_", "var_", "scale_"):
        if getattr(theirs, name) is None:
            assert getattr(ours, name) is None, name
        else:
            np.testing.assert_array_equal(getattr(ours, name), getattr(theirs, name))
    np.testing.assert_array_equal(ours.transform(X_test), theirs.transform(X_test))
    np.testing.assert_array_equal(ours.inverse_transform(X_test), theirs.inverse_transform(X_test))


def test_transform_leaves_the_input_alone() -> None:
    X = load("iris")[0].copy()
    scaler = StandardScalerScratch().fit(X)
    scaler.inverse_transform(scaler.transform(X))
    np.testing.assert_array_equal(X, load("iris")[0])
    np.testing.assert_allclose(scaler.inverse_transform(scaler.transform(X)), X, rtol=1e-14)


# --- The cards' function comparisons -----------------------------------------------------------


@pytest.mark.parametrize(
    ("pair", "data", "scale"),
    [
        ("precision_recall", "breast_cancer", True),
        ("cross_validation", "breast_cancer", False),
        ("learning_curve", "digits", False),
        ("leakage", "breast_cancer", False),
    ],
)
def test_side_by_side_pairs_agree_exactly(pair: str, data: str, scale: bool) -> None:
    # Each pair computes the same numbers from the same fits: the cards state tolerance 0.
    arrays = split(data, scale=scale)
    ours = getattr(side_by_side, f"{pair}_ours")(*arrays)
    theirs = getattr(side_by_side, f"{pair}_sklearn")(*arrays)
    assert list(ours) == list(theirs)
    assert all(isinstance(value, float) for value in [*ours.values(), *theirs.values()])
    assert ours == theirs


def test_leakage_moves_the_training_rows() -> None:
    # Fitting the scaler on all rows changes the standardised training values: the test rows
    # have leaked into them (the derivation leakage-through-scaling).
    result = side_by_side.leakage_ours(*split("breast_cancer", scale=False))
    assert result["mean shift of a standardised training value"] > 0.0
    assert (
        result["mean of feature 1, all rows (leaky)"]
        != result["mean of feature 1, training rows only"]
    )
