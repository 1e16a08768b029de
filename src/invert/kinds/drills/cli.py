"""Commands for debugging drills: `invert drills` lists them, `invert drill ID` starts one.

Checking, hints, the solution and watch mode are the shared `invert check|hint|solution|watch`
(invert/kinds/exercise_cli.py); `FACE` says how they show a drill.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from invert.kinds.exercise_cli import ExerciseFace, ExerciseId, JsonFlag, list_items, start_item

if TYPE_CHECKING:
    from rich.console import Console

    from invert.kinds.drills.model import Drill
    from invert.kinds.drills.ops import DrillStatus, Solution
    from invert.kinds.drills.run import Verdict


class DrillFace(ExerciseFace):
    title = "Debugging drills"
    rows = "drills"
    start = "drill"
    copying = "Copying the drill and its data"
    original = "the broken original"
    heading = "invert check {id}: python {rel}"
    whose = "the script"
    solution_is = "the reference fix and why it works"
    next_one = "the next drill"
    hint_last = "the reference fix"
    key = "drill"

    def columns(self) -> tuple[str, ...]:
        return ("symptom", "data", "status")

    def cells(self, row: dict[str, Any], status: str) -> tuple[str, ...]:
        return (" ".join(str(row["symptom"]).split()), row["dataset"], status)

    def listed(self, row: dict[str, Any]) -> bool:
        """As the status says (`DrillStatus.listed`): unstarted variants wait for `invert next`."""
        return bool(row.get("listed", True))

    def status_note(self, row: dict[str, Any]) -> str:
        note = f"\n{row['hints_used']} of {row['hints']} hints" if row.get("hints_used") else ""
        if row.get("variants"):
            note += f"\n{len(row['variants'])} variants"
        return note

    def started(self, item: Drill) -> dict[str, Any]:
        return {"brief": item.brief}

    def describe(self, out: Console, item: Drill, status: DrillStatus, rel: str) -> None:
        if item.variant_of:
            out.print(f"[dim]A variant of {item.variant_of}: the same idea, another script.[/]")
        out.rule("What you observe", align="left")
        out.print(" ".join(item.symptom.split()))
        out.rule("What was asked", align="left")
        out.print(" ".join(item.brief.split()))
        out.rule(style="dim")
        out.print(f"Your copy: [cyan]{rel}[/] (run it: python {rel})")
        out.print(
            f"Find the fault and fix it in the file, then `invert check {item.id}`, or "
            f"`invert watch {item.id}` to re-check on every save. "
            f"Stuck? `invert hint {item.id}` ({len(item.hints)} hints)."
        )

    def tally(self, verdict: Verdict) -> str:
        count = len(verdict.checks)
        if not count:
            return ""
        if verdict.fixed:
            return f"passes the {count} checks " if count > 1 else "passes the check "
        return f"fails {len(verdict.failing)} of {count} checks "

    def outcomes(self, out: Console, verdict: Verdict) -> None:
        for outcome in verdict.checks:
            mark = "[green]✓[/]" if outcome.passed else "[red]✗[/]"
            out.print(f"  {mark} {outcome.title}")
            if not outcome.passed or verdict.fixed:
                out.print(f"      [dim]{outcome.observed}[/]")
        if verdict.misconception:
            out.print(f"[yellow]A known misconception:[/] {verdict.misconception['message']}")

    def not_passed(
        self, out: Console, item: Drill, verdict: Verdict, status: DrillStatus, rel: str
    ) -> bool:
        if verdict.state != "not attempted":
            return False
        out.print(
            f"{rel} is still the original. What you observe: {' '.join(item.symptom.split())}"
        )
        out.print(f"Edit the file, then check again. Stuck? `invert hint {item.id}`.")
        return True

    def solution(self, out: Console | None, shown: Solution) -> dict[str, Any] | None:
        d = shown.drill
        if out is None:
            return {
                "diff": shown.diff,
                "solution": shown.source,
                "explanation": d.explanation,
                "concept": d.concept,
                "card": shown.card,
                "citations": list(d.citations),
            }
        from rich.syntax import Syntax

        out.print(f"[bold]{d.title}[/]  [dim]({d.id})[/]")
        out.rule("The reference fix", align="left")
        out.print(
            Syntax(
                shown.diff, "diff", theme="ansi_dark", background_color="default", word_wrap=True
            )
        )
        self.why(out, "Why", d)
        return None


FACE = DrillFace()


def register(app: typer.Typer) -> None:
    app.command("drills")(list_drills)
    app.command("drill")(drill)


def list_drills(as_json: JsonFlag = False) -> None:
    """List the debugging drills: the symptom of each and where you stand with it."""
    from invert.kinds import kind

    list_items(kind("drills"), as_json)


def drill(
    drill_id: ExerciseId,
    reset: Annotated[
        bool, typer.Option("--reset", help="Restore the broken original; yours is backed up.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Start a drill: copy its broken script into drills/ and state the symptom."""
    from invert.kinds import kind

    start_item(kind("drills"), drill_id, reset, as_json)
