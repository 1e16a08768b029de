"""From-scratch models, part 2: the estimator contract, and agreement with scikit-learn on data.

Decision trees, random forest, Gaussian naive Bayes, a multi-layer perceptron and gradient
boosting. Every tolerance below comes with the reason it is what it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import numpy as np
import pytest
from sklearn import datasets
from sklearn.ensemble import GradientBoostingRegressor, RandomForestClassifier
from sklearn.metrics import r2_score
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from invert.scratch.boosting import GradientBoostingRegressorScratch
from invert.scratch.forest import RandomForestClassifierScratch
from invert.scratch.mlp import MLPClassifierScratch
from invert.scratch.naive_bayes import GaussianNBScratch
from invert.scratch.tree import (
    DecisionTreeClassifierScratch,
    DecisionTreeRegressorScratch,
    best_split,
    entropy,
    gini,
)

# The from-scratch models against scikit-learn's on real data (with a few contract checks):
# the proofs of invert.scratch, marked as a whole.
pytestmark = pytest.mark.content

Array = np.ndarray[Any, Any]


@cache
def load(name: str) -> tuple[Array, Array]:
    """A bundled scikit-learn data set (iris, wine, breast_cancer, diabetes, digits) as X, y."""
    X, y = getattr(datasets, f"load_{name}")(return_X_y=True)
    return X, y


def folds(name: str) -> Iterator[tuple[Array, Array, Array, Array]]:
    """Fixed 5-fold splits (stratified for classes) as X_train, X_test, y_train, y_test."""
    X, y = load(name)
    if name == "diabetes":
        splitter: KFold = KFold(5, shuffle=True, random_state=0)
    else:
        splitter = StratifiedKFold(5, shuffle=True, random_state=0)
    for train, test in splitter.split(X, y):
        yield X[train], X[test], y[train], y[test]


# --- Decision trees ----------------------------------------------------------------------------


def test_impurities_of_known_label_sets() -> None:
    y = load("iris")[1]  # three classes of 50 rows
    assert gini(y) == pytest.approx(2 / 3)
    assert entropy(y) == pytest.approx(np.log2(3))
    assert gini([1, 1, 1]) == 0.0 and entropy([1, 1, 1]) == 0.0
    assert gini([0, 1]) == 0.5 and entropy([0, 1]) == 1.0


def test_best_split_finds_the_setosa_question() -> None:
    X, y = load("iris")
    split = best_split(X, y, "gini")
    # Petal length <= 2.45 (feature 2) isolates the 50 setosa; petal width <= 0.8 (feature 3)
    # does too, an exact tie that the first feature searched wins.
    assert split is not None
    assert (split.feature, split.threshold) == (2, 2.45)
    assert split.impurity_decrease == pytest.approx(2 / 3 - 100 / 150 * 0.5)
    assert best_split(X, y, "gini", features=[3]) == (3, 0.8, split.impurity_decrease)
    assert best_split(np.ones((4, 2)), [0, 1, 0, 1]) is None  # nothing can be cut


@pytest.mark.parametrize(
    ("data", "criterion", "max_depth", "min_samples_leaf"),
    [
        ("iris", "gini", None, 1),
        ("iris", "entropy", 3, 1),
        ("breast_cancer", "gini", None, 1),
        ("breast_cancer", "entropy", None, 5),
        ("breast_cancer", "gini", 3, 1),
    ],
)
def test_tree_predictions_are_identical_to_sklearn(
    data: str, criterion: str, max_depth: int | None, min_samples_leaf: int
) -> None:
    params: dict[str, Any] = {
        "criterion": criterion,
        "max_depth": max_depth,
        "min_samples_leaf": min_samples_leaf,
    }
    for X_train, X_test, y_train, _ in folds(data):
        ours = DecisionTreeClassifierScratch(random_state=0, **params).fit(X_train, y_train)
        theirs = DecisionTreeClassifier(random_state=0, **params).fit(X_train, y_train)
        # Same search, same float32 thresholds, same impurity arithmetic, and ties between
        # features broken in scikit-learn's own (replayed) order: IDENTICAL, no tolerance.
        np.testing.assert_array_equal(ours.predict(X_test), theirs.predict(X_test))
        np.testing.assert_array_equal(ours.predict_proba(X_test), theirs.predict_proba(X_test))
        assert ours.depth_ == theirs.get_depth()


@pytest.mark.parametrize("max_depth", [1, 3])
def test_regression_tree_predictions_are_identical_to_sklearn(max_depth: int) -> None:
    for X_train, X_test, y_train, _ in folds("diabetes"):
        ours = DecisionTreeRegressorScratch(max_depth=max_depth).fit(X_train, y_train)
        theirs = DecisionTreeRegressor(max_depth=max_depth, random_state=0).fit(X_train, y_train)
        # Same splits; a leaf mean may differ in the last bit (summation order), hence 1e-9.
        # (Deeper trees meet ties between columns, which this tree breaks by column order.)
        np.testing.assert_allclose(ours.predict(X_test), theirs.predict(X_test), rtol=1e-9)


# --- Random forest -----------------------------------------------------------------------------


def test_forest_accuracy_is_within_003_of_sklearn_on_breast_cancer() -> None:
    ours, theirs = [], []
    for X_train, X_test, y_train, y_test in folds("breast_cancer"):
        forest = RandomForestClassifierScratch(random_state=0).fit(X_train, y_train)
        ours.append(np.mean(forest.predict(X_test) == y_test))
        reference = RandomForestClassifier(random_state=0, n_jobs=2).fit(X_train, y_train)
        theirs.append(reference.score(X_test, y_test))
    # Same algorithm, different random streams (bootstrap rows, feature draws): the forests
    # differ tree by tree, so only the accuracy can agree (measured 0.960 against 0.965).
    assert abs(np.mean(ours) - np.mean(theirs)) <= 0.03
    assert np.mean(ours) >= 0.93


def test_forest_lines_up_the_classes_a_bootstrap_sample_missed() -> None:
    X = np.arange(21.0).reshape(-1, 1)
    y = np.array([0] * 10 + [1] * 10 + [2])  # class 2 has a single row: many trees never see it
    forest = RandomForestClassifierScratch(n_estimators=20, random_state=0).fit(X, y)
    assert any(len(tree.classes_) < 3 for tree in forest.estimators_)
    proba = forest.predict_proba(X)
    assert proba.shape == (21, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)  # averaged probabilities stay a distribution


# --- Gaussian naive Bayes ----------------------------------------------------------------------


@pytest.mark.parametrize("data", ["iris", "wine"])
def test_naive_bayes_matches_sklearn(data: str) -> None:
    X, y = load(data)
    ours, theirs = GaussianNBScratch().fit(X, y), GaussianNB().fit(X, y)
    # Same closed-form estimates from the same NumPy reductions (measured equal to the bit).
    np.testing.assert_array_equal(ours.classes_, theirs.classes_)
    np.testing.assert_allclose(ours.theta_, theirs.theta_, rtol=1e-12)
    np.testing.assert_allclose(ours.var_, theirs.var_, rtol=1e-12)
    np.testing.assert_allclose(ours.class_prior_, theirs.class_prior_, rtol=1e-12)
    assert ours.epsilon_ == pytest.approx(theirs.epsilon_, rel=1e-12)

    for X_train, X_test, y_train, _ in folds(data):
        ours, theirs = GaussianNBScratch().fit(X_train, y_train), GaussianNB().fit(X_train, y_train)
        # Same log-density formula and log-sum-exp; measured differences are below 4e-15.
        np.testing.assert_allclose(
            ours.predict_proba(X_test), theirs.predict_proba(X_test), atol=1e-8
        )
        np.testing.assert_array_equal(ours.predict(X_test), theirs.predict(X_test))


# --- Multi-layer perceptron --------------------------------------------------------------------


def test_backward_matches_finite_differences() -> None:
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(7, 3)), np.array([0, 1, 2, 0, 1, 2, 2])
    net = MLPClassifierScratch((5, 4), n_epochs=3, alpha=0.3, random_state=0).fit(X, y)
    Y = np.eye(3)[y]
    coef_grads, intercept_grads = net.backward(net.forward(X), Y)

    def numerical_gradient(param: Array) -> Array:
        """Central differences (L(w + h) - L(w - h)) / 2h, one parameter at a time."""
        h, grad = 1e-6, np.zeros_like(param)
        for index in np.ndindex(param.shape):
            original = param[index]
            param[index] = original + h
            loss_plus = net.loss(net.forward(X)[-1], Y)
            param[index] = original - h
            loss_minus = net.loss(net.forward(X)[-1], Y)
            param[index] = original
            grad[index] = (loss_plus - loss_minus) / (2 * h)
        return grad

    analytic = np.concatenate([g.ravel() for g in coef_grads + intercept_grads])
    numeric = np.concatenate([numerical_gradient(p).ravel() for p in net.coefs_ + net.intercepts_])
    # Central differences err by O(h**2) plus rounding ~1e-16 / h (measured at most 7e-9
    # relative), far below 1e-6; a bug in backpropagation would be as large as the gradient.
    relative = np.abs(analytic - numeric) / np.maximum(np.abs(analytic) + np.abs(numeric), 1e-8)
    assert relative.max() < 1e-6


def test_mlp_accuracy_is_within_003_of_sklearn_on_digits() -> None:
    X, y = load("digits")
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, random_state=0, stratify=y
    )
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    ours = MLPClassifierScratch(
        (32,), learning_rate=0.1, n_epochs=100, batch_size=64, alpha=1e-4, random_state=0
    ).fit(X_train, y_train)
    # The same network, loss, penalty and plain mini-batch SGD; scikit-learn stops by itself
    # when the loss stalls (after 113 epochs), so it never hits max_iter or warns.
    theirs = MLPClassifier(
        (32,),
        solver="sgd",
        learning_rate_init=0.1,
        momentum=0.0,
        batch_size=64,
        alpha=1e-4,
        max_iter=1000,
        random_state=0,
    ).fit(X_train, y_train)
    our_accuracy = np.mean(ours.predict(X_test) == y_test)
    # Different initial weights and batch orders (other random streams), so the two nets are
    # different local solutions: only the accuracy can agree (measured 0.976 against 0.971).
    assert abs(our_accuracy - theirs.score(X_test, y_test)) <= 0.03
    assert len(ours.loss_history_) == 100
    assert ours.loss_history_[-1] < 0.1 * ours.loss_history_[0]  # training did happen


# --- Gradient boosting -------------------------------------------------------------------------


def sklearn_boosting(**params: Any) -> GradientBoostingRegressor:
    """scikit-learn's booster with squared-error trees, on either side of the 1.9 change."""
    if GradientBoostingRegressor().get_params()["criterion"] != "deprecated":
        params["criterion"] = "squared_error"  # before 1.9 the default was friedman_mse
    # From 1.9 on, criterion is always squared_error and setting it warns (an error here).
    return GradientBoostingRegressor(random_state=0, **params)


