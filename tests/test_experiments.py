"""Every experiment is true: run at its defaults, it shows the shape (and gap) it declares."""

from __future__ import annotations

import dataclasses

import pytest

from conftest import need
from invert.catalog.loader import load_catalog
from invert.engine.plan import cache_key, plan_sweep
from invert.engine.sweep import run_sweep
from invert.kinds.experiments.verify import check_experiment

CATALOG = load_catalog()
EXPERIMENTS = [e.id for e in CATALOG.ordered_experiments()]
TOPICS = {  # the method's table, plus the list: each needs an experiment on that knob
    "number of features": "data.n_features",
    "training-set size": "data.train_fraction",
    "model complexity": "model.max_depth",
    "number of trees": "model.n_estimators",
    "random seed": "seed",
    "regularisation": "model.C",
    "feature scaling": "prep.scale",
    "k in kNN": "model.n_neighbors",
    "label noise": "data.label_noise",
    "leakage columns": "data.columns",
    "model family": "model",
    "learning rate": "model.learning_rate_init",
    "early stopping": "model.max_iter",
}


@pytest.mark.content
def test_there_are_at_least_15_experiments_covering_the_method() -> None:
    assert len(EXPERIMENTS) >= 15
    targets = {e.knob.target for e in CATALOG.experiments.values()}
    missing = {topic for topic, target in TOPICS.items() if target not in targets}
    assert missing == set()


@pytest.mark.content
@pytest.mark.parametrize("experiment_id", EXPERIMENTS)
def test_experiment_shows_the_shape_it_declares(experiment_id: str) -> None:
    experiment = CATALOG.experiments[experiment_id]
    need(*experiment.requires)
    assert check_experiment(CATALOG, experiment) == []


def test_a_false_claim_is_caught() -> None:
    experiment = CATALOG.experiments["feature-scaling-knn"]
    wrong = dataclasses.replace(experiment, expect_shape="falls", expect_gap="widens")
    problems = check_experiment(CATALOG, wrong)
    assert "declares 'falls' but the test curve rises" in problems[0]
    assert len(problems) == 2


def test_every_split_is_measured() -> None:
    experiment = CATALOG.experiments["tree-max-depth"]
    plan = plan_sweep(experiment, values="2,8")
    result, _ = run_sweep(CATALOG, plan, cache_key(CATALOG, plan), jobs=1)
    for point in result.points:
        assert point.splits == experiment.evaluation.splits == 10 and point.seeds == [0]
        assert point.fit_seconds > 0 and point.test_std > 0
