"""The events experiments record (a prediction, a run), and the predictions table scored from
them."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from invert.store.fields import MAYBE_NUMBER, MAYBE_TEXT, NULL, NUMBER, SHAPE, TEXT, Field, Schema
from invert.store.projection import Projection

if TYPE_CHECKING:
    from invert.store.events import Event

EVENTS: dict[str, Schema] = {
    "prediction_made": {
        "shape": TEXT,
        "confidence": Field((int, float), low=0, high=1),
        "gap": MAYBE_TEXT,
        "guess": Field(
            (dict, NULL),
            required=False,
            inner={"value": Field((str, int, float)), "number": NUMBER},
        ),
        "blind": Field((bool, NULL), required=False),
        "seen_run": MAYBE_TEXT,
        "probe": MAYBE_TEXT,
    },
    "experiment_run": {
        "prediction": MAYBE_TEXT,
        "measured": Field(
            (dict,),
            inner={"shape": SHAPE, "train_shape": SHAPE, "gap": SHAPE},
        ),
        "outcome": Field(
            (dict, NULL),
            required=False,
            inner={
                "verdict": TEXT,
                "hit": Field((bool, int, NULL), required=False),
                "gap_hit": Field((bool, int, NULL), required=False),
                "brier": MAYBE_NUMBER,
                "guess_error": MAYBE_NUMBER,
                "guess_within_spread": Field((bool, int, NULL), required=False),
                "guess_spread": MAYBE_NUMBER,
            },
        ),
        "values": Field((list,), required=False),
        "points": Field((list,), required=False, items=list),
        "plots": Field((dict, NULL), required=False),
    },
}


def project(conn: sqlite3.Connection, event: Event) -> None:
    """A prediction joins the table when made, and is scored by the run that answers it."""
    p = event.payload
    if event.kind == "prediction_made" and event.subject:
        guess = p.get("guess") or {}
        conn.execute(
            """INSERT OR REPLACE INTO predictions
                   (uid, at, experiment, shape, gap, confidence, guess_value, guess_number,
                    blind, seen_run, probe)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                event.uid,
                event.at,
                event.subject,
                p["shape"],
                p.get("gap"),
                p["confidence"],
                None if guess.get("value") is None else str(guess["value"]),
                guess.get("number"),
                None if p.get("blind") is None else int(bool(p["blind"])),
                p.get("seen_run"),
                p.get("probe"),
            ),
        )
    elif event.kind == "experiment_run" and p.get("prediction"):
        outcome = p.get("outcome") or {}
        measured = p.get("measured") or {}
        conn.execute(
            """UPDATE predictions SET run_uid = ?, measured_shape = ?, measured_gap = ?,
                   hit = ?, gap_hit = ?, brier = ?, guess_error = ?, scored_at = ?,
                   guess_within = ?, guess_spread = ?
               WHERE uid = ?""",
            (
                event.uid,
                measured.get("shape"),
                measured.get("gap"),
                outcome.get("hit"),
                outcome.get("gap_hit"),
                outcome.get("brier"),
                outcome.get("guess_error"),
                event.at,
                None
                if outcome.get("guess_within_spread") is None
                else int(bool(outcome["guess_within_spread"])),
                outcome.get("guess_spread"),
                p["prediction"],
            ),
        )


PROJECTIONS = (Projection(("predictions",), project),)
