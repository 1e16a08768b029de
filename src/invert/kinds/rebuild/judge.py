"""Compare the learner's class with scikit-learn's answers, and say in words what differs.

Runs only in the check's child process, after scikit-learn has been blocked: every reference is
an array computed beforehand (reference.py). One function per kind of stage; each returns
(passed, observed), where `observed` names the first thing that differs and by how much.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable
from typing import Any

import numpy as np

from invert.kinds.rebuild.reference import Data

Outcome = tuple[bool, str]


class Mismatch(Exception):
    """The learner's output differs from scikit-learn's; the message says where and by how much."""


def _fmt(value: Any) -> str:
    if isinstance(value, float | np.floating):
        return f"{float(value):.6g}"
    if isinstance(value, np.generic):
        return repr(value.item())
    return repr(value)


def learner_class(module: types.ModuleType, name: str) -> type:
    """The class the skeleton asks for, refusing one built on scikit-learn."""
    found = getattr(module, name, None)
    if not inspect.isclass(found):
        raise Mismatch(f"the file defines no class `{name}` (the skeleton's name must be kept)")
    for base in found.__mro__:
        if base.__module__.split(".")[0] == "sklearn":
            raise Mismatch(
                f"`{name}` is built on scikit-learn's {base.__name__}; write it yourself"
            )
    return found


def learner_function(module: types.ModuleType, name: str) -> Callable[..., Any]:
    found = getattr(module, name, None)
    if not callable(found):
        raise Mismatch(f"the file defines no function `{name}` (the skeleton's name must be kept)")
    return found  # type: ignore[no-any-return]


def _no_sklearn_inside(model: Any, name: str) -> None:
    """A fitted model must not hold a scikit-learn object (a wrapped estimator)."""
    for attribute, value in vars(model).items():
        if type(value).__module__.split(".")[0] == "sklearn":
            raise Mismatch(
                f"`{name}.{attribute}` is scikit-learn's {type(value).__name__}: "
                "a rebuild may not wrap the library's estimator"
            )


def _array(value: Any, what: str, shape: tuple[int, ...] | None = None) -> Any:
    try:
        array = np.asarray(value)
    except Exception as exc:  # a ragged list, an object that is not an array
        raise Mismatch(f"{what} is not an array ({type(exc).__name__}: {exc})") from None
    if shape is not None and array.shape != shape:
        raise Mismatch(f"{what} has shape {array.shape}; scikit-learn's has shape {shape}")
    return array


def _fit(cls: type, params: dict[str, Any], X: Any, y: Any | None) -> Any:
    model = cls(**params)
    returned = model.fit(X, y) if y is not None else model.fit(X)
    if returned is not model:
        raise Mismatch(f"`{cls.__name__}.fit` must return self, as every estimator does")
    _no_sklearn_inside(model, cls.__name__)
    return model


def _close(
    what: str, mine: Any, theirs: Any, atol: float, rtol: float = 0.0, index: str = "row"
) -> float:
    """The largest difference; a Mismatch naming the first entry beyond the tolerance."""
    mine = _array(mine, what, np.shape(theirs)).astype(np.float64)
    gap = np.abs(mine - theirs)
    allowed = atol + rtol * np.abs(theirs)
    if not np.all(np.isfinite(mine)):
        first = np.argwhere(~np.isfinite(mine))[0]
        raise Mismatch(f"{what} has a non-finite value at {index} {_where(first)}")
    over = np.argwhere(gap > allowed)
    if len(over):
        at = tuple(over[0])
        relative = f" + {rtol:g} x |value|" if rtol else ""
        raise Mismatch(
            f"{what} differs at {len(over)} of {gap.size} entries; the first, {index} "
            f"{_where(over[0])}, is {_fmt(mine[at])} where scikit-learn has {_fmt(theirs[at])} "
            f"(off by {_fmt(gap[at])}, tolerance {atol:g}{relative})"
        )
    return float(gap.max()) if gap.size else 0.0


def _where(position: Any) -> str:
    values = [int(p) for p in position]
    return str(values[0]) if len(values) == 1 else str(tuple(values))


def _params(stage: dict[str, Any], case: dict[str, Any]) -> dict[str, Any]:
    return {**case.get("params", {}), **stage.get("learner_params", {})}


# --- the kinds of stage ------------------------------------------------------------------------


def classifier(stage: dict[str, Any], cases: list[Data], module: types.ModuleType) -> Outcome:
    """The same predictions (exactly); probabilities within `proba_atol` (or a metric tolerance)."""
    cls = learner_class(module, stage["class"])
    exact = stage.get("exact", True)
    atol = float(stage.get("proba_atol", 1e-9))
    accuracy_tol = float(stage.get("accuracy_tol", 0.0))
    rows = []
    for case in cases:
        model = _fit(cls, _params(stage, case), case["X_train"], case["y_train"])
        predicted = _array(model.predict(case["X_test"]), "predict(X)", case["predicted"].shape)
        differ = np.flatnonzero(predicted != case["predicted"])
        where = f"on the {case['name']} data"
        if exact and len(differ):
            row = int(differ[0])
            explain = _EXPLAIN.get(stage.get("explain", ""), _explain_plain)
            raise Mismatch(
                f"predictions differ on {len(differ)} of {len(predicted)} rows {where}; "
                f"the first differing row (row {row}): you predict {_fmt(predicted[row])}, "
                f"scikit-learn {_fmt(case['predicted'][row])}{explain(stage, case, model, row)}"
            )
        if not exact:
            accuracy = float(np.mean(predicted == case["y_test"]))
            if abs(accuracy - case["accuracy"]) > accuracy_tol:
                raise Mismatch(
                    f"test accuracy {where} is {accuracy:.3f}, scikit-learn's "
                    f"{case['accuracy']:.3f}: further apart than the tolerance {accuracy_tol:g}"
                )
        if "proba_atol" in stage:
            proba = model.predict_proba(case["X_test"])
            _close(f"predict_proba(X) {where}", proba, case["proba"], atol)
        rows.append(f"{len(predicted)} rows of {case['name']}")
    same = "the same predictions as" if exact else f"test accuracy within {accuracy_tol:g} of"
    proba = f", probabilities within {atol:g}" if "proba_atol" in stage else ""
    return True, f"{same} scikit-learn's on {', '.join(rows)}{proba}"


def _explain_plain(stage: dict[str, Any], case: Data, model: Any, row: int) -> str:
    return ""


def _explain_knn(stage: dict[str, Any], case: Data, model: Any, row: int) -> str:
    """Why row `row` is delicate: a tie at the k-th neighbour, a tied vote, or neither."""
    k = int(_params(stage, case)["n_neighbors"])
    distances = np.sqrt(np.sum((case["X_train"] - case["X_test"][row]) ** 2, axis=1))
    order = np.argsort(distances, kind="stable")
    kth, after = distances[order[k - 1]], distances[order[k]]
    if np.isclose(kth, after, rtol=1e-12, atol=0.0):
        return f"; that row has a tie between two neighbours at distance {kth:.3g}"
    labels, votes = np.unique(case["y_train"][order[:k]], return_counts=True)
    top = labels[votes == votes.max()]
    count = ", ".join(f"{n} for {_fmt(lab)}" for lab, n in zip(labels, votes, strict=True))
    if len(top) > 1:
        return (
            f"; its {k} nearest neighbours tie in the vote ({count}): scikit-learn takes the "
            f"class that comes first in classes_, {_fmt(top[0])}"
        )
    return f"; its {k} nearest neighbours vote {count} (distances up to {kth:.3g})"


_EXPLAIN: dict[str, Callable[[dict[str, Any], Data, Any, int], str]] = {"knn": _explain_knn}


def regressor(stage: dict[str, Any], cases: list[Data], module: types.ModuleType) -> Outcome:
    """coef_, intercept_ and predictions within `atol` + `rtol` x |value| of scikit-learn's."""
    cls = learner_class(module, stage["class"])
    atol, rtol = float(stage.get("atol", 1e-8)), float(stage.get("rtol", 1e-8))
    r2_tol = stage.get("r2_tol")
    largest = 0.0
    for case in cases:
        model = _fit(cls, _params(stage, case), case["X_train"], case["y_train"])
        where = f"on the {case['name']} data"
        coef = np.ravel(_array(getattr(model, "coef_", None), "coef_"))
        largest = max(largest, _close(f"coef_ {where}", coef, case["coef"], atol, rtol, "index"))
        intercept = np.ravel(_array(getattr(model, "intercept_", None), "intercept_"))[:1]
        _close(f"intercept_ {where}", intercept, np.array([case["intercept"]]), atol, rtol, "index")
        predicted = model.predict(case["X_test"])
        _close(f"predict(X) {where}", predicted, case["predicted"], atol, rtol)
        if r2_tol is not None:
            truth = case["y_test"]
            r2 = 1 - np.sum((truth - predicted) ** 2) / np.sum((truth - truth.mean()) ** 2)
            if abs(r2 - case["r2"]) > float(r2_tol):
                raise Mismatch(f"test R² {where} is {r2:.4f}; scikit-learn's is {case['r2']:.4f}")
    names = ", ".join(c["name"] for c in cases)
    return True, (
        f"coef_, intercept_ and predictions match scikit-learn on {names} "
        f"(largest difference {largest:.2g}; tolerance {atol:g} + {rtol:g} x |value|)"
    )


