"""`invert dev check` for experiments and their transfer probes: each, run at its defaults,
shows the shape (and gap) it declares, at the cost it states."""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING

from invert.kinds.experiments.model import Probe, probe_experiment

if TYPE_CHECKING:
    from invert.catalog.models import Catalog
    from invert.catalog.report import CheckReport, Progress
    from invert.kinds.experiments.model import Experiment

COST_FACTOR = 6  # how far a stated cost may be from a measured one (machines differ)


def check_experiment(catalog: Catalog, experiment: Experiment) -> list[str]:
    """Run the experiment at its defaults; it must show the shape (and gap) it declares."""
    return _check_sweep(catalog, experiment, f"experiments/{experiment.id}.toml")


def check_probe(catalog: Catalog, experiment: Experiment, probe: Probe) -> list[str]:
    """Run the probe (the experiment with its changes put in) at its defaults; the same
    classifier must name the shape (and gap) it declares, and its cost must be right."""
    where = f"experiments/{experiment.id}.toml probe '{probe.id}'"
    return _check_sweep(catalog, probe_experiment(experiment, probe), where)


def check_probes_declared(catalog: Catalog) -> list[str]:
    """Every experiment offers at least one transfer probe."""
    return [
        f"experiments/{e.id}.toml: has no [[probe]] (the same knob on another dataset or model)"
        for e in catalog.ordered_experiments()
        if not e.probes
    ]


def _check_sweep(catalog: Catalog, experiment: Experiment, where: str) -> list[str]:
    from invert.engine.plan import cache_key, plan_sweep
    from invert.engine.sweep import run_sweep

    plan = plan_sweep(experiment)
    result, _ = run_sweep(catalog, plan, cache_key(catalog, plan), jobs=1)
    problems = []
    if result.test_shape != experiment.expect_shape:
        curve = ", ".join(f"{p.value}: {p.test_mean:.3f}±{p.test_std:.3f}" for p in result.points)
        problems.append(
            f"{where}: declares '{experiment.expect_shape}' but the test curve {result.test_shape}"
            f" ({curve})"
        )
    if experiment.expect_gap is not None and result.gap != experiment.expect_gap:
        problems.append(f"{where}: declares the gap {experiment.expect_gap}; it {result.gap}")
    # The stated cost is what budgets are judged by: it must be right within a small factor.
    fits = len(plan.values) * experiment.evaluation.splits
    stated = experiment.cost.fit_seconds * fits
    if not stated / COST_FACTOR <= result.wall_seconds <= stated * COST_FACTOR and (
        abs(result.wall_seconds - stated) > 2
    ):
        problems.append(
            f"{where}: [cost] fit_seconds = {experiment.cost.fit_seconds:g} but the default sweep "
            f"took {result.wall_seconds / fits:.3g} s a fit; measure it with `invert dev costs`"
        )
    return problems


def prove(
    catalog: Catalog, report: CheckReport, run: bool, on_progress: Progress | None = None
) -> None:
    """With `run`, every experiment whose extras are installed runs at its defaults."""
    if not run:
        return
    for experiment in catalog.ordered_experiments():
        missing = [m for m in experiment.requires if importlib.util.find_spec(m) is None]
        if missing:
            report.skipped.append(f"experiment {experiment.id}: {', '.join(missing)} not installed")
            continue
        if on_progress is not None:
            on_progress(f"experiment {experiment.id}")
        report.problems += check_experiment(catalog, experiment)
        report.checked.append(f"experiment {experiment.id}")


def prove_probes(
    catalog: Catalog,
    report: CheckReport,
    run: bool,
    on_progress: Progress | None = None,
) -> None:
    """Every experiment has a transfer probe; with `run`, every probe runs and the experiments'
    own classifier names the shape and gap it declares."""
    report.problems += check_probes_declared(catalog)
    if not run:
        return
    for experiment, probe in catalog.ordered_probes():
        missing = [m for m in experiment.requires if importlib.util.find_spec(m) is None]
        if missing:
            report.skipped.append(f"probe {probe.id}: {', '.join(missing)} not installed")
            continue
        if on_progress is not None:
            on_progress(f"probe {probe.id} ({experiment.id})")
        report.problems += check_probe(catalog, experiment, probe)
        report.checked.append(f"probe {probe.id}")
