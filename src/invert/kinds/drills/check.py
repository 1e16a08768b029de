"""The checks a drill may declare, and what they share (the context, the way a script decides).
They test behaviour, not text; `checks.py` lists every kind by name.

They run in the check's child process, after the learner's script has finished, on the live
objects it left behind (its `model`, `X_train`, reported numbers, ...) and on rows it never saw.
Each returns a CheckResult whose `observed` sentence says what was measured, in the learner's
terms: what is still wrong, not why.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

DEFAULT_TRAIN = ("X_train", "y_train")
DEFAULT_TEST = ("X_test", "y_test")
SCORE_METRICS = ("roc_auc", "average_precision")
METRIC_LABELS = {
    "accuracy": "accuracy",
    "balanced_accuracy": "balanced accuracy",
    "recall": "recall",
    "precision": "precision",
    "f1": "F1",
    "roc_auc": "ROC AUC",
    "average_precision": "PR-AUC (average precision)",
    "r2": "R²",
    "rmse": "RMSE",
    "mae": "MAE",
}
LOWER_IS_BETTER = ("rmse", "mae")


class CheckFailed(Exception):
    """Raised inside a check with the sentence the learner reads."""


def first_line(exc: BaseException) -> str:
    """An exception as `Type: first line of its message`, short enough for one line."""
    message = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {message}".rstrip(": ")[:300]


@dataclass
class CheckResult:
    id: str
    title: str
    passed: bool | None  # None: decided by the parent across runs (reproducible)
    observed: str
    figures: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


Rerun = Callable[[pd.DataFrame], tuple[dict[str, Any], str | None]]


@dataclass
class Context:
    """What a check can look at: the script's globals, the rows it read, the rows it did not.

    `rerun(rows)` runs the script again, quietly, on `rows` in place of its data file, and gives
    its globals and its error (None when it ran to the end); `positive` is the class a decision
    threshold picks out.
    """

    namespace: dict[str, Any]
    public: pd.DataFrame
    hidden: pd.DataFrame
    target: str
    task: str
    fingerprint: dict[str, Any] = field(default_factory=dict)
    positive: Any = None
    rerun: Rerun | None = None

    def need(self, name: str) -> Any:
        if name not in self.namespace:
            raise CheckFailed(
                f"the script no longer defines `{name}`, which this check needs; "
                "the fix keeps the pipeline and repairs it"
            )
        return self.namespace[name]

    def new_rows(self, unknown: list[str] | tuple[str, ...] = ()) -> pd.DataFrame:
        """The hidden rows without their target; `unknown` columns blanked (not known yet)."""
        rows = self.hidden.drop(columns=[self.target])
        for column in unknown:
            rows[column] = pd.Series(np.nan, index=rows.index, dtype=rows[column].dtype)
        return rows

    def positions(self, frame: Any) -> np.ndarray:
        """For each row of a table the script built, its position in `public` (or -1)."""
        from invert.kinds.drills.rows import positions

        return positions(frame, self.public)

    @property
    def truth(self) -> pd.Series:
        return self.hidden[self.target]


def metric_value(
    metric: str, truth: Any, predicted: Any, scores: Any = None, positive: Any = None
) -> float:
    from sklearn import metrics

    extra = {"pos_label": positive} if positive is not None else {}
    if metric == "accuracy":
        return float(metrics.accuracy_score(truth, predicted))
    if metric == "balanced_accuracy":
        return float(metrics.balanced_accuracy_score(truth, predicted))
    if metric in ("recall", "precision", "f1"):
        fn = getattr(metrics, f"{metric}_score")
        return float(fn(truth, predicted, zero_division=0, **extra))
    if metric == "roc_auc":
        return float(metrics.roc_auc_score(_binary(truth, positive), scores))
    if metric == "average_precision":
        return float(metrics.average_precision_score(_binary(truth, positive), scores))
    if metric == "r2":
        return float(metrics.r2_score(truth, predicted))
    if metric == "rmse":
        return float(np.sqrt(metrics.mean_squared_error(truth, predicted)))
    if metric == "mae":
        return float(metrics.mean_absolute_error(truth, predicted))
    raise ValueError(f"unknown metric {metric!r}")


def _binary(truth: Any, positive: Any) -> Any:
    return np.asarray(truth) == positive if positive is not None else truth


def _frame_for(model: Any, rows: pd.DataFrame, unknown_why: str) -> pd.DataFrame:
    """The columns `model` was fitted on, taken from `rows`; a CheckFailed if one is unknown."""
    names = getattr(model, "feature_names_in_", None)
    if names is None:
        return rows
    missing = [str(n) for n in names if n not in rows.columns]
    if missing:
        why = f" ({unknown_why})" if unknown_why else ""
        raise CheckFailed(
            f"the model needs column(s) {', '.join(missing)}, which new rows do not have{why}"
        )
    return rows[list(names)]


THRESHOLD = "threshold"  # a script's decision threshold, when it keeps one outside its model


class Predictor:
    """The script's way of deciding for new rows: a fitted `model`, or a `predict(frame)`
    function; with a number named `threshold`, a binary model's decisions are "positive when
    its probability of the positive class reaches the threshold"."""

    def __init__(
        self, ctx: Context, name: str = "model", unknown_why: str = "", positive: Any = None
    ) -> None:
        self.name = name
        self.obj = ctx.need(name)
        self.unknown_why = unknown_why
        if self.obj is None:
            raise CheckFailed(f"`{name}` is None: there is no model left to test")
        if not (hasattr(self.obj, "predict") or callable(self.obj)):
            raise CheckFailed(f"`{name}` is a {type(self.obj).__name__}, not a model")
        self.threshold = _threshold(ctx.namespace.get(THRESHOLD), self.obj)
        self.positive = positive if positive is not None else ctx.positive

    def _call(self, method: str, rows: pd.DataFrame) -> np.ndarray:
        label = f"{self.name}.{method}" if hasattr(self.obj, "predict") else f"{self.name}()"
        try:
            if hasattr(self.obj, "predict"):
                frame = _frame_for(self.obj, rows, self.unknown_why)
                out = getattr(self.obj, method)(frame)
            else:
                out = self.obj(rows)
        except CheckFailed:
            raise
        except Exception as exc:
            raise CheckFailed(f"`{label}` fails on new rows: {first_line(exc)}") from None
        if hasattr(out, "detach"):  # a torch tensor
            out = out.detach().cpu().numpy()
        array = np.asarray(out)
        if array.shape[:1] != (len(rows),):
            raise CheckFailed(f"`{label}` gave {array.shape[:1]} answers for {len(rows)} rows")
        if array.dtype.kind in "fc" and not np.isfinite(array).all():
            bad = int((~np.isfinite(array)).reshape(len(array), -1).any(axis=1).sum())
            raise CheckFailed(f"`{label}` returns nan or inf for {bad} of {len(rows)} new rows")
        return array

    def predict(self, rows: pd.DataFrame) -> np.ndarray:
        """The decisions for `rows` (the threshold applied, when the script keeps one)."""
        if self.threshold is None:
            return self._call("predict", rows)
        classes = np.asarray(self.obj.classes_)
        positive = self.positive if self.positive in list(classes) else classes[-1]
        chosen = self.scores(rows, positive) >= self.threshold
        decided: np.ndarray = np.where(chosen, positive, classes[classes != positive][0])
        return decided.astype(classes.dtype)

    def outputs(self, rows: pd.DataFrame) -> np.ndarray:
        """Everything the model says about `rows`: its decisions and, when it has them, its
        probabilities or scores (finer: a model can move without changing a decision)."""
        columns = [self.predict(rows).reshape(len(rows), -1).astype(object)]
        for method in ("predict_proba", "decision_function"):
            if hasattr(self.obj, method):
                with contextlib.suppress(CheckFailed):
                    values = self._call(method, rows).reshape(len(rows), -1)
                    columns.append(values.astype(object))
                break
        return np.concatenate(columns, axis=1)

    def like(self, obj: Any) -> Predictor:
        """The same way of deciding, with another fitted model in place of this one's."""
        other = copy.copy(self)
        other.obj = obj
        other.threshold = self.threshold if _threshold(self.threshold, obj) is not None else None
        return other

    def scores(self, rows: pd.DataFrame, positive: Any) -> np.ndarray:
        if not hasattr(self.obj, "predict_proba"):
            raise CheckFailed(f"`{self.name}` has no predict_proba: it cannot rank new rows")
        proba = self._call("predict_proba", rows)
        classes = list(getattr(self.obj, "classes_", []))
        column = classes.index(positive) if positive in classes else proba.shape[1] - 1
        return np.asarray(proba[:, column])


