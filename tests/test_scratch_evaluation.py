"""From-scratch evaluation tools against scikit-learn: the holdout split, accuracy, the confusion
matrix, balanced accuracy, 'balanced' class weights and the dummy baselines.

All are deterministic counts and divisions on the same numbers as scikit-learn's, so every
comparison is exact (or to rounding, where a sum is taken in another order).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pytest
from sklearn import datasets
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.metrics import accuracy_score, balanced_accuracy_score
from sklearn.metrics import confusion_matrix as sklearn_confusion_matrix
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.utils.class_weight import compute_class_weight

from invert.scratch.baselines import DummyClassifierScratch, DummyRegressorScratch
from invert.scratch.class_metrics import (
    accuracy,
    balanced_accuracy,
    balanced_class_weights,
    confusion_matrix,
)
from invert.scratch.holdout import train_test_indices

Array = np.ndarray[Any, Any]
CLASSIFICATION = ["iris", "wine", "breast_cancer", "digits"]


@cache
def load(name: str) -> tuple[Array, Array]:
    X, y = getattr(datasets, f"load_{name}")(return_X_y=True)
    return X, y


@cache
def predictions(name: str) -> tuple[Array, Array]:
    """Test labels and the imperfect predictions of 3 neighbours on unscaled features."""
    X, y = load(name)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=1)
    return y_test, KNeighborsClassifier(n_neighbors=3).fit(X_train, y_train).predict(X_test)


@pytest.mark.parametrize("n_samples", [10, 150, 569])
@pytest.mark.parametrize("test_size", [0.2, 0.25, 0.33])
@pytest.mark.parametrize("seed", [0, 42])
def test_holdout_rows_are_train_test_splits(n_samples: int, test_size: float, seed: int) -> None:
    train, test = train_test_indices(n_samples, test_size=test_size, random_state=seed)
    theirs_train, theirs_test = train_test_split(
        np.arange(n_samples), test_size=test_size, random_state=seed
    )
    assert train.tolist() == theirs_train.tolist()
    assert test.tolist() == theirs_test.tolist()
    assert sorted([*train, *test]) == list(range(n_samples))


@pytest.mark.parametrize("test_size", [0.0, 1.0, 0.99])
def test_holdout_refuses_an_empty_side(test_size: float) -> None:
    with pytest.raises(ValueError):
        train_test_indices(20, test_size=test_size)


@pytest.mark.parametrize("data", CLASSIFICATION)
def test_scores_and_matrix_are_sklearns(data: str) -> None:
    truth, predicted = predictions(data)
    assert accuracy(truth, predicted) == pytest.approx(accuracy_score(truth, predicted), abs=1e-15)
    assert confusion_matrix(truth, predicted).tolist() == (
        sklearn_confusion_matrix(truth, predicted).tolist()
    )
    assert balanced_accuracy(truth, predicted) == pytest.approx(
        balanced_accuracy_score(truth, predicted), abs=1e-15
    )


def test_confusion_matrix_follows_the_given_label_order() -> None:
    truth, predicted = ["b", "a", "a", "c"], ["a", "a", "c", "c"]
    order = ["c", "b", "a"]
    assert confusion_matrix(truth, predicted, labels=order).tolist() == (
        sklearn_confusion_matrix(truth, predicted, labels=order).tolist()
    )


@pytest.mark.parametrize("k", [2, 3, 5])
def test_a_constant_guess_has_balanced_accuracy_one_over_k(k: int) -> None:
    rng = np.random.default_rng(k)
    truth = np.concatenate([np.arange(k), rng.integers(0, k, size=50)])  # every class present
    for label in range(k):
        assert balanced_accuracy(truth, np.full(len(truth), label)) == pytest.approx(1 / k)


@pytest.mark.parametrize("data", CLASSIFICATION)
def test_balanced_weights_are_sklearns_and_equalise_the_classes(data: str) -> None:
    _, y = load(data)
    ours = balanced_class_weights(y)
    classes = np.unique(y)
    theirs = compute_class_weight("balanced", classes=classes, y=y)
    assert [ours[c] for c in classes.tolist()] == pytest.approx(theirs.tolist(), rel=1e-15)
    totals = [ours[c] * np.sum(y == c) for c in classes.tolist()]
    assert totals == pytest.approx([len(y) / len(classes)] * len(classes))


@pytest.mark.parametrize("strategy", ["prior", "most_frequent"])
@pytest.mark.parametrize("data", CLASSIFICATION)
def test_dummy_classifier_is_sklearns(data: str, strategy: str) -> None:
    X, y = load(data)
    ours = DummyClassifierScratch(strategy=strategy).fit(X[:100], y[:100])
    theirs = DummyClassifier(strategy=strategy).fit(X[:100], y[:100])
    assert ours.predict(X).tolist() == theirs.predict(X).tolist()
    assert np.array_equal(ours.predict_proba(X), theirs.predict_proba(X))
    assert ours.score(X, y) == theirs.score(X, y)


@pytest.mark.parametrize("strategy", ["mean", "median"])
def test_dummy_regressor_is_sklearns_and_scores_zero_on_its_training_rows(strategy: str) -> None:
    X, y = load("diabetes")
    ours = DummyRegressorScratch(strategy=strategy).fit(X[:300], y[:300])
    theirs = DummyRegressor(strategy=strategy).fit(X[:300], y[:300])
    assert ours.predict(X) == pytest.approx(theirs.predict(X), rel=1e-12)
    if strategy == "mean":
        assert ours.score(X[:300], y[:300]) == pytest.approx(0.0, abs=1e-12)
