"""Build it yourself: `invert rebuild` lists the exercises or copies one's skeleton; the checking,
hints, solution and watch mode are `invert check/hint/solution/watch ID`, shared with the drills."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from invert.cli.output import console, echo_raw, emit_json
from invert.cli.pager import paged
from invert.cli.tables import id_column, print_table

if TYPE_CHECKING:
    from invert.kinds.rebuild.run import RebuildVerdict
    from invert.lab import Lab

MARKS = {
    "passed": "[green]✓ passed[/]",
    "still failing": "[red]✗ still failing[/]",
    "not attempted": "[yellow]○ not attempted[/]",
}
# How the check reports a stage that still raises the skeleton's NotImplementedError.
UNWRITTEN = "not written yet: NotImplementedError "


def register(app: typer.Typer) -> None:
    app.command("rebuild")(rebuild)


def rebuild(
    exercise_id: Annotated[
        str | None,
        typer.Argument(help="An exercise id; without one, list the exercises.", show_default=False),
    ] = None,
    reset: Annotated[
        bool, typer.Option("--reset", help="Restore the skeleton; yours is backed up.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Rewrite an algorithm yourself: list the exercises, or copy one's skeleton into rebuild/."""
    if exercise_id is None:
        _list(as_json)
        return
    from invert.lab import open_lab

    with open_lab() as lab:
        backup = lab.reset_rebuild(exercise_id)[1] if reset else None
        exercise, path = lab.start_rebuild(exercise_id)
        status = lab.rebuild_status(exercise.id)
        if as_json:
            emit_json(status.to_json() | {"path": str(path)})
            return
        out = console()
        rel = path.relative_to(lab.root).as_posix()
        out.print(f"[bold]{exercise.title}[/]  [dim]({exercise.id}, {MARKS[status.state]})[/]")
        if reset:
            out.print(f"Restored [cyan]{rel}[/] to the skeleton.")
            if backup is not None:
                out.print(f"Your version is kept at [cyan]{backup.relative_to(lab.root)}[/].")
        out.print(exercise.summary)
        out.rule("The stages, each checked against scikit-learn", align="left")
        for number, stage in enumerate(exercise.stages, 1):
            mark = "[green]✓[/]" if stage.id in status.stages_earned else " "
            out.print(f"{mark} {number}. {stage.title}")
            out.print(f"     [dim]{stage.tolerance}[/]")
        out.rule(style="dim")
        out.print(f"Your copy: [cyan]{rel}[/]. Fill in its TODOs with NumPy (no scikit-learn).")
        out.print(
            f"Then `invert check {exercise.id}`, or `invert watch {exercise.id}` to re-check on "
            f"every save. Stuck? `invert hint {exercise.id}` ({len(exercise.hints)} hints). "
            f"The idea: `invert learn {exercise.card}`."
        )


def _list(as_json: bool) -> None:
    from invert.lab import open_lab_if_any

    lab = open_lab_if_any()  # outside a lab the exercises are still worth listing
    if lab is None:
        from invert.catalog import load_catalog
        from invert.kinds.rebuild.ops import rebuilds_outside_a_lab

        rows = rebuilds_outside_a_lab(load_catalog())
    else:
        with lab:
            rows = [status.to_json() for status in lab.rebuilds()]
    if as_json:
        emit_json({"lab": str(lab.root) if lab else None, "exercises": rows})
        return
    from rich.table import Table

    table = Table(title="Build it yourself", title_justify="left", show_edge=False, show_lines=True)
    id_column(table)
    for column in ("what you write", "stages", "status"):
        table.add_column(column, overflow="fold")
    for row in rows:
        stages = list(row["stages"])
        state = row["state"]
        status = "-" if state is None else MARKS[str(state)]
        if state is not None:
            status += f"\n{len(row['stages_earned'])} of {len(stages)} stages"
        table.add_row(str(row["id"]), str(row["summary"]), ", ".join(stages), status)
    with paged():
        print_table(table)
        if lab is None:
            console().print("Not in a lab: `invert start` makes one.")
        else:
            console().print("Start one with `invert rebuild ID`.")


