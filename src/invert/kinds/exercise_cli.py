"""The commands every exercise kind shares: `invert check|hint|solution|watch [ID]`, and the
listing and start of one kind (`invert <kind> [ID]`).

The four shared commands search every kind whose registry line says ``exercise=True`` for the
id (without one: the exercise touched last, across them all). How a kind is worded and shown
is its `ExerciseFace`: a kind's cli module gives its own as ``FACE``; a kind without one gets
this module's plain face and, through `register_kind`, a command listing and starting it.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import TYPE_CHECKING, Annotated, Any

import typer

from invert.cli.numbers import finite_at_least
from invert.cli.output import console, echo_raw, emit_json

if TYPE_CHECKING:
    from rich.console import Console

    from invert.kinds.exercise import Exercises
    from invert.kinds.kind import Kind
    from invert.lab import Lab

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of text.")]
ExerciseId = Annotated[
    str,
    typer.Argument(help="A drill or rebuild id, as `invert drills` or `invert rebuild` shows."),
]
MaybeExerciseId = Annotated[
    str | None,
    typer.Argument(
        help="A drill or rebuild id; without one, the one you worked on last.",
        show_default=False,
    ),
]
Timeout = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        parser=finite_at_least(1),
        metavar="SECONDS",
        help="Stop the script after this many seconds (at least 1).",
    ),
]


class ExerciseFace:
    """How the shared commands word and show one exercise kind (a kind's cli may subclass it)."""

    title: str | None = None  # the listing's title; the kind's title when None
    rows: str | None = None  # the listing's key in JSON; the kind's name when None
    start: str | None = None  # the command starting one: `invert <start> ID`; the kind's name
    copying: str | None = None  # what the spinner says while a start copies; None: no spinner
    original: str = "the original"  # what a reset restores
    heading: str = "invert check {id}: {rel}"  # the rule above a check's output
    whose: str = "your code"  # ... printed more than 1 MB
    solution_is: str = "the solution"  # `invert solution ID` shows ...
    next_one: str = "the next one"  # Then ...: `invert <start> ID`.
    hint_last: str = "the solution"  # Once `invert check` passes, `invert solution` shows ...
    key: str = "exercise"  # the item's key in the JSON of a hint or a solution

    def columns(self) -> tuple[str, ...]:
        """The listing's columns after the id."""
        return ("title", "status")

    def cells(self, row: dict[str, Any], status: str) -> tuple[str, ...]:
        """One listed item's cells after its id (`status`: its mark, and `status_note`)."""
        return (str(row["title"]), status)

    def listed(self, row: dict[str, Any]) -> bool:
        """Whether the table shows this item (the JSON lists every one)."""
        return True

    def status_note(self, row: dict[str, Any]) -> str:
        return ""

    def started(self, item: Any) -> dict[str, Any]:
        """What `invert <start> ID --json` adds to the status and path."""
        return {}

    def describe(self, out: Console, item: Any, status: Any, rel: str) -> None:
        """What a start says after the title: the task and what to do next."""
        out.print(f"Your copy: [cyan]{rel}[/].")
        out.print(
            f"Then `invert check {item.id}`, or `invert watch {item.id}` to re-check on every "
            f"save. Stuck? `invert hint {item.id}` ({len(item.hints)} hints)."
        )

    def tally(self, verdict: Any) -> str:
        """What the verdict line says between the id and the time."""
        return ""

    def outcomes(self, out: Console, verdict: Any) -> None:
        """The verdict's lines, one per check or stage."""

    def not_passed(self, out: Console, item: Any, verdict: Any, status: Any, rel: str) -> bool:
        """Lines for a verdict short of a pass; True when they replace the hints line."""
        return False

    def why(self, out: Console, heading: str, item: Any) -> None:
        """The solution's explanation, its concept card and what to read."""
        out.rule(heading, align="left")
        out.print(" ".join(item.explanation.split()))
        out.rule("Read more", align="left")
        if item.card:
            out.print(f"The concept card: `invert learn {item.card}`")
        for citation in item.citations:
            out.print(f"- {citation}")

    def solution(self, out: Console | None, shown: Any) -> dict[str, Any] | None:
        """Print the solution to `out`; with `out` None, its JSON instead."""
        if out is None:
            return {"solution": str(shown)}
        out.print(str(shown))
        return None


def face(kind: Kind) -> ExerciseFace:
    """The kind's own face (``FACE`` in its cli module), or the plain one."""
    try:
        module = kind.module("cli")
    except ModuleNotFoundError as exc:
        if exc.name != f"{kind.package}.cli":
            raise
        return ExerciseFace()
    found = getattr(module, "FACE", None)
    return found if isinstance(found, ExerciseFace) else ExerciseFace()


def marks(part: Exercises[Any, Any, Any]) -> dict[str, str]:
    """The state words of a kind as the terminal shows them."""
    from invert.kinds.exercise import NOT_ATTEMPTED

    return {
        part.passed: f"[green]✓ {part.passed}[/]",
        part.failing: f"[red]✗ {part.failing}[/]",
        NOT_ATTEMPTED: f"[yellow]○ {NOT_ATTEMPTED}[/]",
    }


def _kind_of(part: Exercises[Any, Any, Any]) -> Kind:
    from invert.kinds import kind

    return kind(part.kind_name)


# --- listing and starting one kind ------------------------------------------------------------


def list_items(kind: Kind, as_json: bool) -> None:
    """The kind's items and where the learner stands with each (outside a lab: no state)."""
    from invert.cli.pager import paged
    from invert.cli.tables import id_column, print_table
    from invert.lab import open_lab_if_any

    shown = face(kind)
    lab = open_lab_if_any()  # outside a lab the catalogue is still worth listing
    words: dict[str, str] = {}
    if lab is None:
        from invert.catalog.loader import load_catalog

        rows = kind.attribute("ops:listing")(load_catalog())
    else:
        with lab:
            part = lab.part(kind.name)
            rows = [status.to_json() for status in part.statuses()]
            words = marks(part)
    if as_json:
        emit_json({"lab": str(lab.root) if lab else None, shown.rows or kind.name: rows})
        return
    from rich.table import Table

    title = shown.title or kind.title
    table = Table(title=title, title_justify="left", show_edge=False, show_lines=True)
    id_column(table)
    for column in shown.columns():
        table.add_column(column, overflow="fold")
    for row in filter(shown.listed, rows):
        state = row["state"]
        status = "-" if state is None else words[str(state)]
        table.add_row(str(row["id"]), *shown.cells(row, status + shown.status_note(row)))
    with paged():
        print_table(table)
        if lab is None:
            console().print("Not in a lab: `invert start` makes one.")
        else:
            console().print(f"Start one with `invert {shown.start or kind.name} ID`.")


def start_item(kind: Kind, item_id: str, reset: bool, as_json: bool) -> None:
    """Copy the item into the lab (after restoring it, with `reset`) and say what to do."""
    from invert.cli.working import working
    from invert.lab import open_lab

    shown = face(kind)
    with open_lab() as lab:
        part = lab.part(kind.name)
        with working(shown.copying, quiet=as_json) if shown.copying else nullcontext():
            backup = part.reset(item_id)[1] if reset else None
            item, path = part.start(item_id)
            status = part.status(item.id)
        if as_json:
            emit_json(status.to_json() | {"path": str(path)} | shown.started(item))
            return
        out = console()
        rel = path.relative_to(lab.root).as_posix()
        out.print(f"[bold]{item.title}[/]  [dim]({item.id}, {marks(part)[status.state]})[/]")
        if reset:
            out.print(f"Restored [cyan]{rel}[/] to {shown.original}.")
            if backup is not None:
                out.print(f"Your version is kept at [cyan]{backup.relative_to(lab.root)}[/].")
        shown.describe(out, item, status, rel)


def register_kind(app: typer.Typer, kind: Kind) -> None:
    """`invert <kind> [ID]` for an exercise kind with no cli module of its own."""

    def command(
        item_id: Annotated[
            str | None,
            typer.Argument(help="An id; without one, list them.", show_default=False),
        ] = None,
        reset: Annotated[
            bool, typer.Option("--reset", help="Restore the original; yours is backed up.")
        ] = False,
        as_json: JsonFlag = False,
    ) -> None:
        if item_id is None:
            list_items(kind, as_json)
        else:
            start_item(kind, item_id, reset, as_json)

    command.__doc__ = f"{kind.title}: list them, or copy one into your lab to work on."
    app.command(kind.name)(command)


# --- the commands shared by every exercise kind ---------------------------------------------------


def register(app: typer.Typer) -> None:
    """`invert check|hint|solution|watch`, and `invert <kind>` for every exercise kind that has
    no commands of its own (``cli=()`` on its registry line)."""
    from invert.kinds import kinds

    for kind in kinds():
        if kind.exercise and not kind.cli:
            register_kind(app, kind)
    app.command("check")(check)
    app.command("hint")(hint)
    app.command("solution")(solution)
    app.command("watch")(watch)


def check(
    drill_id: MaybeExerciseId = None, timeout: Timeout = None, as_json: JsonFlag = False
) -> None:
    """Check your copy of a drill or a rebuild exercise: fixed (passed), or not yet.

    A drill's checks decide fixed, still broken or not attempted; a rebuild is compared with
    scikit-learn stage by stage. Exits 0 when fixed or passed and 1 otherwise.
    """
    from invert.kinds.exercise import find_exercise
    from invert.lab import open_lab

    with open_lab() as lab:
        part, item = find_exercise(lab, drill_id)
        if as_json:
            verdict = part.check(item.id, timeout=timeout)
            emit_json(verdict.to_json() | {"output": verdict.output})
        else:
            verdict = check_and_report(lab, part, item, timeout)
    if verdict.state != part.passed:
        raise typer.Exit(1)


def check_and_report(
    lab: Lab, part: Exercises[Any, Any, Any], item: Any, timeout: float | None = None
) -> Any:
    """Check the learner's copy with its output streamed, print the verdict; return it."""
    shown = face(_kind_of(part))
    out = console()
    rel = part.path(item).relative_to(lab.root).as_posix()
    out.rule(shown.heading.format(id=item.id, rel=rel), align="left", style="dim")
    verdict = part.check(item.id, on_output=echo_raw, timeout=timeout)
    out.rule(style="dim")
    status = part.status(item.id)
    out.print(
        f"{marks(part)[verdict.state]}  {item.id}  {shown.tally(verdict)}"
        f"[dim]({verdict.wall_seconds:.1f} s)[/]"
    )
    if verdict.problem:
        out.print(f"  [red]✗[/] {verdict.problem}")
    shown.outcomes(out, verdict)
    if verdict.output_truncated:
        out.print(f"[yellow]note:[/] {shown.whose} printed more than 1 MB; the rest was dropped")
    total = len(item.hints)
    if verdict.state == part.passed:
        hints = status.hints_when_passed or 0
        out.print(
            f"{part.passed.capitalize()} with {hints} of {total} hints. [bold]Next:[/] "
            f"`invert solution {item.id}` shows {shown.solution_is}."
        )
        following = part.next_after(item.id)
        if following:
            start = shown.start or part.kind_name
            out.print(f"Then {shown.next_one}: `invert {start} {following.id}`.")
    elif not shown.not_passed(out, item, verdict, status, rel):
        out.print(
            f"Hints used: {status.hints_used} of {total}. `invert hint {item.id}` for the "
            f"next one; `invert watch {item.id}` re-checks on every save."
        )
    return verdict


def hint(drill_id: MaybeExerciseId = None, as_json: JsonFlag = False) -> None:
    """Show the next hint (it is recorded) for a drill or a rebuild exercise."""
    from invert.kinds.exercise import find_exercise
    from invert.lab import open_lab

    with open_lab() as lab:
        part, item = find_exercise(lab, drill_id)
        given = part.next_hint(item.id)
    shown = face(_kind_of(part))
    if as_json:
        emit_json(
            {
                shown.key: given.item.id,
                "number": given.number,
                "of": given.total,
                "text": given.text,
                "new": given.new,
            }
        )
        return
    out = console()
    out.print(f"[bold]Hint {given.number} of {given.total}[/] for {given.item.id}:")
    out.print(given.text)
    if not given.new:
        out.print(
            "[dim]That was the last hint. Once `invert check` passes, `invert solution` "
            f"shows {shown.hint_last}.[/]"
        )


def solution(drill_id: ExerciseId, as_json: JsonFlag = False) -> None:
    """Show the reference fix or version and why it works (once `invert check` passes)."""
    from invert.kinds.exercise import find_exercise
    from invert.lab import open_lab

    with open_lab() as lab:
        part, item = find_exercise(lab, drill_id)
        given = part.solution(item.id)
    shown = face(_kind_of(part))
    if as_json:
        emit_json({shown.key: item.id} | (shown.solution(None, given) or {}))
        return
    shown.solution(console(), given)


def watch(drill_id: MaybeExerciseId = None) -> None:
    """Re-check a drill or rebuild every time you save it (Ctrl-C to stop); stops once it passes."""
    from invert.cli.watching import watch_until
    from invert.kinds.exercise import find_exercise
    from invert.lab import open_lab

    with open_lab() as lab:
        part, item = find_exercise(lab, drill_id)
        path = part.path(item)
        if not path.is_file():
            part.start(item.id)
        watch_until(path, lab.root, lambda: check_and_report(lab, part, item).state == part.passed)
