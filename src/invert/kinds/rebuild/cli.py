"""Build it yourself: `invert rebuild` lists the exercises or copies one's skeleton; the checking,
hints, solution and watch mode are `invert check/hint/solution/watch ID`, shared with the drills
(invert/kinds/exercise_cli.py); `FACE` says how they show an exercise."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from invert.kinds.exercise_cli import ExerciseFace, list_items, start_item

if TYPE_CHECKING:
    from rich.console import Console

    from invert.kinds.rebuild.model import Exercise
    from invert.kinds.rebuild.ops import RebuildSolution, RebuildStatus
    from invert.kinds.rebuild.run import RebuildVerdict

# How the check reports a stage that still raises the skeleton's NotImplementedError.
UNWRITTEN = "not written yet: NotImplementedError "


class RebuildFace(ExerciseFace):
    title = "Build it yourself"
    rows = "exercises"
    original = "the skeleton"
    heading = "invert check {id}: {rel} against scikit-learn"
    solution_is = "invert's own version to compare with yours"
    hint_last = "invert's own version"

    def columns(self) -> tuple[str, ...]:
        return ("what you write", "stages", "status")

    def cells(self, row: dict[str, Any], status: str) -> tuple[str, ...]:
        return (str(row["summary"]), ", ".join(row["stages"]), status)

    def status_note(self, row: dict[str, Any]) -> str:
        if row["state"] is None:
            return ""
        return f"\n{len(row['stages_earned'])} of {len(row['stages'])} stages"

    def describe(self, out: Console, item: Exercise, status: RebuildStatus, rel: str) -> None:
        out.print(item.summary)
        out.rule("The stages, each checked against scikit-learn", align="left")
        for number, stage in enumerate(item.stages, 1):
            mark = "[green]✓[/]" if stage.id in status.stages_earned else " "
            out.print(f"{mark} {number}. {stage.title}")
            out.print(f"     [dim]{stage.tolerance}[/]")
        out.rule(style="dim")
        out.print(f"Your copy: [cyan]{rel}[/]. Fill in its TODOs with NumPy (no scikit-learn).")
        out.print(
            f"Then `invert check {item.id}`, or `invert watch {item.id}` to re-check on "
            f"every save. Stuck? `invert hint {item.id}` ({len(item.hints)} hints). "
            f"The idea: `invert learn {item.card}`."
        )

    def tally(self, verdict: RebuildVerdict) -> str:
        if verdict.passed:
            return f"passes the checks: {len(verdict.stages)} of {len(verdict.stages)} stages  "
        return f"{len(verdict.stages_passed)} of {len(verdict.stages)} stages  "

    def outcomes(self, out: Console, verdict: RebuildVerdict) -> None:
        from rich.markup import escape

        for number, stage in enumerate(verdict.stages, 1):
            unwritten, _, where = stage.observed.partition(UNWRITTEN)
            if not stage.passed and not unwritten:  # still the skeleton's stub: one line
                where = where.removeprefix("in ")
                out.print(f"  [yellow]○[/] stage {number}: not written yet[dim], {where}[/]")
                continue
            mark = "[green]✓[/]" if stage.passed else "[red]✗[/]"
            out.print(f"  {mark} {number}. {stage.title}")
            if stage.checked:
                out.print(f"      [dim]checked on: {escape(stage.checked)}[/]")
            out.print(f"      [dim]{escape(stage.observed)}[/]")
            if stage.message:
                out.print(f"      [yellow]→[/] {escape(stage.message)}")

    def not_passed(
        self,
        out: Console,
        item: Exercise,
        verdict: RebuildVerdict,
        status: RebuildStatus,
        rel: str,
    ) -> bool:
        earned = len(status.stages_earned)
        if earned:
            out.print(f"Stages earned so far: {earned} of {len(item.stages)}.")
        return False

    def solution(self, out: Console | None, shown: RebuildSolution) -> dict[str, Any] | None:
        e = shown.exercise
        if out is None:
            return {
                "references": [{"name": n, "source": s} for n, s in shown.references],
                "explanation": e.explanation,
                "card": e.card,
                "citations": list(e.citations),
            }
        from rich.syntax import Syntax

        out.print(f"[bold]{e.title}[/]  [dim]({e.id})[/]")
        for name, source in shown.references:
            out.rule(f"invert's version: {name}", align="left")
            out.print(
                Syntax(
                    source, "python", theme="ansi_dark", background_color="default", word_wrap=True
                )
            )
        self.why(out, "Why it works", e)
        return None


FACE = RebuildFace()


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
    from invert.kinds import kind

    if exercise_id is None:
        list_items(kind("rebuild"), as_json)
    else:
        start_item(kind("rebuild"), exercise_id, reset, as_json)
