"""Where the step viewer's keys jump: pure functions from a step index to another, or None.

"Next" steps into calls, as a debugger's `step` does; `over` stays in the current function or
returns from it, as `next` does.
"""

from __future__ import annotations

from invert.kinds.traces.steps import Step, Trace


def _loop_span(trace: Trace, step: Step) -> tuple[int, int] | None:
    if step.loop is None:
        return None
    for header, end in trace.files[step.file].loops:
        if header == step.loop.line:
            return header, end
    return None


def over(trace: Trace, index: int) -> int | None:
    """The next step in the same call, or in its caller once it returns."""
    depth = trace.steps[index].depth
    return next(
        (j for j in range(index + 1, len(trace.steps)) if trace.steps[j].depth <= depth), None
    )


def next_iteration(trace: Trace, index: int) -> int | None:
    """The start of the innermost loop's next iteration, its skipped iterations, or its end."""
    step = trace.steps[index]
    span = _loop_span(trace, step)
    if span is None:
        return None
    header, end = span
    for j in range(index + 1, len(trace.steps)):
        later = trace.steps[j]
        if later.frame != step.frame:
            continue
        if later.line == header and later.kind in ("line", "skip"):
            return j
        if not header <= later.line <= end or later.kind in ("return", "stop"):
            return j
    return None


def previous_iteration(trace: Trace, index: int) -> int | None:
    """The start of this iteration of the innermost loop or, from there, of the one before."""
    step = trace.steps[index]
    span = _loop_span(trace, step)
    if span is None:
        return None
    for j in range(index - 1, -1, -1):
        earlier = trace.steps[j]
        if earlier.frame == step.frame and earlier.line == span[0] and earlier.kind == "line":
            return j
    return None


def to_return(trace: Trace, index: int) -> int | None:
    """The step where the current function returns (or raises its way out, or recording stops)."""
    frame = trace.steps[index].frame
    for j in range(index + 1, len(trace.steps)):
        later = trace.steps[j]
        if later.frame == frame and later.kind in ("return", "stop"):
            return j
    return None


def to_line(trace: Trace, index: int, line: int, file: int | None = None) -> int | None:
    """The next step about to run `line` of the current file (or of `file`)."""
    file = trace.steps[index].file if file is None else file
    for j in range(index + 1, len(trace.steps)):
        later = trace.steps[j]
        if later.file == file and later.line == line and later.kind in ("line", "skip"):
            return j
    return None


def to_breakpoint(trace: Trace, index: int, breakpoints: set[tuple[int, int]]) -> int | None:
    """The next step at any breakpoint, as (file, line) pairs."""
    for j in range(index + 1, len(trace.steps)):
        later = trace.steps[j]
        if (later.file, later.line) in breakpoints and later.kind in ("line", "skip"):
            return j
    return None


def first_change(trace: Trace, index: int, name: str) -> int | None:
    """The next step at which the variable `name` has changed."""
    for j in range(index + 1, len(trace.steps)):
        for value in trace.steps[j].values:
            if value.name == name and value.change is not None:
                return j
    return None
