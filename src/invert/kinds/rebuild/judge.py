"""Compare the learner's class with scikit-learn's answers, and say in words what differs.

Runs only in the check's child process, after scikit-learn has been blocked: every reference is
an array computed beforehand (reference.py). One function per kind of stage; each returns
(passed, observed), where `observed` names the first thing that differs and by how much.

A failing stage raises `Mismatch`, which also carries the case it failed on, the learner's
outputs on that case and, where a judge can tell, a diagnostic `signature` (e.g. "the
predictions differ only on tied votes"): the matcher (matcher.py) compares them with what the
known wrong files give, to name the learner's misconception.
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
    """The learner's output differs from scikit-learn's; the message says where and by how much.

    `case` is the position of the failing case in the stage's cases, `outputs` what the learner's
    code gave on it (name -> array), `signature` a diagnosis of the difference, when one is known.
    """

    def __init__(
        self,
        message: str,
        *,
        case: int | None = None,
        outputs: dict[str, Any] | None = None,
        signature: str | None = None,
    ) -> None:
        super().__init__(message)
        self.case, self.outputs, self.signature = case, outputs, signature


class Observed:
    """What the learner's code gave on the case being judged, attached to a Mismatch raised
    while judging it (`with Observed(number) as seen: ... seen["coef"] = coef`)."""

    def __init__(self, case: int) -> None:
        self.case = case
        self.outputs: dict[str, Any] = {}
        self.signature: str | None = None

    def __setitem__(self, name: str, value: Any) -> None:
        self.outputs[name] = value

    def __enter__(self) -> Observed:
        return self

    def __exit__(self, kind: Any, exc: BaseException | None, trace: Any) -> None:
        if isinstance(exc, Mismatch):
            if exc.case is None:
                exc.case = self.case
            if exc.outputs is None:
                exc.outputs = dict(self.outputs)
            if exc.signature is None:
                exc.signature = self.signature


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
    for number, case in enumerate(cases):
        with Observed(number) as seen:
            _classifier_case(stage, case, cls, seen, exact, atol, accuracy_tol)
        given = ", ".join(f"{k}={v}" for k, v in case.get("params", {}).items())
        if case.get("answers") == "stated-rule":
            given += ", ties by the skeleton's rules"
        rows.append(
            f"{len(case['predicted'])} rows of {case['name']}" + (f" ({given})" if given else "")
        )
    same = "the same predictions as" if exact else f"test accuracy within {accuracy_tol:g} of"
    proba = f", probabilities within {atol:g}" if "proba_atol" in stage else ""
    return True, f"{same} scikit-learn's on {', '.join(rows)}{proba}"


def _classifier_case(
    stage: dict[str, Any],
    case: Data,
    cls: type,
    seen: Observed,
    exact: bool,
    atol: float,
    accuracy_tol: float,
) -> None:
    model = _fit(cls, _params(stage, case), case["X_train"], case["y_train"])
    predicted = _array(model.predict(case["X_test"]), "predict(X)", case["predicted"].shape)
    seen["predicted"] = predicted
    proba = None
    if "proba_atol" in stage:
        proba = _array(model.predict_proba(case["X_test"]), "predict_proba(X)")
        seen["proba"] = proba
    differ = np.flatnonzero(predicted != case["predicted"])
    where = f"on the {case['name']} data"
    kind = stage.get("explain", "")
    if kind in _SIGNATURES and (len(differ) or proba is not None):
        seen.signature = _SIGNATURES[kind](stage, case, predicted, proba)
    if exact and len(differ):
        row = int(differ[0])
        explain = _EXPLAIN.get(kind, _explain_plain)
        raise Mismatch(
            f"predictions differ on {len(differ)} of {len(predicted)} rows {where}; "
            f"the first differing row (row {row}): you predict {_fmt(predicted[row])}, "
            f"{case.get('source', 'scikit-learn')} {_fmt(case['predicted'][row])}"
            f"{explain(stage, case, model, row)}"
        )
    if not exact:
        accuracy = float(np.mean(predicted == case["y_test"]))
        if abs(accuracy - case["accuracy"]) > accuracy_tol:
            raise Mismatch(
                f"test accuracy {where} is {accuracy:.3f}, scikit-learn's "
                f"{case['accuracy']:.3f}: further apart than the tolerance {accuracy_tol:g}"
            )
    if proba is not None:
        _close(f"predict_proba(X) {where}", proba, case["proba"], atol)


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


def _knn_votes(stage: dict[str, Any], case: Data) -> tuple[Any, Any, Any]:
    """For every test row: whether the k-th and (k+1)-th distances tie, the stated rule's
    class shares, and whether its top vote is tied."""
    k = int(_params(stage, case)["n_neighbors"])
    X, train = case["X_test"], case["X_train"]
    distances = np.sqrt(((X[:, None, :] - train[None, :, :]) ** 2).sum(axis=2))
    order = np.argsort(distances, axis=1, kind="stable")
    ranked = np.take_along_axis(distances, order, axis=1)
    distance_tie = ranked[:, k - 1] == ranked[:, k]
    classes = np.unique(case["y_train"])
    votes = (case["y_train"][order[:, :k]][:, :, None] == classes[None, None, :]).mean(axis=1)
    vote_tie = (votes == votes.max(axis=1, keepdims=True)).sum(axis=1) > 1
    return distance_tie, votes, vote_tie


def _signature_knn(stage: dict[str, Any], case: Data, predicted: Any, proba: Any) -> str | None:
    """ "vote-ties" when only tied votes are settled differently (the shares are right);
    "distance-ties" when every difference is in a row with a tie for the k-th place."""
    distance_tie, votes, vote_tie = _knn_votes(stage, case)
    differ = predicted != case["predicted"]
    if proba is not None and np.shape(proba) == np.shape(votes):
        differ |= ~np.isclose(proba, votes, rtol=0.0, atol=1e-12).all(axis=1)
        shares_right = np.isclose(proba, votes, rtol=0.0, atol=1e-12).all()
    else:
        shares_right = False
    if not differ.any():
        return None
    if shares_right and vote_tie[differ].all():
        return "vote-ties"
    if distance_tie[differ].all():
        return "distance-ties"
    return None


_EXPLAIN: dict[str, Callable[[dict[str, Any], Data, Any, int], str]] = {"knn": _explain_knn}
_SIGNATURES: dict[str, Callable[[dict[str, Any], Data, Any, Any], str | None]] = {
    "knn": _signature_knn
}


def regressor(stage: dict[str, Any], cases: list[Data], module: types.ModuleType) -> Outcome:
    """coef_, intercept_ and predictions within `atol` + `rtol` x |value| of scikit-learn's."""
    cls = learner_class(module, stage["class"])
    atol, rtol = float(stage.get("atol", 1e-8)), float(stage.get("rtol", 1e-8))
    r2_tol = stage.get("r2_tol")
    largest = 0.0
    for number, case in enumerate(cases):
        with Observed(number) as seen:
            model = _fit(cls, _params(stage, case), case["X_train"], case["y_train"])
            where = f"on the {case['name']} data"
            coef = np.ravel(_array(getattr(model, "coef_", None), "coef_"))
            intercept = np.ravel(_array(getattr(model, "intercept_", None), "intercept_"))[:1]
            predicted = _array(model.predict(case["X_test"]), "predict(X)")
            seen["coef"], seen["intercept"], seen["predicted"] = coef, intercept, predicted
            gap = _close(f"coef_ {where}", coef, case["coef"], atol, rtol, "index")
            largest = max(largest, gap)
            _close(
                f"intercept_ {where}", intercept, np.array([case["intercept"]]), atol, rtol, "index"
            )
            _close(f"predict(X) {where}", predicted, case["predicted"], atol, rtol)
            if r2_tol is not None:
                truth = case["y_test"]
                r2 = 1 - np.sum((truth - predicted) ** 2) / np.sum((truth - truth.mean()) ** 2)
                if abs(r2 - case["r2"]) > float(r2_tol):
                    raise Mismatch(
                        f"test R² {where} is {r2:.4f}; scikit-learn's is {case['r2']:.4f}"
                    )
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
    for number, case in enumerate(cases):
        if "points" in case:
            with Observed(number) as seen:
                lines.append(_seeding_draws(cls, case, seen))
            continue
        with Observed(number) as seen:
            lines.append(_clusters_case(stage, case, cls, seen, atol))
    return True, "; ".join(lines)


