"""Commands for reading code as it runs: trace (the step viewer) and tour (the real debugger)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from invert.cli.output import console, emit_json
from invert.cli.pager import paged
from invert.cli.tables import id_column, print_table
from invert.errors import LearnerError

if TYPE_CHECKING:
    from invert.kinds.traces.ops import Tour
    from invert.kinds.traces.steps import Trace

Target = Annotated[
    str | None,
    typer.Argument(
        help="An algorithm (`invert trace` lists them), a starter, or your own script, FILE.py.",
        show_default=False,
    ),
]


def register(app: typer.Typer) -> None:
    app.command("trace")(trace)
    app.command("tour")(tour)


def trace(
    target: Target = None,
    dataset: Annotated[
        str | None,
        typer.Option("--dataset", help="Trace an algorithm on this bundled dataset instead."),
    ] = None,
    max_steps: Annotated[
        int, typer.Option("--max-steps", help="Stop recording after this many steps.")
    ] = 2000,
    full_iterations: Annotated[
        int,
        typer.Option(
            "--full-iterations",
            help="Iterations of each loop recorded step by step; the rest "
            "run without stepping and are summarised.",
        ),
    ] = 3,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds the traced run may take.")
    ] = 120.0,
    at: Annotated[
        int | None,
        typer.Option("--at", help="Start at the first step at this line (viewer or printout)."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the recorded steps as JSON instead.")
    ] = False,
) -> None:
    """Step through an algorithm or your script line by line, arrays shown sensibly.

    In a terminal this opens the step viewer (n/p step, i iteration, r return, l line,
    b/c breakpoints, ? keys); piped, it prints every step as text.
    """
    from invert.cli.stopping import NOTHING, keep
    from invert.kinds.traces import ops as lab_trace

    keep(NOTHING)  # a trace is recorded in memory only
    if target is None:
        _list_algorithms(as_json)
        return
    script = _script_for(target, as_json)
    if script is not None:
        if dataset is not None:
            raise LearnerError("--dataset applies to algorithms, not to scripts")
        recorded = lab_trace.trace_script(
            script, max_steps=max_steps, full_iterations=full_iterations, timeout=timeout
        )
    else:
        recorded = lab_trace.trace_algorithm(
            target,
            dataset,
            max_steps=max_steps,
            full_iterations=full_iterations,
            timeout=timeout,
        )
    start = lab_trace.first_step_at(recorded, at)
    if as_json:
        emit_json(recorded.to_json(), compact=True)  # a trace is long: one line
    elif not recorded.steps:
        typer.echo(f"{recorded.title}: no line of it ran, so there is nothing to step through")
    elif sys.stdin.isatty() and sys.stdout.isatty():
        _view(recorded, start)
    else:
        for line in _transcript(recorded, start):
            typer.echo(line)
    if recorded.error:
        raise typer.Exit(1)


def _script_for(target: str, as_json: bool) -> Path | None:
    """The script `target` names (None for an algorithm). A starter, by id or by its path in
    the lab, is the learner's copy: copied first if they have none yet."""
    from invert.catalog.loader import load_catalog
    from invert.lab import open_lab_if_any

    path = Path(target)
    if path.is_file():
        return path
    catalog = load_catalog()
    starter = catalog.find_starter(target)
    named_script = target.endswith(".py")
    if starter is None or (not named_script and target in catalog.traces):
        return path if named_script else None
    lab = open_lab_if_any()
    if lab is None:
        return path if named_script else None
    from invert.kinds.starters.cli import ensure_copied

    with lab:
        ensure_copied(lab, starter.id, as_json)
        return lab.starters.path(starter)


def _view(recorded: Trace, start: int) -> None:
    from invert.kinds.traces.viewer import ending, view

    view(recorded, console(), start)
    typer.echo(ending(recorded))
    _suggest(recorded)


def _transcript(recorded: Trace, start: int) -> list[str]:
    from invert.kinds.traces.viewer import transcript

    return list(transcript(recorded, start))


def _suggest(recorded: Trace) -> None:
    card = recorded.subject.get("card")
    if card:
        typer.echo(f"The theory behind it: invert learn {card}")


def _list_algorithms(as_json: bool) -> None:
    from invert.kinds.traces.ops import traceable_algorithms

    rows = traceable_algorithms()
    if as_json:
        emit_json({"algorithms": rows})
        return
    from rich.table import Table

    table = Table(title="Traceable algorithms", title_justify="left", show_edge=False)
    id_column(table)
    for column in ("what it shows", "dataset", "also on"):
        table.add_column(column)
    for row in rows:
        others = [d for d in row["datasets"] if d != row["dataset"]]
        table.add_row(row["id"], row["title"], row["dataset"], ", ".join(others))
    out = console()
    with paged():
        print_table(table, out)
        out.print(
            "\n`invert trace ALGORITHM [--dataset D]` steps through one; "
            "`invert trace FILE.py` steps through your own script."
        )


def tour(
    starter: Annotated[
        str,
        typer.Argument(help="A starter id, as `invert list` shows them (or starters/ID.py)."),
    ],
) -> None:
    """Open the real debugger (pdb, or your PYTHONBREAKPOINT) at a starter's first line, with a
    guide of where to stop and what to look at."""
    from invert.kinds.starters.cli import ensure_copied
    from invert.lab import open_lab

    with open_lab() as lab:
        planned = lab.traces.tour(ensure_copied(lab, starter).id)
        _print_guide(planned)
        code = lab.traces.open_debugger(planned)
    raise typer.Exit(code)


def _print_guide(planned: Tour) -> None:
    say = typer.echo
    say(
        f"Tour of {planned.display} in {planned.debugger}. "
        "It stops before the first line: nothing has run."
    )
    say(
        "At the prompt:  n run the line · s step into a call · until N run to line N · "
        "p EXPR print · pp EXPR pretty-print"
    )
    say("                ll the code · w where am I · c continue to the end · q quit")
    say("")
    for number, placed in enumerate(planned.stops, start=1):
        stop = placed.stop
        if placed.line is None:
            say(
                f"{number}. ({stop.at!r} is no longer in your copy; "
                f"`invert reset {planned.starter.id}` restores the original)"
            )
            continue
        say(f"{number}. line {placed.line}: {stop.at}")
        for line in _wrap(stop.look):
            say(f"   {line}")
        moves = " · ".join(stop.tries)
        say(f"   type: until {placed.line}" + (f"   then: {moves}" if moves else ""))
    say("")


def _wrap(text: str) -> list[str]:
    import textwrap

    return textwrap.wrap(" ".join(text.split()), width=92)
