"""Run a sweep: for each knob value, fit and score the model on every split, in parallel.

The one engine behind every experiment: a SweepPlan goes in, a SweepResult comes out.
"""

from __future__ import annotations

import importlib
import statistics
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from invert.catalog.models import Catalog
from invert.engine.metrics import greater_is_better, metric_function, needs_proba
from invert.engine.plan import SweepPlan, Value, library_versions
from invert.engine.result import Point, SweepResult
from invert.engine.threads import available_cores, threads_per_process
from invert.errors import LearnerError
from invert.kinds.experiments.model import Experiment

if TYPE_CHECKING:
    import pandas as pd

    from invert.engine.budget import Estimate

Progress = Callable[[int, int], None]  # (done, total)
BACKENDS = ("loky", "dask")
# Cold loky workers take 2-4 s to start (each imports pandas and scikit-learn) on a 2-core
# machine, so parallel pays only when the work left is longer than this (bench/experiments.py).
PARALLEL_AFTER = 6.0


class SweepDiverged(LearnerError):
    """A fit or a score produced non-finite numbers: the settings made the model diverge."""


@dataclass(frozen=True)
class FitConfig:
    """Everything that decides one fit, after the knob value and the settings are applied."""

    estimator: str
    params: dict[str, Any]
    preprocess: str
    scale: bool
    columns: tuple[str, ...] | None = None
    train_fraction: float = 1.0
    n_features: int | None = None
    label_noise: float = 0.0
    seed: int = 0
    seed_is_knob: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)


def configure(experiment: Experiment, settings: dict[str, Any], value: Value) -> FitConfig:
    """Apply the knob value, then the held-fixed settings, to the experiment's model and data."""
    config = FitConfig(
        estimator=experiment.estimator,
        params=dict(experiment.params),
        preprocess=experiment.preprocess,
        scale=experiment.scale,
        columns=experiment.columns or None,
        seed=experiment.evaluation.seed,
    )
    config = _apply(config, experiment, experiment.knob.target, value, from_knob=True)
    for target, setting in settings.items():
        config = _apply(config, experiment, target, setting, from_knob=False)
    return config


def _apply(
    config: FitConfig, experiment: Experiment, target: str, value: Any, from_knob: bool
) -> FitConfig:
    choice: dict[str, Any] = experiment.knob.choices.get(str(value), {}) if from_knob else {}
    if target == "model":
        params = dict(choice.get("params", {}))
        return replace(config, estimator=str(choice["estimator"]), params=params)
    if target.startswith("model."):
        return replace(config, params={**config.params, target.removeprefix("model."): value})
    if target == "prep.scale":
        return replace(config, scale=bool(choice["scale"]) if from_knob else bool(value))
    if target == "data.columns":
        return replace(config, columns=tuple(choice["columns"]))
    if target == "data.train_fraction":
        return replace(config, train_fraction=float(value))
    if target == "data.n_features":
        return replace(config, n_features=int(value))
    if target == "data.label_noise":
        return replace(config, label_noise=float(value))
    if target == "seed":
        return replace(config, seed=int(value), seed_is_knob=from_knob)
    raise ValueError(f"unknown target {target!r}")


def load_xy(catalog: Catalog, experiment: Experiment) -> tuple[pd.DataFrame, pd.Series]:
    """The experiment's features and target, subsampled when it asks for it."""
    from invert.datasets import load_frame

    dataset = catalog.dataset(experiment.dataset)
    frame = load_frame(catalog, dataset)
    if experiment.sample is not None and experiment.sample < len(frame):
        frame = frame.sample(n=experiment.sample, random_state=0).sort_index()
    y = frame[dataset.target]
    X = frame.drop(columns=[dataset.target])
    return X.reset_index(drop=True), y.reset_index(drop=True)


def sweep_estimate(
    plan: SweepPlan,
    X: pd.DataFrame,
    jobs: int | None,
    budget: float | None = None,
    memory_limit: int | None = None,
) -> Estimate:
    """What the sweep of `plan` on the features `X` will cost, with `jobs` workers."""
    from invert.engine.budget import estimate

    data_bytes = int(X.memory_usage(deep=True).sum())
    workers = available_cores() if jobs is None else jobs
    return estimate(plan, data_bytes, workers, budget, memory_limit)


