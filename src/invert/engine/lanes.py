"""Lanes: how a sweep's fits are ordered, shared and spread over cores.

A sweep is every knob value fitted on every split. A lane takes a share of the splits and goes
through the values in order, so the first value's point is complete after the first round of
fits in every lane, and results can be shown point by point while the rest runs.

Within a lane nothing is done twice:
- a split's prepared features (the column choice, the subset, the imputer, scaler and one-hot
  encoder fitted on its training rows) are made once and kept for every value that prepares its
  data the same way; the knob of most experiments never touches them;
- where the knob only adds to a model (the number of trees of a forest or of a boosted
  ensemble), one model per split is grown with `warm_start`, scored at each size, instead of
  being refitted from nothing. Both give the very numbers separate fits give: tests prove it on
  every built-in experiment (tests/test_lanes.py).

Lanes run in forked processes when the platform can fork and this process runs no other thread
(a fork copies the loaded libraries and the data: nothing is imported twice); otherwise in
loky's workers, or one after the other here.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from invert.engine.threads import available_cores, threads_per_process

if TYPE_CHECKING:
    import pandas as pd

    from invert.engine.fits import FitConfig, Prepared, Scoring
    from invert.engine.plan import Value
    from invert.kinds.experiments.model import Experiment

Outcome = tuple[int, dict[str, Any]]  # (value index, one split's outcome)

# Estimators whose `warm_start` growth by n_estimators is proven to equal a fresh fit with the
# same random_state (tests/test_lanes.py): trees are drawn from the seed in order, so the first
# n of a bigger ensemble are the n of a smaller one.
GROWS_BY_WARM_START = frozenset(
    f"sklearn.ensemble.{name}"
    for name in (
        "RandomForestClassifier",
        "RandomForestRegressor",
        "ExtraTreesClassifier",
        "ExtraTreesRegressor",
        "GradientBoostingClassifier",
        "GradientBoostingRegressor",
    )
)
SMALL_WORK = 0.5  # seconds of fitting under which a second lane costs more than it saves


@dataclass
class SweepWork:
    """Everything the fits of one sweep need, built once and shared by its lanes."""

    experiment: Experiment
    values: tuple[Value, ...]
    configs: list[FitConfig]
    X: pd.DataFrame
    y: pd.Series
    splits: list[list[tuple[Any, Any, int]]]  # per value: (train rows, test rows, seed)
    scoring: Scoring
    grows: bool = field(init=False)

    def __post_init__(self) -> None:
        self.grows = grows_by_warm_start(self.experiment, self.configs)

    @property
    def fits(self) -> int:
        return sum(len(s) for s in self.splits)

    def order(self) -> list[int]:
        """The value indices in the order a lane fits them: as given, or by size when one
        model is grown (it can only grow)."""
        indices = list(range(len(self.values)))
        if self.grows:
            indices.sort(key=lambda i: self.configs[i].params["n_estimators"])
        return indices

    def lane(self, lane: int, lanes: int) -> Iterator[Outcome]:
        """Lane `lane` of `lanes`: its share of the fits, value by value."""
        from invert.engine.fits import (
            fit_and_score,
            make_estimator,
            prep_key,
            prepare,
            split_rows,
        )

        by_split = min(len(s) for s in self.splits) >= lanes  # else share out single fits
        shared = _shared_keys(self.configs)
        kept: dict[tuple[Any, ...], Prepared] = {}
        grown: dict[int, Any] = {}  # split number -> the model grown so far
        growing: dict[int, float] = {}  # split number -> seconds spent growing it
        task = 0
        for index in self.order():
            config = self.configs[index]
            for number, (train, test, seed) in enumerate(self.splits[index]):
                mine = (number if by_split else task) % lanes == lane
                task += 1
                if not mine:
                    continue
                rows = split_rows(config, self.X, self.y, train, test, seed, self.scoring.task)
                key = (*prep_key(config), number, seed)
                data = kept.get(key)
                if data is None:
                    data = prepare(config, rows)
                    if prep_key(config) in shared:
                        kept[key] = data
                if self.grows:
                    estimator = grown.get(number)
                    if estimator is None:
                        estimator = grown[number] = make_estimator(config)
                    size = config.params["n_estimators"]
                    estimator.set_params(warm_start=True, n_estimators=size)
                else:
                    estimator = make_estimator(config)
                outcome = fit_and_score(
                    config, estimator, data, rows.y_train, rows.y_test, seed, self.scoring
                )
                if self.grows:
                    # A model of this size took this growth and every one before it.
                    growing[number] = growing.get(number, 0.0) + outcome["fit_seconds"]
                    outcome["fit_seconds"] = growing[number]
                yield index, outcome


def grows_by_warm_start(experiment: Experiment, configs: list[FitConfig]) -> bool:
    """Whether the knob only sets the number of members of an ensemble that grows the same by
    warm start, with everything else held the same across the values."""
    if experiment.knob.target != "model.n_estimators" or len(configs) < 2:
        return False
    first = configs[0]
    if first.estimator not in GROWS_BY_WARM_START:
        return False

    def rest(config: FitConfig) -> FitConfig:
        params = {k: v for k, v in config.params.items() if k != "n_estimators"}
        return replace(config, params=params)

    return all(rest(c) == rest(first) for c in configs) and not first.params.get("warm_start")


def _shared_keys(configs: list[FitConfig]) -> set[tuple[Any, ...]]:
    """The preparations two or more values have in common: only those are worth keeping."""
    from invert.engine.fits import prep_key

    counts: dict[tuple[Any, ...], int] = {}
    for config in configs:
        counts[prep_key(config)] = counts.get(prep_key(config), 0) + 1
    return {key for key, count in counts.items() if count > 1}


def can_fork() -> bool:
    """Forking is safe here: the platform has it and no other thread could hold a lock."""
    return hasattr(os, "fork") and threading.active_count() == 1


def auto_lanes(fits: int, one_core_seconds: float) -> int:
    """How many lanes to run at once when the learner did not say: one per core, unless the
    work is too small to be worth a fork or forking is unsafe here.

    Forked lanes start with everything loaded, so they cost a few milliseconds, not the seconds
    of workers that import scikit-learn again: measured on 2 cores, two lanes beat one whether
    the machine is idle or one or both cores are busy with other work (bench/warm.py), so the
    load of the machine does not enter into it.
    """
    if available_cores() < 2 or fits < 2 or one_core_seconds < SMALL_WORK or not can_fork():
        return 1
    return min(available_cores(), fits)


def run_lanes(work: SweepWork, lanes: int) -> tuple[Iterator[Outcome], str]:
    """The outcomes of every fit as they finish, and how they ran (for the result's record)."""
    if lanes <= 1:
        return _in_process(work), "in-process"
    if can_fork():
        return _forked(work, lanes), f"{lanes} forked lanes"
    return _loky(work, lanes), f"{lanes} loky workers"


def _in_process(work: SweepWork) -> Iterator[Outcome]:
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=threads_per_process(1)):
        yield from work.lane(0, 1)


