"""Print docs/cli.md: the CLI reference, generated from `--help` so that it cannot drift.

Run: .venv/bin/python docs/generate_cli_reference.py > docs/cli.md   (or `make docs`)
tests/test_docs.py fails when docs/cli.md differs from what this prints.
"""

from __future__ import annotations

import os
from typing import Any

import typer
from typer.testing import CliRunner

from invert.cli.root import app


def commands(command: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path below `command`, in the order --help lists them."""
    found = [path]
    for name, sub in getattr(command, "commands", {}).items():
        if not sub.hidden:
            found += commands(sub, (*path, name))
    return found


def reference() -> str:
    os.environ["COLUMNS"] = "100"
    runner = CliRunner()
    parts = [
        "# CLI reference",
        "",
        "Generated from `invert --help` by `docs/generate_cli_reference.py`; do not edit by hand.",
    ]
    for path in commands(typer.main.get_command(app)):
        title = " ".join(("invert", *path))
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "100", "NO_COLOR": "1"})
        parts += ["", f"## `{title}`", "", "```text", result.stdout.rstrip(), "```"]
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    print(reference(), end="")
