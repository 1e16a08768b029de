"""A lab whose journal file is damaged, or that this user may only read: every command says so in
one line (a damaged file with the way to recover), the file is left as it was byte for byte, and
a read-only lab can still be read, in the terminal and in the browser."""

from __future__ import annotations

import gc
import os
import random
import shutil
import sqlite3
import stat
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import PYTHON, Cli, lab_fingerprint, serving
from invert.lab import create_lab

# --- a damaged journal ---------------------------------------------------------------------------


def _another_programs_database(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        conn.execute("INSERT INTO notes (text) VALUES ('not an invert journal')")
    conn.close()


DAMAGE: dict[str, Callable[[Path], None]] = {
    "truncated": lambda db: db.write_bytes(db.read_bytes()[: len(db.read_bytes()) // 2]),
    "cut after its header": lambda db: db.write_bytes(db.read_bytes()[:5000]),
    "random bytes": lambda db: db.write_bytes(random.Random(21).randbytes(64 * 1024)),
    "zero length": lambda db: db.write_bytes(b""),
    "another program's": lambda db: (db.unlink(), _another_programs_database(db)),
}
# The listings (they work outside a lab too) and the commands that only read the journal.
LAB_READERS = [
    ("list",),
    ("drills",),
    ("rebuild",),
    ("journal",),
    ("score",),
    ("progress",),
    ("next",),
    ("why",),
    ("rules",),
    ("review",),
]
# Every kind of command: listings that work outside a lab too, readers, writers, the server.
COMMANDS = [
    *LAB_READERS,
    ("why", "why does k matter?"),
    ("learn", "bias-variance"),
    ("export", "OUT"),
    ("import", "OUT"),
    ("portfolio",),
    ("serve", "--no-browser", "--port", "1"),
]


@pytest.fixture
def lab_root(tmp_path: Path) -> Iterator[Path]:
    with create_lab(tmp_path / "lab") as lab:
        lab.journal.ask_why("why does scaling change kNN?")
    yield lab.root


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_journal_is_named_with_the_way_back_and_left_untouched(
    lab_root: Path, damage: str, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = lab_root / ".invert" / "lab.db"
    DAMAGE[damage](db)
    before = db.read_bytes()
    others = sorted(p.name for p in db.parent.iterdir())
    monkeypatch.chdir(lab_root)
    monkeypatch.delenv("INVERT_LAB", raising=False)
    out = lab_root.parent / "export.json"
    for command in COMMANDS:
        args = [str(out) if a == "OUT" else a for a in command]
        code, stdout, stderr = cli(*args)
        assert code == 2, (command, stdout, stderr)
        assert stderr.startswith("error: ") and stderr.count("\n") == 1, (command, stderr)
        assert f"{db} is damaged" in stderr and "invert left it untouched" in stderr, stderr
        assert "`invert start` in a new folder" in stderr and "`invert import`" in stderr
        assert "Traceback" not in stdout + stderr and "Not in a lab" not in stdout
        assert db.read_bytes() == before, command  # byte for byte
    assert sorted(p.name for p in db.parent.iterdir()) == others  # no -wal, -shm, nothing
    assert not out.exists()


def test_the_damage_message_names_the_lab_s_last_export(
    lab_root: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(lab_root)
    monkeypatch.delenv("INVERT_LAB", raising=False)
    export = lab_root.parent / "backup.json"
    assert cli("export", str(export))[0] == 0
    DAMAGE["random bytes"](lab_root / ".invert" / "lab.db")
    code, _, stderr = cli("journal")
    assert code == 2 and f"`invert import {export}` (this lab's last export, of " in stderr
    # ...and following the message gets the journal back.
    fresh = create_lab(lab_root.parent / "fresh")
    fresh.close()
    monkeypatch.chdir(fresh.root)
    assert cli("import", str(export))[0] == 0
    assert "why does scaling change kNN?" in cli("journal")[1]


# --- a read-only lab -----------------------------------------------------------------------------

# Root may write anything: the commands run without the capabilities that let it ignore a file's
# mode (setpriv, util-linux), so a read-only lab is read-only to them as to any learner.
DROP_ROOT = (
    "setpriv",
    "--bounding-set=-dac_override,-dac_read_search,-fowner",
    "--inh-caps=-dac_override,-dac_read_search,-fowner",
)


def as_learner() -> tuple[str, ...]:
    if os.geteuid() != 0:
        return ()
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: a read-only file would not stop a write")
    return DROP_ROOT


def _make_read_only(root: Path, what: str) -> None:
    gc.collect()  # lab_fingerprint's connection, closed: its -wal and -shm go with it
    # As a lab is left by invert: no -wal, no -shm (SQLite needs the -shm to read a WAL file).
    assert sorted(p.name for p in (root / ".invert").iterdir()) == ["lab.db"]
    targets = {
        "the whole lab": [root, *root.rglob("*")],
        "lab.db only": [root / ".invert" / "lab.db"],
        "the .invert folder only": [root / ".invert"],
    }[what]
    for path in targets:
        path.chmod(stat.S_IMODE(path.stat().st_mode) & ~0o222)


def _make_writable(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        path.chmod(stat.S_IMODE(path.stat().st_mode) | 0o200)


def invert_as_learner(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
    env.pop("INVERT_LAB", None)
    return subprocess.run(
        [*as_learner(), PYTHON, "-m", "invert", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


READERS = [
    *LAB_READERS,
    ("experiments",),
    ("show", "iris_forest"),
    ("export", "OUT"),
]
WRITERS = [
    ("why", "why is this read-only?"),
    ("learn", "bias-variance"),
    ("import", "OUT"),
    ("run", "iris_forest"),  # refused before the run, not after its minutes of work
]


@pytest.mark.slow
@pytest.mark.parametrize("what", ["the whole lab", "lab.db only", "the .invert folder only"])
def test_a_read_only_lab_can_be_read_and_says_so_when_asked_to_change(
    lab_root: Path, what: str
) -> None:
    prefix = as_learner()
    before = lab_fingerprint(lab_root)
    db = lab_root / ".invert" / "lab.db"
    content = db.read_bytes()
    out = lab_root.parent / "export.json"
    _make_read_only(lab_root, what)
    try:
        if prefix:  # the check itself: root without those capabilities cannot write there
            target = db if what != "the .invert folder only" else db.parent / "probe"
            probe = subprocess.run([*prefix, "sh", "-c", ': >> "$0"', target], capture_output=True)
            assert probe.returncode != 0, "setpriv did not take root's powers away"
        # Every command once in a lab read-only throughout; a reader and a writer otherwise.
        readers = READERS if what == "the whole lab" else [("journal",), ("export", "OUT")]
        for command in readers:
            args = [str(out) if a == "OUT" else a for a in command]
            done = invert_as_learner(*args, cwd=lab_root)
            assert done.returncode == 0, (command, done.stdout, done.stderr)
            assert "error" not in done.stderr, (command, done.stderr)
        assert "why does scaling change kNN?" in invert_as_learner("why", cwd=lab_root).stdout
        assert out.is_file()  # the export is written where the learner asked, outside the lab
        for command in WRITERS if what == "the whole lab" else WRITERS[:1]:
            args = [str(out) if a == "OUT" else a for a in command]
            done = invert_as_learner(*args, cwd=lab_root)
            assert done.returncode == 2, (command, done.stdout, done.stderr)
            assert done.stderr.startswith("error: this lab is read-only")
            assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
            assert done.stdout.count("\n") <= 1, (command, done.stdout)  # a title, no run
        assert db.read_bytes() == content
    finally:
        _make_writable(lab_root)
    assert lab_fingerprint(lab_root) == before


@pytest.mark.slow
def test_a_read_only_lab_is_served_every_page_readable(lab_root: Path) -> None:
    from test_web_concurrency import Client, get_pages

    prefix = as_learner()
    before = lab_fingerprint(lab_root)
    _make_read_only(lab_root, "the whole lab")
    try:
        with serving(lab_root, prefix) as url:
            client = Client(url)
            pages = {route: path for route, path in get_pages("none").items() if "job" not in route}
            client.request("GET", "/portfolio")  # builds the preview the next page shows
            for path in pages.values():
                status, body, _ = client.request("GET", path)
                assert status == 200, (path, body[:300])
            assert "why does scaling change kNN?" in client.request("GET", "/journal")[1]
            status, body, _ = client.request("POST", "/questions", {"text": "and now?"})
            assert status == 400 and "this lab is read-only" in body
    finally:
        _make_writable(lab_root)
    assert lab_fingerprint(lab_root) == before
    assert not (lab_root / ".invert" / "portfolio-preview").exists()
