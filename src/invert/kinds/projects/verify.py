"""`invert dev check` for the project workflow: the seven step scripts, run on bundled data.

The scripts are content: they must compile, and run end to end on a real dataset in a
throwaway lab, writing every step's results, a spot-check of at least 8 model families that
beats the baseline, and the report.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from invert.errors import LearnerError
from invert.kinds.projects.steps import STEPS

if TYPE_CHECKING:
    from collections.abc import Callable

    from invert.catalog.models import Catalog
    from invert.catalog.report import CheckReport, Progress

DATASET = ("penguins.csv", "species")  # small, classes, gaps in two columns


def check_project_scripts(
    report: CheckReport, run: bool, on_progress: Callable[[str], None] | None = None
) -> None:
    problems = []
    for step in STEPS:
        try:
            compile(step.source.read_bytes(), str(step.source), "exec")
        except (OSError, SyntaxError) as exc:
            problems.append(f"project {step.filename}: {exc}")
    report.problems += problems
    if not run or problems:
        return
    from invert.lab import create_lab

    if on_progress is not None:
        on_progress("project workflow on penguins")
    data = Path(__file__).resolve().parents[2] / "content" / "data" / DATASET[0]
    with tempfile.TemporaryDirectory() as tmp, create_lab(Path(tmp) / "lab") as lab:
        try:
            lab.projects.new(data, DATASET[1])
            done = lab.projects.run("penguins")
        except LearnerError as exc:
            report.problems.append(f"project workflow: {exc}")
            return
        folder = done.folder
        missing = [s.step.number for s in done.steps if s.result is None]
        if len(done.steps) != len(STEPS) or missing:
            report.problems.append(f"project workflow: steps without results: {missing}")
            return
        spot = json.loads((folder / "results" / "step5.json").read_text(encoding="utf-8"))
        ran = [r for r in spot["results"] if "scores" in r]
        baseline = json.loads((folder / "results" / "step4.json").read_text())["mean"]
        if len({r["family"] for r in ran}) < 8:
            report.problems.append("project workflow: fewer than 8 model families spot-checked")
        if not ran or ran[0]["mean"] <= baseline:
            report.problems.append("project workflow: no model beats the baseline on penguins")
        if not (folder / "report.html").is_file() or not (folder / "report.md").is_file():
            report.problems.append("project workflow: no report written")
    report.checked.append("project workflow (7 steps on penguins)")


def prove(
    catalog: Catalog, report: CheckReport, run: bool, on_progress: Progress | None = None
) -> None:
    """The project scripts compile; with `run`, the whole workflow runs on penguins."""
    check_project_scripts(report, run, on_progress)
