"""`invert dev check` for starters: each is short and plain, runs as a learner would, scores in
its declared range, and the first edit its next step suggests moves that score."""

from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from invert.catalog.models import Catalog
    from invert.catalog.report import CheckReport, Progress
    from invert.kinds.starters.model import Starter

MAX_STARTER_LINES = 65  # "about 60": a starter a beginner can read in one sitting
SECTIONS = ("WHAT GOES IN", "WHAT COMES OUT")


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

    from invert.catalog.loader import load_catalog
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


def prove(
    catalog: Catalog, report: CheckReport, run: bool, on_progress: Progress | None = None
) -> None:
    """Every starter's text; with `run`, every starter whose extras are installed runs."""
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
