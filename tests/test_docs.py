"""Docs that cannot drift: the CLI reference is generated, and every command is documented."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import typer

from invert.cli.root import app

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


# --- the docs point only at what a clone contains ---------------------------------------------

DOCS = ["README.md", "CONTRIBUTING.md", *(f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md"))]
PACKAGE = ROOT / "src" / "invert"
# A path in backticks is a repository path when it starts at a top-level folder of the repository,
# or names a file under one of invert's packages (`catalog/loader.py`); a bare capitalised
# `NAME.md` names a repository document. Placeholders (`<id>`, `ID`, `*`) are not paths.
TOP_LEVEL = ("src/", "tests/", "docs/", "bench/", ".ci/")
PLACEHOLDER = re.compile(r"[<*{]|(^|/)(ID|NAME)([/.]|$)")


def mentioned_paths(text: str) -> list[str]:
    """The relative links (`[text](target)`) and repository paths in backticks of a Markdown doc."""
    links = [
        target.split("#")[0]
        for target in re.findall(r"\]\(([^)\s]+)\)", text)
        if not re.match(r"[a-z]+:|#", target)
    ]
    paths = []
    for token in re.findall(r"`([^`\s]+)`", text):
        if PLACEHOLDER.search(token) or token.startswith("/"):  # `/api/...`: a web address
            continue
        first = token.split("/")[0]
        if (
            token.startswith(TOP_LEVEL)
            or re.fullmatch(r"[A-Z_]+\.md", token)
            or ("/" in token and (PACKAGE / first).is_dir() and re.search(r"\.\w+$", token))
        ):
            paths.append(token)
    return links + paths


def test_every_file_a_doc_names_is_in_the_repository() -> None:
    missing = []
    for doc in DOCS:
        here = (ROOT / doc).parent
        for path in mentioned_paths((ROOT / doc).read_text(encoding="utf-8")):
            bases = (here, ROOT, PACKAGE) if "/" in path else (here, ROOT, ROOT / "docs")
            if not any((base / path).exists() for base in bases):
                missing.append(f"{doc}: {path}")
    assert not missing, missing
    # The check itself: a doc naming a file that is not there is caught.
    gone = "GONE.md"
    assert mentioned_paths(f"see [the notes](../{gone}), `{gone}` and `tests/nothing.py`") == [
        f"../{gone}",
        gone,
        "tests/nothing.py",
    ]


def test_no_file_points_at_design_notes_outside_the_repository() -> None:
    # The design is docs/architecture.md and the house rules are CONTRIBUTING.md, both here.
    outside = [name + ".md" for name in ("DESIGN", "STYLE")]
    files = [p for p in ROOT.iterdir() if p.is_file()]
    for folder in ("src", "tests", "docs", "bench", ".ci"):
        files += [
            p for p in (ROOT / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts
        ]
    naming = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):  # data files: gzip, SQLite
            continue
        naming += [f"{path.relative_to(ROOT)}: {name}" for name in outside if name in text]
    assert not naming, naming