def test_boosted_stumps_match_sklearn() -> None:
    X, y = load("diabetes")
    ours = GradientBoostingRegressorScratch(n_estimators=100, learning_rate=0.1, max_depth=1)
    theirs = sklearn_boosting(n_estimators=100, learning_rate=0.1, max_depth=1)
    ours.fit(X, y)
    theirs.fit(X, y)
    assert ours.init_ == pytest.approx(float(theirs.init_.constant_[0, 0]), rel=1e-12)
    # The same 100 stumps, so on the training rows only rounding differs (measured 6e-14).
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=0, atol=1e-9)

    deviations = []
    for X_train, X_test, y_train, _ in folds("diabetes"):
        ours.fit(X_train, y_train)
        theirs.fit(X_train, y_train)
        deviations.append(np.abs(ours.predict(X_test) - theirs.predict(X_test)))
    deviation = np.concatenate(deviations)
    # 441 of the 442 held-out predictions agree to 1e-13. In one fold, two columns isolate
    # the same outlier row at round 71: equal in exact arithmetic, so float rounding (the order
    # the sorted rows are summed in) picks the column, and one test row lands on the other side
    # (off by 7.9 on a target in 25..346).
    assert np.mean(deviation <= 1e-9) >= 0.99


def test_boosting_with_depth_3_trees_scores_like_sklearn() -> None:
    ours, theirs = [], []
    for X_train, X_test, y_train, y_test in folds("diabetes"):
        model = GradientBoostingRegressorScratch(max_depth=3).fit(X_train, y_train)
        ours.append(r2_score(y_test, model.predict(X_test)))
        reference = sklearn_boosting(max_depth=3).fit(X_train, y_train)
        theirs.append(r2_score(y_test, reference.predict(X_test)))
        # Each round can only lower the training loss (a least-squares fit of the residuals).
        assert np.all(np.diff(model.train_loss_) <= 1e-9)
    # Deeper trees meet more near-ties that rounding breaks differently (see above), so ~15% of
    # the predictions differ; the fitted functions are equally good (measured R² 0.424 vs 0.421).
    assert abs(np.mean(ours) - np.mean(theirs)) <= 0.02
