"""How the CLI speaks: one-line errors, JSON for scripts, Rich for people (NO_COLOR respected)."""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, Any, NoReturn

import typer

if TYPE_CHECKING:
    from rich.console import Console

_consoles: dict[tuple[bool, str | None], Console] = {}


def console(stderr: bool = False) -> Console:
    # Rich reads COLUMNS once, when a Console is made: one per width asked for, so that a
    # process running several commands (the tests, a notebook) honours each one's COLUMNS.
    key = (stderr, os.environ.get("COLUMNS"))
    if key not in _consoles:
        from rich.console import Console

        _consoles[key] = Console(stderr=stderr, highlight=False)
    return _consoles[key]


def fail(message: str) -> NoReturn:
    """Print a learner-caused error as one line on stderr and exit with code 2."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def emit_json(document: Any, compact: bool = False) -> None:
    """Print `document` as strict JSON (on one line if `compact`): every --json goes through here.

    A NaN or infinity reaching here is our bug, and raises: no strict parser could read it.
    """
    text = json.dumps(document, indent=None if compact else 2, ensure_ascii=False, allow_nan=False)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()  # a reader of `--stream` acts on each line as it comes


def echo_raw(text: str) -> None:
    """Pass a script's own output through untouched (no markup, no wrapping)."""
    sys.stdout.write(text)
    sys.stdout.flush()


def format_score(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