def make_splits(y: pd.Series, experiment: Experiment, seed: int) -> list[tuple[Any, Any, int]]:
    """(train rows, test rows, seed) for every split the evaluation declares."""
    import numpy as np
    from sklearn.model_selection import (
        RepeatedKFold,
        RepeatedStratifiedKFold,
        train_test_split,
    )

    ev = experiment.evaluation
    rows = np.arange(len(y))
    stratify = experiment.task == "classification"
    if ev.scheme == "kfold":
        kind = RepeatedStratifiedKFold if stratify else RepeatedKFold
        splitter = kind(n_splits=ev.folds, n_repeats=ev.repeats, random_state=seed)
        return [(tr, te, seed) for tr, te in splitter.split(rows, y)]
    splits = []
    for repeat in range(ev.repeats):
        tr, te = train_test_split(
            rows,
            test_size=ev.test_size,
            random_state=seed + repeat,
            stratify=y if stratify else None,
        )
        splits.append((tr, te, seed + repeat))
    return splits


def build_model(config: FitConfig, X: pd.DataFrame) -> Any:
    """A fresh scikit-learn Pipeline: optional preparation, then the estimator."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    module, _, name = config.estimator.rpartition(".")
    estimator = getattr(importlib.import_module(module), name)()
    params = dict(config.params)
    if "random_state" in estimator.get_params() and (
        "random_state" not in params or config.seed_is_knob
    ):
        params["random_state"] = config.seed
    estimator.set_params(**params)
    steps: list[tuple[str, Any]] = []
    if config.preprocess == "tabular":
        numeric = list(X.select_dtypes("number").columns)
        categorical = [c for c in X.columns if c not in numeric]
        numbers: Any = SimpleImputer(strategy="median")
        if config.scale:
            numbers = make_pipeline(numbers, StandardScaler())
        words = make_pipeline(
            SimpleImputer(strategy="constant", fill_value="missing"),
            OneHotEncoder(handle_unknown="ignore", sparse_output=False),
        )
        prepare = ColumnTransformer([("numbers", numbers, numeric), ("words", words, categorical)])
        steps.append(("prep", prepare))
    elif config.scale:
        steps.append(("prep", StandardScaler()))
    steps.append(("model", estimator))
    return Pipeline(steps)


def evaluate_split(
    config: FitConfig,
    X: pd.DataFrame,
    y: pd.Series,
    train: Any,
    test: Any,
    split_seed: int,
    metric: str,
    also: tuple[str, ...],
    positive: Any,
    task: str,
) -> dict[str, Any]:
    """Fit on one split's training rows and score on both parts. Runs in a worker process."""
    import numpy as np
    from sklearn.model_selection import train_test_split

    columns = list(config.columns or X.columns)
    if config.n_features is not None:
        order = np.random.default_rng(0).permutation(len(columns))
        columns = [columns[i] for i in sorted(order[: config.n_features])]
    X_train, y_train = X.iloc[train][columns], y.iloc[train]
    n_keep = int(config.train_fraction * len(y_train))  # as train_test_split rounds it
    if 0 < n_keep < len(y_train):
        # Stratified while both parts can hold every class; a fraction near 1 leaves too few
        # rows aside for that, and then a plain random subset is kept.
        classes = y_train.nunique() if task == "classification" else 0
        stratify = classes and min(n_keep, len(y_train) - n_keep) >= classes
        keep, _ = train_test_split(
            np.arange(len(y_train)),
            train_size=n_keep,
            random_state=split_seed,
            stratify=y_train if stratify else None,
        )
        X_train, y_train = X_train.iloc[keep], y_train.iloc[keep]
    if config.label_noise > 0 and task == "classification":
        rng = np.random.default_rng(split_seed)
        labels = np.asarray(y_train).copy()
        label_set = np.unique(labels)
        flip = rng.random(len(labels)) < config.label_noise
        for i in np.flatnonzero(flip):
            others = label_set[label_set != labels[i]]
            labels[i] = rng.choice(others)
        y_train = y_train.copy()
        y_train[:] = labels
    X_test, y_test = X.iloc[test][columns], y.iloc[test]
    model = build_model(config, X_train)
    if config.preprocess == "none":
        # Without a ColumnTransformer nothing needs column names; plain arrays skip pandas
        # validation on every fit and predict (measured: most of the engine's overhead).
        X_train, X_test = X_train.to_numpy(), X_test.to_numpy()
        y_train, y_test = y_train.to_numpy(), y_test.to_numpy()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        start = time.perf_counter()
        try:
            model.fit(X_train, y_train)
        except (ValueError, FloatingPointError, OverflowError) as exc:
            if not any(word in str(exc).lower() for word in ("finite", "nan", "inf", "overflow")):
                raise
            raise SweepDiverged(f"{config.estimator.rsplit('.', 1)[-1]} diverged: {exc}") from None
        fit_seconds = time.perf_counter() - start
        start = time.perf_counter()
        test_pred = model.predict(X_test)
        predict_seconds = time.perf_counter() - start
        names = (metric, *also)
        proba = any(needs_proba(n) for n in names)
        outputs: dict[str, tuple[Any, Any, Any]] = {
            "test": (y_test, test_pred, model.predict_proba(X_test) if proba else None),
            "train": (
                y_train,
                model.predict(X_train),
                model.predict_proba(X_train) if needs_proba(metric) else None,
            ),
        }
    classes = getattr(model, "classes_", None)
    scores: dict[str, dict[str, float]] = {"train": {}, "test": {}}
    for part, (truth, pred, prob) in outputs.items():
        for name in names if part == "test" else (metric,):
            function = metric_function(name, positive)
            try:
                scores[part][name] = function(truth, prob if needs_proba(name) else pred, classes)
            except ValueError as exc:
                raise RuntimeError(
                    f"{config.estimator} could not be scored ({exc}); it diverged"
                ) from exc
    return {
        "train": scores["train"][metric],
        "test": scores["test"][metric],
        "also": {n: scores["test"][n] for n in also},
        "fit_seconds": fit_seconds,
        "predict_seconds": predict_seconds,
        "seed": split_seed,
        "warnings": sorted(
            {f"{w.category.__name__}: {str(w.message).splitlines()[0][:120]}" for w in caught}
        ),
    }


