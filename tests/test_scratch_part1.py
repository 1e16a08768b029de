"""From-scratch models, part 1: the estimator contract and agreement with scikit-learn.

Linear regression (normal equations and gradient descent), logistic regression, k-nearest
neighbours, k-means and PCA. Every tolerance below comes with the reason it is what it is.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn import datasets
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import adjusted_rand_score
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from invert.scratch.kmeans import KMeansScratch
from invert.scratch.knn import KNeighborsClassifierScratch
from invert.scratch.linear_regression import LinearRegressionGD, LinearRegressionNormal
from invert.scratch.logistic_regression import LogisticRegressionScratch
from invert.scratch.pca import PCAPowerIteration, PCAScratch

# The from-scratch models against scikit-learn's on real data (with a few contract checks):
# the proofs of invert.scratch, marked as a whole.
pytestmark = pytest.mark.content

PENGUINS_CSV = Path(__file__).parents[1] / "src" / "invert" / "content" / "data" / "penguins.csv"

Array = np.ndarray[Any, Any]


@cache
def load(name: str) -> tuple[Array, Array]:
    """A bundled scikit-learn data set (iris, wine, breast_cancer, diabetes, digits) as X, y."""
    loader = getattr(datasets, f"load_{name}")
    X, y = loader(return_X_y=True)
    return X, y


@cache
def scaled(name: str) -> Array:
    """Standardised features: what gradient descent, kNN, k-means and PCA expect."""
    if name == "penguins":
        columns = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
        X = pd.read_csv(PENGUINS_CSV)[columns].dropna().to_numpy()
    else:
        X = load(name)[0]
    result: Array = StandardScaler().fit_transform(X)
    return result


@cache
def split(name: str) -> tuple[Array, Array, Array, Array]:
    """A stratified 75/25 train/test split, standardised with the training rows' statistics."""
    X, y = load(name)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, random_state=0, stratify=y
    )
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


# --- Linear regression -------------------------------------------------------------------------


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("standardise", [True, False])
def test_normal_equation_matches_sklearn(fit_intercept: bool, standardise: bool) -> None:
    X, y = load("diabetes")
    if standardise:
        X = scaled("diabetes")
    ours = LinearRegressionNormal(fit_intercept=fit_intercept).fit(X, y)
    theirs = LinearRegression(fit_intercept=fit_intercept).fit(X, y)
    # The same deterministic least-squares solve: only floating-point rounding may differ.
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-8)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-8, atol=1e-8)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-8)


def test_gradient_descent_reaches_the_normal_equation_solution() -> None:
    X, y = scaled("diabetes"), load("diabetes")[1]
    exact = LinearRegressionNormal().fit(X, y)
    # Standardised diabetes: the covariance eigenvalues span 0.0086 to 4.0, so a step of 0.1
    # (stable below 1/4.0) shrinks the slowest error by (1 - 2·0.1·0.0086) per epoch.
    descent = LinearRegressionGD(learning_rate=0.1, n_epochs=10_000).fit(X, y)
    # After 10,000 epochs the slowest direction is left with about 1e-6 of its error (measured).
    np.testing.assert_allclose(descent.coef_, exact.coef_, rtol=0, atol=1e-3)
    np.testing.assert_allclose(descent.intercept_, exact.intercept_, rtol=0, atol=1e-3)
    # Batch gradient descent with a stable step never increases the loss.
    assert descent.loss_history_.shape == (10_000,)
    assert np.all(np.diff(descent.loss_history_) <= 1e-9)


# --- Logistic regression -----------------------------------------------------------------------


