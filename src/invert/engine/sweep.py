"""Run a sweep: for each knob value, fit and score the model on every split, in parallel.

The one engine behind every experiment: a SweepPlan goes in, a SweepResult comes out.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from invert.catalog.models import Catalog
from invert.engine.fits import FitConfig, Scoring, evaluate_split
from invert.engine.metrics import greater_is_better
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


def partial_result(
    plan: SweepPlan,
    outcomes: dict[int, list[dict[str, Any]]],
    known: dict[int, Point],
    seconds: float,
) -> SweepResult:
    """A running sweep so far, for a view to show: each value with at least one split measured,
    its point the mean of the splits so far, with the points earlier sweeps measured (`known`,
    by value index) as they are; in the plan's order. Nothing of it is cached or journalled."""
    by_value = {p.value: p for p in points(plan, outcomes)}
    by_value.update({plan.values[i]: p for i, p in known.items()})
    metric = plan.experiment.evaluation.metric
    return SweepResult(
        experiment=plan.experiment.id,
        knob=plan.experiment.knob.label,
        metric=metric,
        greater_is_better=greater_is_better(metric),
        points=[by_value[v] for v in plan.values if v in by_value],
        settings=dict(plan.settings),
        cache_key="",
        versions={},
        wall_seconds=seconds,
        jobs=1,
        backend="",
    )


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