def _forked(work: SweepWork, lanes: int) -> Iterator[Outcome]:
    """Each lane in a forked child, sending its outcomes back as they finish."""
    import multiprocessing
    from multiprocessing.connection import Connection, wait

    context = multiprocessing.get_context("fork")
    children = []
    readers = []
    try:
        for lane in range(lanes):
            reader, writer = context.Pipe(duplex=False)
            child = context.Process(target=_lane_child, args=(work, lane, lanes, writer))
            child.daemon = True
            child.start()
            writer.close()
            children.append(child)
            readers.append(reader)
        open_readers = list(readers)
        while open_readers:
            for ready in wait(open_readers):
                assert isinstance(ready, Connection)
                try:
                    message = ready.recv()
                except EOFError:
                    open_readers.remove(ready)
                    continue
                kind, payload = message
                if kind == "outcome":
                    yield payload
                elif kind == "error":
                    raise payload
                else:  # "done"
                    open_readers.remove(ready)
        for child in children:
            child.join()
            if child.exitcode not in (0, None):
                raise RuntimeError(f"a sweep lane ended with exit code {child.exitcode}")
    finally:
        for child in children:
            if child.is_alive():
                child.kill()
                child.join()
        for reader in readers:
            reader.close()


def _lane_child(work: SweepWork, lane: int, lanes: int, writer: Any) -> None:
    from threadpoolctl import threadpool_limits

    try:
        with threadpool_limits(limits=threads_per_process(lanes)):
            for outcome in work.lane(lane, lanes):
                writer.send(("outcome", outcome))
        writer.send(("done", None))
    except BaseException as exc:  # reported to the parent, which raises it
        try:
            writer.send(("error", exc))
        except Exception:
            writer.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        writer.close()


def _loky(work: SweepWork, lanes: int) -> Iterator[Outcome]:
    from joblib import Parallel, delayed, parallel_config

    with parallel_config(backend="loky", inner_max_num_threads=threads_per_process(lanes)):
        parallel = Parallel(n_jobs=lanes, return_as="generator_unordered")
        for outcomes in parallel(delayed(_lane_list)(work, lane, lanes) for lane in range(lanes)):
            yield from outcomes


def _lane_list(work: SweepWork, lane: int, lanes: int) -> list[Outcome]:
    return list(work.lane(lane, lanes))
