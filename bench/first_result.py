"""How long until the first result? `invert start` in a fresh folder against plain Python.

Both train the same starter (iris, a random forest of 100 trees); `invert start` also creates
the lab, copies the starter, records the run and prints the summary.
Target: at most 1.3x the plain script. Run: .venv/bin/python bench/first_result.py [--record]
"""

from __future__ import annotations

import itertools
import shutil
import statistics
import tempfile
from pathlib import Path

from _common import INVERT, PYTHON, interleaved, record, table, time_command

RUNS = 9


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        plain = base / "plain"
        (plain / "starters").mkdir(parents=True)
        from invert.catalog.loader import load_catalog

        starter = load_catalog().first_starter()
        shutil.copy(starter.script, plain / "starters" / starter.filename)
        counter = itertools.count()
        times = interleaved(
            RUNS,
            {
                f"python starters/{starter.filename}": lambda: time_command(
                    [PYTHON, f"starters/{starter.filename}"], cwd=plain
                ),
                "invert start (fresh folder)": lambda: time_command(
                    [INVERT, "start", f"lab{next(counter)}"], cwd=base
                ),
            },
        )
    ratio = statistics.median(times["invert start (fresh folder)"]) / statistics.median(
        times[f"python starters/{starter.filename}"]
    )
    verdict = "meets" if ratio <= 1.3 else "MISSES"
    body = table(times, f"python starters/{starter.filename}") + (
        f"\n\n`invert start` is {ratio:.2f}x the plain script: {verdict} the 1.3x target."
    )
    record("first_result", ".venv/bin/python bench/first_result.py --record", body)


if __name__ == "__main__":
    main()
