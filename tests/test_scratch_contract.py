"""One contract for every from-scratch estimator: scikit-learn's, checked by one common test.

Every public ScratchEstimator subclass in invert.scratch must appear below; a test enforces it.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from functools import cache
from typing import Any

import numpy as np
import pytest
from sklearn import datasets
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.preprocessing import StandardScaler

import invert.scratch
from invert.scratch._base import ScratchEstimator
from invert.scratch.agglomerative import WardClusteringScratch
from invert.scratch.baselines import DummyClassifierScratch, DummyRegressorScratch
from invert.scratch.boosting import GradientBoostingRegressorScratch
from invert.scratch.encoding import OneHotEncoderScratch, TargetEncoderScratch
from invert.scratch.forest import RandomForestClassifierScratch
from invert.scratch.imputation import SimpleImputerScratch
from invert.scratch.kernels import KernelRidgeScratch
from invert.scratch.kmeans import KMeansScratch
from invert.scratch.knn import KNeighborsClassifierScratch
from invert.scratch.lasso import LassoScratch
from invert.scratch.linear_regression import LinearRegressionGD, LinearRegressionNormal
from invert.scratch.logistic_regression import LogisticRegressionScratch
from invert.scratch.mlp import MLPClassifierScratch
from invert.scratch.naive_bayes import GaussianNBScratch
from invert.scratch.out_of_bag import RandomForestOOBScratch
from invert.scratch.pca import PCAPowerIteration, PCAScratch
from invert.scratch.preprocessing import StandardScalerScratch
from invert.scratch.selection import SelectKBestScratch
from invert.scratch.svm import LinearSVMScratch
from invert.scratch.target_transform import LogTargetRegressorScratch
from invert.scratch.tree import DecisionTreeClassifierScratch, DecisionTreeRegressorScratch

# (an estimator with non-default parameters, data to fit it on, the methods that need a fit)
CASES: list[tuple[ScratchEstimator, str, tuple[str, ...]]] = [
    (LinearRegressionNormal(fit_intercept=False), "diabetes", ("predict",)),
    (LinearRegressionGD(learning_rate=0.05, n_epochs=50), "diabetes", ("predict",)),
    (LogisticRegressionScratch(C=0.5, n_epochs=50), "iris", ("predict", "predict_proba")),
    (KNeighborsClassifierScratch(n_neighbors=3), "iris", ("predict", "predict_proba")),
    (KMeansScratch(n_clusters=3, random_state=0), "iris", ("predict",)),
    (PCAScratch(n_components=2), "iris", ("transform",)),
    (PCAPowerIteration(n_components=2, random_state=1), "iris", ("transform",)),
    (
        DecisionTreeClassifierScratch(max_depth=3, criterion="entropy"),
        "iris",
        ("predict", "predict_proba"),
    ),
    (DecisionTreeRegressorScratch(max_depth=2, min_samples_leaf=3), "diabetes", ("predict",)),
    (
        RandomForestClassifierScratch(n_estimators=5, random_state=0),
        "iris",
        ("predict", "predict_proba"),
    ),
    (GaussianNBScratch(var_smoothing=1e-8), "wine", ("predict", "predict_proba")),
    (
        MLPClassifierScratch((8, 4), n_epochs=5, random_state=0),
        "iris",
        ("predict", "predict_proba"),
    ),
    (GradientBoostingRegressorScratch(n_estimators=5, max_depth=2), "diabetes", ("predict",)),
    (StandardScalerScratch(with_mean=False), "wine", ("transform", "inverse_transform")),
    (DummyClassifierScratch(strategy="most_frequent"), "wine", ("predict", "predict_proba")),
    (DummyRegressorScratch(strategy="median"), "diabetes", ("predict",)),
    (LinearSVMScratch(C=0.5, n_steps=200), "breast_cancer", ("predict", "decision_function")),
    (KernelRidgeScratch(alpha=0.5, gamma=0.05), "diabetes", ("predict",)),
    (
        RandomForestOOBScratch(n_estimators=5, max_features=2, random_state=0),
        "iris",
        ("predict", "predict_proba"),
    ),
    (OneHotEncoderScratch(handle_unknown="ignore"), "iris", ("transform",)),
    (TargetEncoderScratch(smooth=2.0, cv=3), "iris", ("transform",)),
    (SimpleImputerScratch(strategy="mean", add_indicator=True), "wine", ("transform",)),
    (SelectKBestScratch(k=2), "wine", ("transform",)),
    (LassoScratch(alpha=0.5, max_iter=50), "diabetes", ("predict",)),
    (WardClusteringScratch(n_clusters=4), "iris", ()),
    # Its one parameter is an estimator, left at None: the contract's equality checks compare
    # parameters by value, and a cloned inner estimator is a new object.
    (LogTargetRegressorScratch(), "diabetes", ("predict",)),
]


@cache
def scaled(name: str) -> tuple[Any, Any]:
    X, y = getattr(datasets, f"load_{name}")(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def test_every_scratch_estimator_is_covered() -> None:
    found = set()
    for module in pkgutil.iter_modules(invert.scratch.__path__):
        if module.name.startswith("_"):
            continue
        loaded = importlib.import_module(f"invert.scratch.{module.name}")
        for _, cls in inspect.getmembers(loaded, inspect.isclass):
            if issubclass(cls, ScratchEstimator) and cls.__module__ == loaded.__name__:
                if not cls.__name__.startswith("_"):
                    found.add(cls)
    assert found == {type(estimator) for estimator, _, _ in CASES}
    assert len(found) >= 10


@pytest.mark.parametrize(
    ("estimator", "data", "methods"), CASES, ids=[type(c[0]).__name__ for c in CASES]
)
def test_scratch_estimator_follows_the_sklearn_contract(
    estimator: ScratchEstimator, data: str, methods: tuple[str, ...]
) -> None:
    estimator = clone(estimator)  # a fresh, unfitted copy for this test
    params = estimator.get_params()
    kind = estimator._estimator_type
    assert is_classifier(estimator) == (kind == "classifier")
    assert is_regressor(estimator) == (kind == "regressor")

    # __init__ stores its parameters and nothing else.
    assert set(vars(estimator)) == set(params)

    # get_params round-trips through set_params onto a default instance.
    assert type(estimator)().set_params(**params).get_params() == params
    with pytest.raises(ValueError, match="no parameter"):
        type(estimator)().set_params(no_such_parameter=1)

    # Predicting (or transforming) before fit is an error, via the base's _check_fitted.
    X, y = scaled(data)
    for method in methods:
        with pytest.raises(AttributeError, match="not fitted"):
            getattr(estimator, method)(X)

    # fit returns self, and everything it learns ends in "_".
    assert estimator.fit(X, y) is estimator
    learned = set(vars(estimator)) - set(params)
    assert learned, "fit learned nothing"
    assert all(name.endswith("_") and not name.startswith("_") for name in learned), learned
    for method in methods:
        assert len(np.asarray(getattr(estimator, method)(X))) == len(X)  # works now
    assert estimator.get_params() == params  # fit did not touch the parameters

    # clone gives an unfitted estimator with the same parameters.
    copy = clone(estimator)
    assert copy is not estimator and copy.get_params() == params
    assert not learned & set(vars(copy))
