"""Commands for starters: start, list, run, show, reset."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from invert.cli.output import console, echo_raw, emit_json, format_score
from invert.cli.pager import paged
from invert.cli.tables import id_column, print_table

if TYPE_CHECKING:
    from invert.kinds.starters.model import Starter
    from invert.kinds.starters.ops import StarterRun, StarterView
    from invert.lab import Lab

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of text.")]
# How a missing value reads in a sample row: pandas' own spelling.
MISSING = "NaN"
StarterId = Annotated[
    str,
    typer.Argument(help="A starter id, as `invert list` shows them (or starters/ID.py)."),
]


def register(app: typer.Typer) -> None:
    app.command("start")(start)
    app.command("list")(list_starters)
    app.command("run")(run)
    app.command("show")(show)
    app.command("reset")(reset)


def start(
    directory: Annotated[
        Path, typer.Argument(help="Where to make the lab (an existing lab is reused, never wiped).")
    ] = Path("invert-lab"),
) -> None:
    """Create a lab and train your first model on real data, in seconds.

    Shows what goes in, what comes out, how long it took and the next step.
    """
    from invert.lab import create_lab

    with create_lab(directory) as lab:
        first = lab.catalog.first_starter()
        out = console()
        out.print(f"[bold]invert[/] lab at [cyan]{lab.root}[/]")
        _run_and_report(lab, first.id)


def list_starters(as_json: JsonFlag = False) -> None:
    """List the starters, with your status in the current lab."""
    from invert.catalog.loader import load_catalog
    from invert.kinds.starters.ops import listing
    from invert.lab import open_lab_if_any

    lab = open_lab_if_any()  # outside a lab the catalogue is still worth listing
    if lab is None:
        rows = listing(load_catalog())
    else:
        with lab:
            rows = [status.to_json() for status in lab.starters.statuses()]
    if as_json:
        emit_json({"lab": str(lab.root) if lab else None, "starters": rows})
        return
    from rich.table import Table

    table = Table(title="Starters", title_justify="left", show_edge=False)
    id_column(table)
    # The task shares the data's column: a separate one would stack the table at 80 columns.
    for column in ("what it does", "data (task)", "status", "last score"):
        table.add_column(column)
    for row in rows:
        status = str(row["status"] or "-")
        last_score = row.get("last_score")
        table.add_row(
            row["id"],
            row["title"],
            f"{row['dataset']} ({row['task']})",
            status,
            format_score(last_score if isinstance(last_score, float) else None),
        )
    with paged():
        print_table(table)
        if lab is None:
            console().print("Not in a lab: `invert start` makes one.")
        else:
            console().print("Run one with `invert run ID`; see inside it with `invert show ID`.")


def run(starter: StarterId, as_json: JsonFlag = False) -> None:
    """Run your copy of a starter and record the run.

    The starter is copied into the lab first if you do not have it yet.
    """
    from invert.lab import open_lab

    with open_lab() as lab:
        if as_json:
            emit_json(lab.starters.run(ensure_copied(lab, starter, True).id).to_json())
        else:
            _run_and_report(lab, starter)


def show(starter: StarterId, as_json: JsonFlag = False) -> None:
    """Show what goes in and what comes out of a starter.

    Your copy is not run: the data is summarised and your last run is shown.
    """
    from invert.lab import open_lab

    with open_lab() as lab:
        view = lab.starters.describe(starter)
    if as_json:
        emit_json(view.to_json())
        return
    with paged():
        _print_view(view)


def reset(starter: StarterId) -> None:
    """Restore a starter to the original; yours is kept as a backup."""
    from invert.lab import open_lab

    with open_lab() as lab:
        found = lab.catalog.starter(starter)
        if not lab.starters.path(found).is_file():
            ensure_copied(lab, found.id)  # no copy yet: the original is what they get
            return
        target, backup = lab.starters.reset(found.id)
        out = console()
        out.print(f"Restored [cyan]{target.relative_to(lab.root)}[/] to the original.")
        if backup is not None:
            out.print(f"Your version is kept at [cyan]{backup.relative_to(lab.root)}[/].")


def ensure_copied(lab: Lab, ref: str, as_json: bool = False) -> Starter:
    """The starter named by `ref`, copied into the lab first if the learner has no copy yet,
    said in one line (on stderr under --json, so that the JSON stays clean)."""
    starter, copied = lab.starters.ensure(ref)
    if copied:
        console(stderr=as_json).print(
            f"Copied [cyan]starters/{starter.filename}[/] into your lab: it is yours to edit."
        )
    return starter


def _run_and_report(lab: Lab, starter_id: str) -> None:
    out = console()
    starter = ensure_copied(lab, starter_id)
    out.rule(f"python starters/{starter.filename}", align="left", style="dim")
    result = lab.starters.run(starter.id, on_output=echo_raw)
    out.rule(style="dim")
    _print_summary(result)


def _print_summary(result: StarterRun) -> None:
    out = console()
    low, high = result.starter.score.expect
    score = format_score(result.score)
    verdict = "as expected" if result.score_expected else f"outside the usual {low:g}-{high:g}"
    edited = " (your edited copy)" if result.edited else ""
    out.print(
        f"[bold green]Done[/] in {result.wall_seconds:.1f} s{edited}: "
        f"{result.starter.score.name} [bold]{score}[/] ({verdict}). Recorded in your journal."
    )
    for note in result.notes:
        out.print(f"[yellow]note:[/] {note}")
    out.print(f"[bold]Next:[/] {result.next_step or result.starter.next_step}")


def _print_view(view: StarterView) -> None:
    from rich.table import Table

    out = console()
    s, data = view.status.starter, view.data
    out.print(f"[bold]{s.title}[/]  [dim]({s.id}, {view.status.label})[/]")
    out.print(s.summary)
    out.rule("What goes in", align="left")
    out.print(f"{data.title}: {data.rows} rows x {data.columns} columns. {s.goes_in}")
    features = ", ".join(data.features[:12]) + (
        f", ... and {len(data.features) - 12} more" if len(data.features) > 12 else ""
    )
    out.print(f"[dim]columns:[/] {features}")
    sample = Table(show_edge=False, title="five sample rows", title_justify="left")
    for column in data.sample[0]:
        sample.add_column(column, overflow="fold")
    for row in data.sample:
        sample.add_row(*(MISSING if v is None else v for v in row.values()))
    print_table(sample, out)
    if data.target_counts is not None:
        counts = ", ".join(f"{k} {v}" for k, v in data.target_counts.items())
        out.print(f"[dim]{data.target}:[/] {counts}")
    elif data.target_range is not None:
        r = data.target_range
        out.print(
            f"[dim]{data.target}:[/] min {r['min']:g}, median {r['median']:g}, max {r['max']:g}"
        )
    out.print(f"[dim]source:[/] {data.citation}")
    out.rule("The model", align="left")
    out.print(s.model)
    out.rule("What comes out", align="left")
    out.print(s.comes_out)
    if view.last_run:
        last = view.last_run
        out.print(
            f"Your last run ({last['at'][:16].replace('T', ' ')} UTC): {s.score.name} "
            f"[bold]{format_score(last.get('score'))}[/] in {last['wall_seconds']:.1f} s"
        )
        pairs = Table("truth", "predicted", show_edge=False)
        for truth, predicted in last.get("predictions", [])[:8]:
            pairs.add_row(str(truth), str(predicted))
        print_table(pairs, out)
    else:
        out.print(f"Not run yet in this lab: `invert run {s.id}`.")
    if s.concepts:
        out.print(f"[dim]concepts:[/] {', '.join(s.concepts)}")
    out.print(f"[bold]Next:[/] {view.next_step or s.next_step}")
