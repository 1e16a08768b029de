"""Where you stand and what to do next; and your own words (explanations, answers) behind the
understanding checklist."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from invert.cli.output import console, emit_json, fail
from invert.cli.pager import paged
from invert.cli.tables import id_column, print_table
from invert.errors import LearnerError

if TYPE_CHECKING:
    from invert.progress.key_points import KeyPoint
    from invert.progress.summary import Progress

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
        report = lab.progress.report()
    if as_json:
        emit_json(report.to_json())
        return
    with paged():
        if week:
            _print_weeks(report)
        else:
            _print_progress(report)


def _print_progress(report: Progress) -> None:
    from rich.markup import escape
    from rich.table import Table

    out = console()
    out.print(f"[bold]You are in: {report.title}[/] ({report.because}).")
    figures = Table(show_header=False, show_edge=False, box=None, pad_edge=False)
    figures.add_column(style="bold")
    figures.add_column()
    for _, label, value in report.figures():
        figures.add_row(f"{label}:", value)
    out.print(figures)
    if report.kinds:
        out.print("\n[bold]By kind[/]")
        for kind in report.kinds:
            out.print(f"  {escape(kind.summary())}")
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
        rated = f" ({check.self_checked})" if check.self_checked else ""
        out.print(f"{box} [bold]{check.title}[/]{rated}: {check.evidence}.")
        out.print(f"    [dim]needs: {check.needs}[/]")
        for item in check.items:
            out.print(f"    - {item}")
    step = report.next
    out.print(f"\n[bold]Next:[/] {step.title}\n  {step.why}\n  [bold]{step.command}[/]")


def _print_weeks(report: Progress) -> None:
    from rich.table import Table

    from invert.progress.words import percent

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
        step = lab.progress.next_step()
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


Covered = Annotated[
    str | None,
    typer.Option(
        "--covered",
        help="Which of the key points your words made, by their numbers as shown (1,3 or "
        '"1 3"), all, or none. Without it, your words are shown beside the key points and you '
        "are asked.",
    ),
]


def _show_comparison(words: str, points: Sequence[KeyPoint], titles: dict[str, str]) -> None:
    """The learner's words beside the key points, numbered (grouped by concept when several)."""
    from rich.table import Table
    from rich.text import Text

    listing = Text()
    several = len({p.concept for p in points}) > 1
    for n, point in enumerate(points, start=1):
        if several and (n == 1 or points[n - 2].concept != point.concept):
            listing.append(f"{titles.get(point.concept, point.concept)}\n", style="bold")
        listing.append(f"{n}. {point.text}" + ("\n" if n < len(points) else ""))
    table = Table(show_edge=False)
    table.add_column("Your words")
    table.add_column("The key points: which did your words make?")
    table.add_row(Text(words), listing)
    print_table(table, console())


def _covered(
    given: str | None,
    words: str,
    points: Sequence[KeyPoint],
    titles: dict[str, str],
    as_json: bool,
) -> tuple[int, ...] | None:
    """The indices of the key points the learner says their words made: from --covered, or
    asked after showing their words beside the points. None when there are no points."""
    from invert.progress.key_points import parse_covered

    if given is not None:
        covered = parse_covered(given, len(points))
        return covered if points else None
    if not points:
        return None
    if not sys.stdin.isatty():
        if not as_json:
            _show_comparison(words, points, titles)
        fail(
            "compare your words with the key points: give --covered with the numbers of those "
            "your words made (e.g. --covered 1,3), all, or none"
        )
    from rich.markup import escape
    from rich.prompt import Prompt

    _show_comparison(words, points, titles)
    while True:
        reply = Prompt.ask(
            "Which did your words make? Their numbers (e.g. 1 3), all, or none", console=console()
        )
        try:
            return parse_covered(reply, len(points))
        except LearnerError as exc:
            console().print(f"[red]{escape(str(exc))}[/]")


