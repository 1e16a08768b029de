"""The hidden data and scikit-learn's answers, computed before the learner's code is imported.

Runs only in the check's child process, in its first phase: everything returned is NumPy arrays
and plain numbers, never a scikit-learn object, so nothing of scikit-learn is left within the
learner's reach once the child blocks it. The skeletons name none of these datasets.
"""

from __future__ import annotations

import importlib
import warnings
from itertools import pairwise, permutations
from typing import Any

import numpy as np

Data = dict[str, Any]


def _split(X: Any, y: Any, seed: int, test: float = 0.4) -> Data:
    """A fixed, seeded split: the same rows every time, so a verdict can name a row."""
    order = np.random.default_rng(seed).permutation(len(X))
    cut = round(len(X) * (1 - test))
    train, held = order[:cut], order[cut:]
    return {
        "X_train": np.asarray(X, dtype=np.float64)[train],
        "y_train": np.asarray(y)[train],
        "X_test": np.asarray(X, dtype=np.float64)[held],
        "y_test": np.asarray(y)[held],
    }


def _standardised(X: Any) -> Any:
    X = np.asarray(X, dtype=np.float64)
    return (X - X.mean(axis=0)) / X.std(axis=0)


def dataset(name: str) -> Data:
    """One hidden dataset by name, split into train and test rows."""
    from sklearn import datasets as sk

    if name == "classes-2":
        X, y = sk.make_classification(
            n_samples=300, n_features=6, n_informative=4, n_redundant=0, random_state=11
        )
        return _split(X, y, 1)
    if name == "classes-3":
        X, y = sk.make_classification(
            n_samples=300,
            n_features=5,
            n_informative=3,
            n_redundant=0,
            n_classes=3,
            n_clusters_per_class=1,
            random_state=23,
        )
        return _split(X, y, 2)
    if name == "blobs-4":
        X, y = sk.make_blobs(
            n_samples=300, centers=4, n_features=3, cluster_std=2.5, random_state=5
        )
        return _split(X, y, 3)
    if name == "blobs-separated":
        X, y = sk.make_blobs(
            n_samples=240, centers=3, n_features=2, cluster_std=0.6, random_state=7
        )
        return _split(X, y, 4)
    if name == "wine":
        X, y = sk.load_wine(return_X_y=True)
        labels = np.array(["barolo", "grignolino", "barbera"])[y]  # labels that are not 0..k-1
        return _split(_standardised(X), labels, 5)
    if name == "wine-raw":
        X, y = sk.load_wine(return_X_y=True)
        return _split(X, y, 6)
    if name == "breast-cancer":
        X, y = sk.load_breast_cancer(return_X_y=True)
        return _split(_standardised(X), y, 7)
    if name == "diabetes":
        X, y = sk.load_diabetes(return_X_y=True)
        return _split(X, y, 8)
    if name == "regression":
        X, y = sk.make_regression(n_samples=200, n_features=5, noise=10.0, bias=4.0, random_state=3)
        return _split(_standardised(X), y, 9)
    if name == "grid-3":
        # Small whole numbers: many rows at exactly the same distance, so ties for the k-th
        # place and tied votes are everywhere.
        rng = np.random.default_rng(13)
        X = rng.integers(0, 4, size=(200, 3))
        y = rng.integers(0, 3, size=200)
        return _split(X, y, 10, test=0.3)
    if name == "edge-high":
        # One training row of class 1, the one with the largest value of feature 1 (and not
        # extreme in another feature): the best question is the last cut of that feature.
        rng = np.random.default_rng(17)
        X_train, X_test = rng.normal(size=(60, 3)), rng.normal(size=(40, 3))
        top = int(np.argmax(X_train[:, 1]))
        y_train = (np.arange(60) == top).astype(int)
        second, first = np.sort(X_train[:, 1])[-2:]
        X_test[:6, 1] = second + np.linspace(0.2, 0.9, 6) * (first - second)
        y_test = (X_test[:, 1] > (first + second) / 2).astype(int)
        return {"X_train": X_train, "y_train": y_train, "X_test": X_test, "y_test": y_test}
    raise ValueError(f"no hidden dataset named {name!r}")


def sklearn_class(dotted: str) -> Any:
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _cases(stage: dict[str, Any]) -> list[Data]:
    """Each case's dataset, with the parameters both the learner's class and scikit-learn get."""
    cases = []
    for case in stage["cases"]:
        data = dataset(case["dataset"])
        data.update(name=case["dataset"], params=dict(case.get("params", {})))
        if "answers" in case:
            data["answers"] = case["answers"]
        cases.append(data)
    return cases