def clusters(stage: dict[str, Any], cases: list[Data], module: types.ModuleType) -> Outcome:
    """From given centres: the same labels, centres within `atol`. Seeded by the learner: an
    inertia within `inertia_rtol` of scikit-learn's and the same grouping up to renaming."""
    cls = learner_class(module, stage["class"])
    atol = float(stage.get("atol", 1e-8))
    lines = []
    for case in cases:
        params = {**_params(stage, case), "n_clusters": int(stage["n_clusters"])}
        if case["init"] is not None:
            params["init"] = case["init"].copy()
            model = _fit(cls, params, case["X_train"], None)
        else:  # the learner's own seeding: the best of a few seeds, as n_init does
            runs = [
                _fit(cls, {**params, "random_state": seed}, case["X_train"], None)
                for seed in range(int(stage.get("seeds", 1)))
            ]
            model = min(runs, key=lambda run: float(getattr(run, "inertia_", np.inf)))
        labels = _array(getattr(model, "labels_", None), "labels_", case["labels"].shape)
        where = f"on the {case['name']} data"
        if case["init"] is None:
            inertia = float(getattr(model, "inertia_", np.nan))
            rtol = float(stage["inertia_rtol"])
            if not abs(inertia - case["inertia"]) <= rtol * case["inertia"]:
                raise Mismatch(
                    f"inertia_ {where} is {inertia:.6g}; scikit-learn's is "
                    f"{case['inertia']:.6g} (tolerance {rtol:.0%})"
                )
            pairs = {(int(a), int(b)) for a, b in zip(labels, case["labels"], strict=True)}
            if len(pairs) != len(set(case["labels"].tolist())):
                raise Mismatch(
                    f"the clusters {where} group the rows differently from scikit-learn's, even "
                    f"allowing for the clusters to be numbered differently"
                )
            lines.append(f"inertia within {rtol:.0%} and the same groups on {case['name']}")
            continue
        differ = np.flatnonzero(labels != case["labels"])
        if len(differ):
            row = int(differ[0])
            raise Mismatch(
                f"labels_ differ on {len(differ)} of {len(labels)} rows {where}; the first "
                f"(row {row}) is in cluster {labels[row]}, scikit-learn puts it in "
                f"{case['labels'][row]}"
            )
        centres = getattr(model, "cluster_centers_", None)
        _close(f"cluster_centers_ {where}", centres, case["centres"], atol, 0.0, "centre, feature")
        _close(
            f"inertia_ {where}",
            np.array([getattr(model, "inertia_", np.nan)]),
            np.array([case["inertia"]]),
            atol,
            1e-9,
        )
        predicted = _array(model.predict(case["X_test"]), "predict(X)", case["predicted"].shape)
        if not np.array_equal(predicted, case["predicted"]):
            raise Mismatch(f"predict(X) {where} assigns new rows differently from scikit-learn")
        lines.append(f"the same labels and centres on {case['name']}")
    return True, "; ".join(lines)


