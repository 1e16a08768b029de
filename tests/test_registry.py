"""The shared machinery loops over the registry: a kind it has never heard of, added in a test,
loads into the catalogue, is proven by `invert dev check`, and its events go through the store,
export and import, with no change to any other module.

The toy kind is a real package written to a temporary folder and put on `sys.path`: its own
`model.py` (one content file, `toys.toml`), `verify.py` (its proof) and `events.py` (one event
kind, and a derived table of its own that no migration creates).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import Cli
from invert.catalog.check import check_catalog
from invert.catalog.loader import CONTENT_DIR, read_catalog
from invert.errors import LearnerError
from invert.kinds import REGISTRY, Kind, Proof, parts, proofs
from invert.lab import create_lab, open_lab
from invert.store import Event, Store
from invert.store.archive import read_export
from invert.store.payloads import event_kinds, payload_problem

PACKAGE = "invert_test_toys"

MODEL = '''
"""Toys: a title and the number of letters in it, read from content/toys.toml."""

from dataclasses import dataclass
from pathlib import Path

from invert.catalog.toml import Reader, read_toml


@dataclass(frozen=True)
class Toy:
    id: str
    title: str
    letters: int
    concept: str


def load(root: Path, problems: list[str]) -> dict[str, Toy]:
    """The toys in toys.toml; none in a content folder without that file (the shipped one)."""
    toys = {}
    path = root / "toys.toml"
    tables = read_toml(path, problems).get("toy", []) if path.is_file() else []
    for i, table in enumerate(tables):
        r = Reader(table, f"toys.toml toy #{i + 1}", problems)
        toy = Toy(
            r.get("id", str), r.get("title", str), r.get("letters", int), r.get("concept", str)
        )
        toys[toy.id] = toy
    return toys


def check_references(catalog, problems: list[str]) -> None:
    for toy in catalog.content["toys"].values():
        if toy.concept not in catalog.concepts:
            problems.append(f"toys.toml [{toy.id}]: unknown concept '{toy.concept}'")
'''

VERIFY = '''
"""The toys' proof: each title has as many letters as it says."""


def prove(catalog, report, run, on_progress=None) -> None:
    for toy in catalog.content["toys"].values():
        counted = sum(c.isalpha() for c in toy.title)
        if counted != toy.letters:
            said = f"says {toy.letters} letters, has {counted}"
            report.problems.append(f"toys.toml [{toy.id}]: {said}")
        report.checked.append(f"toy {toy.id}")
'''

EVENTS = '''
"""The toys' one event, and a table derived from it that no migration creates."""

from invert.store.fields import Field
from invert.store.projection import Projection

EVENTS = {"toy_played": {"score": Field((int,), low=0, high=10)}}


def project(conn, event) -> None:
    if event.kind == "toy_played" and event.subject:
        conn.execute(
            """INSERT INTO toy_scores (toy, plays, best) VALUES (?, 1, ?)
               ON CONFLICT (toy) DO UPDATE SET
                   plays = plays + 1, best = max(best, excluded.best)""",
            (event.subject, event.payload["score"]),
        )