def _std(values: list[float]) -> float:
    return statistics.pstdev(values) if len(values) > 1 else 0.0


def run_sweep(
    catalog: Catalog,
    plan: SweepPlan,
    key: str,
    jobs: int | None = 1,
    backend: str = "loky",
    scheduler: str | None = None,
    on_progress: Progress | None = None,
    budget: float | None = None,
    memory_limit: int | None = None,
) -> tuple[SweepResult, list[str]]:
    """Measure every knob value on every split; return the result and the warnings seen.

    `jobs=None` decides by itself: it runs in this process and moves to one worker per core
    when the time measured so far shows the remaining work is worth it. A sweep estimated to
    break its time `budget` (seconds) or `memory_limit` (bytes) is refused before any fit.
    """
    from joblib import Parallel, delayed, parallel_config
    from threadpoolctl import threadpool_limits

    experiment = plan.experiment
    ev = experiment.evaluation
    X, y = load_xy(catalog, experiment)
    cost = sweep_estimate(plan, X, jobs, budget, memory_limit)
    if cost.over is not None:
        raise LearnerError(cost.over)
    configs = [configure(experiment, plan.settings, v) for v in plan.values]
    splits_by_seed: dict[int, list[tuple[Any, Any, int]]] = {}
    tasks = []
    for index, config in enumerate(configs):
        if config.seed not in splits_by_seed:
            splits_by_seed[config.seed] = make_splits(y, experiment, config.seed)
        for train, test, seed in splits_by_seed[config.seed]:
            tasks.append(
                (
                    index,
                    (
                        config,
                        X,
                        y,
                        train,
                        test,
                        seed,
                        ev.metric,
                        ev.also,
                        ev.positive,
                        experiment.task,
                    ),
                )
            )
    total = len(tasks)
    outcomes: list[tuple[int, dict[str, Any]]] = []
    workers = available_cores()
    start = time.perf_counter()

    def tick() -> None:
        if on_progress is not None:
            on_progress(len(outcomes), total)

    tick()
    if backend == "dask":
        client = _dask_client(scheduler)
        try:
            with parallel_config(backend="dask"):
                results = Parallel(n_jobs=-1)(delayed(evaluate_split)(*args) for _, args in tasks)
            outcomes = [(index, r) for (index, _), r in zip(tasks, results, strict=True)]
            tick()
        finally:
            client.close()
        used = "dask"
    else:
        # With jobs=None ("auto"), start in this process and hand the rest to worker processes
        # only once the measured time per task says they will pay for their start-up.
        pending = list(tasks)
        if jobs is None or jobs == 1:
            with threadpool_limits(limits=threads_per_process(1)):
                while pending:
                    index, args = pending.pop(0)
                    outcomes.append((index, evaluate_split(*args)))
                    tick()
                    per_task = (time.perf_counter() - start) / len(outcomes)
                    if jobs is None and workers > 1 and per_task * len(pending) > PARALLEL_AFTER:
                        break
        used = "in-process"
        if pending:
            ran_here = len(outcomes)
            n_jobs = workers if jobs is None else jobs
            with parallel_config(backend="loky", inner_max_num_threads=threads_per_process(n_jobs)):
                parallel = Parallel(n_jobs=n_jobs, return_as="generator_unordered")
                for outcome in parallel(delayed(_tagged)(index, args) for index, args in pending):
                    outcomes.append(outcome)
                    tick()
            used = f"{n_jobs} loky workers"
            if ran_here:
                used = f"in-process, then {used}"
    wall = time.perf_counter() - start
    points = []
    seen_warnings: set[str] = set()
    for index, value in enumerate(plan.values):
        mine = [r for i, r in outcomes if i == index]
        for r in mine:
            seen_warnings.update(r["warnings"])
        train = [r["train"] for r in mine]
        test = [r["test"] for r in mine]
        points.append(
            Point(
                value=value,
                train_mean=statistics.fmean(train),
                train_std=_std(train),
                test_mean=statistics.fmean(test),
                test_std=_std(test),
                fit_seconds=statistics.fmean(r["fit_seconds"] for r in mine),
                predict_seconds=statistics.fmean(r["predict_seconds"] for r in mine),
                seeds=sorted({r["seed"] for r in mine}),
                splits=len(mine),
                also={n: statistics.fmean(r["also"][n] for r in mine) for n in ev.also},
            )
        )
    result = SweepResult(
        experiment=experiment.id,
        knob=experiment.knob.label,
        metric=ev.metric,
        greater_is_better=greater_is_better(ev.metric),
        points=points,
        settings=dict(plan.settings),
        cache_key=key,
        versions=library_versions(),
        wall_seconds=wall,
        jobs=jobs or workers,
        backend=used,
    )
    return result, sorted(seen_warnings)


def _tagged(index: int, args: tuple[Any, ...]) -> tuple[int, dict[str, Any]]:
    return index, evaluate_split(*args)


def _dask_client(scheduler: str | None) -> Any:
    if not scheduler:
        raise LearnerError(
            "--backend dask needs --scheduler ADDRESS (for example tcp://127.0.0.1:8786)"
        )
    try:
        from distributed import Client
    except ImportError:
        raise LearnerError("--backend dask needs Dask: pip install 'invert[dask]'") from None
    try:
        return Client(scheduler, timeout="10s")  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise LearnerError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from None


def measure_fit_seconds(catalog: Any, experiment: Experiment) -> float:
    """Seconds per fit of the experiment's default sweep on one core, measured now."""
    from invert.engine.plan import plan_sweep

    plan = plan_sweep(experiment)
    result, _ = run_sweep(catalog, plan, "measure", jobs=1)
    return result.wall_seconds / (len(plan.values) * experiment.evaluation.splits)