def components(stage: dict[str, Any], cases: list[Data], module: types.ModuleType) -> Outcome:
    """The same components up to each one's sign, the same variances and coordinates."""
    cls = learner_class(module, stage["class"])
    atol = float(stage.get("atol", 1e-8))
    for case in cases:
        k = int(stage["n_components"])
        model = _fit(cls, {"n_components": k}, case["X_train"], None)
        where = f"on the {case['name']} data"
        mine = _array(getattr(model, "components_", None), "components_", case["components"].shape)
        # An eigenvector's sign is arbitrary: turn each to point the way scikit-learn's does.
        signs = np.where(np.sum(mine * case["components"], axis=1) < 0, -1.0, 1.0)
        _close(
            f"components_ {where} (after matching each one's sign)",
            mine * signs[:, None],
            case["components"],
            atol,
            0.0,
            "component, feature",
        )
        variance = getattr(model, "explained_variance_", None)
        _close(f"explained_variance_ {where}", variance, case["variance"], atol, 1e-9, "component")
        ratio = getattr(model, "explained_variance_ratio_", None)
        _close(f"explained_variance_ratio_ {where}", ratio, case["ratio"], atol, 1e-9, "component")
        transformed = _array(model.transform(case["X_test"]), "transform(X)")
        _close(
            f"transform(X) {where} (after matching signs)",
            transformed * signs[None, :] if transformed.ndim == 2 else transformed,
            case["transformed"],
            atol,
            1e-9,
            "row, component",
        )
    names = ", ".join(c["name"] for c in cases)
    return True, f"components (up to sign), variances and coordinates match on {names}"


