"""The sweep engine: deterministic, parallel without changing results, cached on what matters."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from invert.catalog.loader import load_catalog
from invert.engine.plan import cache_key, plan_sweep
from invert.engine.result import SweepResult
from invert.engine.sweep import run_sweep
from invert.errors import LearnerError

CATALOG = load_catalog()
SMALL = "feature-scaling-knn"  # wine, two values: quick


def measured(result: SweepResult) -> list[tuple[object, ...]]:
    return [
        (p.value, p.train_mean, p.train_std, p.test_mean, p.test_std, p.seeds, p.splits)
        for p in result.points
    ]


def run(jobs: int = 1, **kwargs: object) -> SweepResult:
    plan = plan_sweep(CATALOG.experiments[SMALL])
    result, _ = run_sweep(CATALOG, plan, cache_key(CATALOG, plan), jobs=jobs, **kwargs)  # type: ignore[arg-type]
    return result


def test_a_result_is_deterministic_given_its_seed() -> None:
    assert measured(run()) == measured(run())


def test_parallel_workers_give_the_same_numbers() -> None:
    assert measured(run(jobs=2)) == measured(run(jobs=1))


def test_a_dask_cluster_gives_the_same_numbers() -> None:
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False) as cluster:
        result = run(backend="dask", scheduler=cluster.scheduler_address)
    assert measured(result) == measured(run())
    assert result.backend == "dask"


def test_the_cache_key_covers_what_determines_a_result() -> None:
    experiment = CATALOG.experiments["tree-max-depth"]
    base = cache_key(CATALOG, plan_sweep(experiment))
    assert base == cache_key(CATALOG, plan_sweep(experiment))
    assert base != cache_key(CATALOG, plan_sweep(experiment, values="1,2,3"))
    assert base != cache_key(CATALOG, plan_sweep(experiment, sets=["data.train_fraction=0.5"]))
    edited = dataclasses.replace(experiment, params={"criterion": "entropy"})
    assert base != cache_key(CATALOG, plan_sweep(edited))
    reworded = dataclasses.replace(experiment, question="A different question, same sweep?")
    assert base == cache_key(CATALOG, plan_sweep(reworded))


def test_result_round_trips_through_json() -> None:
    result = run()
    again = SweepResult.from_json(result.to_json())
    assert measured(again) == measured(result) and again.test_shape == result.test_shape


@pytest.mark.parametrize(
    ("values", "sets", "message"),
    [
        ("0,5", None, "outside the range"),
        ("1,x", None, "takes numbers"),
        ("1.5,3", None, "whole numbers"),
        ("3", None, "at least two values"),
        ("2,2", None, "twice"),
        (None, ["depth=3"], "lets you set"),
        (None, ["data.train_fraction=2"], "outside the range"),
        (None, ["data.train_fraction"], "name=value"),
    ],
)
def test_values_and_settings_outside_the_declared_ranges_are_refused(
    values: str | None, sets: list[str] | None, message: str
) -> None:
    with pytest.raises(LearnerError, match=message) as info:
        plan_sweep(CATALOG.experiments["tree-max-depth"], values, sets)
    assert "\n" not in str(info.value)


def test_settings_change_the_measurement() -> None:
    experiment = CATALOG.experiments["tree-max-depth"]
    plan = plan_sweep(experiment, values="2,20", sets=["data.train_fraction=0.3"])
    result, _ = run_sweep(CATALOG, plan, "key", jobs=1)
    assert plan.settings["data.train_fraction"] == 0.3
    assert [p.value for p in result.points] == [2, 20]


@pytest.mark.parametrize("fraction", [0.99, 0.995, 1.0])
def test_a_training_fraction_near_one_runs(fraction: float) -> None:
    """Near 1, too few rows are left aside for a stratified split of wine's three classes: the
    subset is then drawn plainly, not a scikit-learn error; at most one row in a hundred goes."""
    plan = plan_sweep(CATALOG.experiments[SMALL], sets=[f"data.train_fraction={fraction}"])
    result, _ = run_sweep(CATALOG, plan, "key", jobs=1)
    assert len(result.points) == len(plan.values)
    assert all(0.5 < p.test_mean <= 1.0 for p in result.points)


def test_auto_jobs_runs_small_work_in_one_lane_and_other_work_on_every_core(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from invert.engine import lanes

    monkeypatch.setattr(lanes, "available_cores", lambda: 2)
    monkeypatch.setattr(lanes, "can_fork", lambda: True)  # as in the engine's children
    assert lanes.auto_lanes(fits=20, one_core_seconds=3.0) == 2
    assert lanes.auto_lanes(fits=20, one_core_seconds=0.05) == 1  # not worth a fork
    assert lanes.auto_lanes(fits=1, one_core_seconds=3.0) == 1
    # Where forking is unsafe (another thread runs here), one lane: never loky's workers,
    # which would import scikit-learn again.
    monkeypatch.setattr(lanes, "can_fork", lambda: False)
    assert lanes.auto_lanes(fits=20, one_core_seconds=3.0) == 1
    assert run(jobs=None).backend == "in-process"


def test_a_sweep_measures_only_the_values_no_sweep_measured_before(tmp_path: Path) -> None:
    """Points are kept one by one: a sweep sharing values with an earlier one fits only the
    new values, and gives the very numbers a sweep measured from nothing gives."""
    from invert.engine.cache import ResultCache
    from invert.engine.measure import measure

    experiment = CATALOG.experiments["knn-k"]
    cache = ResultCache(tmp_path / "kept")
    first = plan_sweep(experiment, values="1,3,7")
    measure(CATALOG, first, cache_key(CATALOG, first), cache, jobs=1)
    wider = plan_sweep(experiment, values="15,1,3,7")
    fits: list[int] = []
    again, _ = measure(
        CATALOG, wider, cache_key(CATALOG, wider), cache, jobs=1,
        on_outcome=lambda index, outcome: fits.append(index),
    )  # fmt: skip
    assert set(fits) == {0} and len(fits) == experiment.evaluation.splits  # only 15 was fitted
    assert "3 of 4 points measured by earlier sweeps" in again.backend
    fresh, _ = measure(
        CATALOG, wider, cache_key(CATALOG, wider), ResultCache(tmp_path / "fresh"), jobs=1
    )
    assert measured(again) == measured(fresh)
    other = plan_sweep(experiment, values="1,3", sets=["data.train_fraction=0.5"])
    fits.clear()
    measure(
        CATALOG, other, cache_key(CATALOG, other), cache, jobs=1,
        on_outcome=lambda index, outcome: fits.append(index),
    )  # fmt: skip
    assert len(fits) == 2 * experiment.evaluation.splits  # another setting: another point


def test_settings_that_leave_a_model_too_little_data_are_the_learners_one_line() -> None:
    """125 neighbours among the ~100 rows a 10% training fraction leaves: scikit-learn refuses,
    and the learner is told why in one line (not a traceback from the engine)."""
    plan = plan_sweep(
        CATALOG.experiments["knn-k"], values="1,125", sets=["data.train_fraction=0.1"]
    )
    with pytest.raises(LearnerError, match="cannot be fitted with these settings") as info:
        run_sweep(CATALOG, plan, "key", jobs=1)
    assert "\n" not in str(info.value) and "n_neighbors" in str(info.value)
