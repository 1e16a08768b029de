"""The engine's lanes fit less than a plain loop (each split prepared once, a forest grown rather
than refitted) and in parallel, yet give the very numbers a plain loop of Pipelines gives: proven
here on every built-in experiment and every transfer probe, digit for digit."""

from __future__ import annotations

import statistics
import warnings
from typing import Any

import pytest

from conftest import need
from invert.catalog.loader import load_catalog
from invert.engine.fits import Scoring, build_model, split_rows
from invert.engine.plan import plan_sweep
from invert.engine.sweep import configure, load_xy, make_splits, run_sweep
from invert.kinds.experiments.model import Experiment, probe_experiment

CATALOG = load_catalog()


def every_sweep() -> list[Any]:
    cases = []
    for experiment in CATALOG.ordered_experiments():
        cases.append(pytest.param(experiment, id=experiment.id))
        for probe in experiment.probes:
            made = probe_experiment(experiment, probe)
            cases.append(pytest.param(made, id=f"{experiment.id}/{probe.id}"))
    return cases


def plain_loop(experiment: Experiment) -> list[tuple[Any, ...]]:
    """What a learner would write: for each value and split, a fresh Pipeline fitted and scored."""
    plan = plan_sweep(experiment)
    X, y = load_xy(CATALOG, experiment)
    ev = experiment.evaluation
    scoring = Scoring(ev.metric, ev.also, ev.positive, experiment.task)
    rows_out = []
    for value in plan.values:
        config = configure(experiment, plan.settings, value)
        train_scores, test_scores = [], []
        also: dict[str, list[float]] = {name: [] for name in ev.also}
        for train, test, seed in make_splits(y, experiment, config.seed):
            rows = split_rows(config, X, y, train, test, seed, scoring.task)
            model = build_model(config, rows.X_train)
            X_train, X_test = rows.X_train, rows.X_test
            y_train, y_test = rows.y_train, rows.y_test
            if config.preprocess == "none":
                X_train, X_test = X_train.to_numpy(), X_test.to_numpy()
                y_train, y_test = y_train.to_numpy(), y_test.to_numpy()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the engine records them; here only numbers
                model.fit(X_train, y_train)
            train_scores.append(score(model, ev.metric, X_train, y_train, ev.positive))
            test_scores.append(score(model, ev.metric, X_test, y_test, ev.positive))
            for name in ev.also:
                also[name].append(score(model, name, X_test, y_test, ev.positive))
        rows_out.append(summary(value, train_scores, test_scores, also))
    return rows_out


def score(model: Any, name: str, X_part: Any, y_part: Any, positive: Any) -> float:
    from invert.engine.metrics import metric_function, needs_proba

    predicted = model.predict_proba(X_part) if needs_proba(name) else model.predict(X_part)
    return metric_function(name, positive)(y_part, predicted, getattr(model, "classes_", None))


def summary(
    value: Any, train: list[float], test: list[float], also: dict[str, list[float]]
) -> tuple[Any, ...]:
    def std(values: list[float]) -> float:
        return statistics.pstdev(values) if len(values) > 1 else 0.0

    return (
        value,
        statistics.fmean(train),
        std(train),
        statistics.fmean(test),
        std(test),
        {name: statistics.fmean(v) for name, v in also.items()},
    )


def engine(experiment: Experiment, jobs: int) -> list[tuple[Any, ...]]:
    plan = plan_sweep(experiment)
    result, _ = run_sweep(CATALOG, plan, "proof", jobs=jobs)
    return [
        (p.value, p.train_mean, p.train_std, p.test_mean, p.test_std, p.also) for p in result.points
    ]


@pytest.mark.content
@pytest.mark.parametrize("experiment", every_sweep())
def test_the_lanes_give_the_plain_loops_numbers_exactly(experiment: Experiment) -> None:
    need(*experiment.requires)
    # Two forked lanes: each prepares its splits once and grows its forests, and their
    # results arrive in any order (tests/test_engine.py holds one lane to two).
    assert engine(experiment, jobs=2) == plain_loop(experiment)


def test_a_forest_sweep_grows_one_forest_per_split() -> None:
    """The proof above covers the numbers; this shows the growing is really done (the warm
    start is what makes the forest sweep cheap) and when it is not."""
    from invert.engine.lanes import grows_by_warm_start

    def grows(experiment: Experiment, sets: list[str] | None = None) -> bool:
        plan = plan_sweep(experiment, sets=sets)
        configs = [configure(experiment, plan.settings, v) for v in plan.values]
        return grows_by_warm_start(experiment, configs)

    assert grows(CATALOG.experiments["forest-n-estimators"])
    assert grows(CATALOG.experiments["boosting-n-estimators"])
    assert not grows(CATALOG.experiments["tree-max-depth"])  # a deeper tree is another tree
    assert not grows(CATALOG.experiments["random-seed-spread"])  # a forest, but the seed moves


def test_values_given_out_of_order_are_grown_in_order_and_reported_as_given() -> None:
    experiment = CATALOG.experiments["forest-n-estimators"]
    plan = plan_sweep(experiment, values="25,1,5")
    result, _ = run_sweep(CATALOG, plan, "proof", jobs=1)
    assert [p.value for p in result.points] == [25, 1, 5]
    # The time to grow a forest of a size includes every smaller size grown before it.
    assert result.point(25).fit_seconds > result.point(1).fit_seconds  # type: ignore[union-attr]