def fitted(stage: dict[str, Any], data: Data) -> Any:
    """scikit-learn's estimator for a stage, fitted on a dataset's training rows."""
    params = {**data["params"], **stage.get("sklearn_params", {})}
    model = sklearn_class(stage["sklearn"])(**params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. a ConvergenceWarning is not the learner's concern
        return model.fit(data["X_train"], data["y_train"])


# --- one function per kind of stage: the data, and what scikit-learn answers on it ----------


def classifier(stage: dict[str, Any]) -> list[Data]:
    cases = _cases(stage)
    for data in cases:
        model = fitted(stage, data)
        data["predicted"] = model.predict(data["X_test"])
        data["proba"] = model.predict_proba(data["X_test"])
        if data.get("answers") == "stated-rule":
            _knn_stated_rule(data, model)
        data["accuracy"] = float(np.mean(data["predicted"] == data["y_test"]))
    return cases


def _knn_stated_rule(data: Data, model: Any) -> None:
    """The kNN answers by the skeleton's tie rules, where scikit-learn leaves a tie for the
    k-th place to its search order: the earlier training row, then the first class.

    Everywhere scikit-learn's answer is defined (no such tie) the two must agree, which keeps
    the rule honest; the differing rows are the ones the case is there to test.
    """
    k = int(data["params"]["n_neighbors"])
    X, train, labels = data["X_test"], data["X_train"], data["y_train"]
    distances = np.sqrt(((X[:, None, :] - train[None, :, :]) ** 2).sum(axis=2))
    order = np.argsort(distances, axis=1, kind="stable")
    ranked = np.take_along_axis(distances, order, axis=1)
    classes = np.unique(labels)
    proba = (labels[order[:, :k]][:, :, None] == classes[None, None, :]).mean(axis=1)
    predicted = classes[np.argmax(proba, axis=1)]
    defined = ranked[:, k - 1] < ranked[:, k]
    if not (
        np.array_equal(predicted[defined], data["predicted"][defined])
        and np.allclose(proba[defined], data["proba"][defined], rtol=0.0, atol=1e-12)
    ):
        raise AssertionError(f"the stated kNN rule disagrees with scikit-learn on {data['name']}")
    data.update(predicted=predicted, proba=proba, source="the skeleton's tie rules give")


def regressor(stage: dict[str, Any]) -> list[Data]:
    cases = _cases(stage)
    for data in cases:
        model = fitted(stage, data)
        data["coef"] = np.asarray(model.coef_, dtype=np.float64).ravel()
        data["intercept"] = float(np.ravel(model.intercept_)[0])
        data["predicted"] = model.predict(data["X_test"])
        data["r2"] = float(model.score(data["X_test"], data["y_test"]))
    return cases


# Five points whose k-means++ draws are tabulated exactly; far enough apart that uniform
# seeding, seeding proportional to the distance (not its square) or to the last centre's
# distance only, and always taking the farthest row all give clearly other frequencies.
SEEDING_POINTS = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0], [3.0, 1.0], [5.0, 4.0]])
SEEDING_RUNS = 1000
SEEDING_ALPHA = 1e-6  # the chance that a correct seeding fails the test


