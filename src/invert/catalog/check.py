"""`invert dev check`: prove the catalogue is valid and every piece of content does what it says."""

from __future__ import annotations

import importlib.util
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from invert.catalog.loader import read_catalog
from invert.catalog.models import Catalog, Experiment, Starter
from invert.kinds.experiments.probes import Probe, probe_experiment
from invert.kinds.projects.verify import check_project_scripts

MAX_STARTER_LINES = 65  # "about 60": a starter a beginner can read in one sitting
SECTIONS = ("WHAT GOES IN", "WHAT COMES OUT")


@dataclass
class CheckReport:
    """Every problem found, plus what was checked and what was skipped (with the reason)."""

    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_starter_text(starter: Starter) -> list[str]:
    """Static checks on a starter script: short, plain (no invert import), valid Python."""
    where = f"starters/{starter.filename}"
    source = starter.script.read_text(encoding="utf-8")
    problems = []
    lines = source.count("\n")
    if lines > MAX_STARTER_LINES:
        problems.append(f"{where}: {lines} lines; a starter has at most {MAX_STARTER_LINES}")
    if "import invert" in source or "from invert" in source:
        problems.append(f"{where}: imports invert; a starter must run with plain Python")
    try:
        compile(source, where, "exec")
    except SyntaxError as exc:
        problems.append(f"{where}: line {exc.lineno}: {exc.msg}")
    return problems


def check_starter_run(starter: Starter, catalog: Catalog | None = None) -> list[str]:
    """Run the starter as a learner would; check it prints a score inside the declared range,
    and that the edit its next_step suggests moves that score by more than EDIT_MIN_CHANGE."""
    from invert.runner import run_script

    where = f"starters/{starter.filename}"
    variables = [starter.score.variable, starter.truth_variable, starter.predicted_variable]
    with tempfile.TemporaryDirectory(prefix="invert-check-") as scratch:
        run = run_script(starter.script, variables, cwd=Path(scratch), timeout=300)
    if not run.ok:
        tail = run.output.strip().splitlines()[-1:] or ["no output"]
        return [f"{where}: run failed (exit {run.exit_code}): {tail[0]}"]
    problems = []
    score = run.values.get(starter.score.variable)
    if not isinstance(score, int | float):
        return [f"{where}: no numeric `{starter.score.variable}` after the run"]
    low, high = starter.score.expect
    if not low <= score <= high:
        problems.append(f"{where}: {starter.score.name} {score:.3f} is outside [{low}, {high}]")
    if f"{score:.3f}" not in run.output:
        problems.append(f"{where}: the score {score:.3f} is not printed (3 decimals)")
    for section in SECTIONS:
        if section not in run.output:
            problems.append(f"{where}: output has no '{section}' section")
    for variable in (starter.truth_variable, starter.predicted_variable):
        if variable not in run.values:
            problems.append(f"{where}: no `{variable}` after the run")
    return problems + check_starter_edit(starter, float(score), catalog)


EDIT_MIN_CHANGE = 0.01  # the suggested first edit must move the score by more (1 point of 100)


def check_starter_edit(starter: Starter, score: float, catalog: Catalog | None = None) -> list[str]:
    """Run the starter with its suggested edit made, as a learner's copy in a lab; its score must
    differ from the original's `score` by more than EDIT_MIN_CHANGE."""
    import shutil

    from invert.catalog import load_catalog
    from invert.runner import run_script

    if starter.edit is None or not starter.edit.old:
        return []  # the loader reports a missing [edit]
    where = f"starters/{starter.filename} [edit]"
    catalog = catalog or load_catalog()
    with tempfile.TemporaryDirectory(prefix="invert-check-") as scratch:
        lab = Path(scratch)
        (lab / "starters").mkdir()
        (lab / "data").mkdir()
        dataset = catalog.datasets.get(starter.dataset)  # an unknown one is reported elsewhere
        data = catalog.data_file(dataset) if dataset is not None else None
        if data is not None:  # the data sits beside the copy's folder, as in a lab
            shutil.copyfile(data, lab / "data" / data.name)
        script = lab / "starters" / starter.filename
        script.write_text(starter.edit.apply(starter.script.read_text(encoding="utf-8")))
        run = run_script(script, [starter.score.variable], cwd=lab, timeout=300)
    edited = run.values.get(starter.score.variable)
    if not run.ok or not isinstance(edited, int | float):
        tail = run.output.strip().splitlines()[-1:] or ["no output"]
        return [f"{where}: the edited script gave no score (exit {run.exit_code}): {tail[0]}"]
    if abs(edited - score) <= EDIT_MIN_CHANGE:
        name = starter.score.name
        return [
            f"{where}: the suggested edit moves {name} from {score:.3f} to {edited:.3f}; a first "
            f"edit must change it by more than {EDIT_MIN_CHANGE:g}"
        ]
    return []


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