def impurity(stage: dict[str, Any], cases: list[Data], module: types.ModuleType) -> Outcome:
    gini = learner_function(module, "gini")
    for case in cases:
        labels = case["labels"]
        value = gini(labels.copy())
        if not isinstance(value, int | float | np.floating) or not np.isclose(
            float(value), case["gini"], rtol=0.0, atol=1e-12
        ):
            shown = labels.tolist() if len(labels) <= 8 else f"{len(labels)} labels"
            raise Mismatch(
                f"gini({shown}) is {_fmt(value)}; scikit-learn's tree gives {case['gini']:.6g}"
            )
    return True, f"gini matches scikit-learn's impurity on {len(cases)} sets of labels"


def split(stage: dict[str, Any], cases: list[Data], module: types.ModuleType) -> Outcome:
    best_split = learner_function(module, "best_split")
    for case in cases:
        answer = best_split(case["X_train"].copy(), case["y_train"].copy())
        where = f"on the {case['name']} data"
        try:
            feature, threshold = int(answer[0]), float(answer[1])
        except (TypeError, ValueError, IndexError):
            raise Mismatch(
                f"best_split returned {answer!r} {where}; expected (feature, threshold)"
            ) from None
        if feature != case["feature"]:
            raise Mismatch(
                f"best_split {where} asks about feature {feature}; scikit-learn's root asks "
                f"about feature {case['feature']} (X[:, {case['feature']}] <= "
                f"{case['threshold']:.4g}, lowering the Gini impurity by {case['decrease']:.4f})"
            )
        left = case["X_train"][:, feature] <= threshold
        moved = np.flatnonzero(left != case["left"])
        if len(moved):
            raise Mismatch(
                f"best_split {where} cuts feature {feature} at {threshold:.6g}; scikit-learn cuts "
                f"at {case['threshold']:.6g}, so {len(moved)} training rows go to the other side"
            )
    return True, f"the same first question as scikit-learn's tree on {len(cases)} datasets"


# --- the MLP's backward pass -------------------------------------------------------------------


def _network(stage: dict[str, Any], module: types.ModuleType, case: Data) -> Any:
    cls = learner_class(module, stage["class"])
    net = cls(hidden_layer_sizes=(len(case["intercepts"][0]),))
    net.classes_ = np.unique(case["y"])
    net.coefs_ = [w.copy() for w in case["coefs"]]
    net.intercepts_ = [b.copy() for b in case["intercepts"]]
    return net


def _one_hot(case: Data) -> Any:
    classes = np.unique(case["y"])
    return np.eye(len(classes))[np.searchsorted(classes, case["y"])]


def _cross_entropy(case: Data, coefs: list[Any], intercepts: list[Any]) -> float:
    """The loss the backward pass differentiates, computed here independently of the learner."""
    A = case["X"]
    for layer, (W, b) in enumerate(zip(coefs, intercepts, strict=True)):
        Z = A @ W + b
        if layer < len(coefs) - 1:
            A = np.maximum(Z, 0.0)
        else:
            Z = Z - Z.max(axis=1, keepdims=True)
            A = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    return float(-np.sum(_one_hot(case) * np.log(A)) / len(A))