def _threshold(value: Any, model: Any) -> float | None:
    """The script's `threshold`, when it is a number and `model` is a binary probabilistic one."""
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        value = value.item()
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        return None
    classes = getattr(model, "classes_", None)
    if not hasattr(model, "predict_proba") or classes is None or len(classes) != 2:
        return None
    return float(value)


def _score(
    metric: str, predictor: Predictor, rows: pd.DataFrame, truth: Any, positive: Any
) -> float:
    if metric in SCORE_METRICS:
        return metric_value(metric, truth, None, predictor.scores(rows, positive), positive)
    return metric_value(metric, truth, predictor.predict(rows), positive=positive)


def _baseline(ctx: Context, metric: str, positive: Any) -> float:
    from sklearn.dummy import DummyClassifier, DummyRegressor

    regression = ctx.task == "regression"
    dummy = DummyRegressor() if regression else DummyClassifier(strategy="most_frequent")
    dummy.fit(ctx.public.drop(columns=[ctx.target]), ctx.public[ctx.target])
    rows = ctx.new_rows()
    if metric in SCORE_METRICS:
        scores = np.zeros(len(rows))
        return metric_value(metric, ctx.truth, None, scores, positive)
    return metric_value(metric, ctx.truth, dummy.predict(rows), positive=positive)


