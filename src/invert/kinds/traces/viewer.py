"""The terminal step viewer, and the plain transcript printed when there is no terminal.

The viewer redraws one screen per key: the source around the current line (marked ▶), the
variables with what changed (marked Δ), the call stack and what the program printed. Keys step
forwards and backwards, jump by loop iteration, to the return, to a line or to a breakpoint.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from invert.kinds.traces import navigate
from invert.kinds.traces.steps import Step, Trace

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

KEYS = (
    ("n → space", "next step (into calls)"),
    ("p ←", "previous step"),
    ("o", "over: next step in this function or its caller"),
    ("i / I", "next / previous iteration of the loop"),
    ("r", "run to this function's return"),
    ("l", "run to a line (asks which)"),
    ("b", "set or clear a breakpoint at a line (asks which)"),
    ("c", "continue to the next breakpoint"),
    ("w", "watch a variable: run to its next change (asks which)"),
    ("g / G", "first / last step"),
    ("?", "this guide and the keys"),
    ("q", "quit"),
)
RIGHT, LEFT = ("\x1b[C", "\x1bOC"), ("\x1b[D", "\x1bOD")


def location(trace: Trace, step: Step, loop: bool = True) -> str:
    """Where a step is, in words: `kmeans.py:143 in KMeansScratch.fit, loop at 143, iteration 2`."""
    where = f"{trace.files[step.file].name}:{step.line} in {step.function}"
    if loop and step.loop is not None and step.kind != "skip":
        where += f" · loop at line {step.loop.line}, iteration {step.loop.iteration}"
    return where


def headline(step: Step) -> str:
    """What kind of moment the step is, in words."""
    if step.kind == "call":
        return "call"
    if step.kind == "return":
        shown = step.returned.text if step.returned else ""
        return f"return → {shown}"
    if step.kind in ("skip", "stop", "exception"):
        return f"{step.kind}: {step.note}"
    if step.after_line is not None:
        return f"line {step.line} runs next; Δ marks what line {step.after_line} changed"
    return f"line {step.line} runs next"


def transcript(trace: Trace, start: int = 0) -> Iterator[str]:
    """The trace as text from step `start`, one block per step: what a pipe or a file gets."""
    yield trace.title
    if trace.guide:
        yield ""
        yield from trace.guide.splitlines()
    yield ""
    for step in trace.steps[start:]:
        code = trace.source_line(step).strip()
        yield f"[{step.index}] {location(trace, step)} · {headline(step)}"
        if step.kind in ("line", "skip") and code:
            yield f"    {step.line:>4} │ {code}"
        shown = step.values if step.kind == "call" else step.changed
        for value in shown:
            change = f"   ({value.change})" if value.change and step.kind != "call" else ""
            yield f"      {value.name} = {value.text}{change}"
        for line in step.output.splitlines()[:5]:
            yield f"    printed: {line}"
    yield ""
    yield ending(trace)


def ending(trace: Trace) -> str:
    """One line on how the run ended and how much was recorded."""
    steps = f"{len(trace.steps)} steps recorded, {trace.lines_run} lines run"
    if trace.stopped == "steps":
        return f"{steps}; recording stopped at the limit of {trace.max_steps} steps (--max-steps)"
    if trace.stopped == "time":
        return f"{steps}; recording stopped at the time limit (--timeout)"
    if trace.error:
        where = f" at line {trace.error['line']}" if trace.error.get("line") else ""
        return f"{steps}; the program raised {trace.error['type']}{where}: {trace.error['message']}"
    return f"{steps}; ran to the end in {trace.seconds:.2f} s"


@dataclass
class ViewerState:
    """Where the viewer is: the step, breakpoints, a message, whether help is showing."""

    index: int = 0
    breakpoints: set[tuple[int, int]] = field(default_factory=set)
    message: str = ""
    help: bool = False


def apply_key(trace: Trace, state: ViewerState, key: str, ask: Callable[[str], str]) -> bool:
    """Move `state` for one key press; False when the viewer should close."""
    last = len(trace.steps) - 1
    state.message = ""
    target: int | None
    if key in ("q", "\x1b", "\x03", "\x04"):
        return False
    if key == "?":
        state.help = not state.help
        return True
    state.help = False
    step = trace.steps[state.index]
    if key in ("n", " ", "j", "\r", "\n", *RIGHT):
        target = state.index + 1 if state.index < last else None
        state.message = "" if target is not None else "this is the last step"
    elif key in ("p", "k", *LEFT):
        target = state.index - 1 if state.index > 0 else None
        state.message = "" if target is not None else "this is the first step"
    elif key == "o":
        target = navigate.over(trace, state.index)
    elif key in ("i", "I"):
        jump = navigate.next_iteration if key == "i" else navigate.previous_iteration
        target = jump(trace, state.index)
        if step.loop is None:
            state.message = "this step is not inside a loop"
    elif key == "r":
        target = navigate.to_return(trace, state.index)
    elif key == "g":
        target = 0
    elif key == "G":
        target = last
    elif key in ("l", "b"):
        answer = ask("line: ").strip()
        if not answer.isdigit():
            state.message = f"not a line number: {answer!r}" if answer else ""
            return True
        line = int(answer)
        if key == "b":
            spot = (step.file, line)
            state.breakpoints ^= {spot}
            verb = "set" if spot in state.breakpoints else "cleared"
            state.message = f"breakpoint {verb} at line {line}"
            return True
        target = navigate.to_line(trace, state.index, line)
        if target is None:
            state.message = f"line {line} does not run after this step"
    elif key == "c":
        target = navigate.to_breakpoint(trace, state.index, state.breakpoints)
        if target is None:
            state.message = (
                "no breakpoint ahead (b sets one)"
                if state.breakpoints
                else ("no breakpoints set (b sets one)")
            )
    elif key == "w":
        name = ask("variable: ").strip()
        target = navigate.first_change(trace, state.index, name) if name else None
        if name and target is None:
            state.message = f"{name} does not change after this step"
    else:
        state.message = f"unknown key {key!r}; ? shows the keys"
        return True
    if target is not None:
        state.index = target
    elif not state.message:
        state.message = "nothing further that way"
    return True


def render(trace: Trace, state: ViewerState, width: int, height: int) -> RenderableType:
    """One screen of the viewer."""
    from rich.console import Group
    from rich.rule import Rule
    from rich.text import Text

    step = trace.steps[state.index]
    header = Text(f"invert trace · {trace.title}", style="bold", no_wrap=True, overflow="ellipsis")
    where = Text(
        f"step {step.index + 1} of {len(trace.steps)} · {location(trace, step, loop=False)}"
    )
    if step.loop is not None and step.kind != "skip":
        where.append(f"\nloop at line {step.loop.line}, iteration {step.loop.iteration}")
    footer = Text(
        "n/p step · o over · i/I iteration · r return · l line · b/c break · w watch · "
        "g/G ends · ? guide · q quit",
        style="dim",
        no_wrap=True,
        overflow="ellipsis",
    )
    message = Text(
        state.message or ending(trace) if state.index == len(trace.steps) - 1 else state.message,
        style="yellow",
    )
    if state.help:
        body: list[RenderableType] = [Rule("guide", align="left")]
        body += [
            Text(line) for line in (trace.guide or "Your own script, line by line.").splitlines()
        ]
        body += [Rule("keys", align="left")]
        body += [Text(f"  {keys:<10} {what}") for keys, what in KEYS]
        return Group(header, where, *body, message)
    budget = max(height - 9, 6)
    source_rows = max(3, min(13, budget // 2))
    value_rows = max(2, budget - source_rows)
    return Group(
        header,
        where,
        Rule(trace.files[step.file].name, align="left"),
        _source(trace, step, state, source_rows),
        Rule(headline(step), align="left", characters="─"),
        _values(step, value_rows, width),
        Text(
            "stack: " + " › ".join(f"{p.function}:{p.line}" for p in step.stack),
            style="dim",
            no_wrap=True,
            overflow="ellipsis",
        ),
        _printed(step),
        message,
        footer,
    )


def _source(trace: Trace, step: Step, state: ViewerState, rows: int) -> RenderableType:
    from rich.text import Text

    lines = trace.files[step.file].lines
    first = max(1, min(step.line - rows // 2, len(lines) - rows + 1))
    text = Text(no_wrap=True, overflow="ellipsis")
    for number in range(first, min(first + rows, len(lines) + 1)):
        current = number == step.line
        mark = "▶" if current else ("●" if (step.file, number) in state.breakpoints else " ")
        style = "reverse bold" if current else ""
        text.append(f"{mark}{number:>4} │ {lines[number - 1]}\n", style=style)
    text.rstrip()
    return text


def _values(step: Step, rows: int, width: int) -> RenderableType:
    from rich.text import Text

    text = Text(no_wrap=True, overflow="ellipsis")
    ordered = step.changed + [v for v in step.values if v.change is None]
    if step.returned is not None:
        ordered = [step.returned, *ordered]
    name_width = min(max((len(v.name) for v in ordered), default=4), 22)
    for value in ordered[:rows]:
        changed = value.change is not None
        mark = "Δ" if changed else " "
        line = f"{mark} {value.name:<{name_width}}  {value.text}"
        text.append(line[: width - 1] + "\n", style="bold" if changed else "")
        if changed and value.change not in ("new",):
            text.append(f"  {'':<{name_width}}  ↳ {value.change}\n"[:width], style="yellow")
    hidden = len(ordered) - rows
    if hidden > 0:
        text.append(f"  … {hidden} more\n", style="dim")
    if not ordered:
        text.append("  (no variables)\n", style="dim")
    text.rstrip()
    return text


def _printed(step: Step) -> RenderableType:
    from rich.text import Text

    lines = step.output.rstrip("\n").splitlines()
    if not lines:
        return Text("")
    return Text(
        f"printed: {lines[-1]}" + (f"  (+{len(lines) - 1} lines)" if len(lines) > 1 else ""),
        style="cyan",
        no_wrap=True,
        overflow="ellipsis",
    )


def keys() -> Generator[str, None, None]:
    """Key presses from the terminal, one at a time, with echo off for the whole session.

    A read can return several keys at once (fast typing, a paste): they are split into single
    characters, except an escape sequence (an arrow key), which stays whole.
    """
    try:
        import termios
        import tty
    except ImportError:  # Windows: click reads one key at a time
        import click

        while True:
            yield click.getchar()
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)  # keys arrive as typed and are not echoed over the screen
        while True:
            chunk = os.read(fd, 32).decode("utf-8", errors="replace")
            if not chunk:
                return
            if chunk.startswith("\x1b") and len(chunk) > 1:
                yield chunk
            else:
                yield from chunk
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def view(trace: Trace, console: Console, start: int = 0) -> None:
    """Open the interactive viewer on `console` until the learner quits."""
    state = ViewerState(index=max(0, min(start, len(trace.steps) - 1)))
    pressed = keys()

    def ask(prompt: str) -> str:
        console.print(prompt, end="")
        typed = ""
        for char in pressed:
            if char in ("\r", "\n"):
                return typed
            if char in ("\x7f", "\b"):
                typed = typed[:-1]
                console.print("\b \b", end="")
            elif char in ("\x1b", "\x03"):
                return ""
            elif char.isprintable():
                typed += char
                console.print(char, end="")
        return typed

    with console.screen(hide_cursor=True):
        while True:
            console.clear()
            console.print(render(trace, state, console.size.width, console.size.height), end="")
            key = next(pressed, "q")
            if not apply_key(trace, state, key, ask):
                break
    pressed.close()
