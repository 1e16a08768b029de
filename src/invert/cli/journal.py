"""Commands for the journal as a whole: export and import."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from invert.cli.output import console, emit_json
from invert.cli.pager import paged
from invert.cli.tables import id_column, print_table

if TYPE_CHECKING:
    from rich.console import Console

    from invert.kinds.experiments.predictions import Power, PowerReport

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
        count = lab.exports.export(file)
    console().print(f"Exported {count} events to {file}.")


def import_(file: ExportFile) -> None:
    """Merge a JSON export into this lab.

    Events the lab already has are skipped, so importing twice is harmless.
    """
    from invert.lab import open_lab

    with open_lab() as lab:
        added = lab.exports.import_(file)
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
        entries = lab.journal.entries(experiment, concept)
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


NO_CARD = "no card answers it yet; it is kept as a request for one"


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
        titles = {c.id: c.title for c in lab.catalog.concepts.values()}
        if question is not None:
            # Only the new question is shown: match it alone, not every question asked before.
            asked = lab.journal.ask_why(question, experiment)
            uids = [q.uid for q in lab.store.questions(open_only=False)]
            numbered = [(uids.index(asked.uid) + 1, asked)]
        else:
            numbered = list(enumerate(lab.journal.questions(open_only=False), start=1))
    if question is None and not show_all:
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
            answers = ", ".join(f"{titles.get(c, c)} (invert learn {c})" for c in row.concepts)
            out.print(f"   [dim]answered by:[/] {answers or NO_CARD}")
            if row.answer:
                out.print(f"   [dim]your answer:[/] {escape(row.answer)}")


def score(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Your predictive power, part by part (shape, gap, number, combined), overall, per concept
    and over time, and how honest your stated confidence is (calibration).

    Only counted predictions make the figures: scored, and made blind. Practice predictions and
    those of unknown blindness are shown apart.
    """
    from invert.lab import open_lab

    with open_lab() as lab:
        report = lab.journal.predictive_power()
    if as_json:
        emit_json(report.to_json())
        return
    with paged():
        _print_score(report)


def _rate(right: int, total: int) -> str:
    """'3 of 4 right (75%)', or 'none stated' for an empty part."""
    return f"{right} of {total} right ({right / total:.0%})" if total else "none stated"


def _print_score(report: PowerReport) -> None:
    from rich.markup import escape
    from rich.table import Table

    out = console()
    overall = report.overall
    how = report.to_json()["how"]
    if overall.predictions == 0:
        out.print(
            "No counted predictions yet: a prediction counts when you make it blind, before "
            "seeing a result it overlaps, and its run is scored. `invert try EXPERIMENT "
            "--predict SHAPE --confidence N` makes one."
        )
    else:
        counted = (
            f"{overall.predictions} counted prediction{'' if overall.predictions == 1 else 's'}"
        )
        out.print(f"[bold]Predictive power[/] over {counted}:")
        out.print(
            f"  shape:    {_rate(overall.hits, overall.predictions)}, Brier score "
            f"{overall.brier:.3f} (0 is perfect, 0.25 is always saying 50%)"
        )
        out.print(f"  gap:      {_rate(overall.gap_hits, overall.gaps)}")
        number = _rate(overall.guesses_within, overall.guesses)
        if overall.guess_spreads is not None:
            number += f"; off by {overall.guess_spreads:.1f} spreads on average"
        out.print(f"  number:   {number.replace('right', 'within the spread')}")
        out.print(f"  combined: {overall.combined:.0%} of the parts you stated were right")
        out.print(f"Trend over your last predictions: {report.trend}.")
        table = Table(show_edge=False, title="Over time", title_justify="left")
        for column in ("", "predictions", "shape", "gap", "number", "combined", "Brier"):
            table.add_column(column)
        for label, power in (
            (f"last {report.window}", report.recent),
            (f"{report.window} before", report.earlier),
        ):
            if power.predictions:
                table.add_row(label, *_power_cells(power))
        print_table(table, out)
        table = Table(show_edge=False, title="Per concept", title_justify="left")
        id_column(table, "concept")
        for column in ("predictions", "shape", "gap", "number", "combined", "Brier"):
            table.add_column(column)
        for concept, power in report.per_concept.items():
            table.add_row(concept, *_power_cells(power))
        print_table(table, out)
        _print_calibration(report, out)
    probes = report.probes
    if probes.predictions:
        out.print(
            f"Predicts on problems not seen before (blind probe predictions): "
            f"{probes.hits} of {probes.predictions} right."
        )
    for label, power in (
        ("practice prediction{s} (a result {it} overlap{s_} had been shown)", report.practice),
        ("prediction{s} of unknown blindness (made before invert recorded it)", report.unknown),
    ):
        if power.predictions:
            one = power.predictions == 1
            label = label.format(
                s="" if one else "s", it="it" if one else "they", s_="s" if one else ""
            )
            out.print(
                f"Not counted: {power.predictions} {label}, "
                f"{power.hits} of {power.predictions} shapes right ({power.hit_rate:.0%})."
            )
    out.print("[dim]How each figure is computed:[/]")
    for text in how.values():
        out.print(f"[dim]- {escape(text)}[/]")


def _power_cells(power: Power) -> list[str]:
    """A row of figures: count, shape, gap, number, combined, Brier (a dash for a part never
    stated)."""

    def share(rate: float | None) -> str:
        return "-" if rate is None else f"{rate:.0%}"

    return [
        str(power.predictions),
        share(power.hit_rate),
        share(power.gap_hit_rate),
        share(power.guess_within_rate),
        share(power.combined),
        "-" if power.brier is None else f"{power.brier:.3f}",
    ]


def _print_calibration(report: PowerReport, out: Console) -> None:
    from rich.table import Table

    from invert.progress.calibration import MEANING

    calibration = report.calibration
    table = Table(
        show_edge=False, title="Calibration: is your confidence honest?", title_justify="left"
    )
    for column in ("confidence you stated", "predictions", "mean stated", "right"):
        table.add_column(column)
    for b in calibration.bins:
        table.add_row(
            b.label,
            str(b.predictions),
            "-" if b.mean_confidence is None else f"{b.mean_confidence:.0%}",
            "-" if b.hit_rate is None else f"{b.hits} ({b.hit_rate:.0%})",
        )
    print_table(table, out)
    d = calibration.decomposition
    if d is not None:
        out.print(
            f"Brier {d.brier:.4f} = REL {d.reliability:.4f} - RES {d.resolution:.4f} + UNC "
            f"{d.uncertainty:.4f} + WBV {d.within_variance:.4f} - WBC "
            f"{d.within_covariance:.4f}"
        )
        out.print(f"[dim]{MEANING}[/]")
    out.print(calibration.sentence)
