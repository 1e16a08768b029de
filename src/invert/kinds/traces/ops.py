"""Traces and tours: the operations behind `invert trace` and `invert tour`.

Tracing needs no lab (an algorithm runs on bundled data, a script wherever it is), so the trace
functions live at module level; the traces part (`lab.traces`) adds the tour, which opens the
learner's own copy of a starter. Every trace is recorded in a child process with a
time limit: a learner's script can hang or crash without taking invert with it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invert.errors import LearnerError
from invert.kinds.part import Part

if TYPE_CHECKING:
    from invert.catalog.models import Catalog
    from invert.kinds.starters.model import Starter
    from invert.kinds.traces.model import TraceSpec
    from invert.kinds.traces.steps import Trace
    from invert.kinds.traces.tour import PlacedStop

LIMITS = {"max_steps": (10, 100_000), "full_iterations": (1, 1000), "timeout": (1.0, 3600.0)}
KILL_GRACE = 5.0  # seconds the parent waits past the child's own time limit before killing it


def traceable_algorithms(catalog: Catalog | None = None) -> list[dict[str, Any]]:
    """The algorithms `invert trace` can step through, with the datasets each accepts."""
    from invert.kinds.traces.algorithms import datasets_for

    catalog = catalog or _catalog()
    return [
        {
            "id": spec.id,
            "title": spec.title,
            "dataset": spec.dataset,
            "datasets": datasets_for(catalog, spec),
            "card": spec.card,
        }
        for spec in catalog.ordered_traces()
    ]


def check_limits(max_steps: int, full_iterations: int, timeout: float) -> None:
    """A LearnerError for a limit outside its range."""
    given = {"max_steps": max_steps, "full_iterations": full_iterations, "timeout": timeout}
    for name, value in given.items():
        low, high = LIMITS[name]
        if not low <= value <= high:
            option = "--" + name.replace("_", "-")
            raise LearnerError(f"{option} must be between {low:g} and {high:g}; got {value:g}")


def trace_algorithm(
    algorithm: str,
    dataset: str | None = None,
    *,
    max_steps: int = 2000,
    full_iterations: int = 3,
    timeout: float = 120.0,
    catalog: Catalog | None = None,
) -> Trace:
    """Record a from-scratch algorithm fitting on a sample of a bundled dataset."""
    from invert.kinds.traces.algorithms import require_dataset

    check_limits(max_steps, full_iterations, timeout)
    catalog = catalog or _catalog()
    spec: TraceSpec = catalog.trace(algorithm)
    if dataset is not None:
        require_dataset(catalog, spec, dataset)
    request = {"algorithm": spec.id, "dataset": dataset}
    return _record(request, max_steps, full_iterations, timeout, Path.cwd(), spec.id)


def trace_script(
    script: Path,
    *,
    max_steps: int = 2000,
    full_iterations: int = 3,
    timeout: float = 120.0,
    cwd: Path | None = None,
) -> Trace:
    """Record the learner's own script, run as ``python SCRIPT`` would from `cwd`."""
    check_limits(max_steps, full_iterations, timeout)
    cwd = cwd or Path.cwd()
    display = _display(script, cwd)
    if not script.is_file():
        raise LearnerError(f"{display} does not exist")
    if script.suffix != ".py":
        raise LearnerError(f"{display} is not a Python script (.py)")
    try:
        compile(script.read_bytes(), str(script), "exec")
    except SyntaxError as exc:
        raise LearnerError(f"{display}, line {exc.lineno}: syntax error ({exc.msg})") from None
    except ValueError as exc:
        raise LearnerError(f"{display} cannot be compiled: {exc}") from None
    request = {"script": str(script.resolve()), "display": display}
    return _record(request, max_steps, full_iterations, timeout, cwd, display)


