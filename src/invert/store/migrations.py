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


def add_predictions_and_questions(conn: sqlite3.Connection) -> None:
    """v3: predictions with their outcomes, and why-questions, derived from the log."""
    conn.execute(
        """CREATE TABLE predictions (
            uid TEXT PRIMARY KEY,
            at TEXT NOT NULL,
            experiment TEXT NOT NULL,
            shape TEXT NOT NULL,
            gap TEXT,
            confidence REAL NOT NULL,
            guess_value TEXT,
            guess_number REAL,
            run_uid TEXT,
            measured_shape TEXT,
            measured_gap TEXT,
            hit INTEGER,
            gap_hit INTEGER,
            brier REAL,
            guess_error REAL,
            scored_at TEXT
        )"""
    )
    conn.execute("CREATE INDEX predictions_experiment ON predictions (experiment, at)")
    conn.execute(
        """CREATE TABLE questions (
            uid TEXT PRIMARY KEY,
            at TEXT NOT NULL,
            text TEXT NOT NULL,
            experiment TEXT,
            run_uid TEXT,
            concepts TEXT NOT NULL CHECK (json_valid(concepts)),
            answered_at TEXT
        )"""
    )


def add_toolkit(conn: sqlite3.Connection) -> None:
    """v4: the rules the learner has met, with their FSRS review state, derived from the log."""
    conn.execute(
        """CREATE TABLE toolkit (
            rule TEXT PRIMARY KEY,
            met_at TEXT NOT NULL,
            via TEXT NOT NULL,
            reviews INTEGER NOT NULL DEFAULT 0,
            last_rating TEXT,
            last_review_at TEXT,
            due TEXT NOT NULL,
            state TEXT NOT NULL CHECK (json_valid(state))
        )"""
    )


def add_answers(conn: sqlite3.Connection) -> None:
    """v5: the learner's own answer to a why-question, and their explanations of concepts."""
    conn.execute("ALTER TABLE questions ADD COLUMN answer TEXT")
    conn.execute(
        """CREATE TABLE explanations (
            concept TEXT PRIMARY KEY,
            at TEXT NOT NULL,
            text TEXT NOT NULL,
            rating INTEGER NOT NULL,
            versions INTEGER NOT NULL DEFAULT 1
        )"""
    )


def add_prediction_evidence(conn: sqlite3.Connection) -> None:
    """v6: whether each prediction was made blind, the probe it answered, the number's spread.

    `blind` is 1 (no overlapping result had been shown), 0 (practice) or NULL (made before
    invert recorded it: unknown, never counted as blind). `seen_run` names the earlier run that
    made a prediction practice. `guess_within` and `guess_spread` score the number guess.
    """
    conn.execute("ALTER TABLE predictions ADD COLUMN blind INTEGER")
    conn.execute("ALTER TABLE predictions ADD COLUMN seen_run TEXT")
    conn.execute("ALTER TABLE predictions ADD COLUMN probe TEXT")
    conn.execute("ALTER TABLE predictions ADD COLUMN guess_within INTEGER")
    conn.execute("ALTER TABLE predictions ADD COLUMN guess_spread REAL")


Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[Migration] = [
    create_event_log,
    add_starter_progress,
    add_predictions_and_questions,
    add_toolkit,
    add_answers,
    add_prediction_evidence,
]
