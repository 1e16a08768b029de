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
from invert.engine.plan import SweepPlan, Value
from invert.engine.result import Point, SweepResult
from invert.engine.threads import available_cores
from invert.engine.versions import library_versions
from invert.errors import LearnerError
from invert.kinds.experiments.model import Experiment

if TYPE_CHECKING:
    import pandas as pd

    from invert.engine.budget import Estimate

Progress = Callable[[int, int], None]  # (done, total)
OnOutcome = Callable[[int, dict[str, Any]], None]  # (value index, one split's outcome)
BACKENDS = ("loky", "dask")


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


_FRAMES: dict[tuple[Any, ...], pd.DataFrame] = {}  # the warm engine keeps every dataset read


def load_xy(catalog: Catalog, experiment: Experiment) -> tuple[pd.DataFrame, pd.Series]:
    """The experiment's features and target, subsampled when it asks for it."""
    from invert.datasets import load_frame

    dataset = catalog.dataset(experiment.dataset)
    path = catalog.data_file(dataset)
    stat = path.stat() if path is not None else None
    memo = (dataset.id, str(path), stat and (stat.st_mtime_ns, stat.st_size))
    frame = _FRAMES.get(memo)
    if frame is None:
        frame = _FRAMES[memo] = load_frame(catalog, dataset)
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


def make_estimator(config: FitConfig) -> Any:
    """A fresh estimator with the config's parameters; the seed goes to its random_state."""
    module, _, name = config.estimator.rpartition(".")
    estimator = getattr(importlib.import_module(module), name)()
    params = dict(config.params)
    if "random_state" in estimator.get_params() and (
        "random_state" not in params or config.seed_is_knob
    ):
        params["random_state"] = config.seed
    estimator.set_params(**params)
    return estimator


def make_preparation(config: FitConfig, X: pd.DataFrame) -> Any | None:
    """The data preparation the config asks for, unfitted (None: the model takes X as it is).

    For "tabular": median-imputed numbers (standardised if `scale`) and one-hot encoded words.
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

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
        return ColumnTransformer([("numbers", numbers, numeric), ("words", words, categorical)])
    return StandardScaler() if config.scale else None


def build_model(config: FitConfig, X: pd.DataFrame) -> Any:
    """The fit as one scikit-learn Pipeline (the preparation, then the estimator): what a learner
    would write, and what the engine's shared preparation must agree with (tests prove it)."""
    from sklearn.pipeline import Pipeline

    steps: list[tuple[str, Any]] = []
    prepare = make_preparation(config, X)
    if prepare is not None:
        steps.append(("prep", prepare))
    steps.append(("model", make_estimator(config)))
    return Pipeline(steps)


def prep_key(config: FitConfig) -> tuple[Any, ...]:
    """What decides a split's prepared features: two configs with one key share them."""
    return (
        config.preprocess,
        config.scale,
        config.columns,
        config.n_features,
        config.train_fraction,
    )


@dataclass
class SplitData:
    """One split's rows, after the config's column choice, subset and label noise."""

    X_train: Any
    y_train: Any
    X_test: Any
    y_test: Any


def split_rows(
    config: FitConfig, X: pd.DataFrame, y: pd.Series, train: Any, test: Any, split_seed: int,
    task: str,
) -> SplitData:  # fmt: skip
    """The training and test rows of one split as the config shapes them."""
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
    return SplitData(X_train, y_train, X.iloc[test][columns], y.iloc[test])


@dataclass
class Prepared:
    """A split's features as the model sees them: fitted on, predicted on (train), tested on."""

    fit: Any
    train: Any
    test: Any


