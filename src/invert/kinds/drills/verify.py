"""Prove a drill does what it says: it fails unsolved, passes solved, and catches its wrong fixes.

Used by `invert dev check`; content authors can run one drill with
``python -m invert.kinds.drills.verify DRILL_ID [-v]``.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from invert.catalog.models import Catalog
from invert.kinds.drills.model import Drill
from invert.kinds.drills.run import Verdict, check_script
from invert.kinds.exercise_verify import command_line, prove_each

if TYPE_CHECKING:
    from invert.catalog.report import CheckReport, Progress

MAX_DRILL_LINES = 80


def verify_drill(
    catalog: Catalog, drill: Drill, on_verdict: Callable[[str, Verdict], None] | None = None
) -> list[str]:
    """Every problem with `drill`, found by running its three kinds of script in a fresh lab."""
    where = f"drills/{drill.id}"
    problems = _static(drill, where)
    with tempfile.TemporaryDirectory(prefix="invert-verify-") as folder:
        lab = Path(folder)
        (lab / "drills").mkdir()
        (lab / ".invert").mkdir()
        target = lab / "drills" / drill.filename

        def run(source: Path) -> Verdict:
            shutil.copyfile(source, target)
            verdict = check_script(catalog, drill, target, lab)
            if on_verdict is not None:
                on_verdict(source.name, verdict)
            return verdict

        broken = run(drill.broken)
        if broken.fixed:
            problems.append(f"{where}: broken.py passes every check")
        if broken.problem:
            problems.append(f"{where}: broken.py does not run: {broken.problem}")
        for observed in drill.observed:
            value = broken.values.get(observed.variable)
            low, high = observed.between
            if not isinstance(value, int | float) or not low <= value <= high:
                problems.append(
                    f"{where}: broken.py leaves {observed.variable} = {value!r}, "
                    f"not in [{low}, {high}] as the symptom says"
                )
        solved = run(drill.solution)
        if not solved.fixed:
            problems.append(
                f"{where}: solution.py does not pass: {'; '.join(solved.still_observed)}"
            )
        for wrong in drill.wrong:
            verdict = run(drill.folder / wrong.file)
            if verdict.fixed:
                problems.append(f"{where}: wrong fix {wrong.file} passes")
            elif verdict.problem:
                problems.append(f"{where}: wrong fix {wrong.file} does not run: {verdict.problem}")
            elif set(verdict.failing) != set(wrong.caught_by):
                problems.append(
                    f"{where}: {wrong.file} is caught by {sorted(verdict.failing)}, "
                    f"not {sorted(wrong.caught_by)} as declared"
                )
    return problems


def _static(drill: Drill, where: str) -> list[str]:
    problems = []
    for script in (drill.broken, drill.solution, *(drill.folder / w.file for w in drill.wrong)):
        source = script.read_text(encoding="utf-8")
        lines = source.count("\n")
        if lines > MAX_DRILL_LINES:
            problems.append(f"{where}/{script.name}: {lines} lines; at most {MAX_DRILL_LINES}")
        if "import invert" in source or "from invert" in source:
            problems.append(f"{where}/{script.name}: imports invert; drills are plain Python")
    return problems


def prove(
    catalog: Catalog,
    report: CheckReport,
    run: bool = True,
    on_progress: Progress | None = None,
) -> None:
    """Every drill fails unsolved, passes with its reference solution and catches each wrong fix."""
    prove_each(
        "drill",
        catalog.ordered_drills(),
        lambda drill: verify_drill(catalog, drill),
        lambda drill: f"{2 + len(drill.wrong)} scripts, {len(drill.checks)} checks",
        report,
        run,
        on_progress,
    )


def _show(name: str, verdict: Verdict, verbose: bool) -> None:
    print(f"  {name}: {verdict.state} ({verdict.wall_seconds:.1f} s) {verdict.values}")
    for check in verdict.checks:
        print(f"    {'pass' if check.passed else 'FAIL'} {check.id}: {check.observed}")
    if verdict.problem:
        print(f"    {verdict.problem}")
        if verbose:
            print(verdict.output[-3000:])


def main(argv: list[str]) -> int:
    return command_line(
        argv,
        lambda catalog: list(catalog.drills),
        lambda catalog, drill_id, show: verify_drill(catalog, catalog.drill(drill_id), show),
        _show,
        "drill(s)",
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
