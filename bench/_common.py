"""Shared by the benchmarks: timing commands side by side, and recording results in the docs."""

from __future__ import annotations

import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
PYTHON = sys.executable
INVERT = str(Path(sys.executable).with_name("invert"))


def time_command(command: Sequence[str], cwd: Path | None = None) -> float:
    env = {**os.environ, "NO_COLOR": "1"}
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def interleaved(runs: int, cases: dict[str, Callable[[], float]]) -> dict[str, list[float]]:
    """Time every case once per round, alternating, so drift on the machine hits all alike."""
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, case in cases.items():
            times[name].append(case())
    return times


def table(times: dict[str, list[float]], baseline: str) -> str:
    base = statistics.median(times[baseline])
    lines = [
        "| case | median (s) | p90 (s) | runs | ratio to " + baseline + " |",
        "|---|---|---|---|---|",
    ]
    for name, values in times.items():
        med = statistics.median(values)
        p90 = sorted(values)[max(0, int(len(values) * 0.9) - 1)]
        lines.append(f"| {name} | {med:.3f} | {p90:.3f} | {len(values)} | {med / base:.2f} |")
    return "\n".join(lines)


def machine() -> str:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    system = f"{platform.system()} {platform.machine()}"
    return f"Python {platform.python_version()}, {cores} cores, {system}"


def record(section: str, command: str, body: str) -> None:
    """Print the result, and with --record replace the section's block in docs/benchmarks.md."""
    block = (
        f"<!-- bench:{section} -->\n"
        f"Reproduce: `{command}` ({machine()}, {time.strftime('%Y-%m-%d')})\n\n{body}\n"
        f"<!-- /bench:{section} -->"
    )
    print(block)
    if "--record" not in sys.argv:
        return
    text = DOCS.read_text(encoding="utf-8")
    pattern = re.compile(rf"<!-- bench:{section} -->.*?<!-- /bench:{section} -->", re.DOTALL)
    if not pattern.search(text):
        raise SystemExit(f"docs/benchmarks.md has no block for {section}")
    DOCS.write_text(pattern.sub(lambda _: block, text), encoding="utf-8")
