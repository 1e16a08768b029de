"""Commands for debugging drills: drills, drill, check, hint, solution, watch."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from invert.cli.numbers import finite_at_least
from invert.cli.output import console, echo_raw, emit_json
from invert.cli.pager import paged
from invert.cli.tables import id_column, print_table

if TYPE_CHECKING:
    from invert.kinds.drills.run import Verdict
    from invert.lab import Lab

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of text.")]
DrillId = Annotated[
    str,
    typer.Argument(help="A drill or rebuild id, as `invert drills` or `invert rebuild` shows."),
]
MaybeDrillId = Annotated[
    str | None,
    typer.Argument(
        help="A drill or rebuild id; without one, the one you worked on last.", show_default=False
    ),
]
MARKS = {"fixed": "[green]✓ fixed[/]", "still broken": "[red]✗ still broken[/]"}
MARKS["not attempted"] = "[yellow]○ not attempted[/]"


def register(app: typer.Typer) -> None:
    app.command("drills")(list_drills)
    app.command("drill")(drill)
    app.command("check")(check)
    app.command("hint")(hint)
    app.command("solution")(solution)
    app.command("watch")(watch)


def list_drills(as_json: JsonFlag = False) -> None:
    """List the debugging drills: the symptom of each and where you stand with it."""
    from invert.lab import open_lab_if_any

    lab = open_lab_if_any()  # outside a lab the catalogue is still worth listing
    if lab is None:
        from invert.catalog import load_catalog
        from invert.kinds.drills.ops import drills_outside_a_lab

        rows = drills_outside_a_lab(load_catalog())
    else:
        with lab:
            rows = [status.to_json() for status in lab.drills()]
    if as_json:
        emit_json({"lab": str(lab.root) if lab else None, "drills": rows})
        return
    from rich.table import Table

    table = Table(title="Debugging drills", title_justify="left", show_edge=False, show_lines=True)
    id_column(table)
    for column in ("symptom", "data", "status"):
        table.add_column(column, overflow="fold")
    for row in rows:
        state = row["state"]
        status = "-" if state is None else MARKS[str(state)]
        if row.get("hints_used"):
            status += f"\n{row['hints_used']} of {row['hints']} hints"
        table.add_row(str(row["id"]), " ".join(str(row["symptom"]).split()), row["dataset"], status)
    with paged():
        print_table(table)
        if lab is None:
            console().print("Not in a lab: `invert start` makes one.")
        else:
            console().print("Start one with `invert drill ID`.")


def drill(
    drill_id: DrillId,
    reset: Annotated[
        bool, typer.Option("--reset", help="Restore the broken original; yours is backed up.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Start a drill: copy its broken script into drills/ and state the symptom."""
    from invert.cli.working import working
    from invert.lab import open_lab

    with open_lab() as lab:
        with working("Copying the drill and its data", quiet=as_json):
            backup = lab.reset_drill(drill_id)[1] if reset else None
            the_drill, path = lab.start_drill(drill_id)
            status = lab.drill_status(the_drill.id)
        if as_json:
            emit_json(status.to_json() | {"path": str(path), "brief": the_drill.brief})
            return
        out = console()
        rel = path.relative_to(lab.root).as_posix()
        out.print(f"[bold]{the_drill.title}[/]  [dim]({the_drill.id}, {MARKS[status.state]})[/]")
        if reset:
            out.print(f"Restored [cyan]{rel}[/] to the broken original.")
            if backup is not None:
                out.print(f"Your version is kept at [cyan]{backup.relative_to(lab.root)}[/].")
        out.rule("What you observe", align="left")
        out.print(" ".join(the_drill.symptom.split()))
        out.rule("What was asked", align="left")
        out.print(" ".join(the_drill.brief.split()))
        out.rule(style="dim")
        out.print(f"Your copy: [cyan]{rel}[/] (run it: python {rel})")
        out.print(
            f"Find the fault and fix it in the file, then `invert check {the_drill.id}`, or "
            f"`invert watch {the_drill.id}` to re-check on every save. "
            f"Stuck? `invert hint {the_drill.id}` ({len(the_drill.hints)} hints)."
        )


