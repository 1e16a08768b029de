"""The checks a drill may declare. They test behaviour, not text.

They run in the check's child process, after the learner's script has finished, on the live
objects it left behind (its `model`, `X_train`, reported numbers, ...) and on rows it never saw.
Each returns a CheckResult whose `observed` sentence says what was measured, in the learner's
terms: what is still wrong, not why.
"""

from __future__ import annotations

import hashlib
import math
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from invert.kinds.drills import probability_checks, rare_class_checks

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


@dataclass
class Context:
    """What a check can look at: the script's globals, the rows it read, the rows it did not."""

    namespace: dict[str, Any]
    public: pd.DataFrame
    hidden: pd.DataFrame
    target: str
    task: str
    fingerprint: dict[str, Any] = field(default_factory=dict)

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


class Predictor:
    """The script's way of predicting new rows: a fitted `model` or a `predict(frame)` function."""

    def __init__(self, ctx: Context, name: str = "model", unknown_why: str = "") -> None:
        self.name = name
        self.obj = ctx.need(name)
        self.unknown_why = unknown_why
        if self.obj is None:
            raise CheckFailed(f"`{name}` is None: there is no model left to test")
        if not (hasattr(self.obj, "predict") or callable(self.obj)):
            raise CheckFailed(f"`{name}` is a {type(self.obj).__name__}, not a model")

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
        return self._call("predict", rows)

    def scores(self, rows: pd.DataFrame, positive: Any) -> np.ndarray:
        if not hasattr(self.obj, "predict_proba"):
            raise CheckFailed(f"`{self.name}` has no predict_proba: it cannot rank new rows")
        proba = self._call("predict_proba", rows)
        classes = list(getattr(self.obj, "classes_", []))
        column = classes.index(positive) if positive in classes else proba.shape[1] - 1
        return np.asarray(proba[:, column])


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
    predictor = Predictor(ctx, p.get("predictor", "model"), p.get("unknown_why", ""))
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


def _same_predictions(a: np.ndarray, b: np.ndarray) -> int:
    """How many rows differ (numbers compared to a relative 1e-6)."""
    if a.dtype.kind in "fc" and b.dtype.kind in "fc":
        return int((~np.isclose(a, b, rtol=1e-6, atol=1e-9)).reshape(len(a), -1).any(axis=1).sum())
    return int((a != b).reshape(len(a), -1).any(axis=1).sum())


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
    ref = np.asarray(fresh.predict(_frame_for(fresh, rows, "")))
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
    predictor = Predictor(ctx, p.get("predictor", "model"))
    label = METRIC_LABELS[metric]
    if p.get("on", "test") == "cv":
        expected = _cv_score(ctx, p, predictor, metric, positive)
        where = f"cross-validating `{predictor.name}` as a whole on the training rows"
    else:
        x_name, y_name = p.get("test", DEFAULT_TEST)
        expected = _score(metric, predictor, ctx.need(x_name), ctx.need(y_name), positive)
        where = f"`{predictor.name}` on `{x_name}`"
    ok = math.isfinite(float(value)) and abs(float(value) - expected) <= 1e-6
    observed = f"`{name}` = {float(value):.4f}; the {label} of {where} is {expected:.4f}"
    return ok, observed, {"reported": float(value), "expected": expected}


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
    try:
        values = cross_val_score(
            clone(predictor.obj), ctx.need(x_name), ctx.need(y_name), cv=cv, scoring=scorer
        )
    except Exception as exc:
        raise CheckFailed(
            f"cross-validating `{predictor.name}` on `{x_name}` fails: {first_line(exc)}"
        ) from None
    return float(np.mean(values))


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
    """A row's prediction does not depend on which other rows are predicted with it."""
    predictor = Predictor(ctx, p.get("predictor", "model"))
    rows = ctx.new_rows(p.get("unknown", []))
    together = predictor.predict(rows)
    count = min(int(p.get("rows", 25)), len(rows))
    alone = np.concatenate([predictor.predict(rows.iloc[[i]]) for i in range(count)])
    differ_alone = _same_predictions(together[:count], alone)
    reversed_rows = predictor.predict(rows.iloc[::-1])[::-1]
    differ_order = _same_predictions(together, reversed_rows)
    figures = {"alone_differing": differ_alone, "order_differing": differ_order}
    if differ_alone:
        return (
            False,
            f"predicted one at a time, {differ_alone} of {count} rows get a different answer "
            "than when predicted together",
            figures,
        )
    if differ_order:
        return (
            False,
            f"predicted in reverse order, {differ_order} of {len(rows)} rows change answer",
            figures,
        )
    return True, "each row gets the same answer alone, together and in any order", figures


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


def check_chosen_by_cv(ctx: Context, p: dict[str, Any]) -> tuple[bool, str, dict[str, Any]]:
    """The hyper-parameters in use are the ones cross-validation on the training rows picks."""
    from sklearn.base import clone
    from sklearn.model_selection import GridSearchCV

    predictor = Predictor(ctx, p.get("predictor", "model"))
    x_name, y_name = p.get("train", DEFAULT_TRAIN)
    grid: dict[str, list[Any]] = p["grid"]
    scoring = p.get("scoring")
    search = GridSearchCV(clone(predictor.obj), grid, cv=int(p.get("folds", 5)), scoring=scoring)
    try:
        search.fit(ctx.need(x_name), ctx.need(y_name))
    except Exception as exc:
        raise CheckFailed(
            f"cross-validating `{predictor.name}` over {', '.join(grid)} fails: "
            f"{type(exc).__name__}"
        ) from None
    params = predictor.obj.get_params()
    used = {k: params.get(k) for k in grid}
    picked = {k: search.best_params_[k] for k in grid}
    show = ", ".join(f"{k.rsplit('__', 1)[-1]}={v}" for k, v in used.items())
    pick = ", ".join(f"{k.rsplit('__', 1)[-1]}={v}" for k, v in picked.items())
    folds = int(p.get("folds", 5))
    if used != picked:
        return (
            False,
            f"the model uses {show}; {folds}-fold cross-validation on `{x_name}` picks {pick}",
            {"used": repr(used), "picked": repr(picked)},
        )
    return True, f"{show}, as {folds}-fold cross-validation on `{x_name}` picks", {}


CHECKS: dict[str, Callable[[Context, dict[str, Any]], tuple[bool | None, str, dict[str, Any]]]] = {
    "holdout": check_holdout,
    "refit": check_refit,
    "reported": check_reported,
    "finite": check_finite,
    "reproducible": check_reproducible,
    "batch_invariant": check_batch_invariant,
    "repeatable": check_repeatable,
    "chosen_by_cv": check_chosen_by_cv,
    "calibrated": probability_checks.check_calibrated,
    "expected_count": probability_checks.check_expected_count,
    "rare_class": rare_class_checks.check_rare_class,
}


def run_checks(ctx: Context, specs: list[dict[str, Any]]) -> list[CheckResult]:
    """Run every declared check; one that raises fails with what it observed, never crashes."""
    results = []
    for spec in specs:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                passed, observed, figures = CHECKS[spec["kind"]](ctx, spec["params"])
        except CheckFailed as exc:
            passed, observed, figures = False, str(exc), {}
        except Exception as exc:  # the learner's objects can fail in any way
            passed, observed, figures = False, first_line(exc), {}
        results.append(CheckResult(spec["id"], spec["title"], passed, observed, figures))
    return results