@pytest.mark.parametrize(("data", "C"), [("breast_cancer", 1.0), ("wine", 1.0), ("wine", 0.1)])
def test_logistic_regression_agrees_with_sklearn(data: str, C: float) -> None:
    X_train, X_test, y_train, y_test = split(data)
    ours = LogisticRegressionScratch(C=C, learning_rate=0.5, n_epochs=2000).fit(X_train, y_train)
    theirs = LogisticRegression(C=C, max_iter=10_000).fit(X_train, y_train)

    np.testing.assert_array_equal(ours.classes_, theirs.classes_)
    assert ours.coef_.shape == theirs.coef_.shape
    assert ours.intercept_.shape == theirs.intercept_.shape
    np.testing.assert_allclose(ours.predict_proba(X_test).sum(axis=1), 1.0)

    # Same objective, but 2000 fixed-size steps stop short of lbfgs's optimum (coefficients
    # differ by up to 0.02, measured), so a row near the boundary may flip: allow 2% of rows, 0.01
    # accuracy.
    agreement = np.mean(ours.predict(X_test) == theirs.predict(X_test))
    assert agreement >= 0.98
    our_accuracy = np.mean(ours.predict(X_test) == y_test)
    their_accuracy = theirs.score(X_test, y_test)
    assert abs(our_accuracy - their_accuracy) <= 0.01


def test_logistic_regression_loss_falls() -> None:
    X_train, _, y_train, _ = split("breast_cancer")
    model = LogisticRegressionScratch().fit(X_train, y_train)
    assert model.loss_history_.shape == (2000,)
    # Starts at log(2) (all probabilities 0.5 with zero weights) and only goes down.
    np.testing.assert_allclose(model.loss_history_[0], np.log(2))
    assert np.all(np.diff(model.loss_history_) <= 1e-12)


# --- k-nearest neighbours ----------------------------------------------------------------------


@pytest.mark.parametrize("n_neighbors", [1, 2, 4, 5, 10])
@pytest.mark.parametrize("data", ["wine", "breast_cancer", "digits"])
def test_knn_predictions_are_identical_to_sklearn(data: str, n_neighbors: int) -> None:
    # wine (13 features) uses scikit-learn's KD-tree, breast_cancer and digits its brute force.
    # Standardised features leave no two training rows at exactly the same distance from a
    # query, so the neighbour sets are the same and predictions must be IDENTICAL (no tolerance).
    # (Exact distance ties, e.g. raw iris or raw digits, are broken differently: see knn.py.)
    X_train, X_test, y_train, _ = split(data)
    ours = KNeighborsClassifierScratch(n_neighbors=n_neighbors).fit(X_train, y_train)
    theirs = KNeighborsClassifier(n_neighbors=n_neighbors).fit(X_train, y_train)
    np.testing.assert_array_equal(ours.classes_, theirs.classes_)
    np.testing.assert_array_equal(ours.predict(X_test), theirs.predict(X_test))
    np.testing.assert_array_equal(ours.predict_proba(X_test), theirs.predict_proba(X_test))


def test_knn_tied_votes_go_to_the_smallest_label_as_in_sklearn() -> None:
    X_train, X_test, y_train, _ = split("digits")
    ours = KNeighborsClassifierScratch(n_neighbors=2).fit(X_train, y_train)
    theirs = KNeighborsClassifier(n_neighbors=2).fit(X_train, y_train)
    votes = np.sort(ours.predict_proba(X_test), axis=1)
    tied = votes[:, -1] == votes[:, -2]
    assert tied.sum() >= 5  # the rule really is exercised
    np.testing.assert_array_equal(ours.predict(X_test[tied]), theirs.predict(X_test[tied]))


# --- k-means -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "n_clusters"), [("iris", 3), ("penguins", 3), ("wine", 4)])
def test_kmeans_from_the_same_start_matches_sklearn_lloyd(data: str, n_clusters: int) -> None:
    X = scaled(data)
    init = X[np.random.default_rng(1).choice(len(X), size=n_clusters, replace=False)]
    ours = KMeansScratch(n_clusters=n_clusters, init=init).fit(X)
    theirs = KMeans(n_clusters=n_clusters, init=init, n_init=1, algorithm="lloyd").fit(X)
    # Same start, same deterministic steps: only rounding differs (scikit-learn centres X first).
    np.testing.assert_allclose(ours.cluster_centers_, theirs.cluster_centers_, rtol=0, atol=1e-6)
    np.testing.assert_array_equal(ours.labels_, theirs.labels_)
    assert ours.n_iter_ == theirs.n_iter_
    np.testing.assert_allclose(ours.inertia_, theirs.inertia_, rtol=1e-9)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


