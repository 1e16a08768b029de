"""The journal's own events: what no kind of content owns, and the tables derived from them.

Kept in the store (not in a kind's package) because every lab has them whatever content it
holds: the lab's creation, the learner's observations, why-questions and answers, and
explanations of concepts in their own words. Each kind's events are in its `events.py`.
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING

from invert.store.fields import COVERED, KEY_POINTS, MAYBE_TEXT, PATH, TEXT, Field, Schema
from invert.store.projection import Projection

if TYPE_CHECKING:
    from invert.store.events import Event

EVENTS: dict[str, Schema] = {
    "lab_created": {"path": PATH},
    "observation_written": {"text": TEXT, "run": MAYBE_TEXT},
    "question_asked": {
        "text": TEXT,
        "run": MAYBE_TEXT,
        "concepts": Field((list,), items=str),
    },
    "question_answered": {
        "text": TEXT,
        "key_points": KEY_POINTS,
        "covered": COVERED,
        "key_point_concepts": Field((list,), required=False, items=str),
    },
    "explanation_written": {
        "text": TEXT,
        "rating": Field((int,), low=1, high=5),
        "key_points": KEY_POINTS,
        "covered": COVERED,
    },
}

# Every other event's subject names what it is about (a starter, an experiment, a rule, ...).
WITHOUT_SUBJECT = frozenset({"lab_created", "question_asked"})


def project_questions(conn: sqlite3.Connection, event: Event) -> None:
    """A why-question asked, and the learner's answer to it."""
    p = event.payload
    if event.kind == "question_asked":
        conn.execute(
            """INSERT OR REPLACE INTO questions (uid, at, text, experiment, run_uid, concepts)
               VALUES (?, ?, ?, ?, ?, ?)""",
            (
                event.uid,
                event.at,
                p["text"],
                event.subject,
                p.get("run"),
                json.dumps(p.get("concepts", [])),
            ),
        )
    elif event.kind == "question_answered" and event.subject:
        conn.execute(
            "UPDATE questions SET answered_at = ?, answer = ? WHERE uid = ?",
            (event.at, str(p.get("text", "")), event.subject),
        )


def project_explanations(conn: sqlite3.Connection, event: Event) -> None:
    """The learner's latest explanation of each concept, and how many they wrote."""
    if event.kind == "explanation_written" and event.subject:
        p = event.payload
        conn.execute(
            """INSERT INTO explanations (concept, at, text, rating) VALUES (?, ?, ?, ?)
               ON CONFLICT (concept) DO UPDATE SET at = excluded.at, text = excluded.text,
                   rating = excluded.rating, versions = versions + 1""",
            (event.subject, event.at, str(p.get("text", "")), p.get("rating", 0)),
        )


PROJECTIONS = (
    Projection(("questions",), project_questions),
    Projection(("explanations",), project_explanations),
)