def _seeding_draws(cls: type, case: Data, seen: Observed) -> str:
    """The seeds over many random states, against k-means++'s exact distribution: a chi-square
    test that a correct seeding fails with probability 1e-6."""
    points, k, runs = case["points"], int(case["n_clusters"]), int(case["runs"])
    n = len(points)
    counts = np.zeros(n**k)
    for seed in range(runs):
        model = cls(n_clusters=k, init="k-means++", random_state=seed)
        starts = getattr(model, "_initial_centres", None)
        if starts is None:
            raise Mismatch("the class has no `_initial_centres` (the skeleton's name must be kept)")
        centres = _array(starts(points.copy()), "_initial_centres(X)", (k, points.shape[1]))
        rows = []
        for centre in centres:
            same = np.flatnonzero(np.all(points == centre, axis=1))
            if not len(same):
                raise Mismatch(
                    f"_initial_centres returned {np.round(centre, 4).tolist()}, which is not a "
                    "row of X: k-means++ seeds are rows of the data"
                )
            rows.append(int(same[0]))
        counts[np.ravel_multi_index(rows, (n,) * k)] += 1
    seen["counts"] = counts
    kept, expected = case["kept"], case["expected"]
    observed = np.append(counts[kept], counts[~kept].sum())
    wanted = np.append(expected[kept], expected[~kept].sum())
    statistic = float(np.sum((observed - wanted) ** 2 / wanted))
    if statistic > case["critical"]:
        smoothed = {
            rule: np.sum(counts * np.log(0.98 * q + 0.02 / len(q)))
            for rule, q in case["alternatives"].items()
        }
        seen.signature = f"seeding-{max(smoothed, key=lambda rule: smoothed[rule])}"
        raise Mismatch(
            f"over random_state 0 to {runs - 1} on {n} small points, your seeds are not drawn "
            "as k-means++ draws them (first centre uniform, each next row with probability "
            "proportional to its squared distance to the nearest centre so far): chi-square "
            f"{statistic:.0f}, where a correct seeding stays under {case['critical']:.0f} "
            f"but once in a million runs"
        )
    return f"seeds drawn as k-means++ draws them over {runs} random states"