PROJECTIONS = (
    Projection(
        ("toy_scores",),
        project,
        create=("CREATE TABLE toy_scores (toy TEXT PRIMARY KEY, plays INTEGER, best INTEGER)",),
    ),
)
'''

TOYS = """
[[toy]]
id = "kite"
title = "A red kite"
letters = 8
concept = "overfitting"
"""


@pytest.fixture
def toy_kind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Kind]:
    """The toy kind, registered last, for one test; the package and registry restored after."""
    package = tmp_path / "packages" / PACKAGE
    package.mkdir(parents=True)
    for name, source in {
        "__init__": "",
        "model": MODEL,
        "verify": VERIFY,
        "events": EVENTS,
    }.items():
        (package / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    monkeypatch.syspath_prepend(str(package.parent))
    kind = Kind(
        "toys",
        "Toys",
        PACKAGE,
        cli=(),
        pages=(),
        model="model:load",
        references="model:check_references",
        proofs=(Proof("verify:prove", name="toys", static=True),),
        events="events:EVENTS",
        projections="events:PROJECTIONS",
    )
    # One list, imported by name wherever it is read: the kind is appended to it, then removed.
    REGISTRY.append(kind)
    try:
        yield kind
    finally:
        REGISTRY.remove(kind)
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the shipped content with the toys' one file added."""
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    (root / "toys.toml").write_text(TOYS, encoding="utf-8")
    return root


def test_a_toy_kind_loads_into_the_catalogue_and_its_references_are_checked(
    toy_kind: Kind, content: Path
) -> None:
    catalog, problems = read_catalog(content)
    assert problems == []
    assert [(t.id, t.title, t.letters) for t in catalog.content["toys"].values()] == [
        ("kite", "A red kite", 8)
    ]
    assert len(catalog.drills) > 0 and catalog.theory.cards  # the other kinds are still there
    (content / "toys.toml").write_text(
        TOYS.replace('concept = "overfitting"', 'concept = "nothing"').replace("letters = 8\n", ""),
        encoding="utf-8",
    )
    _, problems = read_catalog(content)
    assert problems == [
        "toys.toml toy #1: missing field 'letters'",
        "toys.toml [kite]: unknown concept 'nothing'",
    ]


def test_dev_check_runs_the_toy_kinds_proof(toy_kind: Kind, content: Path, cli: Cli) -> None:
    assert parts()[-1] == "toys" and proofs()[-1] == (toy_kind, toy_kind.proofs[0])
    report = check_catalog(content, run=False, only="toys")
    assert (report.problems, report.checked) == ([], ["toy kite"])
    (content / "toys.toml").write_text(TOYS.replace("letters = 8", "letters = 9"))
    report = check_catalog(content, run=False, only="toys")
    assert report.problems == ["toys.toml [kite]: says 9 letters, has 8"] and not report.ok
    # The CLI's --only takes it too (here against the shipped content, which has no toys).
    code, _, err = cli("dev", "check", "--only", "nonsense")
    assert code != 0 and "projects, probes, toys; got 'nonsense'" in err


def test_the_toy_kinds_events_survive_export_and_import_with_their_schema(
    toy_kind: Kind, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "toy_played" in event_kinds()
    with create_lab(tmp_path / "here") as lab:
        lab.store.append(
            Event("toy_played", subject="kite", payload={"score": 3}),
            Event("toy_played", subject="kite", payload={"score": 7}),
        )
        written = [e.to_json() for e in lab.store.events()]
        assert _toy_scores(lab.store) == [("kite", 2, 7)]
    monkeypatch.chdir(tmp_path / "here")
    monkeypatch.delenv("INVERT_LAB", raising=False)
    code, _, err = cli("export", str(tmp_path / "here.json"))
    assert code == 0, err
    with create_lab(tmp_path / "fresh"):
        pass
    monkeypatch.chdir(tmp_path / "fresh")
    code, _, err = cli("import", str(tmp_path / "here.json"))
    assert code == 0, err
    with open_lab(tmp_path / "fresh") as fresh:
        imported = [e.to_json() for e in fresh.store.events() if e.kind == "toy_played"]
        assert imported == [e for e in written if e["kind"] == "toy_played"]
        assert _toy_scores(fresh.store) == [("kite", 2, 7)]  # replayed into its own table
        before = fresh.store.count()

    # A malformed toy event is refused, whole, in one line naming the event and the field.
    document = json.loads((tmp_path / "here.json").read_text(encoding="utf-8"))
    bad = next(i for i, e in enumerate(document["events"]) if e["kind"] == "toy_played")
    document["events"][bad] |= {"uid": "f" * 32, "payload": {"score": 11}}
    (tmp_path / "bad.json").write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(LearnerError) as info:
        read_export(tmp_path / "bad.json")
    assert str(info.value) == (
        f"{tmp_path / 'bad.json'}: event #{bad + 1} (toy_played) 'score' should be from 0 to 10; "
        "got 11"
    )
    code, _, err = cli("import", str(tmp_path / "bad.json"))
    assert code != 0 and "'score' should be from 0 to 10" in " ".join(err.split())
    with open_lab(tmp_path / "fresh") as fresh:
        assert fresh.store.count() == before
    assert payload_problem("toy_played", "kite", {}) == "has no 'score'"
    assert payload_problem("toy_played", None, {"score": 1}) == "has no subject"


def test_a_lab_made_before_the_toy_kind_gets_its_table_when_opened(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    Store(tmp_path / "lab.db").close()
    request.getfixturevalue("toy_kind")
    store = Store(tmp_path / "lab.db")
    store.append(Event("toy_played", subject="kite", payload={"score": 4}))
    assert _toy_scores(store) == [("kite", 1, 4)]
    store.close()


def test_an_event_kind_no_registered_kind_declares_is_refused_on_import(tmp_path: Path) -> None:
    """What happens today to a toy event once the toy kind is gone: refused, nothing written."""
    event = {"uid": "a" * 32, "at": "2026-01-01T00:00:00+00:00", "kind": "toy_played"}
    path = tmp_path / "toy.json"
    document = {"invert_export": 1, "schema_version": 2, "events": [event | {"payload": {}}]}
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(LearnerError, match="event #1 has unknown kind 'toy_played'"):
        read_export(path)
    store = Store(tmp_path / "lab.db")
    with pytest.raises(ValueError, match="unknown event kind 'toy_played'"):
        store.append(Event("toy_played", subject="kite"))
    assert store.events() == []
    store.close()


def _toy_scores(store: Store) -> list[tuple[str, int, int]]:
    try:
        rows = store.conn.execute("SELECT toy, plays, best FROM toy_scores ORDER BY toy")
    except sqlite3.OperationalError as exc:
        pytest.fail(f"no toy_scores table: {exc}")
    return [tuple(row) for row in rows.fetchall()]