def _backward(stage: dict[str, Any], module: types.ModuleType, case: Data) -> tuple[Any, Any]:
    net = _network(stage, module, case)
    grads = net.backward(net.forward(case["X"]), _one_hot(case))
    try:
        coef_grads, intercept_grads = grads
    except (TypeError, ValueError):
        raise Mismatch("backward must return (coef_grads, intercept_grads)") from None
    if len(coef_grads) != len(case["coefs"]) or len(intercept_grads) != len(case["coefs"]):
        raise Mismatch(
            f"backward returned {len(coef_grads)} weight and {len(intercept_grads)} bias "
            f"gradients; the network has {len(case['coefs'])} layers"
        )
    return coef_grads, intercept_grads


def gradients(stage: dict[str, Any], cases: list[Data], module: types.ModuleType) -> Outcome:
    """Each gradient entry against a central finite difference of the loss (step 1e-6)."""
    atol = float(stage.get("atol", 1e-6))
    step = 1e-6
    checked = 0
    for number, case in enumerate(cases, 1):
        coef_grads, intercept_grads = _backward(stage, module, case)
        for kind, mine_all in (("coef_grads", coef_grads), ("intercept_grads", intercept_grads)):
            for layer, mine in enumerate(mine_all):
                params = case["coefs"] if kind == "coef_grads" else case["intercepts"]
                numeric = np.zeros_like(params[layer])
                for index in np.ndindex(params[layer].shape):
                    values = {}
                    for sign in (1.0, -1.0):
                        coefs = [w.copy() for w in case["coefs"]]
                        intercepts = [b.copy() for b in case["intercepts"]]
                        (coefs if kind == "coef_grads" else intercepts)[layer][index] += sign * step
                        values[sign] = _cross_entropy(case, coefs, intercepts)
                    numeric[index] = (values[1.0] - values[-1.0]) / (2 * step)
                what = f"{kind}[{layer}] of network {number}"
                mine = _array(mine, what, numeric.shape)
                gap = np.abs(mine - numeric)
                if np.any(~(gap <= atol)):
                    at = tuple(np.argwhere(~(gap <= atol))[0])
                    ratio = mine[at] / numeric[at] if numeric[at] else np.inf
                    hint = f" (yours is {ratio:.3g} times as large)" if np.isfinite(ratio) else ""
                    raise Mismatch(
                        f"{what}{list(at)} is {_fmt(mine[at])}; nudging that weight shows the "
                        f"loss changes at {_fmt(numeric[at])} per unit{hint}"
                    )
                checked += numeric.size
    return True, (
        f"all {checked} gradient entries agree with finite differences of the loss "
        f"(within {atol:g})"
    )


def sgd_step(stage: dict[str, Any], cases: list[Data], module: types.ModuleType) -> Outcome:
    """One step W - rate x gradient equals scikit-learn's MLPClassifier's first SGD step."""
    atol = float(stage.get("atol", 1e-10))
    for number, case in enumerate(cases, 1):
        coef_grads, intercept_grads = _backward(stage, module, case)
        rate = case["learning_rate"]
        for kind, before, grads, after in (
            ("coefs_", case["coefs"], coef_grads, case["after_coefs"]),
            ("intercepts_", case["intercepts"], intercept_grads, case["after_intercepts"]),
        ):
            for layer, (w, g, theirs) in enumerate(zip(before, grads, after, strict=True)):
                mine = w - rate * _array(g, f"gradient of {kind}[{layer}]", w.shape)
                _close(
                    f"{kind}[{layer}] after one step in network {number}",
                    mine,
                    theirs,
                    atol,
                    0.0,
                    "entry",
                )
    return True, (
        f"one step of gradient descent lands on scikit-learn's MLPClassifier weights "
        f"(full batch, no momentum, no penalty; within {atol:g}) in {len(cases)} networks"
    )


JUDGES: dict[str, Callable[[dict[str, Any], list[Data], types.ModuleType], Outcome]] = {
    "classifier": classifier,
    "regressor": regressor,
    "clusters": clusters,
    "components": components,
    "impurity": impurity,
    "split": split,
    "gradients": gradients,
    "sgd_step": sgd_step,
}
