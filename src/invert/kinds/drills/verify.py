"""Prove a drill does what it says: it fails unsolved, passes solved and with every right fix of
its corpus, and catches each wrong fix with the message of the misconception it shows.

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
from invert.kinds.drills.model import Drill, WrongFix
from invert.kinds.drills.run import Verdict, check_scripts
from invert.kinds.exercise_verify import command_line, prove_each

if TYPE_CHECKING:
    from invert.catalog.report import CheckReport, Progress

MAX_DRILL_LINES = 80


MIN_RIGHT = 2  # correct fixes written otherwise than the reference, per drill
MIN_WRONG = 3  # wrong fixes, per drill
# A variant's checks are proven on its drill's corpus; its own shows they still tell on its data.
MIN_VARIANT_RIGHT = 0  # its solution is one; more are welcome
MIN_VARIANT_WRONG = 1


def verify_drill(
    catalog: Catalog, drill: Drill, on_verdict: Callable[[str, Verdict], None] | None = None
) -> list[str]:
    """Every problem with `drill`, found by running every script of its folder in a fresh lab:
    the broken one must fail and show its symptom, the solution and each right fix must pass,
    each wrong fix must fail exactly as declared and get its misconception's message."""
    where = (
        f"drills/{drill.variant_of}/variants/{drill.folder.name}"
        if drill.variant_of
        else f"drills/{drill.id}"
    )
    problems = _static(drill, where)
    with tempfile.TemporaryDirectory(prefix="invert-verify-") as folder:
        lab = Path(folder)
        (lab / "drills").mkdir()
        (lab / ".invert").mkdir()
        sources = list(drill.scripts)
        copies = []
        for i, source in enumerate(sources):  # side by side, each reading drills/data/
            copies.append(lab / "drills" / f"{i:02d}_{source.name}")
            shutil.copyfile(source, copies[-1])
        verdicts = dict(
            zip([s.name for s in sources], check_scripts(catalog, drill, copies, lab), strict=True)
        )
    if on_verdict is not None:
        for name, verdict in verdicts.items():
            on_verdict(name, verdict)
    broken = verdicts["broken.py"]
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
    for name in ("solution.py", *(r.file for r in drill.right)):
        verdict = verdicts[name]
        if not verdict.fixed:
            problems.append(
                f"{where}: {name} is right but does not pass: {'; '.join(verdict.still_observed)}"
            )
        problems += _untested(where, name, verdict)
    for wrong in drill.wrong:
        problems += _wrong(where, wrong, verdicts[wrong.file])
    return problems + _unseen(drill, where)


def _wrong(where: str, wrong: WrongFix, verdict: Verdict) -> list[str]:
    """A wrong fix fails, exactly as declared, with its misconception's message."""
    if verdict.fixed:
        return [f"{where}: wrong fix {wrong.file} passes"]
    if verdict.problem:
        return [f"{where}: wrong fix {wrong.file} does not run: {verdict.problem}"]
    problems = _untested(where, wrong.file, verdict)
    if set(verdict.failing) != set(wrong.caught_by):
        problems.append(
            f"{where}: {wrong.file} is caught by {sorted(verdict.failing)}, "
            f"not {sorted(wrong.caught_by)} as declared"
        )
    measured = {sign for c in verdict.checks for sign in c.figures.get("signs", [])}
    if set(wrong.signs) != measured:
        problems.append(
            f"{where}: {wrong.file} is measured {sorted(measured)}, not {sorted(wrong.signs)} "
            "as declared"
        )
    shown = (verdict.misconception or {}).get("id")
    if wrong.misconception is not None and shown != wrong.misconception:
        problems.append(
            f"{where}: {wrong.file} is shown misconception {shown!r}, not {wrong.misconception!r}"
        )
    return problems


def _untested(where: str, name: str, verdict: Verdict) -> list[str]:
    """A check that could not test its property on a script of the corpus proves nothing."""
    return [
        f"{where}: {name}: check {c.id} did not test anything ({c.observed})"
        for c in verdict.checks
        if c.figures.get("tested") is False
    ]


def _unseen(drill: Drill, where: str) -> list[str]:
    """The corpus is large enough, and the matcher never names a wrong misconception for a fix
    it has not seen: each wrong fix whose misconception another fix also shows, left out of the
    references, gets its own misconception's message or none."""
    from invert.kinds.drills.misconceptions import match

    problems = []
    least_right, least_wrong = (
        (MIN_VARIANT_RIGHT, MIN_VARIANT_WRONG) if drill.variant_of else (MIN_RIGHT, MIN_WRONG)
    )
    if len(drill.right) < least_right:
        problems.append(f"{where}: {len(drill.right)} right fix(es); at least {least_right}")
    if len(drill.wrong) < least_wrong:
        problems.append(f"{where}: {len(drill.wrong)} wrong fix(es); at least {least_wrong}")
    problems += [
        f"{where}: {w.file} names no misconception" for w in drill.wrong if not w.misconception
    ]
    sources = {w.file: (drill.folder / w.file).read_text(encoding="utf-8") for w in drill.wrong}
    original = drill.broken.read_text(encoding="utf-8")
    for wrong in drill.wrong:
        twins = [w for w in drill.wrong if w.misconception == wrong.misconception and w != wrong]
        if not wrong.misconception or not twins:
            continue
        found = match(
            drill, wrong.caught_by, sources[wrong.file], original, sources, wrong.file, wrong.signs
        )
        # Unseen, a fix may get no message (the checks still say what is wrong); never another's.
        if found is not None and found.misconception.id != wrong.misconception:
            problems.append(
                f"{where}: left out of the references, {wrong.file} is shown misconception "
                f"{found.misconception.id!r}, not {wrong.misconception!r}"
            )
    return problems


def _static(drill: Drill, where: str) -> list[str]:
    problems = []
    for script in drill.scripts:
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
    """Every drill fails unsolved, passes with its reference solution and its right fixes, and
    catches each wrong fix with its misconception's message."""
    prove_each(
        "drill",
        catalog.ordered_drills(),
        lambda drill: verify_drill(catalog, drill),
        lambda drill: (
            f"{len(drill.scripts)} scripts ({len(drill.right)} right and {len(drill.wrong)} "
            f"wrong fixes), {len(drill.checks)} checks"
        ),
        report,
        run,
        on_progress,
    )


def _show(name: str, verdict: Verdict, verbose: bool) -> None:
    print(f"  {name}: {verdict.state} ({verdict.wall_seconds:.1f} s) {verdict.values}")
    for check in verdict.checks:
        print(f"    {'pass' if check.passed else 'FAIL'} {check.id}: {check.observed}")
    if verdict.misconception:
        print(f"    misconception: {verdict.misconception}")
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
