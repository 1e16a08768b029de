"""SQLite store of one lab: WAL mode, every write in a transaction, schema migrated forward.

The store names no kind of content: the event kinds it accepts and the tables derived from them
are gathered from the registry (`store/payloads.py`: each kind's `events.py`, plus the
journal's own in `store/core_events.py`). The row classes and readers below are the derived
tables' shipped shape, which the lab schema (`store/migrations.py`) fixes.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from invert.errors import LabBusy, LabReadOnly, LearnerError
from invert.store.events import Event, utc_now
from invert.store.health import damaged, file_problem, read_only, translate, writable
from invert.store.migrations import MIGRATIONS
from invert.store.payloads import event_kinds, projections
from invert.store.projection import Projection

SCHEMA_VERSION = len(MIGRATIONS)
# How the derived tables are worked out from the log; a lab projected by an older rule is
# replayed when opened. 2: card views no longer fill the toolkit; FSRS steps are days.
# 3: predictions carry their blindness, probe and number-guess score.
DERIVED_VERSION = "3"


@dataclass(frozen=True)
class StarterProgress:
    starter: str
    runs: int
    first_run_at: str | None
    last_run_at: str | None
    last_score: float | None
    best_score: float | None


@dataclass(frozen=True)
class PredictionRow:
    uid: str
    at: str
    experiment: str
    shape: str
    gap: str | None
    confidence: float
    guess_value: str | None
    guess_number: float | None
    run_uid: str | None
    measured_shape: str | None
    measured_gap: str | None
    hit: int | None
    gap_hit: int | None
    brier: float | None
    guess_error: float | None
    scored_at: str | None
    blind: int | None = None  # 1 blind, 0 practice (a result it overlaps was shown), None unknown
    seen_run: str | None = None  # the earlier run whose result made it practice
    probe: str | None = None  # the transfer probe it answered, if any
    guess_within: int | None = None  # whether the number guess fell within the measured spread
    guess_spread: float | None = None  # the spread the number guess was judged against

    @property
    def scored(self) -> bool:
        return self.hit is not None

    @property
    def counted(self) -> bool:
        """Whether it counts toward predictive power: scored, and made blind."""
        return self.scored and self.blind == 1


@dataclass(frozen=True)
class QuestionRow:
    uid: str
    at: str
    text: str
    experiment: str | None
    run_uid: str | None
    concepts: list[str]
    answered_at: str | None
    answer: str | None = None


@dataclass(frozen=True)
class ExplanationRow:
    """The learner's latest explanation of a concept in their own words, and their rating of it."""

    concept: str
    at: str
    text: str
    rating: int  # self-rated, 1 (barely) to 5 (I could teach it)
    versions: int


@dataclass(frozen=True)
class ToolkitRow:
    rule: str
    met_at: str
    via: str
    reviews: int
    last_rating: str | None
    last_review_at: str | None
    due: str
    state: dict[str, Any]


