"""Where you stand and what to do next; and your own words (explanations, answers) behind the
understanding checklist."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from invert.cli.output import console, emit_json, fail
from invert.cli.pager import paged
from invert.cli.tables import id_column, print_table

if TYPE_CHECKING:
    from invert.progress import Progress

AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def register(app: typer.Typer) -> None:
    app.command("progress")(progress)
    app.command("next")(next_)
    app.command("explain")(explain)
    app.command("answer")(answer)


def progress(
    week: Annotated[
        bool, typer.Option("--week", help="The weekly summary: this week against the ones before.")
    ] = False,
    as_json: AsJson = False,
) -> None:
    """Where you stand in the method, judged from what you have done.

    The phase (run, intuition, theory), active days and streak, starters and experiments, your
    predictive power overall, per concept and as a trend, why-questions, drills, reviews and
    concepts read; the understanding checklist with the evidence behind each box; the next step.
    """
    from invert.lab import open_lab

    with open_lab() as lab:
        report = lab.progress()
    if as_json:
        emit_json(report.to_json())
        return
    with paged():
        if week:
            _print_weeks(report)
        else:
            _print_progress(report)


def _print_progress(report: Progress) -> None:
    from rich.table import Table

    out = console()
    out.print(f"[bold]You are in: {report.title}[/] ({report.because}).")
    figures = Table(show_header=False, show_edge=False, box=None, pad_edge=False)
    figures.add_column(style="bold")
    figures.add_column()
    for _, label, value in report.figures():
        figures.add_row(f"{label}:", value)
    out.print(figures)
    if report.reviews.due:
        out.print(f"[bold]Reviews:[/] {report.reviews.summary()}")
    if report.power.per_concept:
        table = Table(show_edge=False)
        id_column(table, "concept")
        for column in ("predictions", "right", "Brier"):
            table.add_column(column)
        for concept, power in report.power.per_concept.items():
            table.add_row(
                concept, str(power.predictions), f"{power.hit_rate:.0%}", f"{power.brier:.3f}"
            )
        print_table(table, out)
    out.print("\n[bold]Understanding checklist[/]")
    for check in report.checklist:
        box = "[green]\\[x][/]" if check.met else "\\[ ]"
        rated = " (self-rated)" if check.self_rated else ""
        out.print(f"{box} [bold]{check.title}[/]{rated}: {check.evidence}.")
        out.print(f"    [dim]needs: {check.needs}[/]")
        for item in check.items:
            out.print(f"    - {item}")
    step = report.next
    out.print(f"\n[bold]Next:[/] {step.title}\n  {step.why}\n  [bold]{step.command}[/]")


def _print_weeks(report: Progress) -> None:
    from rich.table import Table

    from invert.progress import percent

    out = console()
    if not report.weeks:
        out.print("Nothing done yet: `invert start` begins.")
        return
    this, before = report.weeks[-1], report.weeks[-2] if len(report.weeks) > 1 else None
    out.print(
        f"[bold]This week[/] (from {this.start}): {this.days_active} active day(s), "
        f"{this.experiments_run} experiment run(s), {this.predictions_scored} prediction(s) "
        f"scored ({percent(this.hit_rate)} right)"
        + (
            f"; last week: {before.days_active} day(s), {before.experiments_run} run(s), "
            f"{percent(before.hit_rate)} right."
            if before
            else "."
        )
    )
    columns = ("week of", "days", "starter", "runs", "right", "asked", "answer", "cards")
    table = Table(*columns, "explain", "drills", "reviews", box=None, padding=(0, 1, 0, 0))
    for w in report.weeks:
        right = f"{w.hits}/{w.predictions_scored}" if w.predictions_scored else "-"
        counts = (w.questions_asked, w.questions_answered, w.cards_read, w.explanations)
        table.add_row(
            w.start,
            str(w.days_active),
            str(w.starters_run),
            str(w.experiments_run),
            right,
            *map(str, counts),
            str(w.drills_fixed),
            str(w.reviews),
        )
    print_table(table, out)
    out.print(
        "[dim]starter: starters run; runs: experiment runs; right: predictions right of those "
        "scored; asked, answer: why-questions asked and answered; cards: concept cards read; "
        "explain: concepts explained; drills: drills fixed; reviews: rules reviewed.[/]"
    )
    out.print(
        f"{len(report.weeks)} week(s) since your first day, {report.days_active} of them "
        f"active days; streak {report.streak} (longest {report.longest_streak})."
    )


def next_(as_json: AsJson = False) -> None:
    """The single next best step, and why."""
    from invert.lab import open_lab

    with open_lab() as lab:
        step = lab.next_step()
    if as_json:
        emit_json(step.to_json())
        return
    out = console()
    out.print(f"[bold]Next:[/] {step.title}")
    out.print(f"  Why: {step.why}")
    out.print(f"  Run: [bold]{step.command}[/]")


def _text(given: str | None, prompt: str, what: str) -> str:
    if given is not None:
        return given
    if not sys.stdin.isatty():
        fail(f"give {what} as an argument (in quotes)")
    from rich.markup import escape
    from rich.prompt import Prompt

    return Prompt.ask(escape(prompt), console=console())


def explain(
    concept: Annotated[str, typer.Argument(help="A concept id (see `invert learn`).")],
    text: Annotated[
        str | None, typer.Argument(help="Your explanation; without it, you are asked for it.")
    ] = None,
    rating: Annotated[
        int | None,
        typer.Option(
            "--rating", help="How well it explains the concept: 1 (barely) to 5 (I could teach it)."
        ),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Explain a concept in your own words, without the card, and rate it yourself.

    The understanding checklist counts explanations rated 4 or 5 as "can explain" (self-rated,
    and shown as such). Writing one again replaces it and keeps the older one in the journal.
    """
    from invert.lab import open_lab

    with open_lab() as lab:
        title = lab.catalog.concept(concept).title
        words = _text(text, f"Explain {title} in your own words", "the explanation")
        if rating is None:
            if not sys.stdin.isatty():
                fail("give --rating 1-5: how well your explanation explains it")
            from rich.prompt import IntPrompt

            rating = IntPrompt.ask("How well does it explain it, 1 to 5", console=console())
        row = lab.explain(concept, words, rating)
    if as_json:
        emit_json(row.__dict__)
        return
    console().print(
        f"Saved your explanation of {title} ({len(row.text.split())} words, rated {row.rating}/5 "
        "by you). `invert progress` shows it on the checklist."
    )


def answer(
    question: Annotated[
        str, typer.Argument(help="The question's number, as `invert why --all` lists it.")
    ],
    text: Annotated[
        str | None, typer.Argument(help="Your answer; without it, you are asked for it.")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Answer one of your why-questions in your own words; it is then marked answered."""
    from invert.lab import open_lab

    with open_lab() as lab:
        row = lab.question(question)
        words = _text(text, f"Why? {row.text}\nYour answer", "the answer")
        row = lab.answer_question(question, words)
    if as_json:
        emit_json(row.__dict__)
        return
    from rich.markup import escape

    console().print(f"Answered: {escape(row.text)}")
