"""`invert dev check` for tours and traces: stops found, reached and valid; every trace runs."""

from __future__ import annotations

import importlib.util
import json
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from invert.catalog.models import Catalog
from invert.kinds.starters.model import Starter
from invert.kinds.traces.model import TraceSpec
from invert.kinds.traces.tour import command_problem, expression_phases, place_stops

if TYPE_CHECKING:
    from invert.catalog.report import CheckReport, Progress

MIN_STOPS = 3


def check_tour_text(starter: Starter) -> list[str]:
    """Static checks: enough stops, each found once in order, commands a tour may suggest."""
    where = f"starters/{starter.id}.toml [[tour]]"
    if len(starter.tour) < MIN_STOPS:
        return [f"{where}: {len(starter.tour)} stops; a tour has at least {MIN_STOPS}"]
    problems = []
    source = starter.script.read_text(encoding="utf-8")
    for placed in place_stops(source, starter.tour):
        stop = placed.stop
        if placed.line is None:
            problems.append(f"{where}: {stop.at!r} is not found after the previous stop")
        elif sum(stop.at in line for line in source.splitlines()) != 1:
            problems.append(f"{where}: {stop.at!r} is on more than one line of the script")
        if not stop.look.strip():
            problems.append(f"{where}: the stop at {stop.at!r} says nothing to look at")
        problems += [f"{where}: {p}" for t in stop.tries if (p := command_problem(t))]
    return problems


def check_tour_run(starter: Starter) -> list[str]:
    """Run the starter; at each stop, evaluate its `p`/`pp` expressions as the debugger would."""
    from invert.runner.process import run_process

    where = f"starters/{starter.id}.toml [[tour]]"
    source = starter.script.read_text(encoding="utf-8")
    expressions = {
        placed.line: expression_phases(placed.stop.tries)
        for placed in place_stops(source, starter.tour)
        if placed.line is not None
    }
    with tempfile.TemporaryDirectory(prefix="invert-tour-") as scratch:
        lines_path, result_path = Path(scratch, "lines.json"), Path(scratch, "result.json")
        lines_path.write_text(json.dumps(expressions), encoding="utf-8")
        command = [sys.executable, "-m", "invert.kinds.traces.tour", "check", str(starter.script)]
        run = run_process(
            [*command, str(lines_path), str(result_path)], cwd=Path(scratch), timeout=300
        )
        if not result_path.is_file():
            tail = run.output.strip().splitlines()[-1:] or ["no output"]
            return [f"{where}: the tour check did not finish (exit {run.exit_code}): {tail[0]}"]
        result = json.loads(result_path.read_text(encoding="utf-8"))
    problems = [f"{where}: {p}" for p in result["problems"]]
    if result["error"]:
        problems.append(f"{where}: the starter failed: {result['error']}")
    missed = sorted(set(expressions) - set(result["reached"]))
    problems += [f"{where}: line {line} is never reached" for line in missed]
    return problems


def check_trace(catalog: Catalog, spec: TraceSpec, run: bool) -> list[str]:
    """The estimator exists; run, the trace reaches fit's return with every call's steps."""
    from invert.kinds.traces.algorithms import make_estimator

    where = f"traces.toml [[trace]] {spec.id}"
    try:
        make_estimator(spec)
    except (ImportError, AttributeError, TypeError, ValueError) as exc:
        return [f"{where}: estimator {spec.estimator}: {exc}"]
    if not run:
        return []
    from invert.kinds.traces.ops import trace_algorithm

    trace = trace_algorithm(spec.id, catalog=catalog)
    problems = []
    if trace.stopped:
        problems.append(f"{where}: recording stopped ({trace.stopped}) at the default limits")
    if trace.error:
        problems.append(f"{where}: the run raised {trace.error}")
    returns = [s.function.rpartition(".")[2] for s in trace.steps if s.kind == "return"]
    for call in trace.subject["calls"]:
        if call not in returns:
            problems.append(f"{where}: the trace never returns from {call}")
    return problems


def prove_tours(
    catalog: Catalog,
    report: CheckReport,
    run: bool,
    on_progress: Progress | None = None,
) -> None:
    """Every starter's debugger tour: stops found in order, commands valid, expressions evaluate."""
    for starter in catalog.ordered_starters():
        if not starter.script.is_file():
            continue
        problems = check_tour_text(starter)
        report.problems += problems
        if not run or problems:
            continue
        missing = [m for m in starter.requires if importlib.util.find_spec(m) is None]
        if missing:
            report.skipped.append(f"tour {starter.id}: not run, {', '.join(missing)} not installed")
            continue
        if on_progress is not None:
            on_progress(f"tour {starter.id}")
        report.problems += check_tour_run(starter)
        report.checked.append(f"tour {starter.id}")


def prove(
    catalog: Catalog,
    report: CheckReport,
    run: bool,
    on_progress: Progress | None = None,
) -> None:
    """Every traceable algorithm: its estimator exists, and it traces to the end on its dataset."""
    for spec in catalog.ordered_traces():
        if on_progress is not None and run:
            on_progress(f"trace {spec.id}")
        report.problems += check_trace(catalog, spec, run)
        if run:
            report.checked.append(f"trace {spec.id}")
