"""Shared fixtures: real labs in temporary folders, the real CLI."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from invert.cli import app
from invert.lab import Lab, create_lab

PYTHON = sys.executable


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[Lab]:
    with create_lab(tmp_path / "lab") as made:
        yield made


@pytest.fixture
def in_lab(lab: Lab, monkeypatch: pytest.MonkeyPatch) -> Lab:
    """A lab that is also the current folder, as when a learner types commands in it."""
    monkeypatch.chdir(lab.root)
    monkeypatch.delenv("INVERT_LAB", raising=False)
    return lab


class Cli:
    """Invoke the real Typer app in-process; `run` returns (exit code, stdout, stderr)."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str) -> tuple[int, str, str]:
        result = self.runner.invoke(app, list(args), catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def cli() -> Cli:
    return Cli()


def invert_process(
    *args: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    timeout: float = 300,
    python_flags: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[str]:
    """Run `python -m invert ARGS` as a separate process, as a learner's shell would."""
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", **(env or {})}
    full_env.pop("INVERT_LAB", None)
    return subprocess.run(
        [PYTHON, *python_flags, "-m", "invert", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def spawn_invert(*args: str, cwd: Path, timeout: float = 60) -> Any:
    """`python -m invert ARGS` in a real pseudo-terminal (pexpect), 50 rows by 100 columns."""
    import pexpect

    return pexpect.spawn(
        PYTHON,
        ["-m", "invert", *args],
        cwd=str(cwd),
        env={
            "NO_COLOR": "1",
            "COLUMNS": "100",
            "PATH": "/usr/bin:/bin",
            "TERM": "dumb",
            "HOME": str(cwd),
        },
        encoding="utf-8",
        timeout=timeout,
        dimensions=(50, 100),
    )


def lab_fingerprint(root: Path) -> dict[str, str]:
    """Hashes of every file in a lab, the journal's content included, to prove nothing changed."""
    import sqlite3

    prints = {}
    for path in sorted(root.rglob("*")):
        if (
            path.is_file()
            and path.suffix not in (".db", ".db-wal", ".db-shm")
            and "-wal" not in path.name
        ):
            prints[path.relative_to(root).as_posix()] = hashlib.sha256(
                path.read_bytes()
            ).hexdigest()
    db = root / ".invert" / "lab.db"
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT uid, at, kind, subject, payload FROM events ORDER BY id"
        ).fetchall()
        progress = conn.execute("SELECT * FROM starter_progress ORDER BY starter").fetchall()
    prints["journal"] = hashlib.sha256(repr((rows, progress)).encode()).hexdigest()
    return prints