def prepare(config: FitConfig, rows: SplitData) -> Prepared:
    """Fit the preparation on the training rows and apply it, as a Pipeline's fit and predict
    would: `fit` is its fit_transform of the training rows, `train` and `test` its transform."""
    if config.preprocess == "none":
        # Without a ColumnTransformer nothing needs column names; plain arrays skip pandas
        # validation on every fit and predict (measured: most of the engine's overhead).
        X_train, X_test = rows.X_train.to_numpy(), rows.X_test.to_numpy()
    else:
        X_train, X_test = rows.X_train, rows.X_test
    preparation = make_preparation(config, rows.X_train)
    if preparation is None:
        return Prepared(X_train, X_train, X_test)
    fitted = preparation.fit_transform(X_train)
    return Prepared(fitted, preparation.transform(X_train), preparation.transform(X_test))


def fit_and_score(
    config: FitConfig,
    estimator: Any,
    data: Prepared,
    y_train: Any,
    y_test: Any,
    split_seed: int,
    scoring: Scoring,
) -> dict[str, Any]:
    """Fit `estimator` on one split's prepared training rows and score it on both parts."""
    if config.preprocess == "none":
        y_train, y_test = y_train.to_numpy(), y_test.to_numpy()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        start = time.perf_counter()
        try:
            estimator.fit(data.fit, y_train)
        except (ValueError, FloatingPointError, OverflowError) as exc:
            if not any(word in str(exc).lower() for word in ("finite", "nan", "inf", "overflow")):
                raise
            raise SweepDiverged(f"{config.estimator.rsplit('.', 1)[-1]} diverged: {exc}") from None
        fit_seconds = time.perf_counter() - start
        start = time.perf_counter()
        test_pred = estimator.predict(data.test)
        predict_seconds = time.perf_counter() - start
        metric = scoring.metric
        names = (metric, *scoring.also)
        proba = any(needs_proba(n) for n in names)
        outputs: dict[str, tuple[Any, Any, Any]] = {
            "test": (y_test, test_pred, estimator.predict_proba(data.test) if proba else None),
            "train": (
                y_train,
                estimator.predict(data.train),
                estimator.predict_proba(data.train) if needs_proba(metric) else None,
            ),
        }
    classes = getattr(estimator, "classes_", None)
    scores: dict[str, dict[str, float]] = {"train": {}, "test": {}}
    for part, (truth, pred, prob) in outputs.items():
        for name in names if part == "test" else (metric,):
            function = metric_function(name, scoring.positive)
            try:
                scores[part][name] = function(truth, prob if needs_proba(name) else pred, classes)
            except ValueError as exc:
                raise RuntimeError(
                    f"{config.estimator} could not be scored ({exc}); it diverged"
                ) from exc
    return {
        "train": scores["train"][metric],
        "test": scores["test"][metric],
        "also": {n: scores["test"][n] for n in scoring.also},
        "fit_seconds": fit_seconds,
        "predict_seconds": predict_seconds,
        "seed": split_seed,
        "warnings": sorted(
            {f"{w.category.__name__}: {str(w.message).splitlines()[0][:120]}" for w in caught}
        ),
    }


@dataclass(frozen=True)
class Scoring:
    metric: str
    also: tuple[str, ...]
    positive: Any
    task: str


def evaluate_split(
    config: FitConfig, X: pd.DataFrame, y: pd.Series, train: Any, test: Any, split_seed: int,
    scoring: Scoring,
) -> dict[str, Any]:  # fmt: skip
    """One fit on one split, prepared on its own: what a Dask worker runs for each task."""
    rows = split_rows(config, X, y, train, test, split_seed, scoring.task)
    return fit_and_score(
        config, make_estimator(config), prepare(config, rows), rows.y_train, rows.y_test,
        split_seed, scoring,
    )  # fmt: skip


def _std(values: list[float]) -> float:
    return statistics.pstdev(values) if len(values) > 1 else 0.0


