"""The journal survives concurrent writers, a writer killed mid-transaction, and racing runs.

Real processes on one real lab: three run the real CLI in a loop (each a separate Python process,
as three terminals would be), one is the real `invert serve` taking HTTP posts. One of the CLI
writers is killed with SIGKILL while it holds the write lock, between its event and the table
derived from it. Nothing committed may go missing, nothing uncommitted may appear, and the lab
must open and work afterwards.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

import pytest

from conftest import invert_process, serving
from invert.lab import create_lab
from invert.store import Store

pytestmark = pytest.mark.slow  # many real processes writing, one killed: tens of seconds

EVENTS = 500  # per writer
KILL_AT = 137  # the killed writer dies inside its 137th transaction

# A writer: the real CLI, invoked EVENTS times in one process. Each line it prints names an
# event whose command returned success, i.e. whose transaction committed.
WRITER = textwrap.dedent(
    """
    import contextlib, io, os, sqlite3, sys, time

    mode, tag, count, kill_at = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    if kill_at:
        # Instrument SQLite (not invert): pause inside the kill_at-th transaction, after the
        # event row is written and while the row derived from it is being written, so the
        # parent's SIGKILL lands mid-transaction with the write lock held.
        connect, seen = sqlite3.connect, [0]

        def traced(*args, **kwargs):
            conn = connect(*args, **kwargs)

            def trace(statement):
                if statement.lstrip().startswith("INSERT OR REPLACE INTO questions"):
                    seen[0] += 1
                    if seen[0] == kill_at:
                        print("MID", file=sys.__stdout__, flush=True)
                        time.sleep(600)

            conn.set_trace_callback(trace)
            return conn

        sqlite3.connect = traced

    import typer.main
    from invert.cli.root import app

    command = typer.main.get_command(app)
    for i in range(1, count + 1):
        if mode == "why":
            args = ["why", f"why does {tag} number {i} behave this way?"]
        else:
            concept = ("decision-trees", "overfitting")[i % 2]
            words = f"{tag} number {i}: " + "word " * 12
            args = ["explain", concept, words, "--rating", "3", "--covered", "none"]
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                command.main(args, standalone_mode=False)
            except SystemExit as exc:
                if exc.code:
                    raise
        print(f"{tag} {i}", flush=True)
    """
)


def _writer(root: Path, script: Path, mode: str, tag: str, kill_at: int = 0) -> Any:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("INVERT_LAB", None)
    return subprocess.Popen(
        [sys.executable, str(script), mode, tag, str(EVENTS), str(kill_at)],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_four_writers_and_a_sigkill_lose_nothing_committed(tmp_path: Path) -> None:
    with create_lab(tmp_path / "lab") as lab:
        root = lab.root
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    posted: list[int] = []
    committed: dict[str, list[str]] = {"killed": []}
    with serving(root) as url:  # the fourth process: the real web app
        base, token = url.split("/?token=")

        def web_writer() -> None:
            headers = {
                "Authorization": f"token {token}",
                "Content-Type": "application/x-www-form-urlencoded",
            }
            connection = http.client.HTTPConnection(urlparse(base).netloc, timeout=60)
            try:
                for i in range(1, EVENTS + 1):
                    body = urlencode({"text": f"why does web number {i}?"})
                    connection.request("POST", "/questions", body=body, headers=headers)
                    response = connection.getresponse()
                    answer = response.read()
                    assert response.status == 200, answer[:300]
                    posted.append(i)
            finally:
                connection.close()

        writers = {
            "cli-a": _writer(root, script, "why", "cli-a"),
            "cli-b": _writer(root, script, "explain", "cli-b"),
            "killed": _writer(root, script, "why", "killed", kill_at=KILL_AT),
        }
        try:
            web = threading.Thread(target=web_writer)
            web.start()
            victim = writers["killed"]
            for line in victim.stdout:
                if line.strip() == "MID":
                    victim.send_signal(signal.SIGKILL)
                    break
                committed["killed"].append(line.strip())
            victim.wait(timeout=60)
            victim.stdout.close()
            victim.stderr.close()
            assert victim.returncode == -signal.SIGKILL
            for tag in ("cli-a", "cli-b"):
                out, err = writers[tag].communicate(timeout=600)
                assert writers[tag].returncode == 0, err[-2000:]
                committed[tag] = out.split("\n")[:-1]
            web.join(timeout=600)
            assert not web.is_alive()
        finally:
            for process in writers.values():
                if process.poll() is None:
                    process.kill()

    # Every writer that lived wrote all its events; the killed one, everything before its kill.
    assert len(committed["cli-a"]) == len(committed["cli-b"]) == len(posted) == EVENTS
    assert len(committed["killed"]) == KILL_AT - 1

    db = root / ".invert" / "lab.db"
    with sqlite3.connect(db) as conn:  # a plain connection first: recovery is SQLite's own
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store = Store(db)
    try:
        asked = Counter(
            re.match(r"why does (\S+) number (\d+)", e.payload["text"]).group(1, 2)  # type: ignore[union-attr]
            for e in store.events("question_asked")
        )
        explained = [e.payload["text"].split(":")[0] for e in store.events("explanation_written")]
        # Exactly once each: nothing lost, nothing doubled, nothing from the killed transaction.
        assert all(n == 1 for n in asked.values())
        assert set(asked) == (
            {("cli-a", str(i)) for i in range(1, EVENTS + 1)}
            | {("web", str(i)) for i in range(1, EVENTS + 1)}
            | {("killed", str(i)) for i in range(1, KILL_AT)}
        )
        assert sorted(explained) == sorted(f"cli-b number {i}" for i in range(1, EVENTS + 1))
        # The derived tables agree with the log: no half-written projection survived.
        assert len(store.questions()) == sum(asked.values())
        assert sum(row.versions for row in store.explanations().values()) == EVENTS
    finally:
        store.close()

    # The lab opens and works: the CLI reads it and writes to it, export reads every event.
    done = invert_process("progress", "--json", cwd=root)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["questions_open"] == 2 * EVENTS + KILL_AT - 1
    done = invert_process("why", "why is the lab still fine after all that?", cwd=root)
    assert done.returncode == 0, done.stderr
    done = invert_process("export", str(tmp_path / "export.json"), cwd=root)
    assert done.returncode == 0, done.stderr
    exported = json.loads((tmp_path / "export.json").read_text())["events"]
    assert len(exported) == 1 + 3 * EVENTS + KILL_AT - 1 + 1  # lab_created ... the last why


def test_a_new_lab_opened_by_several_processes_at_once_migrates_once(tmp_path: Path) -> None:
    """Racing first opens of one journal: each process migrates it or sees it migrated.

    The race is rare (about one round in 35 failed before the WAL switch was retried), so it
    is run for several rounds, each on a new file.
    """
    writers, rounds = 6, 15
    code = (
        "import sys; from invert.store import Store, Event; s = Store(__import__('pathlib')."
        "Path(sys.argv[1])); s.append(Event('lab_created')); s.close()"
    )
    for round_ in range(rounds):
        db = tmp_path / f"lab{round_}.db"
        racers = [
            subprocess.Popen(
                [sys.executable, "-c", code, str(db)], stderr=subprocess.PIPE, text=True
            )
            for _ in range(writers)
        ]
        errors = [racer.communicate(timeout=60)[1] for racer in racers]
        assert [racer.returncode for racer in racers] == [0] * writers, (round_, errors)
        store = Store(db)
        assert store.count("lab_created") == writers
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        store.close()
