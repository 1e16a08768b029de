"""Whether a lab's database can be opened, and what to tell the learner when it cannot.

A damaged ``lab.db`` is never touched: invert names it and says how to recover (copy it aside,
start a new lab, import the last export). The path of the lab's last export is kept in a small
file beside the database, so the message can name it even when the database cannot be read.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from pathlib import Path

from invert.errors import LabBusy, LabReadOnly, LearnerError

LAST_EXPORT = "last-export"  # beside lab.db: the absolute path of the lab's newest export


def file_problem(path: Path) -> str | None:
    """Why `path` cannot be a lab database before SQLite even opens it, or None.

    Only stat(): opening and closing the file here would drop the POSIX locks SQLite holds on
    it for this process's other connections (the web app's), and let another process corrupt
    it. SQLite itself reports a file that is not a database (SQLITE_NOTADB).
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return "it is missing"
    except OSError as exc:
        return f"it cannot be read: {exc.strerror}"
    return "it is empty" if size == 0 else None


def writable(path: Path) -> bool:
    """Whether this process may change the database (the file and, for WAL, its folder)."""
    folder = path.parent
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def remember_export(db: Path, export: Path) -> None:
    """Note `export` as the lab's newest export (best effort: an export never fails on it)."""
    with contextlib.suppress(OSError):
        (db.parent / LAST_EXPORT).write_text(f"{export.resolve()}\n", encoding="utf-8")


def last_export(db: Path) -> Path | None:
    """The lab's newest export, if invert wrote one and it is still there."""
    try:
        found = Path((db.parent / LAST_EXPORT).read_text(encoding="utf-8").strip())
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return found if found.is_absolute() and found.is_file() else None


def damaged(db: Path, why: str) -> LearnerError:
    """The one line for a lab whose database cannot be used, with the way to recover."""
    export = last_export(db)
    if export is not None:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(export.stat().st_mtime))
        then = f"`invert import {export}` (this lab's last export, of {when})"
    else:
        then = "`invert import` your last export (invert knows of none from this lab)"
    return LearnerError(
        f"{db} is damaged ({why}); invert left it untouched. To recover: copy it somewhere "
        f"safe, run `invert start` in a new folder, then there {then}"
    )


def read_only(db: Path, need: str = "") -> LabReadOnly:
    """The one line for a write to a lab this process may only read."""
    return LabReadOnly(
        f"this lab is read-only ({db} cannot be written): invert can show it but not change "
        f"it{need}; make the lab writable (e.g. chmod -R u+w {db.parent.parent})"
    )


def busy(db: Path) -> LabBusy:
    return LabBusy(
        f"the lab is busy: another invert process is writing to {db}; nothing was saved, "
        "try again in a moment"
    )


def translate(db: Path, exc: sqlite3.Error) -> LearnerError | None:
    """The learner's message for an SQLite error about the file (None: it is invert's bug)."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return busy(db)
    if code == sqlite3.SQLITE_READONLY:
        return read_only(db)
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return damaged(db, str(exc))
    return None
