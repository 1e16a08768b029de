"""How fast does `invert` answer? `--help` and `list` against bare Python and bare Typer.

Target: `invert --help` at most 0.2 s. Run: .venv/bin/python bench/startup.py [--record]
"""

from __future__ import annotations

import statistics
import subprocess
import tempfile
from pathlib import Path

from _common import INVERT, PYTHON, interleaved, record, table, time_command

RUNS = 15


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        lab = Path(tmp) / "lab"
        subprocess.run([INVERT, "list"], cwd=tmp, check=True, capture_output=True)  # warm caches
        subprocess.run(
            [PYTHON, "-c", "from invert.lab import create_lab; create_lab('lab')"],
            cwd=tmp,
            check=True,
        )
        times = interleaved(
            RUNS,
            {
                "python -c pass": lambda: time_command([PYTHON, "-c", "pass"]),
                'python -c "import typer"': lambda: time_command([PYTHON, "-c", "import typer"]),
                "invert --help": lambda: time_command([INVERT, "--help"]),
                "invert --version": lambda: time_command([INVERT, "--version"]),
                "invert list (in a lab)": lambda: time_command([INVERT, "list"], cwd=lab),
            },
        )
    help_median = statistics.median(times["invert --help"])
    verdict = "meets" if help_median <= 0.2 else "MISSES"
    body = table(times, "python -c pass") + (
        f"\n\n`invert --help` median {help_median:.3f} s: {verdict} the 0.2 s target."
    )
    record("startup", ".venv/bin/python bench/startup.py --record", body)


if __name__ == "__main__":
    main()