def _clusters_case(
    stage: dict[str, Any], case: Data, cls: type, seen: Observed, atol: float
) -> str:
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
    seen["labels"] = labels
    seen["inertia"] = np.array([float(getattr(model, "inertia_", np.nan))])
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
        return f"inertia within {rtol:.0%} and the same groups on {case['name']}"
    seen["centres"] = _array(getattr(model, "cluster_centers_", None), "cluster_centers_")
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
    return f"the same labels and centres on {case['name']}"


def components(stage: dict[str, Any], cases: list[Data], module: types.ModuleType) -> Outcome:
    """The same components up to each one's sign, the same variances and coordinates."""
    cls = learner_class(module, stage["class"])
    atol = float(stage.get("atol", 1e-8))
    for number, case in enumerate(cases):
        with Observed(number) as seen:
            _components_case(stage, case, cls, seen, atol)
    names = ", ".join(c["name"] for c in cases)
    return True, f"components (up to sign), variances and coordinates match on {names}"


def _components_case(
    stage: dict[str, Any], case: Data, cls: type, seen: Observed, atol: float
) -> None:
    k = int(stage["n_components"])
    model = _fit(cls, {"n_components": k}, case["X_train"], None)
    where = f"on the {case['name']} data"
    mine = _array(getattr(model, "components_", None), "components_", case["components"].shape)
    # An eigenvector's sign is arbitrary: turn each to point the way scikit-learn's does.
    signs = np.where(np.sum(mine * case["components"], axis=1) < 0, -1.0, 1.0)
    seen["components"] = mine * signs[:, None]
    seen["variance"] = _array(getattr(model, "explained_variance_", None), "variance")
    seen["ratio"] = _array(getattr(model, "explained_variance_ratio_", None), "ratio")
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


def impurity(stage: dict[str, Any], cases: list[Data], module: types.ModuleType) -> Outcome:
    gini = learner_function(module, "gini")
    for number, case in enumerate(cases):
        labels = case["labels"]
        value = gini(labels.copy())
        if not isinstance(value, int | float | np.floating) or not np.isclose(
            float(value), case["gini"], rtol=0.0, atol=1e-12
        ):
            shown = labels.tolist() if len(labels) <= 8 else f"{len(labels)} labels"
            raise Mismatch(
                f"gini({shown}) is {_fmt(value)}; scikit-learn's tree gives {case['gini']:.6g}",
                case=number,
                outputs={"gini": np.asarray(value, dtype=float)},
                signature=_impurity_signature(labels, value),
            )
    return True, f"gini matches scikit-learn's impurity on {len(cases)} sets of labels"


