"""Record a run line by line with `sys.settrace`, compressing loops and stopping at a limit.

Only the files asked for are stepped through; calls into anything else (NumPy, scikit-learn,
the standard library) run at full speed, as one line. Comprehensions and generator
expressions are not stepped into either: they read as one line of the code that holds them.

Loops are compressed: the first `full_iterations` iterations of a loop are recorded step by
step; the rest run without stepping (calls from them are not traced at all) and leave one
`skip` step that says how many iterations and lines ran and what they changed.
"""

from __future__ import annotations

import ast
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from invert.kinds.traces.steps import Loop, Place, SourceFile, Step, Trace
from invert.kinds.traces.values import (
    MISSING,
    Value,
    describe_change,
    fingerprint,
    is_shown,
    summarise,
)

DEFAULT_MAX_STEPS = 2000
DEFAULT_FULL_ITERATIONS = 3


class TraceStopped(BaseException):
    """Raised into the traced program to end it when the step or time limit is reached.

    A BaseException, so that the program's own ``except Exception`` does not swallow it.
    """


@dataclass(frozen=True)
class LoopSpan:
    """A `for` or `while` loop: its header line and the last line of its body."""

    header: int
    end: int

    def holds(self, line: int) -> bool:
        return self.header <= line <= self.end


def find_loops(source: str) -> dict[int, list[LoopSpan]]:
    """For each line inside a loop, the loops around it, outermost first.

    >>> loops = find_loops("for i in x:\\n    for j in y:\\n        a = 1\\nb = 2\\n")
    >>> [(s.header, s.end) for s in loops[3]]
    [(1, 3), (2, 3)]
    >>> 4 in loops
    False
    """
    spans = [
        LoopSpan(node.lineno, node.end_lineno or node.lineno)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.For | ast.While | ast.AsyncFor)
    ]
    around: dict[int, list[LoopSpan]] = {}
    for span in sorted(spans, key=lambda s: (s.header, -s.end)):
        for line in range(span.header, span.end + 1):
            around.setdefault(line, []).append(span)
    return around


@dataclass
class _Frame:
    """What the recorder keeps about one live call of a traced function."""

    id: int
    depth: int
    file: int
    prints: dict[str, Any] = field(default_factory=dict)  # name -> fingerprint at the last step
    shown: dict[str, Value] = field(default_factory=dict)  # name -> Value at the last step
    previous_line: int | None = None
    iterations: dict[int, int] = field(default_factory=dict)  # loop header -> iteration
    compressing: LoopSpan | None = None
    compress_from: int = 0
    skipped_lines: int = 0
    header_last: bool = False


