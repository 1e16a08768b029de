"""`invert tour`: the real debugger at a starter's first line, with a guide of where to stop.

A tour is content: each starter's manifest lists `[[tour]]` stops, each a fragment of one line
of the script (`at`), what to look at there (`look`) and debugger commands to type (`try`).
Fragments, not line numbers, so the guide still finds its stops in a learner's edited copy.

The debugger is pdb exactly as ``python -m pdb starters/x.py`` runs it, or, when the learner
names another one in ``PYTHONBREAKPOINT`` (ipdb, pudb, ...), that one, entered before the
script's first line.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from invert.kinds.starters.model import TourStop

# Debugger commands a `try` entry may use. The ones in EXPRESSION_COMMANDS take an expression
# that `invert dev check` evaluates at the stop, in a real run of the starter; `n` (the only
# move allowed) runs the line, so the expressions after it see the line's effect.
EXPRESSION_COMMANDS = ("p", "pp", "whatis", "display")
PLAIN_COMMANDS = ("n", "ll", "l", "w", "where", "a", "args")


def expression_phases(tries: tuple[str, ...]) -> list[list[str]]:
    """The expressions to evaluate before the stop's line, then after each `n`.

    >>> expression_phases(("p a", "n", "p b", "ll", "pp c"))
    [['a'], ['b', 'c']]
    """
    phases: list[list[str]] = [[]]
    for command in tries:
        word, _, rest = command.strip().partition(" ")
        if word == "n":
            phases.append([])
        elif word in EXPRESSION_COMMANDS:
            phases[-1].append(rest.strip())
    return phases


@dataclass(frozen=True)
class PlacedStop:
    """A stop found in a script: its line number (None if the learner's edit removed it)."""

    stop: TourStop
    line: int | None


def place_stops(source: str, stops: tuple[TourStop, ...]) -> list[PlacedStop]:
    """Find each stop's line: the first line, after the previous stop's, holding its fragment.

    >>> stops = (TourStop("fit(", "", ()), TourStop("print(", "", ()))
    >>> [p.line for p in place_stops("a = 1\\nm.fit(a)\\nprint(a)\\n", stops)]
    [2, 3]
    """
    lines = source.splitlines()
    placed = []
    after = 0
    for stop in stops:
        line = next((n for n in range(after + 1, len(lines) + 1) if stop.at in lines[n - 1]), None)
        placed.append(PlacedStop(stop, line))
        if line is not None:
            after = line
    return placed


def command_problem(command: str) -> str | None:
    """Why a `try` entry is not a debugger command a tour may suggest, or None if it is one.

    >>> command_problem("p X.shape") is None, command_problem("ll") is None
    (True, True)
    >>> command_problem("import os")
    "'import os' is not one of the debugger commands a tour uses"
    """
    word, _, rest = command.strip().partition(" ")
    if word in EXPRESSION_COMMANDS and rest.strip():
        return None
    if word in PLAIN_COMMANDS and not rest.strip():
        return None
    return f"{command!r} is not one of the debugger commands a tour uses"


def debugger_command(script: Path) -> list[str]:
    """The command that opens the learner's debugger at the script's first line.

    Raises ValueError when ``PYTHONBREAKPOINT=0`` turns breakpoints off.
    """
    hook = os.environ.get("PYTHONBREAKPOINT", "").strip()
    if hook == "0":
        raise ValueError("PYTHONBREAKPOINT=0 turns the debugger off; unset it to take the tour")
    if hook in ("", "pdb.set_trace"):
        return [sys.executable, "-m", "pdb", str(script)]
    return [sys.executable, "-m", "invert.kinds.traces.tour", "debug", str(script)]


def _debug_with_hook(script: Path) -> None:
    """Run `script` as __main__ with the PYTHONBREAKPOINT debugger entered before its first line.

    bdb-based debuggers (pdb, ipdb, pudb) step into the script's code from here: they stop at its
    call, then at its first line.
    """
    module: dict[str, Any] = {"__name__": "__main__", "__file__": str(script)}
    from invert.runner.child import enter_as_main

    code = compile(script.read_bytes(), str(script), "exec")
    enter_as_main(script)
    # One line, so that the debugger has no line of this wrapper to stop at before the script.
    (breakpoint(), exec(code, module))  # type: ignore[func-returns-value]


def _check_stops(script: Path, stops: dict[int, list[list[str]]]) -> dict[str, Any]:
    """Run the script; evaluate each stop's expressions as the debugger would see them.

    The first phase runs when the stop's line is about to run; each later one (after an `n`)
    at the next line of the same frame, once the line before it has run.
    """
    from invert.runner.child import run_as_main

    filename = str(script)
    results: dict[str, Any] = {"reached": [], "problems": []}
    pending = dict(stops)
    queued: list[tuple[int, list[str]]] = []  # (stop line, expressions) for the coming lines

    def evaluate(frame: Any, stop: int, expressions: list[str]) -> None:
        for expression in expressions:
            try:
                eval(expression, frame.f_globals, frame.f_locals)  # the tour's own content
            except Exception as exc:  # any failure is a content problem
                results["problems"].append(
                    f"line {stop}: {expression!r} fails: {type(exc).__name__}: {exc}"
                )

    def local(frame: Any, event: str, arg: Any) -> Any:
        if event != "line" or frame.f_code.co_name != "<module>":
            return local
        if queued:
            evaluate(frame, *queued.pop(0))
        elif frame.f_lineno in pending:
            stop = frame.f_lineno
            first, *later = pending.pop(stop)
            evaluate(frame, stop, first)
            queued.extend((stop, phase) for phase in later)
            results["reached"].append(stop)
        return local

    def start(frame: Any, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename == filename else None

    sys.settrace(start)
    try:
        _, error = run_as_main(script)
    finally:
        sys.settrace(None)
    results["error"] = error
    return results


def main(argv: list[str]) -> int:
    """``debug SCRIPT`` or ``check SCRIPT STOPS_JSON RESULT_JSON`` (the latter for dev check)."""
    command, script_arg, *rest = argv
    script = Path(script_arg).resolve()
    if command == "debug":
        _debug_with_hook(script)
        return 0
    stops = json.loads(Path(rest[0]).read_text(encoding="utf-8"))
    results = _check_stops(script, {int(line): phases for line, phases in stops.items()})
    Path(rest[1]).write_text(json.dumps(results), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
