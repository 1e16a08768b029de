"""Forward migrations of the lab's schema: named functions, each run in its own transaction.

Append new migrations to MIGRATIONS; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


def create_event_log(conn: sqlite3.Connection) -> None:
    """v1: the append-only event log and a key-value table for facts about the lab."""
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute(
        """CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            uid TEXT NOT NULL UNIQUE,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            subject TEXT,
            payload TEXT NOT NULL CHECK (json_valid(payload))
        )"""
    )


def add_starter_progress(conn: sqlite3.Connection) -> None:
    """v2: per-starter progress derived from the log, so `invert list` need not replay it."""
    conn.execute("CREATE INDEX events_kind_subject ON events (kind, subject)")
    conn.execute(
        """CREATE TABLE starter_progress (
            starter TEXT PRIMARY KEY,
            runs INTEGER NOT NULL DEFAULT 0,
            first_run_at TEXT,
            last_run_at TEXT,
            last_score REAL,
            best_score REAL
        )"""
    )
    # Existing logs are replayed into the new table by Store.rebuild_derived after migrating.


Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[Migration] = [create_event_log, add_starter_progress]
