"""Prove a rebuild exercise does what it says: the skeleton fails every stage, the reference
solution passes every stage, the file that delegates to scikit-learn is refused, every right file
of its corpus passes every stage, and every wrong file fails exactly the stages it declares,
each showing its misconception (matched by behaviour; an `unseen` wrong file is not in the pool
it is matched against, so its message proves the match does not rest on the file itself).

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
        corpus = [f.file for f in exercise.right] + [f.file for f in exercise.wrong]
        names = ["skeleton", "cheat", *corpus, "solution"]  # the solution last: it loads scratch
        sources = [exercise.skeleton, exercise.cheat]
        sources += [exercise.corpus / name for name in corpus] + [exercise.solution]
        for number, (name, source) in enumerate(zip(names, sources, strict=True)):
            target = lab / "rebuild" / f"file{number}" / exercise.filename
            target.parent.mkdir(parents=True)
            shutil.copyfile(source, target)
            scripts.append((target, name == "solution"))
        verdicts = check_rebuild_files(exercise, scripts, lab)
    for name, verdict in zip(names, verdicts, strict=True):
        if on_verdict is not None:
            on_verdict(name, verdict)
    found = dict(zip(names, verdicts, strict=True))
    skeleton, cheat, solved = found["skeleton"], found["cheat"], found["solution"]
    problems += _corpus_problems(exercise, found)
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


def _corpus_problems(exercise: Exercise, found: dict[str, RebuildVerdict]) -> list[str]:
    """Right files pass every stage; wrong files fail exactly their stages, with their message."""
    where = f"rebuild/{exercise.id}"
    problems = []
    for right in exercise.right:
        verdict = found[right.file]
        if not verdict.passed:
            problems.append(
                f"{where}: right file {right.file} is rejected: {'; '.join(verdict.still_observed)}"
            )
    for wrong in exercise.wrong:
        verdict = found[wrong.file]
        failing = [s for s in verdict.stages if not s.passed]
        if verdict.problem or [s.id for s in failing] != [
            s.id for s in exercise.stages if s.id in wrong.fails
        ]:
            problems.append(
                f"{where}: wrong file {wrong.file} should fail {list(wrong.fails)} and fails "
                f"{[s.id for s in failing]}{f' ({verdict.problem})' if verdict.problem else ''}"
            )
            continue
        for stage in failing:
            if stage.misconception != wrong.misconception:
                problems.append(
                    f"{where}: wrong file {wrong.file} shows {stage.misconception!r} at stage "
                    f"{stage.id}, not {wrong.misconception!r}"
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
        lambda e: (
            f"skeleton, solution, a scikit-learn cheat, {len(e.right)} right and "
            f"{len(e.wrong)} wrong files; {len(e.stages)} stages"
        ),
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
        if stage.misconception:
            print(f"      shows {stage.misconception}: {stage.message}")
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