def _better(metric: str, a: float, b: float) -> bool:
    return a < b if metric in LOWER_IS_BETTER else a > b


def check_holdout(ctx: Context, p: dict[str, Any]) -> tuple[bool, str, dict[str, Any]]:
    """The model's score on the hidden rows reaches `at_least` (and beats a dummy baseline)."""
    metric, positive = p["metric"], p.get("positive")
    unknown = list(p.get("unknown", []))
    predictor = Predictor(ctx, p.get("predictor", "model"), p.get("unknown_why", ""), positive)
    rows = ctx.new_rows(unknown)
    score = _score(metric, predictor, rows, ctx.truth, positive)
    baseline = _baseline(ctx, metric, positive)
    label = METRIC_LABELS[metric]
    limit = float(p["at_least"] if "at_least" in p else p["at_most"])
    ok = (score >= limit if "at_least" in p else score <= limit) and _better(
        metric, score, baseline
    )
    figures = {"score": score, "baseline": baseline, "rows": len(rows)}
    bound = f"at least {limit:g}" if "at_least" in p else f"at most {limit:g}"
    # Name how many columns are blanked, not which: that would give the fault away.
    blanked = ", scored with only what is known when they are predicted" if unknown else ""
    observed = (
        f"{label} on {len(rows)} rows the script never saw{blanked}: {score:.3f} (needs {bound}; "
        f"a model that ignores the features gets {baseline:.3f})"
    )
    if ok and "max_gap" in p:
        x_name, y_name = p.get("train", DEFAULT_TRAIN)
        train = _score(metric, predictor, ctx.need(x_name), ctx.need(y_name), positive)
        gap = train - score if metric not in LOWER_IS_BETTER else score - train
        figures |= {"train_score": train, "gap": gap}
        ok = gap <= float(p["max_gap"])
        observed = (
            f"{label} on the training rows {train:.3f}, on {len(rows)} new rows {score:.3f}: "
            f"a gap of {gap:.3f} (at most {float(p['max_gap']):g} allowed)"
        )
    return ok, observed, figures


def _same_predictions(a: np.ndarray, b: np.ndarray, rtol: float = 1e-6) -> int:
    """How many rows differ; numbers (in any column, of any array) compared to a relative
    `rtol`."""
    left, right = a.reshape(len(a), -1), b.reshape(len(b), -1)
    differ = np.zeros(len(left), dtype=bool)
    for x, y in zip(left.T, right.T, strict=True):
        try:
            differ |= ~np.isclose(
                x.astype(float), y.astype(float), rtol=rtol, atol=1e-9, equal_nan=True
            )
        except (TypeError, ValueError):  # labels that are not numbers
            differ |= x != y
    return int(differ.sum())


def check_refit(ctx: Context, p: dict[str, Any]) -> tuple[bool, str, dict[str, Any]]:
    """The model equals the same model fitted on the training rows alone."""
    from sklearn.base import clone

    predictor = Predictor(ctx, p.get("predictor", "model"))
    x_name, y_name = p.get("train", DEFAULT_TRAIN)
    x, y = ctx.need(x_name), ctx.need(y_name)
    try:
        fresh = clone(predictor.obj).fit(x, y)
    except Exception as exc:
        raise CheckFailed(
            f"`{predictor.name}` cannot be refitted on `{x_name}`, `{y_name}` ({first_line(exc)})"
        ) from None
    rows = ctx.new_rows(p.get("unknown", []))
    mine = predictor.predict(rows)
    ref = predictor.like(fresh).predict(rows)
    differ = _same_predictions(mine, ref)
    observed = (
        f"refitted on `{x_name}` alone, the same model predicts {differ} of {len(rows)} new "
        "rows differently: something besides the training rows shaped the fitted model"
        if differ
        else f"the model is exactly the one that `{x_name}` alone produces"
    )
    return differ == 0, observed, {"rows_differing": differ}


