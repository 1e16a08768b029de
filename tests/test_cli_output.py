"""How the CLI reads: one-line usage errors, strict JSON, whole ids at any width, a pager."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli, spawn_invert
from invert.catalog.loader import load_catalog
from invert.lab import Lab, create_lab

CATALOG = load_catalog()
DATA = Path(__file__).resolve().parent.parent / "src" / "invert" / "content" / "data"
QUICK = "feature-scaling-knn"  # wine, unscaled against standardised: a second or two
EXPLAINED = "it puts every feature on one footing, so that no unit decides the distance alone"
PREDICTION = ["--predict", "rises", "--confidence", "0.8", "--gap", "narrows"]


def strict_json(text: str) -> Any:
    """Parse `text` as JSON as strict parsers do: NaN, Infinity and -Infinity are refused."""

    def refuse(constant: str) -> Any:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


MALFORMED = [
    ["--frobnicate"],
    ["--frobnicate", "list"],
    ["--version=2"],
    ["frobnicate"],
    ["lsit"],
    ["list", "--frobnicate"],
    ["list", "extra"],
    ["show"],
    ["try"],
    ["try", "feature-scaling-knn", "--confidence"],
    ["trace", "kmeans", "--max-steps", "many"],
    ["learn", "--rating", "3"],
    ["check", "some-drill", "--timeout", "soon"],
    ["dev", "--bad"],
    ["dev", "frob"],
    ["dev", "check", "--only"],
    ["dev", "check", "--bad"],
    ["project", "--bad"],
    ["project", "frob"],
    ["project", "new"],
    ["project", "new", "data.csv", "--task"],
    ["project", "run", "--step", "x"],
    ["project", "list", "extra"],
    ["project", "audit", "p", "extra"],
    ["project", "reset", "p", "--bad"],
]


@pytest.mark.parametrize("args", MALFORMED, ids=" ".join)
def test_every_usage_error_is_one_line_and_exit_2(cli: Cli, args: list[str]) -> None:
    code, out, err = cli(*args)
    assert code == 2, (out, err)
    assert out == ""
    assert len(err.splitlines()) == 1 and err.startswith("error: "), err
    assert "--help`)" in err  # says where the help is


@pytest.mark.parametrize("group", [[], ["project"], ["dev"]], ids=lambda g: " ".join(g) or "root")
def test_a_bare_group_prints_its_help_as_invert_alone_does(cli: Cli, group: list[str]) -> None:
    code, out, err = cli(*group)
    assert code == 2 and out == ""
    assert err.startswith("Usage: ") and "\nCommands:\n" in err  # the help, laid out, not one line


# --- strict JSON from every command that offers --json ---------------------------------------


RULES = sorted(CATALOG.theory.rules)


@pytest.fixture(scope="module")
def busy_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One lab with something behind every command: a starter run, an experiment run with a
    note and a why-question, an explanation, a drill and a rebuild begun, a project step run."""
    root = tmp_path_factory.mktemp("busy") / "lab"
    create_lab(root).close()
    cli = Cli()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        patch.delenv("INVERT_LAB", raising=False)
        for args in (
            ["run", "titanic_survival"],
            ["try", QUICK, *PREDICTION, "--note", "scaling helps", "--why", "why scale?"],
            ["explain", "feature-scaling", EXPLAINED, "--rating", "4", "--covered", "1"],
            ["drill", "titanic-too-good"],
            ["fix", "titanic-too-good"],
            ["check", "titanic-too-good"],  # passed: its solution opens
            ["rebuild", "knn"],
            ["learn", "softmax"],  # read: no rule joins the toolkit by reading
            ["rules", "add", RULES[0]],  # the toolkit's first rule
            ["project", "new", str(DATA / "penguins.csv"), "--target", "species"],
            ["project", "run", "penguins", "--step", "1"],
        ):
            if args[0] == "fix":  # the learner's fix: the drill's own solution
                drill = CATALOG.drill(args[1])
                shutil.copyfile(drill.solution, root / "drills" / drill.filename)
                continue
            code, _, err = cli(*args)
            assert code == 0, (args, err)
        yield root