def _impurity_signature(labels: Any, value: Any) -> str | None:
    """ "entropy" when the value is the labels' entropy, in bits or in nats."""
    _, counts = np.unique(labels, return_counts=True)
    p = counts / counts.sum()
    nats = float(-np.sum(p * np.log(p)))
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if any(np.isclose(number, nats / base, rtol=1e-9, atol=1e-12) for base in (1.0, np.log(2))):
        return "entropy"
    return None


def split(stage: dict[str, Any], cases: list[Data], module: types.ModuleType) -> Outcome:
    best_split = learner_function(module, "best_split")
    for number, case in enumerate(cases):
        answer = best_split(case["X_train"].copy(), case["y_train"].copy())
        where = f"on the {case['name']} data"
        try:
            feature, threshold = int(answer[0]), float(answer[1])
        except (TypeError, ValueError, IndexError):
            raise Mismatch(
                f"best_split returned {answer!r} {where}; expected (feature, threshold)",
                case=number,
            ) from None
        # Thresholds between the same two values are one question: compare the rows sent left.
        seen = {
            "feature": np.array([feature]),
            "left": (case["X_train"][:, feature] <= threshold)
            if 0 <= feature < case["X_train"].shape[1]
            else np.array([]),
        }
        if feature != case["feature"]:
            raise Mismatch(
                f"best_split {where} asks about feature {feature}; scikit-learn's root asks "
                f"about feature {case['feature']} (X[:, {case['feature']}] <= "
                f"{case['threshold']:.4g}, lowering the Gini impurity by {case['decrease']:.4f})",
                case=number,
                outputs=seen,
            )
        left = case["X_train"][:, feature] <= threshold
        moved = np.flatnonzero(left != case["left"])
        if len(moved):
            raise Mismatch(
                f"best_split {where} cuts feature {feature} at {threshold:.6g}; scikit-learn cuts "
                f"at {case['threshold']:.6g}, so {len(moved)} training rows go to the other side",
                case=number,
                outputs=seen,
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
        with Observed(number - 1) as seen:
            _gradients_case(stage, module, case, number, atol, step, seen)
        checked += sum(np.size(w) for w in (*case["coefs"], *case["intercepts"]))
    return True, (
        f"all {checked} gradient entries agree with finite differences of the loss "
        f"(within {atol:g})"
    )


def _gradients_case(
    stage: dict[str, Any],
    module: types.ModuleType,
    case: Data,
    number: int,
    atol: float,
    step: float,
    seen: Observed,
) -> None:
    coef_grads, intercept_grads = _backward(stage, module, case)
    for layer, (w, b) in enumerate(zip(coef_grads, intercept_grads, strict=True)):
        seen[f"coef_grads[{layer}]"] = _array(w, f"coef_grads[{layer}]")
        seen[f"intercept_grads[{layer}]"] = _array(b, f"intercept_grads[{layer}]")
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
                position = [int(i) for i in at]
                raise Mismatch(
                    f"{what}{position} is {_fmt(mine[at])}; nudging that weight shows the "
                    f"loss changes at {_fmt(numeric[at])} per unit{hint}"
                )


def sgd_step(stage: dict[str, Any], cases: list[Data], module: types.ModuleType) -> Outcome:
    """One step W - rate x gradient equals scikit-learn's MLPClassifier's first SGD step."""
    atol = float(stage.get("atol", 1e-10))
    for number, case in enumerate(cases, 1):
        with Observed(number - 1) as seen:
            _sgd_case(stage, module, case, number, atol, seen)
    return True, (
        f"one step of gradient descent lands on scikit-learn's MLPClassifier weights "
        f"(full batch, no momentum, no penalty; within {atol:g}) in {len(cases)} networks"
    )


def _sgd_case(
    stage: dict[str, Any],
    module: types.ModuleType,
    case: Data,
    number: int,
    atol: float,
    seen: Observed,
) -> None:
    coef_grads, intercept_grads = _backward(stage, module, case)
    for layer, (w, b) in enumerate(zip(coef_grads, intercept_grads, strict=True)):
        seen[f"coef_grads[{layer}]"] = _array(w, f"coef_grads[{layer}]")
        seen[f"intercept_grads[{layer}]"] = _array(b, f"intercept_grads[{layer}]")
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