def check_reported(ctx: Context, p: dict[str, Any]) -> tuple[bool, str, dict[str, Any]]:
    """A number the script reports is the metric that was asked for, computed as asked."""
    name, metric, positive = p["variable"], p["metric"], p.get("positive")
    value = ctx.need(name)
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        value = value.item()
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise CheckFailed(f"`{name}` should be a number; it is a {type(value).__name__}")
    predictor = Predictor(ctx, p.get("predictor", "model"), positive=positive)
    label = METRIC_LABELS[metric]
    if p.get("on", "test") == "cv":
        try:
            expected = _cv_score(ctx, p, predictor, metric, positive)
        except _KeptFitted as exc:
            return False, str(exc), {"signs": ["cv=kept-fitted"]}
        where = f"cross-validating `{predictor.name}` as a whole on the training rows"
    else:
        x_name, y_name = p.get("test", DEFAULT_TEST)
        astray = _labels_astray(ctx, ctx.need(x_name), ctx.need(y_name))
        if astray is not None:
            return (
                False,
                f"`{y_name}` holds the labels of other rows than those of `{x_name}`: "
                f"{astray}, so a number scored against it measures nothing",
                {"labels_astray": True},
            )
        expected = _score(metric, predictor, ctx.need(x_name), ctx.need(y_name), positive)
        where = f"`{predictor.name}` on `{x_name}`"
        if predictor.threshold is not None:
            where = f"`{predictor.name}` with `{THRESHOLD}` = {predictor.threshold:g} on `{x_name}`"
    ok = math.isfinite(float(value)) and abs(float(value) - expected) <= 1e-6
    observed = f"`{name}` = {float(value):.4f}; the {label} of {where} is {expected:.4f}"
    if not ok and p.get("on", "test") == "cv" and math.isfinite(float(value)):
        drawn = _cv_draws(ctx, p, predictor, metric, positive, expected)
        if drawn is not None:  # the model draws at random unseeded: its own spread is the bar
            low, high = drawn
            margin = (high - low) / 2
            ok = low - margin <= float(value) <= high + margin
            observed = (
                f"`{name}` = {float(value):.4f}; {where} draws at random without a seed, and "
                f"gives a {label} of {low:.4f} to {high:.4f}"
            )
    figures: dict[str, Any] = {"reported": float(value), "expected": expected}
    if not ok:  # what the number is instead: behaviour that names a misconception
        figures["signs"] = _what_it_is(ctx, p, predictor, float(value))
    return ok, observed, figures