def points(plan: SweepPlan, outcomes: dict[int, list[dict[str, Any]]]) -> list[Point]:
    """One Point per knob value that has outcomes, from its splits' outcomes (in any order:
    the means and deviations are exactly rounded, so the order the splits finished in does
    not change a digit)."""
    found = []
    also = plan.experiment.evaluation.also
    for index, value in enumerate(plan.values):
        mine = outcomes.get(index)
        if not mine:
            continue
        train = [r["train"] for r in mine]
        test = [r["test"] for r in mine]
        found.append(
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
                also={n: statistics.fmean(r["also"][n] for r in mine) for n in also},
            )
        )
    return found


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
    on_outcome: OnOutcome | None = None,
) -> tuple[SweepResult, list[str]]:
    """Measure every knob value on every split; return the result and the warnings seen.

    The fits run in lanes (invert.engine.lanes): each lane takes its share of the splits and
    goes through the knob's values in order, preparing each split's data once and, where the
    knob only adds to a model (a forest's trees), growing one model per split. `jobs=None`
    runs one lane per core unless the work is too small. `on_outcome(value index,
    outcome)` hears each fit as it finishes. A sweep estimated to break its time `budget`
    (seconds) or `memory_limit` (bytes) is refused before any fit.
    """
    from invert.engine.lanes import SweepWork, auto_lanes, run_lanes

    experiment = plan.experiment
    ev = experiment.evaluation
    X, y = load_xy(catalog, experiment)
    cost = sweep_estimate(plan, X, jobs, budget, memory_limit)
    if cost.over is not None:
        raise LearnerError(cost.over)
    configs = [configure(experiment, plan.settings, v) for v in plan.values]
    splits_by_seed: dict[int, list[tuple[Any, Any, int]]] = {}
    for config in configs:
        if config.seed not in splits_by_seed:
            splits_by_seed[config.seed] = make_splits(y, experiment, config.seed)
    scoring = Scoring(ev.metric, ev.also, ev.positive, experiment.task)
    work = SweepWork(
        experiment, plan.values, configs, X, y,
        [splits_by_seed[c.seed] for c in configs], scoring,
    )  # fmt: skip
    total = work.fits
    outcomes: dict[int, list[dict[str, Any]]] = {}
    done = 0
    start = time.perf_counter()
    if on_progress is not None:
        on_progress(0, total)
    if backend == "dask":
        results = _run_dask(work, scheduler)
        for index, outcome in results:
            outcomes.setdefault(index, []).append(outcome)
        used = "dask"
        if on_progress is not None:
            on_progress(total, total)
    else:
        one_core = cost.seconds * cost.workers
        lanes = auto_lanes(work.fits, one_core) if jobs is None else jobs
        lanes = max(1, min(lanes, work.fits))
        stream, used = run_lanes(work, lanes)
        for index, outcome in stream:
            outcomes.setdefault(index, []).append(outcome)
            done += 1
            if on_outcome is not None:
                on_outcome(index, outcome)
            if on_progress is not None:
                on_progress(done, total)
    wall = time.perf_counter() - start
    seen_warnings = {w for mine in outcomes.values() for r in mine for w in r["warnings"]}
    result = SweepResult(
        experiment=experiment.id,
        knob=experiment.knob.label,
        metric=ev.metric,
        greater_is_better=greater_is_better(ev.metric),
        points=points(plan, outcomes),
        settings=dict(plan.settings),
        cache_key=key,
        versions=library_versions(),
        wall_seconds=wall,
        jobs=jobs or available_cores(),
        backend=used,
    )
    return result, sorted(seen_warnings)


def _run_dask(work: Any, scheduler: str | None) -> list[tuple[int, dict[str, Any]]]:
    from joblib import Parallel, delayed, parallel_config

    tasks = [
        (index, (work.configs[index], work.X, work.y, train, test, seed, work.scoring))
        for index, splits in enumerate(work.splits)
        for train, test, seed in splits
    ]
    client = _dask_client(scheduler)
    try:
        with parallel_config(backend="dask"):
            results = Parallel(n_jobs=-1)(delayed(evaluate_split)(*args) for _, args in tasks)
    finally:
        client.close()
    return [(index, r) for (index, _), r in zip(tasks, results, strict=True)]


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