def seeding_probabilities(points: Any, k: int, rule: str = "squared") -> Any:
    """The probability of each ordered choice of k rows (flattened, n**k cells) when the first
    is uniform and each next one is drawn with a weight given by `rule`: "squared" (k-means++:
    the squared distance to the nearest centre so far), "distance" (not squared), "last" (the
    squared distance to the last centre only), "uniform" or "farthest"."""
    n = len(points)
    d2 = ((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2)
    cells = np.zeros((n,) * k)
    for chosen in permutations(range(n), k):
        p = 1.0 / n
        for step in range(1, k):
            nearest = d2[list(chosen[:step])].min(axis=0)
            weight = {
                "squared": nearest,
                "distance": np.sqrt(nearest),
                "last": np.where(nearest > 0, d2[chosen[step - 1]], 0.0),
                "uniform": (nearest > 0).astype(float),
                "farthest": (nearest == nearest.max()).astype(float),
            }[rule]
            p *= weight[chosen[step]] / weight.sum()
        cells[chosen] = p
    return cells.ravel()


def _seeding_case(k: int) -> Data:
    from scipy.stats import chi2  # type: ignore[import-untyped]

    expected = seeding_probabilities(SEEDING_POINTS, k) * SEEDING_RUNS
    kept = expected >= 5  # the rest are pooled into one cell, as a chi-square test wants
    return {
        "name": "seeding-draws",
        "points": SEEDING_POINTS,
        "n_clusters": k,
        "runs": SEEDING_RUNS,
        "expected": expected,
        "kept": kept,
        "critical": float(chi2.isf(SEEDING_ALPHA, int(kept.sum()))),
        "alternatives": {
            rule: seeding_probabilities(SEEDING_POINTS, k, rule)
            for rule in ("squared", "distance", "last", "uniform", "farthest")
        },
    }


def clusters(stage: dict[str, Any]) -> list[Data]:
    """k-means from given starting centres (the first rows of each cluster's own region); for
    the learner's own seeding, first a test of how its seeds are drawn."""
    from sklearn.cluster import KMeans

    cases = _cases(stage)
    draws = [_seeding_case(int(stage["n_clusters"]))] if stage.get("seeding_test") else []
    for data in cases:
        k = int(stage["n_clusters"])
        X = data["X_train"]
        if stage.get("given_init", True):
            init = X[np.random.default_rng(31).choice(len(X), size=k, replace=False)]
            params: dict[str, Any] = {"init": init, "n_init": 1}
        else:
            init = None
            params = {"init": "k-means++", "n_init": 1, "random_state": 0}
        tol = float(data["params"].get("tol", 1e-4))
        model = KMeans(n_clusters=k, algorithm="lloyd", max_iter=300, tol=tol, **params).fit(X)
        data.update(
            init=init,
            labels=model.labels_,
            centres=model.cluster_centers_,
            inertia=float(model.inertia_),
            predicted=model.predict(data["X_test"]),
        )
    return draws + cases


def components(stage: dict[str, Any]) -> list[Data]:
    from sklearn.decomposition import PCA

    cases = _cases(stage)
    for data in cases:
        model = PCA(n_components=int(stage["n_components"])).fit(data["X_train"])
        data.update(
            components=model.components_,
            variance=model.explained_variance_,
            ratio=model.explained_variance_ratio_,
            transformed=model.transform(data["X_test"]),
        )
    return cases


def impurity(stage: dict[str, Any]) -> list[Data]:
    """Gini impurity of label sets, read from the root of scikit-learn's tree on each."""
    from sklearn.tree import DecisionTreeClassifier

    rng = np.random.default_rng(41)
    label_sets: list[Any] = [
        np.array([0, 0, 1, 1]),
        np.array(["a", "a", "a"]),
        np.array([2, 0, 1, 2, 2, 1, 0, 2]),
        np.array(["yes", "no", "no", "no", "no"]),
        rng.integers(0, 4, size=57),
        rng.choice(np.array(["x", "y"]), size=31, p=[0.9, 0.1]),
    ]
    cases = []
    for labels in label_sets:
        tree = DecisionTreeClassifier(max_depth=1).fit(np.zeros((len(labels), 1)), labels)
        cases.append({"labels": labels, "gini": float(tree.tree_.impurity[0])})
    return cases


def split(stage: dict[str, Any]) -> list[Data]:
    """The root question of scikit-learn's depth-1 tree on each dataset's training rows."""
    from sklearn.tree import DecisionTreeClassifier

    cases = _cases(stage)
    for data in cases:
        stump = DecisionTreeClassifier(max_depth=1, random_state=0)
        stump.fit(data["X_train"], data["y_train"])
        feature = int(stump.tree_.feature[0])
        threshold = float(stump.tree_.threshold[0])
        X32 = data["X_train"].astype(np.float32)
        data.update(
            feature=feature,
            threshold=threshold,
            left=X32[:, feature] <= np.float32(threshold),
            decrease=float(
                stump.tree_.impurity[0]
                - (
                    stump.tree_.n_node_samples[1] * stump.tree_.impurity[1]
                    + stump.tree_.n_node_samples[2] * stump.tree_.impurity[2]
                )
                / stump.tree_.n_node_samples[0]
            ),
        )
    return cases


def _mlp_case(seed: int, hidden: int) -> Data:
    data = dataset("classes-3")
    X, y = data["X_train"][:60], data["y_train"][:60]
    rng = np.random.default_rng(seed)
    sizes = [X.shape[1], hidden, 3]
    coefs = [rng.normal(0, 0.5, size=(a, b)) for a, b in pairwise(sizes)]
    intercepts = [rng.normal(0, 0.5, size=b) for b in sizes[1:]]
    return {"X": X, "y": y, "coefs": coefs, "intercepts": intercepts}


def gradients(stage: dict[str, Any]) -> list[Data]:
    """Small networks with fixed weights; the judge differentiates the loss numerically."""
    return [_mlp_case(seed, hidden) for seed, hidden in ((1, 4), (2, 7))]


def sgd_step(stage: dict[str, Any]) -> list[Data]:
    """scikit-learn's MLPClassifier after one full-batch SGD step (no momentum, no penalty)
    from the same weights."""
    from sklearn.neural_network import MLPClassifier

    cases = []
    rate = float(stage["learning_rate"])
    for seed, hidden in ((3, 5), (4, 8)):
        case = _mlp_case(seed, hidden)
        net = MLPClassifier(
            hidden_layer_sizes=(hidden,),
            activation="relu",
            solver="sgd",
            learning_rate_init=rate,
            momentum=0.0,
            nesterovs_momentum=False,
            alpha=0.0,
            batch_size=len(case["X"]),
            max_iter=1,
            shuffle=False,
            warm_start=True,
            random_state=0,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            net.fit(case["X"], case["y"])  # sets up the layers; its own weights are replaced
            net.coefs_ = [w.copy() for w in case["coefs"]]
            net.intercepts_ = [b.copy() for b in case["intercepts"]]
            net.fit(case["X"], case["y"])  # warm start: one epoch = one full-batch step
        case.update(learning_rate=rate, after_coefs=net.coefs_, after_intercepts=net.intercepts_)
        cases.append(case)
    return cases


PREPARE = {
    "classifier": classifier,
    "regressor": regressor,
    "clusters": clusters,
    "components": components,
    "impurity": impurity,
    "split": split,
    "gradients": gradients,
    "sgd_step": sgd_step,
}