def _labels_astray(ctx: Context, rows: Any, labels: Any) -> str | None:
    """How far `labels` are from the file's own labels of `rows`, when they are labels of the
    file given to other rows (a score against them measures nothing); None when they agree, or
    when the script relabelled its target (values the file does not hold) or its rows cannot be
    placed in the file."""
    if len(labels) != len(rows) or np.ndim(labels) != 1:
        return None
    where = ctx.positions(rows)
    placed = where >= 0
    if placed.sum() < max(10, len(where) // 2):
        return None
    given = np.asarray(labels, dtype=object)[placed]
    target = ctx.public[ctx.target].to_numpy(dtype=object)
    if not set(given) <= set(target):
        return None  # another target (a cut, a log, codes): not this check's question
    matching = float((given == target[where[placed]]).mean())
    if matching >= 0.99:
        return None
    return f"only {matching:.0%} of its labels are their row's own"


def _what_it_is(ctx: Context, p: dict[str, Any], predictor: Predictor, value: float) -> list[str]:
    """The other numbers a wrong report equals: another metric, or the asked one on the
    training rows ("reported=accuracy@X_test", "reported=roc_auc@X_train")."""
    positive = p.get("positive")
    metrics = ["r2", "rmse", "mae"] if ctx.task == "regression" else list(METRIC_LABELS)[:7]
    found = []
    for rows in (p.get("test", DEFAULT_TEST), p.get("train", DEFAULT_TRAIN)):
        if rows[0] not in ctx.namespace or rows[1] not in ctx.namespace:
            continue
        for metric in metrics:
            with contextlib.suppress(Exception):
                other = _score(
                    metric, predictor, ctx.namespace[rows[0]], ctx.namespace[rows[1]], positive
                )
                if abs(other - value) <= 1e-6:
                    found.append(f"reported={metric}@{rows[0]}")
    return found


CV_DRAWS = 4  # cross-validations more, when one more shows the model draws at random


def _cv_draws(
    ctx: Context, p: dict[str, Any], predictor: Predictor, metric: str, positive: Any, first: float
) -> tuple[float, float] | None:
    """(lowest, highest) cross-validated score of a model that draws at random without a seed
    (an encoder's own inner folds, say), so that no one number is its score; None when a second
    cross-validation repeats the first."""
    again = [_cv_score(ctx, p, predictor, metric, positive)]
    if abs(again[0] - first) <= 1e-9:
        return None
    again += [_cv_score(ctx, p, predictor, metric, positive) for _ in range(CV_DRAWS - 1)]
    return min(first, *again), max(first, *again)


def _cv_score(
    ctx: Context, p: dict[str, Any], predictor: Predictor, metric: str, positive: Any
) -> float:
    from sklearn.base import clone
    from sklearn.metrics import make_scorer
    from sklearn.model_selection import cross_val_score

    x_name, y_name = p.get("train", DEFAULT_TRAIN)
    cv = ctx.namespace.get(p.get("cv_variable", "cv"), p.get("folds", 5))
    needs_scores = metric in SCORE_METRICS

    def score(truth: Any, predicted: Any) -> float:
        # For a score metric, scikit-learn passes the positive class's (classes_[1]) probability.
        return metric_value(metric, truth, predicted, predicted, positive)

    scorer = make_scorer(score, response_method="predict_proba" if needs_scores else "predict")
    kept = _kept_fitted(predictor.obj)
    if kept:
        raise _KeptFitted(
            f"cross-validating `{predictor.name}` refits everything in it but {kept}, which "
            "was fitted once beforehand, on rows the held-out folds include"
        )
    try:
        values = cross_val_score(
            clone(predictor.obj), ctx.need(x_name), ctx.need(y_name), cv=cv, scoring=scorer
        )
    except Exception as exc:
        raise CheckFailed(
            f"cross-validating `{predictor.name}` on `{x_name}` fails: {first_line(exc)}"
        ) from None
    return float(np.mean(values))


class _KeptFitted(CheckFailed):
    """Cross-validation would leave a part of the model fitted on every training row."""


def _kept_fitted(model: Any) -> str | None:
    """The name of a part of `model` that cloning keeps fitted (a FrozenEstimator, say): cross-
    validation would not refit it on each fold's training part."""
    from sklearn.base import BaseEstimator, clone

    parts = [("the model", model)]
    if isinstance(model, BaseEstimator):
        parts += [(k, v) for k, v in model.get_params(deep=True).items()]
    for name, part in parts:
        if isinstance(part, BaseEstimator):
            with contextlib.suppress(Exception):
                if clone(part) is part:
                    return f"`{name}` ({type(part).__name__})"
    return None


def check_finite(ctx: Context, p: dict[str, Any]) -> tuple[bool, str, dict[str, Any]]:
    """A recorded loss curve stays finite and ends lower than it starts."""
    name = p.get("variable", "losses")
    losses = [float(v) for v in np.asarray(ctx.need(name), dtype=float).ravel()]
    least = int(p.get("min_length", 2))
    head = ", ".join(f"{v:.4g}" for v in losses[:5])
    if len(losses) < least:
        return False, f"`{name}` holds {len(losses)} values; training records at least {least}", {}
    bad = next((i for i, v in enumerate(losses) if not math.isfinite(v)), None)
    if bad is not None:
        return (
            False,
            f"the loss is {losses[bad]} from epoch {bad + 1} on (first values: {head})",
            {"first_bad_epoch": bad + 1},
        )
    if not losses[-1] < losses[0]:
        return False, f"the loss ends at {losses[-1]:.4g}, not below its start {losses[0]:.4g}", {}
    return True, f"the loss goes from {losses[0]:.4g} to {losses[-1]:.4g}, finite throughout", {}


def check_reproducible(ctx: Context, p: dict[str, Any]) -> tuple[bool | None, str, dict[str, Any]]:
    """Record what this run produced; the parent compares two runs."""
    predictor = Predictor(ctx, p.get("predictor", "model"))
    predictions = predictor.predict(ctx.new_rows(p.get("unknown", [])))
    digest = hashlib.sha256(np.ascontiguousarray(predictions).astype(str).tobytes()).hexdigest()
    values = {}
    for name in p.get("variables", []):
        value = ctx.need(name)
        values[name] = float(value) if isinstance(value, int | float | np.number) else repr(value)
    return None, "", {"predictions": digest, "values": values}


def check_batch_invariant(ctx: Context, p: dict[str, Any]) -> tuple[bool, str, dict[str, Any]]:
    """A row's prediction does not depend on which other rows are predicted with it, nor on
    what was predicted before: rows alone first (before any batch), then all together, then in
    two halves, then in reverse order, then among many copies of the rows extreme in a column."""
    predictor = Predictor(ctx, p.get("predictor", "model"))
    rows = ctx.new_rows(p.get("unknown", []))
    count = min(int(p.get("rows", 25)), len(rows))
    alone = np.concatenate([predictor.predict(rows.iloc[[i]]) for i in range(count)])
    together = predictor.predict(rows)
    half = len(rows) // 2
    halves = np.concatenate(
        [predictor.predict(rows.iloc[half:]), predictor.predict(rows.iloc[:half])]
    )
    halves = np.concatenate([halves[len(rows) - half :], halves[: len(rows) - half]])
    reversed_rows = predictor.predict(rows.iloc[::-1])[::-1]
    differ = {
        "alone": _same_predictions(together[:count], alone),
        "halves": _same_predictions(together, halves),
        "order": _same_predictions(together, reversed_rows),
    }
    crowded_by = None
    if not any(differ.values()):
        crowded_by, differ["crowded"] = _crowded(predictor, rows, together)
    figures = {f"{k}_differing": v for k, v in differ.items()}
    if differ["alone"]:
        return (
            False,
            f"predicted one at a time, {differ['alone']} of {count} rows get a different answer "
            "than when predicted together",
            figures,
        )
    if differ["halves"]:
        return (
            False,
            f"predicted in two batches of half the rows, {differ['halves']} of {len(rows)} rows "
            "get a different answer than when predicted all together",
            figures,
        )
    if differ["order"]:
        return (
            False,
            f"predicted in reverse order, {differ['order']} of {len(rows)} rows change answer",
            figures,
        )
    if crowded_by is not None:
        return (
            False,
            f"predicted in a batch crowded with copies of the rows of largest `{crowded_by}`, "
            f"{differ['crowded']} of {len(rows)} rows get a different answer than when predicted "
            "together",
            figures,
        )
    return (
        True,
        "each row gets the same answer alone, in any batch (a random one, or one crowded with "
        "copies of its extreme rows) and in any order",
        figures,
    )


CROWDED_COLUMNS = 5  # numeric columns whose extreme rows crowd a batch, most varied first


def _crowded(predictor: Predictor, rows: pd.DataFrame, together: np.ndarray) -> tuple[Any, int]:
    """(column, rows differing) for the first batch, crowded with four more copies of the
    quarter of rows largest in one numeric column, that changes the other rows' answers; a
    statistic of the batch (its ranks, its mean, its largest value) then moves far, where a
    random batch moves it little. (None, 0) when none does."""
    numbers = [c for c in rows.columns if rows[c].dtype.kind in "iuf"]
    numbers = sorted(numbers, key=lambda c: rows[c].nunique(), reverse=True)[:CROWDED_COLUMNS]
    for column in numbers:
        top = rows.nlargest(max(1, len(rows) // 4), column)
        batch = pd.concat([rows, top, top, top, top], ignore_index=True)
        differ = _same_predictions(together, predictor.predict(batch)[: len(rows)])
        if differ:
            return column, differ
    return None, 0


def check_repeatable(ctx: Context, p: dict[str, Any]) -> tuple[bool, str, dict[str, Any]]:
    """Predicting the same rows twice gives the same answers."""
    predictor = Predictor(ctx, p.get("predictor", "model"))
    rows = ctx.new_rows(p.get("unknown", []))
    differ = _same_predictions(predictor.predict(rows), predictor.predict(rows))
    observed = (
        f"predicting the same {len(rows)} new rows twice changes the answer for {differ} of them"
        if differ
        else f"predicting {len(rows)} new rows twice gives the same answers"
    )
    return differ == 0, observed, {"rows_differing": differ}


def check_untouched(ctx: Context, p: dict[str, Any]) -> tuple[bool, str, dict[str, Any]]:
    """Nothing but the training rows shaped what the script fitted or chose: run it again with
    every other row of its data file altered (the test rows, and any validation rows cut from
    them), and its decisions on new rows must not move."""
    from invert.kinds.drills.rows import ALTERATIONS, alter_rows, outside

    if ctx.rerun is None:
        raise CheckFailed("this check needs to run the script again, which is not possible here")
    x_name = p.get("train", DEFAULT_TRAIN)[0]
    name, positive = p.get("predictor", "model"), p.get("positive")
    predictor = Predictor(ctx, name, positive=positive)
    train = ctx.need(x_name)
    where, others = outside(train, ctx.public, ctx.namespace.get(p.get("test", DEFAULT_TEST)[0]))
    if (where >= 0).sum() < max(10, len(where) // 2):
        raise CheckFailed(
            f"`{x_name}` no longer holds the data file's rows as they were read, so which rows "
            "the model was trained on cannot be told"
        )
    if len(others) < 10:
        return (
            True,
            f"not tested: fewer than 10 rows of the file are surely outside `{x_name}`",
            {"tested": False},
        )
    new = ctx.new_rows(p.get("unknown", []))
    known = ctx.public.drop(columns=[ctx.target])
    extra = min(len(known), max(0, PROBES - len(new)))  # enough rows: the finer, the slower
    probes, before = _probe(predictor, new, known.sample(extra, random_state=0))
    keep = tuple(p.get("keep", ()))
    tried: list[str] = []
    for how in ALTERATIONS:
        altered = alter_rows(ctx.public, others, ctx.target, how, keep)
        after_ctx, trouble = _rerun(ctx, altered, x_name, where)
        if trouble:
            tried.append(trouble)
            continue
        after = Predictor(after_ctx, name, positive=positive).outputs(probes)
        differ = _same_predictions(before[: len(new), :1], after[: len(new), :1])  # decisions
        figures = {"rows_altered": len(others), "rows_differing": differ, "altered": how}
        moved = differ or _same_predictions(before, after)
        cause = _why_moved(ctx, name, positive, probes, after) if moved else "nothing moved"
        if cause == "unseeded":
            return (
                False,
                "run twice on the very same rows, the script answers differently, so whether "
                "the test rows shaped it cannot be told",
                figures,
            )
        if cause != "the rows":  # nothing moved, or only the first run's unseeded draws did
            return (
                True,
                f"with the {len(others)} rows outside `{x_name}` altered, the script fits and "
                f"chooses exactly the same: all {len(new)} new rows get the same answers",
                figures,
            )
        return (
            False,
            f"altering only the {len(others)} rows outside `{x_name}` changes "
            + (
                f"the answers for {differ} of {len(new)} new rows"
                if differ
                else "what the model gives for some rows (its probabilities or scores)"
            )
            + ": rows it was not trained on shaped what it fitted or chose",
            figures,
        )
    return (
        True,
        f"not tested: with the rows outside `{x_name}` altered, the script {'; '.join(tried)}",
        {"tested": False},
    )


PROBES = 3000  # rows the untouched check asks the model about: new rows, then the file's own


def _probe(
    predictor: Predictor, new: pd.DataFrame, known: pd.DataFrame
) -> tuple[pd.DataFrame, np.ndarray]:
    """(rows, outputs): the new rows and, as far as the model takes them, the file's own rows
    too (the more rows, the finer the test); the new rows come first."""
    for extra in (known, known.dropna()):
        rows = pd.concat([new, extra], ignore_index=True)
        with contextlib.suppress(CheckFailed):
            return rows, predictor.outputs(rows)
    return new, predictor.outputs(new)


def _rerun(
    ctx: Context, rows: pd.DataFrame, x_name: str | None = None, where: Any = None
) -> tuple[Context, str | None]:
    """The context of a quiet second run on `rows`; or why it cannot be compared (it stops, or
    its `x_name` holds other rows than `where`: the split moved)."""
    from invert.kinds.drills.rows import positions

    assert ctx.rerun is not None
    namespace, error = ctx.rerun(rows)
    if error:
        return ctx, f"stops ({error})"
    if x_name is not None:
        again = namespace.get(x_name)
        if again is None or not np.array_equal(np.sort(positions(again, rows)), np.sort(where)):
            return ctx, "trains on other rows"
    return replace(ctx, namespace=namespace), None


def _why_moved(ctx: Context, name: str, positive: Any, new: pd.DataFrame, after: np.ndarray) -> str:
    """Why the altered run answers otherwise than the first: "the rows"; "chance" (the first
    run drew other random numbers: runs on the unaltered rows, seeded as the altered run was,
    answer as it did); or "unseeded" (two such runs disagree: no seed holds its randomness)."""
    answers = []
    for _ in range(2):
        control, trouble = _rerun(ctx, ctx.public)
        if trouble:
            return "the rows"
        answers.append(Predictor(control, name, positive=positive).outputs(new))
    if _same_predictions(answers[0], answers[1]):
        return "unseeded"
    return "the rows" if _same_predictions(answers[0], after) else "chance"


def check_chosen_inside(ctx: Context, p: dict[str, Any]) -> tuple[bool, str, dict[str, Any]]:
    """Every choice made from the training rows is part of the model, so cross-validating the
    model repeats it on each fold: run the script again with the training rows altered, and the
    model's settings must not move (its fitted values may)."""
    from invert.kinds.drills.rows import alter_rows, positions

    if ctx.rerun is None:
        raise CheckFailed("this check needs to run the script again, which is not possible here")
    x_name = p.get("train", DEFAULT_TRAIN)[0]
    name = p.get("predictor", "model")
    before = _settings(Predictor(ctx, name).obj)
    where = positions(ctx.need(x_name), ctx.public)
    altered = alter_rows(ctx.public, where[where >= 0], ctx.target, "shift+swap")
    after_ctx, trouble = _rerun(ctx, altered, x_name, where)
    if trouble:
        return (
            True,
            f"not tested: with the training rows altered the script {trouble}",
            {"tested": False},
        )
    after = _settings(Predictor(after_ctx, name).obj)
    moved = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if moved:
        shown = ", ".join(
            f"{k.rsplit('__', 1)[-1]} {before.get(k)} -> {after.get(k)}" for k in moved[:3]
        )
        return (
            False,
            f"with other training rows, `{name}` comes out with other settings ({shown}): they "
            "were chosen from the training rows outside the model, so cross-validating the model "
            "does not repeat that choice on each fold",
            {"settings_moved": moved},
        )
    return True, f"`{name}`'s settings stay the same whatever its training rows hold", {}


def _settings(model: Any) -> dict[str, str]:
    """A model's settings (get_params, estimators themselves left out) as comparable text."""
    from sklearn.base import BaseEstimator

    if not isinstance(model, BaseEstimator):
        return {}

    def holds_estimators(value: Any) -> bool:  # a Pipeline's steps, a ColumnTransformer's parts
        if isinstance(value, list | tuple):
            return any(holds_estimators(v) for v in value)
        return isinstance(value, BaseEstimator)

    return {
        k: repr(v)
        for k, v in model.get_params(deep=True).items()
        if not holds_estimators(v) and not callable(v)
    }


def check_names(ctx: Context, p: dict[str, Any]) -> tuple[bool, str, dict[str, Any]]:
    """Categories are names, not numbers: run the script again with the names of the `columns`
    shuffled among themselves (each house keeps its neighbourhood, under another's name, in the
    file and in the new rows alike), and no answer may change."""
    from invert.kinds.drills.rows import positions

    if ctx.rerun is None:
        raise CheckFailed("this check needs to run the script again, which is not possible here")
    x_name = p.get("train", DEFAULT_TRAIN)[0]
    name = p.get("predictor", "model")
    what = p.get("described", "the categories")
    columns = list(p["columns"])
    new = ctx.new_rows(p.get("unknown", []))
    before = Predictor(ctx, name).predict(new)
    renamed = {c: _shuffled_names(pd.concat([ctx.public[c], ctx.hidden[c]])) for c in columns}

    def rename(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        for column, names in renamed.items():
            frame[column] = frame[column].map(lambda v, names=names: names.get(v, v))
        return frame

    where = positions(ctx.need(x_name), ctx.public)
    after_ctx, trouble = _rerun(ctx, rename(ctx.public), x_name, where)
    if trouble:
        return True, f"not tested: with the names swapped the script {trouble}", {"tested": False}
    after = Predictor(after_ctx, name).predict(rename(new))
    # Renamed, the columns of an encoding come in another order, and an iterative solver (with
    # its tolerance) ends a hair away: numbers within 0.1%, and 1% of labels, count as unmoved.
    differ = _same_predictions(before, after, rtol=1e-3)
    if differ and before.dtype.kind not in "fc" and differ <= len(new) // 100:
        differ = 0
    if differ:
        return (
            False,
            f"with the names of {what} swapped among themselves (the same rows, other names), "
            f"{differ} of {len(new)} new rows get another answer: the model reads the names as "
            "numbers on a scale",
            {"rows_differing": differ},
        )
    return True, f"with the names of {what} swapped, all {len(new)} answers stay the same", {}


def _shuffled_names(values: pd.Series) -> dict[Any, Any]:
    """Each distinct value mapped to another one's name, in an order unrelated to the sorted one.

    A mirror (first name to last) would not do: a code read as a number on a scale would only
    turn round, and a linear model, a tree or a distance gives the same answers with the scale
    reversed. A seeded shuffle whose rank correlation with the sorted order is at most 0.5 moves
    such a code, whatever its direction; names stay names (a one-hot encoding only sees its
    columns in another order). Two names can only swap."""
    names = sorted(values.dropna().unique().tolist(), key=str)
    if len(names) < 3:
        return dict(zip(names, reversed(names), strict=True))
    rng = np.random.default_rng(0)
    ranks = np.arange(len(names))
    order = rng.permutation(ranks)
    while abs(np.corrcoef(ranks, order)[0, 1]) > 0.5:
        order = rng.permutation(ranks)
    return dict(zip(names, [names[i] for i in order], strict=True))


def check_apart(ctx: Context, p: dict[str, Any]) -> tuple[bool, str, dict[str, Any]]:
    """No row is on both sides of the split: no test row repeats a training row more often
    than the data file itself repeats it."""
    from invert.kinds.drills.rows import copies

    x_train, x_test = p.get("train", DEFAULT_TRAIN)[0], p.get("test", DEFAULT_TEST)[0]
    train, test = ctx.need(x_train), ctx.need(x_test)
    repeated = copies(train, test, ctx.public)
    if repeated:
        return (
            False,
            f"{repeated} of the {len(test)} rows of `{x_test}` are copies of rows in `{x_train}`: "
            "the model is scored on rows it was trained on",
            {"copies": repeated},
        )
    return True, f"none of the {len(test)} rows of `{x_test}` is also in `{x_train}`", {}


def check_ignores(ctx: Context, p: dict[str, Any]) -> tuple[bool, str, dict[str, Any]]:
    """The decisions do not depend on columns known only after the fact: blanked, shuffled
    among the new rows, or set to their smallest, middle and largest value, they leave every
    answer as it was."""
    predictor = Predictor(ctx, p.get("predictor", "model"), positive=p.get("positive"))
    columns = list(p["columns"])
    what = p.get("described", "columns not known when a prediction is made")
    rows = ctx.new_rows()
    before = predictor.predict(rows)
    order = np.random.default_rng(0).permutation(len(rows))
    variants = [
        ctx.new_rows(columns),
        rows.assign(**{c: rows[c].to_numpy()[order] for c in columns}),
    ]
    known = pd.concat([ctx.public, ctx.hidden])
    for quantile in (0.0, 0.5, 1.0):
        fixed = rows.copy()
        for column in columns:
            values = known[column].dropna()
            if values.empty:
                continue
            if values.dtype.kind in "iuf":
                fixed[column] = values.quantile(quantile, interpolation="nearest")
            else:
                fixed[column] = sorted(values.astype(str).unique())[
                    int(quantile * (values.nunique() - 1))
                ]
        variants.append(fixed)
    differ = max(_same_predictions(before, predictor.predict(v)) for v in variants)
    if differ:
        return (
            False,
            f"the answers for {differ} of {len(rows)} new rows change with the values of the "
            f"{what}",
            {"rows_differing": differ},
        )
    return True, f"no answer changes when the {what} are blanked, shuffled or set otherwise", {}
