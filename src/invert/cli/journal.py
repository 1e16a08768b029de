"""Commands for the journal as a whole: export and import."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from invert.cli.output import console, emit_json
from invert.cli.pager import paged
from invert.cli.tables import id_column, print_table

ExportFile = Annotated[Path, typer.Argument(help="The JSON file.")]


def register(app: typer.Typer) -> None:
    app.command("journal")(journal)
    app.command("why")(why)
    app.command("score")(score)
    app.command("export")(export)
    app.command("import")(import_)


def export(file: ExportFile) -> None:
    """Write the lab's whole journal to a JSON file."""
    from invert.lab import open_lab

    with open_lab() as lab:
        count = lab.export(file)
    console().print(f"Exported {count} events to {file}.")


def import_(file: ExportFile) -> None:
    """Merge a JSON export into this lab.

    Events the lab already has are skipped, so importing twice is harmless.
    """
    from invert.lab import open_lab

    with open_lab() as lab:
        added = lab.import_(file)
    console().print(f"Imported {added} new events from {file}.")


def journal(
    experiment: Annotated[
        str | None, typer.Option("--experiment", help="Only entries about one experiment.")
    ] = None,
    concept: Annotated[
        str | None, typer.Option("--concept", help="Only entries about one concept.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List your predictions, outcomes, observations, questions and starter runs."""
    from invert.lab import open_lab

    with open_lab() as lab:
        entries = lab.journal(experiment, concept)
    if as_json:
        emit_json([entry.to_json() for entry in entries])
        return
    if not entries:
        console().print(
            "Nothing here yet: `invert run STARTER` or `invert try EXPERIMENT` writes your first "
            "entries."
        )
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(show_edge=False, title="Journal", title_justify="left")
    table.add_column("when (UTC)", no_wrap=True)
    id_column(table, "about")
    table.add_column("", no_wrap=True)
    table.add_column("entry", overflow="fold")
    for entry in entries:
        table.add_row(
            entry.at[:16].replace("T", " "),
            entry.experiment or entry.starter or "-",
            entry.kind,
            Text(entry.text),  # the learner's own words: not markup
        )
    with paged():
        print_table(table)


def why(
    question: Annotated[
        str | None, typer.Argument(help="A new why-question; without it, list the open ones.")
    ] = None,
    experiment: Annotated[
        str | None, typer.Option("--experiment", help="The experiment that raised it.")
    ] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Answered questions too, with your answers.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List your open why-questions, or add one; each links to the concepts that answer it.

    Each is numbered in the order asked; `invert answer N` answers one in your own words.
    """
    from invert.lab import open_lab

    with open_lab() as lab:
        if question is not None:
            lab.ask_why(question, experiment)
        everything = lab.questions(open_only=False)
        titles = {c.id: c.title for c in lab.catalog.concepts.values()}
    numbered = list(enumerate(everything, start=1))
    if question is not None:
        numbered = numbered[-1:]
    elif not show_all:
        numbered = [(n, row) for n, row in numbered if row.answered_at is None]
    if as_json:
        emit_json([{"number": n, **row.__dict__} for n, row in numbered])
        return
    from rich.markup import escape  # the learner's own words: [/x] is text, not markup

    out = console()
    if question is not None:
        out.print("Added to your questions.")
    elif not numbered:
        out.print('No open why-questions. Add one with `invert why "..."`.')
    with paged():
        for n, row in numbered:
            out.print(f"[bold]{n}. why?[/] {escape(row.text)}")
            answers = ", ".join(f"{titles.get(c, c)} ({c})" for c in row.concepts)
            out.print(f"   [dim]answered by:[/] {answers or 'no concept found yet'}")
            if row.answer:
                out.print(f"   [dim]your answer:[/] {escape(row.answer)}")


def score(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Your predictive power: hit rate and Brier score, overall, per concept and over time."""
    from invert.lab import open_lab

    with open_lab() as lab:
        report = lab.predictive_power()
    if as_json:
        emit_json(report.to_json())
        return
    out = console()
    overall = report.overall
    if overall.predictions == 0:
        out.print("No scored predictions yet: `invert try EXPERIMENT` makes your first.")
        return
    out.print(
        f"Predictive power: {overall.hits} of {overall.predictions} shapes right "
        f"({overall.hit_rate:.0%}), Brier score {overall.brier:.3f} (0 is perfect, 0.25 is a coin)."
    )
    out.print(f"Trend over your last predictions: {report.trend}.")
    from rich.table import Table

    table = Table(show_edge=False)
    id_column(table, "concept")
    for column in ("predictions", "hit rate", "Brier"):
        table.add_column(column)
    for concept, power in report.per_concept.items():
        table.add_row(
            concept, str(power.predictions), f"{power.hit_rate:.0%}", f"{power.brier:.3f}"
        )
    print_table(table, out)
