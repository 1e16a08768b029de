"""The events theory records (cards read, rules added and reviewed, derivations, ladders), and
the toolkit derived from them: the rules the learner keeps, each with its FSRS review schedule."""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING

from invert.store.fields import NULL, Field, Schema
from invert.store.projection import Projection

if TYPE_CHECKING:
    from invert.store.events import Event

EVENTS: dict[str, Schema] = {
    "card_opened": {"run": Field((dict, NULL), required=False)},
    # written by earlier invert on reading a card; kept, no longer projected alone
    "rule_met": {"via": Field((str,), required=False)},
    "rule_added": {"via": Field((str,), required=False)},
    "rule_reviewed": {
        "rating": Field((str,), choices=("again", "hard", "good", "easy")),
        "via": Field((str,), required=False),
    },
    "derivation_step": {
        "step": Field((int,), required=False),
        "accepted": Field((bool,), required=False),
    },
    "derivation_finished": {"steps": Field((int,), required=False)},
    "ladder_run": {"held": Field((bool,), required=False)},
}


def project(conn: sqlite3.Connection, event: Event) -> None:
    """A rule joins the toolkit when added or first reviewed; each review moves its FSRS
    schedule.

    A `rule_met` (what reading a card wrote before) puts nothing in the toolkit; a rule met
    that way and reviewed later keeps that meeting as its `met_at` and `via`.
    """
    if event.kind not in ("rule_added", "rule_reviewed") or not event.subject:
        return
    from invert.kinds.theory import toolkit

    row = conn.execute("SELECT state FROM toolkit WHERE rule = ?", (event.subject,)).fetchone()
    if row is None:
        met = conn.execute(
            "SELECT at, payload FROM events WHERE kind = 'rule_met' AND subject = ? "
            "AND at <= ? ORDER BY at, id LIMIT 1",
            (event.subject, event.at),
        ).fetchone()
        met_at, payload = (met[0], json.loads(met[1])) if met else (event.at, event.payload)
        card_id = conn.execute("SELECT count(*) + 1 FROM toolkit").fetchone()[0]
        state = toolkit.new_card(event.at, int(card_id))
        conn.execute(
            "INSERT INTO toolkit (rule, met_at, via, due, state) VALUES (?, ?, ?, ?, ?)",
            (
                event.subject,
                met_at,
                str(payload.get("via", "")),
                state["due"],
                toolkit.dumps(state),
            ),
        )
    else:
        state = json.loads(row[0])
    if event.kind == "rule_reviewed":
        rating = str(event.payload["rating"])
        state = toolkit.review(state, rating, event.at)
        conn.execute(
            """UPDATE toolkit SET reviews = reviews + 1, last_rating = ?, last_review_at = ?,
                   due = ?, state = ? WHERE rule = ?""",
            (rating, event.at, state["due"], toolkit.dumps(state), event.subject),
        )


PROJECTIONS = (Projection(("toolkit",), project),)