def _made(points: Sequence[KeyPoint], covered: tuple[int, ...] | None) -> str:
    """What the comparison found, in words, with the points not made."""
    if covered is None:
        return ""
    missed = [f"{n}. {p.text}" for n, p in enumerate(points, start=1) if n - 1 not in covered]
    made = f"By your comparison it made {len(covered)} of {len(points)} key points."
    return made + ("\nNot made:\n  " + "\n  ".join(missed) if missed else "")


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
    covered: Covered = None,
    as_json: AsJson = False,
) -> None:
    """Explain a concept in your own words, without the card; compare your words with the card's
    key points, and rate it yourself.

    The understanding checklist counts a concept as "can explain" when your latest explanation
    of it made every one of its card's key points, by your comparison, and you rated it 4 or 5.
    Writing one again replaces it and keeps the older one in the journal.
    """
    from invert.journal.ops import check_rating, own_words
    from invert.lab import open_lab
    from invert.progress.summary import EXPLAIN_RATING

    with open_lab() as lab:
        title = lab.catalog.concept(concept).title
        words = own_words(
            _text(text, f"Explain {title} in your own words", "the explanation"), "an explanation"
        )
        if rating is not None:
            check_rating(rating)
        elif not sys.stdin.isatty():
            fail("give --rating 1-5: how well your explanation explains it")
        points = lab.journal.key_points(lab.catalog.concept(concept).id)
        made = _covered(covered, words, points, {}, as_json)
        if rating is None:
            from rich.prompt import IntPrompt

            rating = IntPrompt.ask("How well does it explain it, 1 to 5", console=console())
        row = lab.journal.explain(concept, words, rating, made)
    if as_json:
        emit_json(
            {**row.__dict__, "key_points": [p.text for p in points], "covered": _listed(made)}
        )
        return
    out = console()
    out.print(
        f"Saved your explanation of {title} ({len(row.text.split())} words, rated {row.rating}/5 "
        "by you)."
    )
    if made is None:
        out.print(
            f"{title} has no card, so no key points to compare it with: it does not count "
            'toward "Can explain".'
        )
        return
    out.print(_made(points, made), markup=False, highlight=False)
    if len(made) == len(points) and row.rating >= EXPLAIN_RATING:
        out.print('It counts toward "Can explain": `invert progress` shows the checklist.')
    else:
        out.print(
            f'It counts toward "Can explain" once it makes every key point and you rate it '
            f"{EXPLAIN_RATING}/5 or better."
        )


def _listed(covered: tuple[int, ...] | None) -> list[int] | None:
    return None if covered is None else list(covered)


def answer(
    question: Annotated[
        str, typer.Argument(help="The question's number, as `invert why --all` lists it.")
    ],
    text: Annotated[
        str | None, typer.Argument(help="Your answer; without it, you are asked for it.")
    ] = None,
    covered: Covered = None,
    as_json: AsJson = False,
) -> None:
    """Answer one of your why-questions in your own words; it is then marked answered.

    Your answer is shown beside the key points of the cards of the question's concepts, and you
    say which ones it made.
    """
    from invert.journal.ops import own_words
    from invert.lab import open_lab

    with open_lab() as lab:
        row = lab.journal.question(question)
        words = own_words(_text(text, f"Why? {row.text}\nYour answer", "the answer"), "an answer")
        points = lab.journal.question_key_points(row)
        titles = {
            c: lab.catalog.concepts[c].title for c in row.concepts if c in lab.catalog.concepts
        }
        made = _covered(covered, words, points, titles, as_json)
        row = lab.journal.answer_question(question, words, made)
    if as_json:
        emit_json(
            {**row.__dict__, "key_points": [p.text for p in points], "covered": _listed(made)}
        )
        return
    from rich.markup import escape

    out = console()
    out.print(f"Answered: {escape(row.text)}")
    if made is not None:
        out.print(_made(points, made), markup=False, highlight=False)
