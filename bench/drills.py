"""What the learner waits for in a drill: `invert check` against running the script by hand.

In a fresh lab with the titanic-too-good drill solved, times `python drills/titanic_too_good.py`
(what a learner runs to see their output) against `invert check titanic-too-good` (the same
script in the guarded child, then its checks on the hidden rows, then the verdict recorded).
Each command is a fresh process, as the learner runs it. Target: a check at most 2x the plain run.
With --all, every drill's solution the same way (3 interleaved runs each), one row per drill
(variants left out: they are checked as their drills are): the check's cost over running the
script, drill by drill.
Run: .venv/bin/python bench/drills.py [--all] [--record]
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from _common import INVERT, PYTHON, interleaved, record, table, time_command
from invert.catalog.loader import load_catalog

RUNS = 7
DRILL = "titanic-too-good"


def every_drill(runs: int = 3) -> None:
    """One row per drill: its solution run by hand and checked, medians and their ratio."""
    import importlib.util

    from invert.lab import create_lab

    catalog = load_catalog()
    rows = ["| drill | python (s) | invert check (s) | ratio |", "|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        lab = Path(tmp) / "lab"
        with create_lab(lab) as made:
            drills = [
                d
                for d in catalog.ordered_drills()
                if all(importlib.util.find_spec(m) for m in d.requires) and not d.variant_of
            ]
            for drill in drills:
                made.drills.start(drill.id)
                shutil.copyfile(drill.solution, made.drills.path(drill))
        for drill in drills:
            script = f"drills/{drill.filename}"
            times = interleaved(
                runs,
                {
                    "plain": lambda script=script: time_command([PYTHON, script], cwd=lab),
                    "check": lambda d=drill.id: time_command([INVERT, "check", d], cwd=lab),
                },
            )
            plain, checked = (statistics.median(times[k]) for k in ("plain", "check"))
            rows.append(f"| {drill.id} | {plain:.2f} | {checked:.2f} | {checked / plain:.2f} |")
            print(rows[-1], flush=True)
    body = "\n".join(rows) + (
        f"\n\nMedians of {runs} interleaved runs of each drill's solution; the check runs the "
        "script, then its checks (an `untouched` check runs the script a second time)."
    )
    record("drills-all", ".venv/bin/python bench/drills.py --all --record", body)


def main() -> None:
    if "--all" in sys.argv:
        every_drill()
        return
    drill = load_catalog().drill(DRILL)
    with tempfile.TemporaryDirectory() as tmp:
        lab = Path(tmp) / "lab"
        from invert.lab import create_lab

        with create_lab(lab) as made:
            made.drills.start(DRILL)
            shutil.copyfile(drill.solution, made.drills.path(drill))
        script = f"drills/{drill.filename}"
        plain = f"python {script}"
        checked = f"invert check {DRILL}"
        times = interleaved(
            RUNS,
            {
                plain: lambda: time_command([PYTHON, script], cwd=lab),
                checked: lambda: time_command([INVERT, "check", DRILL], cwd=lab),
            },
        )
    ratio = statistics.median(times[checked]) / statistics.median(times[plain])
    verdict = "meets" if ratio <= 2.0 else "MISSES"
    body = table(times, plain) + (
        f"\n\n`{checked}` is {ratio:.2f}x running the script by hand ({verdict} the 2x target): "
        "it runs the same script, then scores its model on the hidden rows."
    )
    record("drills", ".venv/bin/python bench/drills.py --record", body)


if __name__ == "__main__":
    main()
