"""The contract every registered kind keeps, checked over the registry (as scikit-learn's common
estimator checks run over every estimator), and a toy kind that gets its faces from one line.

Every kind: lists its items outside a lab; in a new lab stands "not attempted" on each; starts
one (where it has items to start); an exercise kind checks it (the original fails), gives a
hint and keeps the solution shut until a check passes; the events it wrote leave in an export
and come back in an import; `invert progress` counts its items. CONTRIBUTING.md ("Add a new
kind") lists the steps this test enforces.

The real kinds run on the tiny fixture catalogue (tests/fixtures/catalog), so that each item is
quick. The toy kind is a package written under tmp_path (its content beside it) and one line
appended to the registry: with no other change, it has `invert toys`, the shared
`invert check|hint|solution`, pages at /toys, its events through export and import, and a line
in `invert progress`.
"""

from __future__ import annotations

import json
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click.testing
import pytest
import typer

from invert.catalog.models import Catalog
from invert.errors import LearnerError
from invert.kinds import REGISTRY, Kind
from invert.lab import Lab, create_lab
from invert.store.payloads import event_kinds

NOT_ATTEMPTED = "not attempted"


def _invoke(app: typer.Typer, *args: str) -> tuple[int, str, str]:
    result = click.testing.CliRunner().invoke(
        typer.main.get_command(app), list(args), catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


def _events_of(kind: Kind, lab: Lab) -> list[dict[str, Any]]:
    """The events in `lab` of the kinds `kind` declares, as exported."""
    declared = set(kind.attribute(kind.events)) if kind.events else set()
    return [
        {"uid": e.uid, "kind": e.kind, "subject": e.subject, "payload": e.payload}
        for e in lab.store.events()
        if e.kind in declared
    ]


def _status(part: Any, item_id: str) -> Any:
    return next(s for s in part.statuses() if s.to_json()["id"] == item_id)


def _keep_contract(
    kind: Kind, catalog: Catalog, tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    """Run the contract on `kind`; return what was seen (the test asserts on it)."""
    seen: dict[str, Any] = {}
    listed = kind.attribute("ops:listing")(catalog)
    ids = [row["id"] for row in listed]
    seen["listed"] = ids
    assert len(set(ids)) == len(ids), f"{kind.name}: an id listed twice"

    with create_lab(tmp_path / f"{kind.name}-lab") as lab:
        part = lab.part(kind.name)
        statuses = [status.to_json() for status in part.statuses()]
        assert [row["id"] for row in statuses] == ids, f"{kind.name}: statuses != listing"
        assert {str(s.state) for s in part.statuses()} <= {NOT_ATTEMPTED}, kind.name

        seen["started"] = False
        if ids and hasattr(part, "start"):
            part.start(ids[0])
            seen["started"] = True
        if kind.exercise and ids:
            first = ids[0]
            verdict = part.check(first)  # the original as copied: never a pass
            assert verdict.state != part.passed, f"{kind.name}: the original passed its check"
            assert part.next_hint(first).number == 1
            with pytest.raises(LearnerError, match="solution"):
                part.solution(first)
            after = part.status(first)
            assert (after.state != part.passed, after.checks, after.hints_used) == (True, 1, 1)
        if seen["started"]:
            started = _status(part, ids[0]).to_json()
            assert started != statuses[0], f"{kind.name}: its standing does not show the start"

        written = _events_of(kind, lab)
        seen["events"] = sorted({e["kind"] for e in written})
        export = tmp_path / f"{kind.name}.json"
        lab.exports.export(export)
        with create_lab(tmp_path / f"{kind.name}-other") as other:
            other.exports.import_(export)
            assert _events_of(kind, other) == written
            if seen["started"]:
                again = _status(other.part(kind.name), ids[0])
                mine = _status(part, ids[0])
                if kind.exercise:  # an exercise's standing is read from the journal alone
                    assert (again.state, again.hints_used) == (mine.state, mine.hints_used)

        monkeypatch.setenv("INVERT_LAB", str(lab.root))
        code, out, _ = cli("progress", "--json")
        assert code == 0
        counted = {row["kind"]: row for row in json.loads(out)["kinds"]}
        assert counted[kind.name]["items"] == len(ids), kind.name
        seen["progress"] = counted[kind.name]
    return seen


@pytest.mark.parametrize("kind", list(REGISTRY), ids=lambda kind: kind.name)
def test_every_registered_kind_keeps_the_contract(
    kind: Kind, tiny_catalog: Catalog, tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _keep_contract(kind, tiny_catalog, tmp_path, cli, monkeypatch)
    if kind.exercise:
        assert seen["started"] and seen["events"], "an exercise kind writes its events"
    declared = set(kind.attribute(kind.events)) if kind.events else set()
    assert declared <= event_kinds(), "the store accepts every event the kind declares"


def test_the_contract_is_not_kept_vacuously(tiny_catalog: Catalog) -> None:
    # Most kinds have items in the fixture catalogue and a way to start one; a kind without
    # either (projects: the learner's own) still lists, stands and counts.
    startable = [k for k in REGISTRY if k.attribute("ops:listing")(tiny_catalog)]
    assert len(startable) >= len(REGISTRY) - 2
    assert sum(1 for k in REGISTRY if k.exercise) >= 2


# --- a toy kind: fixture content plus one registry line ------------------------------------------

PACKAGE = "toy_exercises"

MODEL = '''
"""Toy exercises: a function to mend, read from content/ beside this package."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

CONTENT = Path(__file__).parent / "content"


@dataclass(frozen=True)
class Toy:
    id: str
    title: str
    hints: tuple[str, ...]
    broken: Path
    fixed: Path
    expect: int

    @property
    def filename(self) -> str:
        return f"{self.id}.py"


def load(root, problems):
    toys = {}
    for table in tomllib.loads((CONTENT / "toys.toml").read_text())["toy"]:
        toys[table["id"]] = Toy(
            table["id"], table["title"], tuple(table["hints"]),
            CONTENT / table["broken"], CONTENT / table["fixed"], table["expect"],
        )
    return toys
'''

EVENTS = """
from invert.store.fields import NUMBER, TEXT, Field

EVENTS = {
    "toy_started": {"path": TEXT},
    "toy_reset": {},
    "toy_checked": {
        "state": Field((str,), choices=("not attempted", "mended", "still wrong")),
        "hints_used": NUMBER,
    },
    "toy_hint": {"number": NUMBER},
    "toy_solution_shown": {},
}
"""

OPS = '''
"""The toys' part: the exercise core with a judge that runs the learner's file."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass

from invert.kinds.exercise import Exercises, Outcome, Verdict


@dataclass(kw_only=True)
class ToyVerdict(Verdict):
    got: str = ""
    expect: int = 0

    @property
    def outcomes(self):
        return [Outcome("sum", "add(2, 3)", self.got == str(self.expect), self.got)]

    def to_json(self):
        return {"state": self.state, "got": self.got}


def listing(catalog):
    return [{"id": t.id, "title": t.title, "state": None} for t in catalog.content["toys"].values()]


class Toys(Exercises):
    kind_name = "toys"
    prefix = "toy"
    noun = "toy"
    folder = "toys"
    passed = "mended"
    failing = "still wrong"
    no_copy = "no copy of {id}: `invert toys {id}` makes one"
    locked = "the solution opens once `invert check {id}` passes"

    def items(self):
        return list(self.catalog.content["toys"].values())

    def item(self, item_id):
        from invert.errors import UnknownError

        try:
            return self.catalog.content["toys"][item_id]
        except KeyError:
            raise UnknownError(f"unknown toy {item_id!r}") from None

    def original(self, item):
        return item.broken

    def judge(self, item, script, *, unchanged, timeout, on_output):
        start = time.perf_counter()
        code = "import runpy, sys; print(runpy.run_path(sys.argv[1])['add'](2, 3))"
        run = subprocess.run(
            [sys.executable, "-c", code, str(script)],
            capture_output=True, text=True, timeout=timeout or 30,
        )
        got = run.stdout.strip()
        state = self.passed if got == str(item.expect) else self.failing
        return ToyVerdict(
            state=state, output=run.stdout + run.stderr,
            wall_seconds=time.perf_counter() - start, got=got, expect=item.expect,
        )

    def judged(self, verdict):
        return {}

    def reveal(self, item):
        return item.fixed.read_text()
'''

TOYS_TOML = """
[[toy]]
id = "add-two"
title = "Add two numbers"
hints = ["Look at the operator.", "Adding is not subtracting.", "Use +."]
broken = "broken.py"
fixed = "fixed.py"
expect = 5
"""


@pytest.fixture
def toy_kind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Kind]:
    """The toy package on sys.path and its one registry line, for one test."""
    package = tmp_path / "packages" / PACKAGE
    (package / "content").mkdir(parents=True)
    for name, source in {"__init__": "", "model": MODEL, "events": EVENTS, "ops": OPS}.items():
        (package / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    (package / "content" / "toys.toml").write_text(TOYS_TOML, encoding="utf-8")
    (package / "content" / "broken.py").write_text("def add(a, b):\n    return a - b\n")
    (package / "content" / "fixed.py").write_text("def add(a, b):\n    return a + b\n")
    monkeypatch.syspath_prepend(str(package.parent))
    # The one line: the kind is appended to the registry (and taken out after the test).
    kind = Kind(
        "toys",
        "Toy exercises",
        PACKAGE,
        cli=(),
        pages=(),
        part="ops:Toys",
        exercise=True,
        model="model:load",
        events="events:EVENTS",
    )
    REGISTRY.append(kind)
    try:
        yield kind
    finally:
        REGISTRY.remove(kind)
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]
        from invert.catalog import loader

        loader._cache.clear()  # the catalogues read while the toy was registered


def test_a_toy_kind_gets_its_commands_pages_export_and_progress_from_one_line(
    toy_kind: Kind, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from invert.catalog import loader
    from invert.cli.root import make_app

    loader._cache.clear()
    app = make_app()  # the command as a learner's shell would make it, registry and all

    # Outside a lab: listed, with no state.
    monkeypatch.chdir(tmp_path)
    code, out, _ = _invoke(app, "toys", "--json")
    assert code == 0
    assert [(row["id"], row["state"]) for row in json.loads(out)["toys"]] == [("add-two", None)]

    lab_root = tmp_path / "lab"
    create_lab(lab_root).close()
    monkeypatch.chdir(lab_root)
    code, out, _ = _invoke(app, "toys", "add-two")
    assert code == 0 and "toys/add-two.py" in out
    copy = lab_root / "toys" / "add-two.py"
    assert copy.read_text() == "def add(a, b):\n    return a - b\n"

    # The shared commands find the toy's id: a failing check, a hint, the solution shut.
    code, out, _ = _invoke(app, "check", "add-two")
    assert code == 1 and "still wrong" in out
    code, out, _ = _invoke(app, "hint", "--json")  # without an id: the one touched last
    assert code == 0 and json.loads(out)["text"] == "Look at the operator."
    code, _, err = _invoke(app, "solution", "add-two")
    assert code == 2 and "passes" in err

    copy.write_text("def add(a, b):\n    return b + a  # mended another way\n")
    code, out, _ = _invoke(app, "check")
    assert code == 0 and "mended" in out.lower()
    code, out, _ = _invoke(app, "solution", "add-two", "--json")
    assert code == 0 and "a + b" in json.loads(out)["solution"]

    # Progress counts it; its standing comes back from an export into another lab.
    code, out, _ = _invoke(app, "progress", "--json")
    toys = {row["kind"]: row for row in json.loads(out)["kinds"]}["toys"]
    assert (toys["title"], toys["items"], toys["states"]) == ("Toy exercises", 1, {"mended": 1})
    code, _, _ = _invoke(app, "export", str(tmp_path / "journal.json"))
    assert code == 0
    with create_lab(tmp_path / "other") as other:
        other.exports.import_(tmp_path / "journal.json")
        status = other.part("toys").status("add-two")
        assert (status.state, status.hints_used, status.hints_when_passed) == ("mended", 1, 1)

    # A page, in the navigation, from the shared exercise pages.
    from fastapi.testclient import TestClient

    from invert.web.app import create_app
    from invert.web.security import csrf_token

    token = "test-token-0123456789"
    guarded = create_app(lab_root, token, {"testserver"})
    with TestClient(guarded, raise_server_exceptions=False, follow_redirects=False) as client:
        assert client.get(f"/?token={token}").status_code == 303  # the printed address
        listing = client.get("/toys")
        assert listing.status_code == 200 and "Add two numbers" in listing.text
        assert 'href="/toys"' in listing.text
        page = client.get("/toys/add-two")
        assert page.status_code == 200 and "mended" in page.text
        assert client.get("/toys/no-such").status_code == 404
        # A check from the page runs as a job; its verdict is shown when it is done.
        copy.write_text("def add(a, b):\n    return a * b\n")
        started = client.post("/toys/add-two/check", data={"csrf": csrf_token(token)})
        assert started.status_code == 200
        done = _finished_job(client, started.text)
        assert "still wrong" in done and "add(2, 3): 6" in done


def _finished_job(client: Any, html: str, limit: float = 60) -> str:
    """The job partial once its polling says done."""
    import re
    import time

    found = re.search(r'hx-get="(/jobs/[\w-]+)"', html)
    assert found, html[:300]
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        text = client.get(found.group(1)).text
        if 'data-state="done"' in text:
            return text
        time.sleep(0.2)
    raise AssertionError("the check job did not finish")


def test_the_toy_kind_keeps_the_contract(
    toy_kind: Kind, tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from invert.catalog import loader
    from invert.catalog.loader import load_catalog
    from invert.cli.root import make_app

    loader._cache.clear()
    app = make_app()
    seen = _keep_contract(
        toy_kind, load_catalog(), tmp_path, lambda *a: _invoke(app, *a), monkeypatch
    )
    assert seen["listed"] == ["add-two"] and seen["started"]
    assert seen["events"] == ["toy_checked", "toy_hint", "toy_started"]
    assert seen["progress"]["states"] == {"still wrong": 1}