def check_theory(
    catalog: Catalog,
    report: CheckReport,
    run: bool = True,
    on_progress: Callable[[str], None] | None = None,
) -> None:
    """Rules' own checks, every derivation step, cards' code maps; with `run`, cards' side-by-side
    comparisons and every ladder rung, each within its stated tolerance."""
    from invert.kinds.theory.verify import (
        card_problems,
        check_derivation,
        derivation_problems,
        rule_problems,
    )

    theory = catalog.theory
    if on_progress is not None:
        on_progress(f"{len(theory.rules)} rules and {len(theory.derivations)} derivations")
    for rule in theory.rules.values():
        report.problems += rule_problems(rule)
        report.checked.append(f"rule {rule.id}" + ("" if rule.check else " (no SymPy check)"))
    for derivation in theory.derivations.values():
        results = check_derivation(derivation)
        report.problems += derivation_problems(derivation, results)
        one = sum(r.one_step and r.equal for r in results if r.index)
        apart = sum(r.shown_apart for r in results if r.index)
        report.checked.append(
            f"derivation {derivation.id} ({len(derivation.steps)} steps: {one} accepted as one "
            f"application of their rules, {apart} displayed apart from the step before)"
        )
    for card in theory.cards.values():
        report.problems += card_problems(card)
        # The loader refuses a card without 3 to 5 key points (theory.key_point_problems).
        report.checked.append(f"card {card.id} ({len(card.key_points)} key points)")
        if not run:
            continue
        from invert.kinds.theory.compare import run_side_by_side

        if on_progress is not None:
            on_progress(f"card {card.id} --run")
        result = run_side_by_side(card.run)
        if not result.within:
            report.problems.append(
                f"cards/{card.id}.toml [run]: {result.difference_label} is "
                f"{result.difference:.3g}, above the stated tolerance {result.tolerance:g}"
            )
        report.checked.append(f"card {card.id} --run ({result.difference:.3g})")
    if not run:
        return
    from invert.kinds.theory.ladders import ladder_problems

    for ladder in theory.ladders.values():
        if on_progress is not None:
            on_progress(f"ladder {ladder.id}")
        report.problems += ladder_problems(ladder)
        report.checked.append(f"ladder {ladder.id}")


def check_drills(
    catalog: Catalog,
    report: CheckReport,
    run: bool = True,
    on_progress: Callable[[str], None] | None = None,
) -> None:
    """Every drill fails unsolved, passes with its reference solution and catches each wrong fix.

    Drills run two at a time: each check is a child process, and the machine has cores to spare.
    """
    from concurrent.futures import ThreadPoolExecutor

    from invert.kinds.drills.verify import verify_drill

    drills = []
    for drill in catalog.ordered_drills():
        missing = [m for m in drill.requires if importlib.util.find_spec(m) is None]
        if missing:
            report.skipped.append(f"drill {drill.id}: not run, {', '.join(missing)} not installed")
        elif run:
            drills.append(drill)
    with ThreadPoolExecutor(max_workers=2) as pool:
        for drill, problems in zip(
            drills, pool.map(lambda d: verify_drill(catalog, d), drills), strict=True
        ):
            if on_progress is not None:
                on_progress(f"drill {drill.id}")
            report.problems += problems
            scripts = 2 + len(drill.wrong)
            report.checked.append(
                f"drill {drill.id} ({scripts} scripts, {len(drill.checks)} checks)"
            )


def check_rebuilds(
    catalog: Catalog,
    report: CheckReport,
    run: bool = True,
    on_progress: Callable[[str], None] | None = None,
) -> None:
    """Every rebuild skeleton fails every stage unsolved, its reference solution from
    invert.scratch passes every stage, and its file that delegates to scikit-learn is refused.

    Exercises run two at a time, as drills do: each check is a child process.
    """
    from concurrent.futures import ThreadPoolExecutor

    from invert.kinds.rebuild.verify import verify_rebuild

    if not run:
        return
    exercises = catalog.ordered_rebuilds()
    with ThreadPoolExecutor(max_workers=2) as pool:
        for exercise, problems in zip(exercises, pool.map(verify_rebuild, exercises), strict=True):
            if on_progress is not None:
                on_progress(f"rebuild {exercise.id}")
            report.problems += problems
            report.checked.append(
                f"rebuild {exercise.id} (skeleton, solution and a scikit-learn cheat; "
                f"{len(exercise.stages)} stages)"
            )


