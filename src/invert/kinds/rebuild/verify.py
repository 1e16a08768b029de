"""Prove a rebuild exercise does what it says: the skeleton fails every stage, the reference
solution passes every stage, and the file that delegates to scikit-learn is refused.

Used by `invert dev check`; content authors can run one exercise with
``python -m invert.kinds.rebuild.verify EXERCISE_ID [-v]``.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from invert.kinds.exercise_verify import command_line, prove_each
from invert.kinds.rebuild.model import Exercise
from invert.kinds.rebuild.run import RebuildVerdict, check_rebuild_files

if TYPE_CHECKING:
    from invert.catalog.models import Catalog
    from invert.catalog.report import CheckReport, Progress


def verify_rebuild(
    exercise: Exercise, on_verdict: Callable[[str, RebuildVerdict], None] | None = None
) -> list[str]:
    """Every problem with `exercise`, found by checking its three files in one child."""
    where = f"rebuild/{exercise.id}"
    problems = []
    with tempfile.TemporaryDirectory(prefix="invert-verify-") as folder:
        lab = Path(folder)
        (lab / ".invert").mkdir()
        scripts = []
        for name, source in (
            ("skeleton", exercise.skeleton),
            ("cheat", exercise.cheat),
            ("solution", exercise.solution),  # last: it loads invert.scratch
        ):
            target = lab / "rebuild" / name / exercise.filename
            target.parent.mkdir(parents=True)
            shutil.copyfile(source, target)
            scripts.append((target, name == "solution"))
        skeleton, cheat, solved = check_rebuild_files(exercise, scripts, lab)
    for name, verdict in (("skeleton", skeleton), ("cheat", cheat), ("solution", solved)):
        if on_verdict is not None:
            on_verdict(name, verdict)
    if skeleton.problem:
        problems.append(f"{where}: the skeleton does not load: {skeleton.problem}")
    passing = skeleton.stages_passed
    if passing:
        problems.append(f"{where}: the unsolved skeleton passes stage(s) {', '.join(passing)}")
    if not solved.passed:
        problems.append(
            f"{where}: the reference solution does not pass: {'; '.join(solved.still_observed)}"
        )
    if cheat.passed or cheat.stages_passed:
        problems.append(f"{where}: the file that delegates to scikit-learn is not refused")
    elif not (cheat.problem and "scikit-learn" in cheat.problem):
        problems.append(
            f"{where}: the scikit-learn cheat fails, but not for using scikit-learn: "
            f"{'; '.join(cheat.still_observed)}"
        )
    return problems


def prove(
    catalog: Catalog,
    report: CheckReport,
    run: bool = True,
    on_progress: Progress | None = None,
) -> None:
    """Every rebuild skeleton fails every stage unsolved, its reference solution from
    invert.scratch passes every stage, and its file that delegates to scikit-learn is refused."""
    prove_each(
        "rebuild",
        catalog.ordered_rebuilds(),
        verify_rebuild,
        lambda e: f"skeleton, solution and a scikit-learn cheat; {len(e.stages)} stages",
        report,
        run,
        on_progress,
    )


def _show(name: str, verdict: RebuildVerdict, verbose: bool) -> None:
    print(f"  {name}: {verdict.state} ({verdict.wall_seconds:.1f} s)")
    if verdict.problem:
        print(f"    {verdict.problem}")
    for stage in verdict.stages:
        print(f"    {'pass' if stage.passed else 'FAIL'} {stage.id}: {stage.observed}")
    if verbose:
        print(verdict.output[-3000:])


def main(argv: list[str]) -> int:
    return command_line(
        argv,
        lambda catalog: [e.id for e in catalog.ordered_rebuilds()],
        lambda catalog, exercise_id, show: verify_rebuild(catalog.rebuild(exercise_id), show),
        _show,
        "exercise(s)",
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