class Store:
    """One lab's journal.

    >>> import tempfile, pathlib
    >>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "lab.db")
    >>> _ = store.append(Event("lab_created"))
    >>> [e.kind for e in store.events()]
    ['lab_created']
    >>> store.close()
    """

    def __init__(self, path: Path, *, create: bool = True, timeout: float = 30.0) -> None:
        """Open the journal at `path`, creating it if `create` and it is missing or empty.

        A file that is not a lab's journal (damaged, empty, another program's) is refused
        untouched; one this process cannot write is opened read-only. A write waits up to
        `timeout` seconds for another process's to finish.
        """
        self.path = path
        self.timeout = timeout
        exists = path.exists() and path.stat().st_size > 0
        problem = file_problem(path) if exists or not create else None
        if problem is not None:
            raise damaged(path, problem)
        self.readonly = exists and not writable(path)
        try:
            self.conn = self._connect(timeout)
            self.conn.execute("PRAGMA foreign_keys=ON")
            if exists:
                self._check(create)
            self.migrate()
            if not self.readonly:
                # Migrate before switching to WAL: the switch rewrites the file's header, so a
                # file in another journal mode whose migration failed would not be left untouched.
                self._use_wal()
                self.conn.execute("PRAGMA synchronous=NORMAL")
        except BaseException as exc:
            if hasattr(self, "conn"):
                self.conn.close()
            if isinstance(exc, sqlite3.DatabaseError):
                raise translate(path, exc) or damaged(path, str(exc)) from None
            raise

    def _connect(self, timeout: float) -> sqlite3.Connection:
        def connect(where: str | Path, uri: bool = False) -> sqlite3.Connection:
            # One Store serves one request or command at a time, but the web app may enter,
            # use and close it on different threads of its pool.
            return sqlite3.connect(
                where, isolation_level=None, timeout=timeout, check_same_thread=False, uri=uri
            )

        if not self.readonly:
            return connect(self.path)
        uri = f"{self.path.resolve().as_uri()}?mode=ro"
        conn = connect(uri, uri=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError:
            conn.close()
            if Path(f"{self.path}-wal").exists():
                raise read_only(self.path, ", and it has writes not yet folded in") from None
        # A WAL file read-only needs its -shm, which a read-only folder cannot hold; with no
        # -wal beside it nothing can be writing it, so it is safe to read as immutable.
        return connect(f"{uri}&immutable=1", uri=True)

    def _check(self, create: bool) -> None:
        """Refuse a file that is not a whole lab journal, before anything is written to it."""
        found = [row[0] for row in self.conn.execute("PRAGMA quick_check(1)")]
        if found != ["ok"]:
            raise damaged(self.path, f"SQLite's check of it says: {found[0]}")
        tables = {
            row[0] for row in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        version = self.schema_version
        if version == 0 and tables:
            raise damaged(self.path, "it is another program's database, not an invert journal")
        if version == 0 and not create:
            raise damaged(self.path, "it holds no journal")
        if version > 0 and not {"meta", "events"} <= tables:
            raise damaged(self.path, "its journal table is missing")

    def close(self) -> None:
        self.conn.close()

    def _use_wal(self, patience: float = 30.0) -> None:
        """Switch the file to WAL, waiting out other processes that are switching it too.

        SQLite answers "database is locked" at once, without its busy timeout, when another
        connection holds the file while the mode changes; a new lab opened by several
        processes at the same moment meets exactly that, so the switch is retried here.
        """
        deadline = time.monotonic() + patience
        while True:
            try:
                if self.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                    return
                self.conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception; a lab busy longer than the
        timeout, or read-only, is a LearnerError with nothing written."""
        if self.readonly:
            raise read_only(self.path)
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise translate(self.path, exc) or exc from None
        try:
            yield self.conn
        except BaseException as exc:
            self.conn.execute("ROLLBACK")
            found = translate(self.path, exc) if isinstance(exc, sqlite3.Error) else None
            if found is not None:
                raise found from None
            raise
        self.conn.execute("COMMIT")

    # --- schema -------------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> list[str]:
        """Apply every migration newer than the file's version; return the names applied.

        All pending migrations and the replay of derived tables run in one transaction, so an
        upgrade that fails half-way leaves the file exactly as it was.
        """
        self._refuse_newer(self.schema_version)
        if not MIGRATIONS[self.schema_version :] and not self._derived_stale():
            return []
        if self.readonly:
            raise read_only(self.path, ", and an older invert wrote it, so it must be upgraded")
        with self.transaction() as conn:
            # Read again under the write lock: another process may have migrated it meanwhile.
            current = self.schema_version
            self._refuse_newer(current)
            pending = MIGRATIONS[current:]
            if not pending and not self._derived_stale():
                return []
            for version, migration in enumerate(pending, start=current + 1):
                migration(conn)
                conn.execute(f"PRAGMA user_version = {version}")
                conn.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                    (f"migration:{version}:{migration.__name__}", utc_now()),
                )
            for projection in self._missing_tables():
                for statement in projection.create:
                    conn.execute(statement)
            self._replay(conn)
            conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('derived_version', ?)",
                (DERIVED_VERSION,),
            )
        return [m.__name__ for m in pending]

    def _derived_stale(self) -> bool:
        """Whether the derived tables were projected by another rule than today's, or a
        registered projection's table is missing (the schema being current, so `meta` exists)."""
        return self.get_meta("derived_version") != DERIVED_VERSION or bool(self._missing_tables())

    def _missing_tables(self) -> list[Projection]:
        """The projections whose tables this file lacks (a kind added since it was written)."""
        tables = {
            row[0] for row in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        return [p for p in projections() if not set(p.tables) <= tables]

    def _refuse_newer(self, current: int) -> None:
        if current > SCHEMA_VERSION:
            raise LearnerError(
                f"{self.path} was written by a newer invert (schema v{current}, this one reads "
                f"up to v{SCHEMA_VERSION}); upgrade invert with `pip install -U invert`"
            )

    # --- events -------------------------------------------------------------------------------

    def append(self, *events: Event) -> list[Event]:
        """Append events and update what is derived from them, all in one transaction."""
        with self.transaction() as conn:
            for event in events:
                self._insert(conn, event)
                self._project(conn, event)
        return list(events)

    def must_write(self) -> None:
        """Refuse at once, in a read-only lab, work whose result would be recorded."""
        if self.readonly:
            raise read_only(self.path)

    def append_if_free(self, *events: Event) -> bool:
        """Append events unless that means waiting for another writer's lock or the lab is
        read-only; return whether they were written (a page's record of being read)."""
        if self.readonly:
            return False
        self.conn.execute("PRAGMA busy_timeout = 0")
        try:
            self.append(*events)
        except (LabBusy, LabReadOnly):
            return False
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
        return True

    def events(
        self,
        kind: str | tuple[str, ...] | None = None,
        subject: str | None = None,
        newest: int | None = None,
    ) -> list[Event]:
        """Events in the order they were written, of one kind or several, about one subject;
        only the `newest` few if given (still oldest first)."""
        where, params = self._where(kind, subject)
        sql = "SELECT uid, at, kind, subject, payload FROM events" + where
        if newest is not None:
            latest = self.conn.execute(sql + " ORDER BY id DESC LIMIT ?", [*params, newest])
            return [Event.from_row(row) for row in reversed(latest.fetchall())]
        rows = self.conn.execute(sql + " ORDER BY id", params).fetchall()
        return [Event.from_row(row) for row in rows]

    def count(self, kind: str | tuple[str, ...] | None = None, subject: str | None = None) -> int:
        where, params = self._where(kind, subject)
        return int(self.conn.execute("SELECT COUNT(*) FROM events" + where, params).fetchone()[0])

    @staticmethod
    def _where(kind: str | tuple[str, ...] | None, subject: str | None) -> tuple[str, list[str]]:
        clauses: list[str] = []
        params: list[str] = []
        if isinstance(kind, tuple):
            clauses.append(f"kind IN ({', '.join('?' * len(kind))})")
            params.extend(kind)
        elif kind is not None:
            clauses.append("kind = ?")
            params.append(kind)
        if subject is not None:
            clauses.append("subject = ?")
            params.append(subject)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def import_events(self, events: list[Event]) -> int:
        """Add the events this log does not have yet (matched by uid); return how many were new."""
        with self.transaction() as conn:
            known = {row[0] for row in conn.execute("SELECT uid FROM events")}
            new = sorted((e for e in events if e.uid not in known), key=lambda e: e.at)
            for event in new:
                self._insert(conn, event)
            self._replay(conn)
        return len(new)

    def rebuild_derived(self) -> None:
        with self.transaction() as conn:
            self._replay(conn)

    # --- derived state ------------------------------------------------------------------------

    def starter_progress(self) -> dict[str, StarterProgress]:
        rows = self.conn.execute(
            "SELECT starter, runs, first_run_at, last_run_at, last_score, best_score "
            "FROM starter_progress"
        ).fetchall()
        return {row[0]: StarterProgress(*row) for row in rows}

    def predictions(self, experiment: str | None = None) -> list[PredictionRow]:
        sql = "SELECT * FROM predictions"
        params: tuple[str, ...] = ()
        if experiment is not None:
            sql += " WHERE experiment = ?"
            params = (experiment,)
        rows = self.conn.execute(sql + " ORDER BY at, uid", params).fetchall()
        return [PredictionRow(*row) for row in rows]

    def questions(self, open_only: bool = False) -> list[QuestionRow]:
        sql = (
            "SELECT uid, at, text, experiment, run_uid, concepts, answered_at, answer "
            "FROM questions"
        )
        if open_only:
            sql += " WHERE answered_at IS NULL"
        rows = self.conn.execute(sql + " ORDER BY at, uid").fetchall()
        return [
            QuestionRow(row[0], row[1], row[2], row[3], row[4], json.loads(row[5]), row[6], row[7])
            for row in rows
        ]

    def toolkit(self) -> list[ToolkitRow]:
        rows = self.conn.execute(
            "SELECT rule, met_at, via, reviews, last_rating, last_review_at, due, state "
            "FROM toolkit ORDER BY due, rule"
        ).fetchall()
        return [
            ToolkitRow(row[0], row[1], row[2], row[3], row[4], row[5], row[6], json.loads(row[7]))
            for row in rows
        ]

    def last_event_at(self, kind: str, subject: str) -> str | None:
        row = self.conn.execute(
            "SELECT at FROM events WHERE kind = ? AND subject = ? ORDER BY id DESC LIMIT 1",
            (kind, subject),
        ).fetchone()
        return None if row is None else str(row[0])

    def explanations(self) -> dict[str, ExplanationRow]:
        rows = self.conn.execute(
            "SELECT concept, at, text, rating, versions FROM explanations ORDER BY at"
        ).fetchall()
        return {row[0]: ExplanationRow(*row) for row in rows}

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # --- internals ----------------------------------------------------------------------------

    @staticmethod
    def _insert(conn: sqlite3.Connection, event: Event) -> None:
        if event.kind not in event_kinds():
            raise ValueError(f"unknown event kind {event.kind!r}")
        conn.execute(
            "INSERT INTO events (uid, at, kind, subject, payload) VALUES (?, ?, ?, ?, ?)",
            (
                event.uid,
                event.at or utc_now(),
                event.kind,
                event.subject,
                json.dumps(event.payload),
            ),
        )

    def _replay(self, conn: sqlite3.Connection) -> None:
        for projection in projections():
            for table in projection.tables:
                conn.execute(f"DELETE FROM {table}")
        rows = conn.execute("SELECT uid, at, kind, subject, payload FROM events ORDER BY at, id")
        for row in rows.fetchall():
            self._project(conn, Event.from_row(row))

    @staticmethod
    def _project(conn: sqlite3.Connection, event: Event) -> None:
        """Update the derived tables for one event (the log itself is never changed)."""
        for projection in projections():
            projection.project(conn, event)