class Recorder:
    """Runs code under a tracer and keeps what it saw as a list of `Step`s."""

    def __init__(
        self,
        files: Iterable[Path],
        *,
        max_steps: int = DEFAULT_MAX_STEPS,
        full_iterations: int = DEFAULT_FULL_ITERATIONS,
        time_limit: float | None = None,
    ) -> None:
        self.sources = [
            SourceFile(str(p), p.name, p.read_text("utf-8").splitlines()) for p in files
        ]
        self._file_index = {s.path: i for i, s in enumerate(self.sources)}
        self._loops = [find_loops("\n".join(s.lines)) for s in self.sources]
        for source, loops in zip(self.sources, self._loops, strict=True):
            spans = {span for around in loops.values() for span in around}
            source.loops = sorted((span.header, span.end) for span in spans)
        self.max_steps = max_steps
        self.full_iterations = full_iterations
        self.time_limit = time_limit
        self.steps: list[Step] = []
        self.lines_run = 0
        self.stopped: str | None = None
        self.seconds = 0.0
        self._frames: dict[int, _Frame] = {}
        self._calls = 0
        self._silenced: _Frame | None = None
        self._printed: list[str] = []
        self._exceptions: set[int] = set()
        self._deadline = 0.0

    # --- running ----------------------------------------------------------------------------

    def run(self, function: Callable[..., Any], *args: Any) -> Any:
        """Call `function(*args)` under the tracer; return its result (None if stopped)."""
        self._deadline = time.monotonic() + self.time_limit if self.time_limit else 0.0
        start = time.perf_counter()
        previous = sys.gettrace()
        sys.settrace(self._on_call)
        try:
            return function(*args)
        except TraceStopped:
            return None
        finally:
            sys.settrace(previous)
            self.seconds = time.perf_counter() - start

    def trace(self, title: str, subject: dict[str, Any], guide: str = "") -> Trace:
        """What was recorded, as a Trace."""
        return Trace(
            title=title,
            subject=subject,
            files=self.sources,
            steps=self.steps,
            max_steps=self.max_steps,
            full_iterations=self.full_iterations,
            lines_run=self.lines_run,
            seconds=self.seconds,
            stopped=self.stopped,
            guide=guide,
        )

    def printed(self, text: str) -> None:
        """Collect what the program prints; the next step carries it."""
        self._printed.append(text)

    # --- events -----------------------------------------------------------------------------

    def _on_call(self, frame: Any, event: str, arg: Any) -> Any:
        code = frame.f_code
        file = self._file_index.get(code.co_filename)
        if file is None or self._silenced is not None:
            return None
        if code.co_name.startswith("<") and code.co_name != "<module>":
            return None  # comprehensions and lambdas read as part of their line
        depth = sum(1 for f in self._frames_of(frame.f_back))
        self._calls += 1
        state = _Frame(id=self._calls, depth=depth, file=file)
        self._frames[id(frame)] = state
        if code.co_name != "<module>":  # a script's top level is entered, not called
            self._record(frame, state, "call")
        return self._on_event

    def _on_event(self, frame: Any, event: str, arg: Any) -> Any:
        state = self._frames.get(id(frame))
        if state is None:
            return None
        if event == "line":
            if frame.f_lineno > 0:  # line 0: the set-up of a module with no code
                self._on_line(frame, state)
        elif event == "return":
            self._end_compression(frame, state)
            entered = frame.f_code.co_name != "<module>" or state.previous_line is not None
            if entered:
                self._record(frame, state, "return", returned=summarise("return value", arg))
            del self._frames[id(frame)]
        elif event == "exception":
            self._on_exception(frame, state, arg)
        return self._on_event

    def _on_line(self, frame: Any, state: _Frame) -> None:
        line = frame.f_lineno
        self.lines_run += 1
        if self._deadline and self.lines_run % 512 == 0 and time.monotonic() > self._deadline:
            self._stop(frame, state, "time")
        loop = state.compressing
        if loop is not None:
            if loop.holds(line):
                state.skipped_lines += 1
                state.header_last = line == loop.header
                if state.header_last:
                    state.iterations[loop.header] += 1
                state.previous_line = line
                return
            self._end_compression(frame, state)
        around = self._loops[state.file].get(line, [])
        if around and around[-1].header == line:
            previous = state.previous_line
            inside = previous is not None and line < previous <= around[-1].end
            state.iterations[line] = state.iterations.get(line, 0) + 1 if inside else 1
        for span in around:
            count = state.iterations.get(span.header, 0)
            if span.header != line and count > self.full_iterations:
                state.compressing, state.compress_from = span, count
                state.skipped_lines, state.header_last = 1, False
                self._silenced = state
                state.previous_line = line
                return
        self._record(frame, state, "line")
        state.previous_line = line

    def _on_exception(self, frame: Any, state: _Frame, arg: Any) -> None:
        kind, exc, _ = arg
        if id(exc) in self._exceptions or issubclass(kind, TraceStopped):
            return
        self._exceptions.add(id(exc))
        self._end_compression(frame, state)
        note = f"{kind.__name__}: {exc}".rstrip(": ")
        self._record(frame, state, "exception", note=note)

    def _end_compression(self, frame: Any, state: _Frame) -> None:
        loop = state.compressing
        if loop is None:
            return
        first = state.compress_from
        last = state.iterations[loop.header] - (1 if state.header_last else 0)
        state.compressing, self._silenced = None, None
        for header in [h for h in state.iterations if loop.header < h <= loop.end]:
            del state.iterations[header]  # loops nested in this one start afresh next time
        count = last - first + 1
        iterations = f"iteration {first}" if count == 1 else f"iterations {first}-{last}"
        note = (
            f"{iterations} of the loop at line {loop.header} ran without stepping "
            f"({count} iterations, {state.skipped_lines} lines)"
        )
        self._record(frame, state, "skip", line=loop.header, note=note)

    # --- steps ------------------------------------------------------------------------------

    def _record(
        self,
        frame: Any,
        state: _Frame,
        kind: str,
        *,
        line: int | None = None,
        note: str | None = None,
        returned: Value | None = None,
    ) -> None:
        if len(self.steps) >= self.max_steps:
            self._stop(frame, state, "steps")
        at = frame.f_lineno if line is None else line
        around = self._loops[state.file].get(at, [])
        inner = next((s for s in reversed(around) if s.header in state.iterations), None)
        self.steps.append(
            Step(
                index=len(self.steps),
                kind=kind,
                file=state.file,
                line=at,
                function=frame.f_code.co_qualname,
                frame=state.id,
                depth=state.depth,
                values=self._values(frame, state),
                stack=[
                    Place(f.f_code.co_qualname, s.file, f.f_lineno)
                    for f, s in reversed(list(self._frames_of(frame)))
                ],
                after_line=state.previous_line if kind == "line" else None,
                loop=Loop(inner.header, state.iterations[inner.header]) if inner else None,
                note=note,
                output="".join(self._printed),
                returned=returned,
            )
        )
        self._printed.clear()

    def _stop(self, frame: Any, state: _Frame, why: str) -> None:
        self.stopped = why
        note = (
            f"recording stopped at the limit of {self.max_steps} steps"
            if why == "steps"
            else f"recording stopped at the time limit of {self.time_limit:g} s"
        )
        self.steps.append(
            Step(
                index=len(self.steps),
                kind="stop",
                file=state.file,
                line=frame.f_lineno,
                function=frame.f_code.co_qualname,
                frame=state.id,
                depth=state.depth,
                note=note,
                output="".join(self._printed),
                values=list(state.shown.values()),
            )
        )
        sys.settrace(None)
        raise TraceStopped(note)

    def _frames_of(self, frame: Any) -> Iterable[tuple[Any, _Frame]]:
        while frame is not None:
            state = self._frames.get(id(frame))
            if state is not None:
                yield frame, state
            frame = frame.f_back

    def _values(self, frame: Any, state: _Frame) -> list[Value]:
        names = {k: v for k, v in frame.f_locals.items() if is_shown(k, v)}
        owner = names.get("self")
        if owner is not None and hasattr(owner, "__dict__"):
            for attribute, value in vars(owner).items():
                if attribute.endswith("_") and not attribute.startswith("_"):
                    names[f"self.{attribute}"] = value  # what fitting has learned so far
        shown: dict[str, Value] = {}
        prints: dict[str, Any] = {}
        for name, value in names.items():
            new = fingerprint(value)
            old = state.prints.get(name, MISSING)
            if old is not MISSING and not describe_change(old, new, Value(name, "", "")):
                shown[name] = replace(state.shown[name], change=None)  # as it was: no re-summary
                shown[name].changed_elements = shown[name].max_abs_change = None
            else:
                summary = summarise(name, value)
                describe_change(old, new, summary)
                shown[name] = summary
            prints[name] = new
        state.shown, state.prints = shown, prints
        return list(shown.values())