def check(
    drill_id: MaybeDrillId = None,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout",
            parser=finite_at_least(1),
            metavar="SECONDS",
            help="Stop the script after this many seconds (at least 1).",
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Check your copy of a drill or a rebuild exercise: fixed (passed), or not yet.

    A drill's checks decide fixed, still broken or not attempted; a rebuild is compared with
    scikit-learn stage by stage. Exits 0 when fixed or passed and 1 otherwise.
    """
    from invert.lab import open_lab

    with open_lab() as lab:
        kind, the_id = lab.resolve_check(drill_id)
        if kind == "rebuild":
            from invert.kinds.rebuild import cli as rebuild

            if as_json:
                result = lab.check_rebuild(the_id, timeout=timeout)
                emit_json(result.to_json() | {"output": result.output})
            else:
                result = rebuild.check_and_report(lab, the_id, timeout)
            if not result.passed:
                raise typer.Exit(1)
            return
        verdict = (
            lab.check_drill(the_id, timeout=timeout)
            if as_json
            else _check_and_report(lab, the_id, timeout)
        )
        if as_json:
            emit_json(verdict.to_json() | {"output": verdict.output})
    if not verdict.fixed:
        raise typer.Exit(1)


def _check_and_report(lab: Lab, drill_id: str | None, timeout: float | None = None) -> Verdict:
    out = console()
    the_drill = lab.resolve_drill(drill_id)
    rel = lab.drill_path(the_drill).relative_to(lab.root).as_posix()
    out.rule(f"invert check {the_drill.id}: python {rel}", align="left", style="dim")
    verdict = lab.check_drill(the_drill.id, on_output=echo_raw, timeout=timeout)
    out.rule(style="dim")
    status = lab.drill_status(the_drill.id)
    out.print(f"{MARKS[verdict.state]}  {the_drill.id}  [dim]({verdict.wall_seconds:.1f} s)[/]")
    if verdict.problem:
        out.print(f"  [red]✗[/] {verdict.problem}")
    for outcome in verdict.checks:
        mark = "[green]✓[/]" if outcome.passed else "[red]✗[/]"
        out.print(f"  {mark} {outcome.title}")
        if not outcome.passed:
            out.print(f"      [dim]{outcome.observed}[/]")
    if verdict.output_truncated:
        out.print("[yellow]note:[/] the script printed more than 1 MB; the rest was dropped")
    total = len(the_drill.hints)
    if verdict.fixed:
        hints = status.hints_when_fixed or 0
        out.print(
            f"Fixed with {hints} of {total} hints. [bold]Next:[/] `invert solution "
            f"{the_drill.id}` shows the reference fix and why it works."
        )
        following = lab.next_drill(the_drill.id)
        if following:
            out.print(f"Then the next drill: `invert drill {following.id}`.")
    elif verdict.state == "not attempted":
        out.print(
            f"{rel} is still the original. What you observe: {' '.join(the_drill.symptom.split())}"
        )
        out.print(f"Edit the file, then check again. Stuck? `invert hint {the_drill.id}`.")
    else:
        out.print(
            f"Hints used: {status.hints_used} of {total}. `invert hint {the_drill.id}` for the "
            f"next one; `invert watch {the_drill.id}` re-checks on every save."
        )
    return verdict


def hint(drill_id: MaybeDrillId = None, as_json: JsonFlag = False) -> None:
    """Show the next hint (it is recorded) for a drill or a rebuild exercise."""
    from invert.lab import open_lab

    with open_lab() as lab:
        kind, the_id = lab.resolve_check(drill_id)
        if kind == "rebuild":
            from invert.kinds.rebuild import cli as rebuild

            rebuild.hint(lab, the_id, as_json)
            return
        given = lab.next_hint(the_id)
    if as_json:
        emit_json(
            {
                "drill": given.drill.id,
                "number": given.number,
                "of": given.total,
                "text": given.text,
                "new": given.new,
            }
        )
        return
    out = console()
    out.print(f"[bold]Hint {given.number} of {given.total}[/] for {given.drill.id}:")
    out.print(given.text)
    if not given.new:
        out.print(
            "[dim]That was the last hint. Once `invert check` passes, `invert solution` "
            "shows the reference fix.[/]"
        )


def solution(drill_id: DrillId, as_json: JsonFlag = False) -> None:
    """Show the reference fix or version and why it works (once `invert check` passes)."""
    from invert.lab import open_lab

    with open_lab() as lab:
        kind, the_id = lab.resolve_check(drill_id)
        if kind == "rebuild":
            from invert.kinds.rebuild import cli as rebuild

            rebuild.solution(lab, the_id, as_json)
            return
        shown = lab.solution(the_id)
    d = shown.drill
    if as_json:
        emit_json(
            {
                "drill": d.id,
                "diff": shown.diff,
                "solution": shown.source,
                "explanation": d.explanation,
                "concept": d.concept,
                "card": shown.card,
                "citations": list(d.citations),
            }
        )
        return
    from rich.syntax import Syntax

    out = console()
    out.print(f"[bold]{d.title}[/]  [dim]({d.id})[/]")
    out.rule("The reference fix", align="left")
    out.print(
        Syntax(shown.diff, "diff", theme="ansi_dark", background_color="default", word_wrap=True)
    )
    out.rule("Why", align="left")
    out.print(" ".join(d.explanation.split()))
    out.rule("Read more", align="left")
    if shown.card:
        out.print(f"The concept card: `invert learn {shown.card}`")
    for citation in d.citations:
        out.print(f"- {citation}")


def watch(drill_id: MaybeDrillId = None) -> None:
    """Re-check a drill or rebuild every time you save it (Ctrl-C to stop); stops once it passes."""
    from invert.cli.watching import watch_until
    from invert.lab import open_lab

    with open_lab() as lab:
        kind, the_id = lab.resolve_check(drill_id)
        if kind == "rebuild":
            from invert.kinds.rebuild import cli as rebuild

            rebuild.watch(lab, the_id)
            return
        the_drill = lab.resolve_drill(the_id)
        path = lab.drill_path(the_drill)
        if not path.is_file():
            lab.start_drill(the_drill.id)
        watch_until(path, lab.root, lambda: _check_and_report(lab, the_drill.id).fixed)
