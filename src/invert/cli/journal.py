"""Commands for the journal as a whole: export and import."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from invert.cli.output import console

ExportFile = Annotated[Path, typer.Argument(help="The JSON file.")]


def register(app: typer.Typer) -> None:
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