def _record(
    request: dict[str, Any],
    max_steps: int,
    full_iterations: int,
    timeout: float,
    cwd: Path,
    what: str,
) -> Trace:
    from invert.kinds.traces.steps import Trace
    from invert.runner.process import child_folder

    request = {**request, "max_steps": max_steps, "full_iterations": full_iterations}
    request["time_limit"] = timeout
    with child_folder("invert-trace-") as child:
        result_path = child.folder / "trace.json"
        run = child.run(
            "invert.kinds.traces.child",
            request,
            cwd=cwd,
            timeout=timeout + KILL_GRACE,
            args=(str(result_path),),
        )
        if run.timed_out:
            raise LearnerError(f"{what} ran past the {timeout:g} s time limit and was stopped")
        if not result_path.is_file():
            last = (run.output.strip().splitlines() or ["no output"])[-1]
            if "script" in request:  # e.g. os._exit() or a crash in the learner's code
                raise LearnerError(
                    f"{what} ended the process (exit {run.exit_code}) before the trace was "
                    f"saved; its last output: {last}"
                )
            raise RuntimeError(f"tracing {what} failed (exit {run.exit_code}): {last}")
        return Trace.load(result_path)


def first_step_at(trace: Trace, line: int | None) -> int:
    """The first step at `line` of the traced file (0 for no line); a LearnerError if none."""
    from invert.kinds.traces.navigate import to_line

    if line is None:
        return 0
    start = to_line(trace, -1, line, file=0)
    if start is None:
        raise LearnerError(f"line {line} of {trace.files[0].name} never runs in this trace")
    return start


def _display(path: Path, cwd: Path) -> str:
    try:
        return path.resolve().relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return str(path)


def _catalog() -> Catalog:
    from invert.catalog.loader import load_catalog

    return load_catalog()


@dataclass(frozen=True)
class Tour:
    """A debugger tour of the learner's copy of a starter: where each stop is, how to start."""

    starter: Starter
    script: Path
    display: str
    stops: list[PlacedStop]
    command: list[str]

    @property
    def debugger(self) -> str:
        """pdb, or the learner's own debugger named by PYTHONBREAKPOINT."""
        return "pdb" if self.command[1:3] == ["-m", "pdb"] else "your PYTHONBREAKPOINT debugger"


@dataclass(frozen=True)
class TraceStatus:
    """A traceable algorithm in a lab. Traces are not recorded in the journal, so every one
    stands as not attempted."""

    spec: TraceSpec

    @property
    def state(self) -> str:
        return "not attempted"

    def to_json(self) -> dict[str, Any]:
        return {"id": self.spec.id, "title": self.spec.title, "state": self.state}


def listing(catalog: Catalog) -> list[dict[str, Any]]:
    """The algorithms `invert trace` steps through, where there is no lab."""
    return traceable_algorithms(catalog)


class Traces(Part):
    """The traces and tours of one lab: `lab.traces`."""

    def statuses(self) -> list[TraceStatus]:
        """Every traceable algorithm, in the catalogue's order."""
        return [TraceStatus(spec) for spec in self.catalog.ordered_traces()]

    def tour(self, starter_id: str) -> Tour:
        """The tour of `starter_id`: the learner's copy (made if missing), stops placed in it."""
        from invert.kinds.traces.tour import debugger_command, place_stops

        starter = self.catalog.starter(starter_id)
        starters = self.lab.part("starters")
        starters.check_requirements(starter)
        script: Path = starters.copy(starter.id)
        display = script.relative_to(self.root).as_posix()
        starters.check_syntax(script, display, starter)
        source = script.read_text(encoding="utf-8", errors="replace")
        try:
            command = debugger_command(Path(display))
        except ValueError as exc:
            raise LearnerError(str(exc)) from None
        return Tour(starter, script, display, place_stops(source, starter.tour), command)

    def open_debugger(self, tour: Tour) -> int:
        """Run the tour's debugger in this terminal, from the lab's root; its exit code."""
        from invert.engine.threads import blas_thread_env, threads_per_process

        env = {**os.environ, **blas_thread_env(threads_per_process(1))}
        # Ctrl-C belongs to the debugger (it interrupts the program being stepped through), not
        # to invert: a Python handler, unlike SIG_IGN, is not inherited by the child.
        with _sigint_left_to_child():
            return subprocess.run(tour.command, cwd=self.root, env=env, check=False).returncode


@contextlib.contextmanager
def _sigint_left_to_child() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, lambda _signum, _frame: None)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