@pytest.mark.parametrize("data", ["penguins", "iris"])
def test_kmeans_plus_plus_finds_sklearns_clustering(data: str) -> None:
    X = scaled(data)
    theirs = KMeans(n_clusters=3, n_init=10, random_state=0).fit(X)
    # Different seeding (textbook vs greedy k-means++) means different local minima run by run,
    # so compare the best of 10 runs on each side, as n_init=10 does. Scaled iris has two
    # near-equal minima (0.15% apart in inertia), hence ARI ≥ 0.9 and inertia within 1%.
    runs = [KMeansScratch(n_clusters=3, random_state=seed).fit(X) for seed in range(10)]
    ours = min(runs, key=lambda model: model.inertia_)
    assert adjusted_rand_score(theirs.labels_, ours.labels_) >= 0.9
    assert abs(ours.inertia_ / theirs.inertia_ - 1) <= 0.01


def test_kmeans_init_array_is_not_modified_and_random_state_repeats() -> None:
    X = scaled("iris")
    init = X[:3].copy()
    KMeansScratch(n_clusters=3, init=init).fit(X)
    np.testing.assert_array_equal(init, X[:3])
    first = KMeansScratch(n_clusters=3, random_state=7).fit(X)
    second = KMeansScratch(n_clusters=3, random_state=7).fit(X)
    np.testing.assert_array_equal(first.cluster_centers_, second.cluster_centers_)


def test_kmeans_clone_keeps_an_array_init() -> None:
    init = scaled("iris")[:3]
    copy = clone(KMeansScratch(n_clusters=3, init=init))
    np.testing.assert_array_equal(copy.init, init)


# --- PCA ---------------------------------------------------------------------------------------


def align_signs(ours: Array, theirs: Array) -> Array:
    """Flip each of our components (rows) to point the same way as scikit-learn's."""
    signs = np.sign(np.sum(ours * theirs, axis=1))
    result: Array = ours * signs[:, np.newaxis]
    return result


@pytest.mark.parametrize("n_components", [None, 3])
def test_pca_matches_sklearn(n_components: int | None) -> None:
    X = scaled("wine")
    ours = PCAScratch(n_components=n_components).fit(X)
    theirs = PCA(n_components=n_components).fit(X)
    # Eigendecomposition vs scikit-learn's solver: the same numbers up to rounding (measured
    # 1e-14); the distinct eigenvalues of wine keep every component well defined.
    np.testing.assert_allclose(
        align_signs(ours.components_, theirs.components_), theirs.components_, atol=1e-10
    )
    np.testing.assert_allclose(
        ours.explained_variance_ratio_, theirs.explained_variance_ratio_, rtol=0, atol=1e-10
    )
    np.testing.assert_allclose(ours.explained_variance_, theirs.explained_variance_, rtol=1e-10)
    np.testing.assert_allclose(ours.mean_, theirs.mean_, atol=1e-12)
    signs = np.sign(np.sum(ours.components_ * theirs.components_, axis=1))
    np.testing.assert_allclose(ours.transform(X) * signs, theirs.transform(X), atol=1e-10)


@pytest.mark.parametrize("name", ["wine", "iris", "breast_cancer", "diabetes"])
def test_pca_by_power_iteration_matches_sklearn(name: str) -> None:
    X = scaled(name)
    ours = PCAPowerIteration().fit(X)
    theirs = PCA().fit(X)
    # Power iteration stops when a step moves the vector by less than 1e-12; deflation carries
    # each component's error into the next ones (measured at most 2e-11 here).
    np.testing.assert_allclose(ours.components_, theirs.components_, atol=1e-9)
    np.testing.assert_allclose(ours.explained_variance_, theirs.explained_variance_, rtol=1e-9)
    np.testing.assert_allclose(
        ours.explained_variance_ratio_, theirs.explained_variance_ratio_, atol=1e-12
    )
    np.testing.assert_allclose(ours.transform(X), theirs.transform(X), atol=1e-8)
    assert all(1 < n < ours.max_iter for n in ours.n_iter_)


def test_power_iteration_slows_when_eigenvalues_are_close() -> None:
    # The error shrinks by λ2/λ1 a step: near-equal variances need many more multiplications.
    rng = np.random.default_rng(0)
    spread = rng.normal(size=(2000, 3))
    apart = PCAPowerIteration(n_components=1).fit(spread * [3.0, 1.0, 0.5])
    close = PCAPowerIteration(n_components=1).fit(spread * [1.1, 1.0, 0.5])
    assert close.n_iter_[0] > 5 * apart.n_iter_[0]