# The arguments each command is run with (one list per form); a command offering --json that is
# missing here fails the test below, so a new command cannot escape it.
JSON_FORMS: dict[str, list[list[str]]] = {
    "list": [[]],
    "run": [["iris_forest"]],
    "show": [["titanic_survival"], ["ames_prices"]],
    "experiments": [[], ["--starter", "wine_knn"]],
    "try": [[QUICK, *PREDICTION], [QUICK, "--plan"]],
    "probe": [[], ["scaling-wine-tree", *PREDICTION], ["scaling-wine-tree", "--plan"]],
    "journal": [[], ["--experiment", QUICK], ["--concept", "distance"]],
    "why": [[], ["--all"], ["why do deeper trees overfit?"]],
    "score": [[]],
    "progress": [[], ["--week"]],
    "next": [[]],
    "explain": [["distance", EXPLAINED, "--rating", "3", "--covered", "1"]],
    "answer": [["1", EXPLAINED, "--covered", "none"]],
    "learn": [[], ["nearest-neighbours"], ["nearest-neighbours", "--run"]],
    "rules": [[], ["--all"]],
    "rules add": [[RULES[1]]],
    "ladder": [[], ["kmeans"]],
    "drills": [[]],
    "drill": [["titanic-too-good"]],
    "check": [["titanic-too-good"]],
    "hint": [["titanic-too-good"]],
    "solution": [["titanic-too-good"]],
    "rebuild": [[], ["knn"]],
    "trace": [[], ["kmeans"]],
    "portfolio": [["--out", "{tmp}/portfolio.html"]],
    "notebook": [["iris_forest", "--out", "{tmp}/iris.ipynb"]],
    "project new": [[str(DATA / "penguins.csv"), "--target", "species", "--name", "again"]],
    "project run": [["penguins", "--step", "1"]],
    "project list": [[]],
    "project audit": [["penguins"]],
    "dev check": [["--no-run", "--only", "drills"]],
}


def json_commands() -> list[str]:
    """Every command of the real app that takes --json, as `project new` for a subcommand."""

    def walk(command: Any, path: list[str]) -> Iterator[str]:
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, [*path, name])
        if any("--json" in getattr(p, "opts", ()) for p in command.params):
            yield " ".join(path)

    return list(walk(Cli.command, []))


def test_every_json_command_has_its_forms_below() -> None:
    assert sorted(json_commands()) == sorted(JSON_FORMS)


