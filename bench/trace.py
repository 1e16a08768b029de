"""What tracing costs: every traceable algorithm fitted traced against untraced, and a script.

Part 1, in one process: for each algorithm of `invert trace`, its calls (fit, and predict where
the trace has it) on the trace's data, untraced (plain NumPy, what a learner's own code does)
against the same calls under invert's recorder, interleaved. The ratio is the tracer's
overhead: every line of the algorithm stops to summarise and compare its variables.
Part 2, as the learner waits: `python starters/wine_knn.py` against
`invert trace starters/wine_knn.py --json` (a child process, the tracer, the JSON written).
Run: .venv/bin/python bench/trace.py [--record]
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _common import INVERT, PYTHON, interleaved, record, table, time_command
from invert.catalog.loader import load_catalog
from invert.kinds.traces.algorithms import prepare
from invert.kinds.traces.recorder import Recorder

RUNS = 7
STARTER = "wine_knn"


def fit_timer(algorithm: str, traced: bool) -> Callable[[], float]:
    catalog = load_catalog()

    def run() -> float:
        prepared = prepare(catalog, catalog.trace(algorithm))  # a fresh, unfitted estimator
        start = time.perf_counter()
        if traced:
            Recorder([prepared.source]).run(prepared.calls)
        else:
            prepared.calls()
        return time.perf_counter() - start

    return run


def main() -> None:
    from threadpoolctl import threadpool_limits

    catalog = load_catalog()
    rows = ["| algorithm | untraced median (ms) | traced median (ms) | ratio |"]
    rows.append("|---|---|---|---|")
    ratios, slowest = [], 0.0
    with threadpool_limits(1):  # as in the trace child: one BLAS thread
        for spec in catalog.ordered_traces():
            plain, traced = f"{spec.id} untraced", f"{spec.id} traced"
            times = interleaved(
                RUNS, {plain: fit_timer(spec.id, False), traced: fit_timer(spec.id, True)}
            )
            a, b = statistics.median(times[plain]), statistics.median(times[traced])
            ratios.append(b / a)
            slowest = max(slowest, b * 1000)
            rows.append(f"| {spec.id} | {a * 1000:.1f} | {b * 1000:.1f} | {b / a:.0f}x |")
    with tempfile.TemporaryDirectory() as tmp:
        lab = Path(tmp)
        script = f"starters/{STARTER}.py"
        (lab / "starters").mkdir()
        shutil.copyfile(catalog.starter(STARTER).script, lab / script)
        plain_run = f"python {script}"
        traced_run = f"invert trace {script} --json"
        times = interleaved(
            RUNS,
            {
                plain_run: lambda: time_command([PYTHON, script], cwd=lab),
                traced_run: lambda: time_command([INVERT, "trace", script, "--json"], cwd=lab),
            },
        )
    script_ratio = statistics.median(times[traced_run]) / statistics.median(times[plain_run])
    body = (
        "Each algorithm's calls on its trace data, in one process, one BLAS thread:\n\n"
        + "\n".join(rows)
        + f"\n\nTracing multiplies an algorithm's own run time by {min(ratios):.0f}x to "
        f"{max(ratios):.0f}x (median {statistics.median(ratios):.0f}x), since each recorded line "
        f"summarises and compares every variable; the slowest trace records in {slowest:.0f} ms."
        "\n\n"
        "A learner's script, as the learner waits (fresh processes):\n\n"
        + table(times, plain_run)
        + f"\n\n`{traced_run}` takes {script_ratio:.2f}x the plain run: library code (pandas, "
        "scikit-learn) runs untraced, but every Python call still passes the tracer's check."
    )
    record("trace", ".venv/bin/python bench/trace.py --record", body)


if __name__ == "__main__":
    main()