def test_pca_sign_convention_is_sklearns() -> None:
    # Both flip each component so that its largest-absolute entry is positive (scikit-learn's
    # svd_flip with u_based_decision=False), so here the signs agree too, not just up to sign.
    X = scaled("wine")
    ours = PCAScratch().fit(X)
    theirs = PCA().fit(X)
    np.testing.assert_allclose(ours.components_, theirs.components_, atol=1e-10)
    largest = np.abs(ours.components_).argmax(axis=1)
    assert np.all(ours.components_[np.arange(len(largest)), largest] > 0)


def test_pca_inverse_transform_round_trips() -> None:
    X = scaled("wine")
    full = PCAScratch().fit(X)
    np.testing.assert_allclose(full.inverse_transform(full.fit_transform(X)), X, atol=1e-10)
    np.testing.assert_allclose(full.explained_variance_ratio_.sum(), 1.0)


# --- Inside scikit-learn: Pipeline and cross_val_score -------------------------------------------


def reconstruction_score(estimator: Any, X: Array, y: Any = None) -> float:
    """Minus the mean squared error of rebuilding X from its principal components."""
    rebuilt = estimator.inverse_transform(estimator.transform(X))
    return -float(np.mean((rebuilt - X) ** 2))


# (ours, scikit-learn's, data, scoring, tolerance on the fold scores); the comment says why.
PIPELINE_CASES: list[tuple[Any, Any, str, Callable[..., float] | None, float]] = [
    # Same least-squares solve: rounding only.
    (LinearRegressionNormal(), LinearRegression(), "diabetes", None, 1e-10),
    # Gradient descent stops about 1e-6 short of the exact coefficients (see above).
    (
        LinearRegressionGD(learning_rate=0.1, n_epochs=10_000),
        LinearRegression(),
        "diabetes",
        None,
        1e-6,
    ),
    # Same objective, not fully converged: one wine row in ~36 per fold could flip.
    (
        LogisticRegressionScratch(learning_rate=0.5),
        LogisticRegression(max_iter=10_000),
        "wine",
        None,
        0.03,
    ),
    # Deterministic with no distance ties: identical fold accuracies.
    (KNeighborsClassifierScratch(), KNeighborsClassifier(), "wine", None, 0.0),
    # Same eigenvectors: reconstruction errors equal up to rounding.
    (PCAScratch(n_components=3), PCA(n_components=3), "wine", reconstruction_score, 1e-10),
]
PIPELINE_IDS = [type(case[0]).__name__ for case in PIPELINE_CASES]


@pytest.mark.parametrize(
    ("ours", "theirs", "data", "scoring", "tolerance"), PIPELINE_CASES, ids=PIPELINE_IDS
)
def test_scratch_estimators_work_in_pipeline_and_cross_val_score(
    ours: Any, theirs: Any, data: str, scoring: Callable[..., float] | None, tolerance: float
) -> None:
    X, y = load(data)
    # The tags (from the base's __sklearn_tags__ and each class's _estimator_type) must say what
    # the model is: cross_val_score stratifies the folds only for classifiers.
    assert is_classifier(ours) == is_classifier(theirs)
    assert is_regressor(ours) == is_regressor(theirs)
    our_scores = cross_val_score(make_pipeline(StandardScaler(), ours), X, y, cv=5, scoring=scoring)
    their_scores = cross_val_score(
        make_pipeline(StandardScaler(), theirs), X, y, cv=5, scoring=scoring
    )
    np.testing.assert_allclose(our_scores, their_scores, rtol=0, atol=tolerance)


def test_kmeans_works_in_pipeline_and_cross_val_score() -> None:
    # No y, default score = minus the inertia of each held-out fold, as for scikit-learn's KMeans.
    X = load("iris")[0]
    scores = cross_val_score(
        make_pipeline(StandardScaler(), KMeansScratch(n_clusters=3, random_state=0)), X, cv=5
    )
    assert scores.shape == (5,)
    assert np.all(scores < 0)
    assert not is_classifier(KMeansScratch()) and not is_regressor(KMeansScratch())
