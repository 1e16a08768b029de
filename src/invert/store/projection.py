"""A table derived from the journal, and how one event updates it.

Kinds declare theirs in `events.py` (`Kind.projections` in the registry); the journal's own
(questions, explanations) are in `store/core_events.py`. The store loops over all of them: it
feeds each new event to every projection, and on a replay empties their tables and feeds the
whole log again, oldest first.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from invert.store.events import Event


@dataclass(frozen=True)
class Projection:
    """Derived tables and the function that updates them from one event.

    `project(conn, event)` is called for every event, inside the transaction that writes it,
    and ignores the kinds it does not read. The shipped tables are created by
    `store/migrations.py` (the lab schema's history, never edited); a new kind's tables are
    created from `create` (CREATE TABLE statements) when a lab is opened without them, and then
    filled by replaying the log.
    """

    tables: tuple[str, ...]
    project: Callable[[sqlite3.Connection, Event], None]
    create: tuple[str, ...] = ()