@pytest.mark.parametrize(
    ("command", "args"),
    [(c, a) for c, forms in JSON_FORMS.items() for a in forms],
    ids=lambda v: v if isinstance(v, str) else " ".join(v)[:40],
)
def test_every_json_output_is_strict_json(
    busy_lab: Path, command: str, args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(busy_lab)
    monkeypatch.delenv("INVERT_LAB", raising=False)
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    code, out, err = Cli()(*command.split(), *args, "--json")
    assert code in (0, 1), err  # 1: a check that found problems, still reported in JSON
    strict_json(out)


# --- show, on every starter, with its missing values ------------------------------------------


@pytest.fixture(scope="module")
def fresh_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with create_lab(tmp_path_factory.mktemp("fresh") / "lab") as lab:
        yield lab


@pytest.mark.content
@pytest.mark.parametrize("starter", sorted(CATALOG.starters))
def test_show_prints_every_starter_in_text_and_json(
    fresh_lab: Lab, starter: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(fresh_lab.root)
    monkeypatch.delenv("INVERT_LAB", raising=False)
    code, text, err = Cli()("show", starter)
    assert code == 0 and err == ""
    code, out, err = Cli()("show", starter, "--json")
    assert code == 0 and err == ""
    sample = strict_json(out)["data"]["sample"]
    missing = sum(value is None for row in sample for value in row.values())
    assert all(isinstance(v, str | None) for row in sample for v in row.values())
    cells = " ".join(text.split())
    for row in sample:  # every shown value is in the text, a missing one as NaN
        for value in row.values():
            assert (value or "NaN").split()[0] in cells
    assert text.count(" NaN ") >= missing
    if starter in ("titanic_survival", "ames_prices"):  # messy data: the sample has gaps
        assert missing > 0


# --- whole ids and whole cards at any width from 60 columns ------------------------------------

LISTINGS = {
    "list": sorted(CATALOG.starters),
    "experiments": sorted(CATALOG.experiments),
    "rules --all": sorted(CATALOG.theory.rules),
    "trace": sorted(CATALOG.traces),
    # A drill's variants are listed once started (tests/test_drills.py); a new lab shows drills.
    "drills": sorted(d.id for d in CATALOG.drills.values() if not d.variant_of),
    "rebuild": sorted(CATALOG.rebuilds),
    "learn": sorted(CATALOG.theory.cards),
    "ladder": sorted(CATALOG.theory.ladders),
}


def at_width(monkeypatch: pytest.MonkeyPatch, root: Path, columns: int) -> Cli:
    monkeypatch.chdir(root)
    monkeypatch.delenv("INVERT_LAB", raising=False)
    monkeypatch.setenv("COLUMNS", str(columns))
    return Cli()


@pytest.mark.parametrize("columns", [60, 80, 100])
@pytest.mark.parametrize("command", sorted(LISTINGS))
def test_listings_print_every_id_whole(
    fresh_lab: Lab, command: str, columns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = at_width(monkeypatch, fresh_lab.root, columns)(*command.split())
    assert code == 0, err
    assert max(map(len, out.splitlines())) <= columns
    words = set(out.replace("`", " ").replace(",", " ").split())
    assert [i for i in LISTINGS[command] if i not in words] == []


def test_the_first_listing_is_a_table_at_80_columns(
    fresh_lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`invert list` is the first thing a newcomer types: at the default width it is a table
    (a header row naming every column), not a stack of blocks."""
    code, out, err = at_width(monkeypatch, fresh_lab.root, 80)("list")
    assert code == 0, err
    header = next(line for line in out.splitlines() if "what it does" in line)
    assert header.split()[0] == "id" and "status" in header


@pytest.mark.parametrize("columns", [60, 80])
@pytest.mark.parametrize(
    ("command", "ids"),
    [
        ("journal", lambda d: {e["experiment"] for e in d if e.get("experiment")}),
        ("score", lambda d: set(d["per_concept"])),
        ("progress", lambda d: set(d["power"]["per_concept"])),
        ("rules", lambda d: {r["rule"] for r in d}),  # the toolkit: the rules met so far
    ],
    ids=["journal", "score", "progress", "rules"],
)
def test_lab_reports_print_every_id_whole(
    busy_lab: Path, command: str, ids: Any, columns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = at_width(monkeypatch, busy_lab, columns)
    expected = ids(strict_json(cli(command, "--json")[1]))
    code, out, err = cli(command)
    assert code == 0 and expected, err
    assert "…" not in out
    words = set(out.replace("`", " ").replace(",", " ").split())
    assert expected <= words


@pytest.mark.content
@pytest.mark.parametrize("card", sorted(CATALOG.theory.cards))
def test_a_card_reads_whole_at_80_columns(
    fresh_lab: Lab, card: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = at_width(monkeypatch, fresh_lab.root, 80)("learn", card)
    assert code == 0, err
    words = set(out.split())
    for row in CATALOG.theory.cards[card].code:  # from formula to code: every piece whole
        assert row.math in out
        assert [w for w in row.meaning.split() if w not in words] == [], row.meaning


# --- long output through a pager on a terminal, as git does ------------------------------------


def pager_script(tmp_path: Path) -> tuple[Path, Path]:
    """A PAGER that records what it was given, and the file it records it in."""
    record = tmp_path / "paged.txt"
    script = tmp_path / "pager.sh"
    script.write_text(f'#!/bin/sh\ncat > "{record}"\n', encoding="utf-8")
    script.chmod(0o755)
    return script, record


def on_terminal(args: list[str], root: Path, env: dict[str, str]) -> str:
    """`python -m invert ARGS` in a real pseudo-terminal of 40 rows; all it printed."""
    child = spawn_invert(*args, cwd=root, env=env, rows=40)
    printed = child.read()
    child.close()
    assert child.exitstatus == 0, printed
    return str(printed)


@pytest.mark.parametrize("args", [["learn", "softmax"], ["rules", "--all"], ["experiments"]])
def test_long_output_on_a_terminal_goes_through_the_pager(
    fresh_lab: Lab, tmp_path: Path, args: list[str]
) -> None:
    script, record = pager_script(tmp_path)
    printed = on_terminal(args, fresh_lab.root, {"PAGER": str(script)})
    paged = record.read_text(encoding="utf-8")
    assert len(paged.splitlines()) > 40 and paged.split()[0] not in printed


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["--no-pager", "learn", "softmax"], {}, "6. Read next"),
        (["learn", "softmax"], {"INVERT_PAGER": ""}, "6. Read next"),
        (["why"], {}, "No open why-questions"),  # shorter than the terminal
    ],
    ids=["--no-pager", "INVERT_PAGER empty", "short"],
)
def test_the_pager_stays_out_when_asked_or_not_needed(
    fresh_lab: Lab, tmp_path: Path, args: list[str], env: dict[str, str], expected: str
) -> None:
    script, record = pager_script(tmp_path)
    printed = on_terminal(args, fresh_lab.root, {"PAGER": str(script), **env})
    assert not record.exists()
    assert expected in printed


def test_piped_output_never_goes_through_the_pager(fresh_lab: Lab, tmp_path: Path) -> None:
    from conftest import invert_process

    script, record = pager_script(tmp_path)
    done = invert_process("learn", "softmax", cwd=fresh_lab.root, env={"PAGER": str(script)})
    assert done.returncode == 0 and "6. Read next" in done.stdout
    assert not record.exists()


def test_the_learners_own_words_print_as_written_not_as_markup(
    fresh_lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = at_width(monkeypatch, fresh_lab.root, 100)
    words = "why does [/bold] x[i] keep [red]its[/red] scale?"
    assert cli("why", words)[0] == 0
    for args in (["journal"], ["why"], ["learn"]):
        code, out, err = cli(*args)
        assert code == 0, err
        assert words in " ".join(out.split()), args
    number = str(len(strict_json(cli("why", "--all", "--json")[1])))
    code, out, err = cli("answer", number, f"{EXPLAINED} [/i]", "--covered", "none")
    assert code == 0 and "[/bold] x[i]" in out, err
    code, out, err = cli("why", "--all")
    assert code == 0 and f"{EXPLAINED} [/i]" in " ".join(out.split()), err
