"""The events starters record, and the per-starter progress derived from them."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from invert.store.fields import MAYBE_NUMBER, MAYBE_TEXT, PATH, Schema
from invert.store.projection import Projection

if TYPE_CHECKING:
    from invert.store.events import Event

EVENTS: dict[str, Schema] = {
    "starter_copied": {"path": PATH},
    "starter_run": {"score": MAYBE_NUMBER, "wall_seconds": MAYBE_NUMBER},
    "starter_reset": {"backup": MAYBE_TEXT},
}


def project(conn: sqlite3.Connection, event: Event) -> None:
    """Each run of a starter: how many, when first and last, the last and the best score."""
    if event.kind != "starter_run" or not event.subject:
        return
    score: Any = event.payload.get("score")
    conn.execute(
        """INSERT INTO starter_progress
               (starter, runs, first_run_at, last_run_at, last_score, best_score)
           VALUES (?, 1, ?, ?, ?, ?)
           ON CONFLICT (starter) DO UPDATE SET
               runs = runs + 1,
               last_run_at = excluded.last_run_at,
               last_score = excluded.last_score,
               best_score = CASE
                   WHEN best_score IS NULL THEN excluded.best_score
                   WHEN excluded.best_score IS NULL THEN best_score
                   ELSE max(best_score, excluded.best_score) END""",
        (event.subject, event.at, event.at, score, score),
    )


PROJECTIONS = (Projection(("starter_progress",), project),)
