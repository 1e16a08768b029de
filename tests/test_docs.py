"""Docs that cannot drift: the CLI reference is generated, and every command is documented."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import typer

from invert.cli import app

ROOT = Path(__file__).resolve().parent.parent


def load_generator():  # type: ignore[no-untyped-def]
    path = ROOT / "docs" / "generate_cli_reference.py"
    spec = importlib.util.spec_from_file_location("generate_cli_reference", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_up_to_date() -> None:
    generated = load_generator().reference()
    assert (ROOT / "docs" / "cli.md").read_text() == generated, "run `make docs`"


def test_every_command_has_help_and_a_mention_in_the_readme_or_docs() -> None:
    paths = load_generator().commands(typer.main.get_command(app))[1:]
    assert len(paths) >= 9
    prose = (ROOT / "README.md").read_text() + (ROOT / "docs" / "architecture.md").read_text()
    for path in paths:
        command = typer.main.get_command(app)
        for name in path:
            command = command.commands[name]  # type: ignore[attr-defined]
        assert command.help and len(command.help) > 20, f"invert {' '.join(path)} has no help"
        if not getattr(command, "commands", None):
            assert f"invert {' '.join(path)}" in prose, f"invert {' '.join(path)} is undocumented"


def test_benchmarks_doc_has_every_benchmark_with_its_command() -> None:
    text = (ROOT / "docs" / "benchmarks.md").read_text()
    for bench in sorted((ROOT / "bench").glob("[!_]*.py")):
        assert f"<!-- bench:{bench.stem} -->" in text
        assert f"bench/{bench.stem}.py --record" in text