def check_and_report(lab: Lab, exercise_id: str, timeout: float | None = None) -> RebuildVerdict:
    """Check the learner's copy, print the verdict stage by stage; return it."""
    out = console()
    exercise = lab.catalog.rebuild(exercise_id)
    rel = lab.rebuild_path(exercise).relative_to(lab.root).as_posix()
    out.rule(f"invert check {exercise.id}: {rel} against scikit-learn", align="left", style="dim")
    verdict = lab.check_rebuild(exercise.id, on_output=echo_raw, timeout=timeout)
    out.rule(style="dim")
    status = lab.rebuild_status(exercise.id)
    passed = len(verdict.stages_passed)
    out.print(
        f"{MARKS[verdict.state]}  {exercise.id}  {passed} of {len(verdict.stages)} stages  "
        f"[dim]({verdict.wall_seconds:.1f} s)[/]"
    )
    if verdict.problem:
        out.print(f"  [red]✗[/] {verdict.problem}")
    for number, stage in enumerate(verdict.stages, 1):
        unwritten, _, where = stage.observed.partition(UNWRITTEN)
        if not stage.passed and not unwritten:  # still the skeleton's stub: one line
            where = where.removeprefix("in ")
            out.print(f"  [yellow]○[/] stage {number}: not written yet[dim], {where}[/]")
            continue
        mark = "[green]✓[/]" if stage.passed else "[red]✗[/]"
        out.print(f"  {mark} {number}. {stage.title}")
        out.print(f"      [dim]{stage.observed}[/]")
    if verdict.output_truncated:
        out.print("[yellow]note:[/] your code printed more than 1 MB; the rest was dropped")
    total = len(exercise.hints)
    if verdict.passed:
        hints = status.hints_when_passed or 0
        out.print(
            f"Passed with {hints} of {total} hints. [bold]Next:[/] `invert solution "
            f"{exercise.id}` shows invert's own version to compare with yours."
        )
        following = lab.next_rebuild(exercise.id)
        if following:
            out.print(f"Then the next one: `invert rebuild {following.id}`.")
    else:
        earned = len(status.stages_earned)
        if earned:
            out.print(f"Stages earned so far: {earned} of {len(exercise.stages)}.")
        out.print(
            f"Hints used: {status.hints_used} of {total}. `invert hint {exercise.id}` for the "
            f"next one; `invert watch {exercise.id}` re-checks on every save."
        )
    return verdict


def hint(lab: Lab, exercise_id: str, as_json: bool) -> None:
    given = lab.next_rebuild_hint(exercise_id)
    if as_json:
        emit_json(
            {
                "exercise": given.exercise.id,
                "number": given.number,
                "of": given.total,
                "text": given.text,
                "new": given.new,
            }
        )
        return
    out = console()
    out.print(f"[bold]Hint {given.number} of {given.total}[/] for {given.exercise.id}:")
    out.print(given.text)
    if not given.new:
        out.print(
            "[dim]That was the last hint. Once `invert check` passes, `invert solution` "
            "shows invert's own version.[/]"
        )


def solution(lab: Lab, exercise_id: str, as_json: bool) -> None:
    shown = lab.rebuild_solution(exercise_id)
    e = shown.exercise
    if as_json:
        emit_json(
            {
                "exercise": e.id,
                "references": [{"name": n, "source": s} for n, s in shown.references],
                "explanation": e.explanation,
                "card": e.card,
                "citations": list(e.citations),
            }
        )
        return
    from rich.syntax import Syntax

    out = console()
    out.print(f"[bold]{e.title}[/]  [dim]({e.id})[/]")
    for name, source in shown.references:
        out.rule(f"invert's version: {name}", align="left")
        out.print(
            Syntax(source, "python", theme="ansi_dark", background_color="default", word_wrap=True)
        )
    out.rule("Why it works", align="left")
    out.print(" ".join(e.explanation.split()))
    out.rule("Read more", align="left")
    out.print(f"The concept card: `invert learn {e.card}`")
    for citation in e.citations:
        out.print(f"- {citation}")


def watch(lab: Lab, exercise_id: str) -> None:
    """Re-check on every save until every stage passes."""
    from invert.cli.watching import watch_until

    exercise = lab.catalog.rebuild(exercise_id)
    path = lab.rebuild_path(exercise)
    if not path.is_file():
        lab.start_rebuild(exercise.id)
    watch_until(path, lab.root, lambda: check_and_report(lab, exercise.id).passed)