def check_catalog(
    root: Path | None = None,
    run: bool = True,
    on_progress: Callable[[str], None] | None = None,
    only: str | None = None,
) -> CheckReport:
    """Validate the whole catalogue; with `run`, execute every piece of content too.

    `only` = "theory", "drills", "rebuild", "tours", "traces", "projects" or "probes" checks that
    part alone (quicker while writing content).
    """
    catalog, problems = read_catalog(root)
    report = CheckReport(problems=list(problems))
    if only == "probes":
        check_probes(catalog, report, run, on_progress)
        return report
    if only == "theory":
        check_theory(catalog, report, run, on_progress)
        return report
    if only == "drills":
        check_drills(catalog, report, run, on_progress)
        return report
    if only == "rebuild":
        check_rebuilds(catalog, report, run, on_progress)
        return report
    if only == "tours":
        check_tours(catalog, report, run, on_progress)
        return report
    if only == "traces":
        check_traces(catalog, report, run, on_progress)
        return report
    if only == "projects":
        check_project_scripts(report, run, on_progress)
        return report
    check_theory(catalog, report, run, on_progress)
    for starter in catalog.ordered_starters():
        if not starter.script.is_file():
            continue
        report.problems += check_starter_text(starter)
        if not run:
            continue
        missing = [m for m in starter.requires if importlib.util.find_spec(m) is None]
        if missing:
            report.skipped.append(
                f"starter {starter.id}: not run, {', '.join(missing)} not installed"
            )
            continue
        if on_progress is not None:
            on_progress(f"starter {starter.id}")
        report.problems += check_starter_run(starter, catalog)
        report.checked.append(f"starter {starter.id}")
    if not run or report.problems:  # static checks only: content that runs comes after
        check_probes(catalog, report, run=False)
        check_tours(catalog, report, run=False)
        check_traces(catalog, report, run=False)
        return report
    check_tours(catalog, report, run, on_progress)
    check_traces(catalog, report, run, on_progress)
    for experiment in catalog.ordered_experiments():
        missing = [m for m in experiment.requires if importlib.util.find_spec(m) is None]
        if missing:
            report.skipped.append(f"experiment {experiment.id}: {', '.join(missing)} not installed")
            continue
        if on_progress is not None:
            on_progress(f"experiment {experiment.id}")
        report.problems += check_experiment(catalog, experiment)
        report.checked.append(f"experiment {experiment.id}")
    check_probes(catalog, report, run, on_progress)
    check_drills(catalog, report, run, on_progress)
    check_rebuilds(catalog, report, run, on_progress)
    check_project_scripts(report, run, on_progress)
    return report


def check_probes(
    catalog: Catalog,
    report: CheckReport,
    run: bool,
    on_progress: Callable[[str], None] | None = None,
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


def check_tours(
    catalog: Catalog,
    report: CheckReport,
    run: bool,
    on_progress: Callable[[str], None] | None = None,
) -> None:
    """Every starter's debugger tour: stops found in order, commands valid, expressions evaluate."""
    from invert.kinds.traces.verify import check_tour_run, check_tour_text

    for starter in catalog.ordered_starters():
        if not starter.script.is_file():
            continue
        problems = check_tour_text(starter)
        report.problems += problems
        if not run or problems:
            continue
        missing = [m for m in starter.requires if importlib.util.find_spec(m) is None]
        if missing:
            report.skipped.append(f"tour {starter.id}: not run, {', '.join(missing)} not installed")
            continue
        if on_progress is not None:
            on_progress(f"tour {starter.id}")
        report.problems += check_tour_run(starter)
        report.checked.append(f"tour {starter.id}")


def check_traces(
    catalog: Catalog,
    report: CheckReport,
    run: bool,
    on_progress: Callable[[str], None] | None = None,
) -> None:
    """Every traceable algorithm: its estimator exists, and it traces to the end on its dataset."""
    from invert.kinds.traces.verify import check_trace

    for spec in catalog.ordered_traces():
        if on_progress is not None and run:
            on_progress(f"trace {spec.id}")
        report.problems += check_trace(catalog, spec, run)
        if run:
            report.checked.append(f"trace {spec.id}")
