"""The journal: migrations, transactions, WAL, export and import, on real SQLite files."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from invert.errors import LearnerError
from invert.store import SCHEMA_VERSION, Event, Store
from invert.store.archive import export_document, read_export, write_export
from invert.store.payloads import EVENT_KINDS, PAYLOADS

FIXTURES = Path(__file__).parent / "fixtures"


def test_new_store_is_at_the_current_schema_in_wal_mode(tmp_path: Path) -> None:
    store = Store(tmp_path / "lab.db")
    assert store.schema_version == SCHEMA_VERSION
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()


def test_v1_fixture_migrates_forward_and_keeps_every_event(tmp_path: Path) -> None:
    db = tmp_path / "lab.db"
    shutil.copy(FIXTURES / "lab_v1.db", db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        before = conn.execute(
            "SELECT uid, kind, subject, payload FROM events ORDER BY id"
        ).fetchall()
    store = Store(db)
    assert store.schema_version == SCHEMA_VERSION
    after = [(e.uid, e.kind, e.subject, json.dumps(e.payload)) for e in store.events()]
    assert [(u, k, s, json.loads(p)) for u, k, s, p in before] == [
        (u, k, s, json.loads(p)) for u, k, s, p in after
    ]
    # The derived table the v2 migration adds is rebuilt from the fixture's runs.
    progress = store.starter_progress()
    assert progress["iris_forest"].runs == 2
    assert progress["iris_forest"].best_score == pytest.approx(1.0)
    assert progress["iris_forest"].last_score == pytest.approx(0.9333)
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()


def test_a_store_from_a_newer_invert_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "lab.db"
    Store(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = db.read_bytes()
    with pytest.raises(LearnerError, match="newer invert"):
        Store(db)
    assert db.read_bytes() == before


def test_a_failed_transaction_writes_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "lab.db")
    good = Event("starter_run", subject="iris_forest", payload={"score": 0.9})
    with pytest.raises(ValueError, match="unknown event kind"):
        store.append(good, Event("no_such_kind"))
    assert store.events() == []
    assert store.starter_progress() == {}
    store.close()


def test_events_come_back_in_order_and_derive_progress(tmp_path: Path) -> None:
    store = Store(tmp_path / "lab.db")
    store.append(Event("starter_run", subject="wine_knn", payload={"score": 0.90}))
    store.append(Event("starter_run", subject="wine_knn", payload={"score": 0.95}))
    store.append(Event("starter_run", subject="wine_knn", payload={"score": None}))
    progress = store.starter_progress()["wine_knn"]
    assert (progress.runs, progress.best_score, progress.last_score) == (3, 0.95, None)
    assert [e.payload["score"] for e in store.events(kind="starter_run")] == [0.90, 0.95, None]
    store.close()


def test_export_import_round_trip_is_exact(tmp_path: Path) -> None:
    source = Store(tmp_path / "a.db")
    source.append(Event("lab_created", payload={"path": "/x"}))
    source.append(
        Event("starter_run", subject="iris_forest", payload={"score": 1.0, "ünï": "cödé"})
    )
    write_export(source, tmp_path / "export.json")
    target = Store(tmp_path / "b.db")
    assert target.import_events(read_export(tmp_path / "export.json")) == 2
    first, second = export_document(source), export_document(target)
    assert first["events"] == second["events"]
    assert target.starter_progress() == source.starter_progress()
    # Importing the same file again adds nothing: events are matched by uid.
    assert target.import_events(read_export(tmp_path / "export.json")) == 0
    assert len(target.events()) == 2


BAD_EXPORTS = {
    "not json": "{nope",
    "a list": "[]",
    "no marker": '{"events": []}',
    "wrong format": '{"invert_export": 99, "schema_version": 1, "events": []}',
    "newer schema": '{"invert_export": 1, "schema_version": 999, "events": []}',
    "events not a list": '{"invert_export": 1, "schema_version": 2, "events": {}}',
    "unknown kind": '{"invert_export": 1, "schema_version": 2, "events": [{"uid": "abcdefgh12", '
    '"at": "2026-01-01T00:00:00+00:00", "kind": "rm -rf", "subject": null, "payload": {}}]}',
    "bad time": '{"invert_export": 1, "schema_version": 2, "events": [{"uid": "abcdefgh12", '
    '"at": "yesterday", "kind": "lab_created", "subject": null, "payload": {}}]}',
    "payload not object": '{"invert_export": 1, "schema_version": 2, "events": [{"uid": '
    '"abcdefgh12", "at": "2026-01-01T00:00:00+00:00", "kind": "lab_created", "payload": 3}]}',
}


@pytest.mark.parametrize("case", sorted(BAD_EXPORTS))
def test_a_bad_export_is_refused_with_one_line_and_writes_nothing(
    tmp_path: Path, case: str
) -> None:
    store = Store(tmp_path / "lab.db")
    store.append(Event("lab_created"))
    bad = tmp_path / "bad.json"
    bad.write_text(BAD_EXPORTS[case], encoding="utf-8")
    with pytest.raises(LearnerError) as info:
        store.import_events(read_export(bad))
    assert "\n" not in str(info.value)
    assert [e.kind for e in store.events()] == ["lab_created"]
    store.close()


def test_a_half_valid_export_imports_nothing(tmp_path: Path) -> None:
    good = {
        "uid": "a" * 32,
        "at": "2026-01-01T00:00:00+00:00",
        "kind": "lab_created",
        "subject": None,
        "payload": {},
    }
    bad = {**good, "uid": "b" * 32, "kind": "unknown"}
    path = tmp_path / "half.json"
    path.write_text(json.dumps({"invert_export": 1, "schema_version": 2, "events": [good, bad]}))
    store = Store(tmp_path / "lab.db")
    with pytest.raises(LearnerError, match="event #2"):
        store.import_events(read_export(path))
    assert store.events() == []
    store.close()


def test_the_newest_events_of_several_kinds_come_oldest_first(tmp_path: Path) -> None:
    store = Store(tmp_path / "lab.db")
    kinds = ("observation_written", "question_asked")
    for i in range(5):
        store.append(Event("observation_written", subject="knn-k", payload={"text": f"o{i}"}))
        store.append(Event("card_opened", subject="pca"))
    store.append(Event("question_asked", subject=None, payload={"text": "why?", "concepts": []}))
    newest = store.events(kinds, newest=3)
    assert [e.payload["text"] for e in newest] == ["o3", "o4", "why?"]
    assert [e.payload["text"] for e in store.events(kinds, "knn-k", newest=2)] == ["o3", "o4"]
    assert store.count(kinds) == 6 and store.count(kinds, "knn-k") == 5
    assert store.count("card_opened") == 5
    store.close()


def test_every_kind_of_event_states_what_its_payload_must_hold() -> None:
    assert set(PAYLOADS) == EVENT_KINDS


PAYLOAD_CASES = {
    # event (kind, subject, payload) -> what the one-line refusal names
    "no text": (("question_asked", None, {"concepts": []}), "has no 'text'"),
    "concepts not a list": (
        ("question_asked", None, {"text": "why?", "concepts": "trees"}),
        "'concepts' should be a list",
    ),
    "confidence above 1": (
        ("prediction_made", "knn-k", {"shape": "rises", "confidence": 7}),
        "'confidence' should be from 0 to 1",
    ),
    "guess without number": (
        ("prediction_made", "knn-k", {"shape": "rises", "confidence": 0.7, "guess": {"value": 3}}),
        "has no 'guess.number'",
    ),
    "measured missing": (("experiment_run", "knn-k", {}), "has no 'measured'"),
    "unknown rating": (
        ("rule_reviewed", "power-rule", {"rating": "great"}),
        "'rating' should be one of again, hard, good, easy",
    ),
    "hint as text": (("drill_hint", "leaky-scaler", {"number": "1"}), "'number' should be"),
    "boolean for a number": (
        ("explanation_written", "knn", {"text": "x", "rating": True}),
        "'rating' should be a whole number, not True",
    ),
    "no subject": (("drill_checked", None, {"state": "fixed", "hints_used": 0}), "no subject"),
}


@pytest.mark.parametrize("case", sorted(PAYLOAD_CASES))
def test_an_event_whose_payload_readers_cannot_use_is_refused(tmp_path: Path, case: str) -> None:
    (kind, subject, payload), message = PAYLOAD_CASES[case]
    event = {"uid": "c" * 32, "at": "2026-01-01T00:00:00+00:00", "kind": kind}
    path = tmp_path / "export.json"
    document = {
        "invert_export": 1,
        "schema_version": 2,
        "events": [event | {"subject": subject, "payload": payload}],
    }
    path.write_text(json.dumps(document))
    with pytest.raises(LearnerError, match="event #1") as info:
        read_export(path)
    assert message in str(info.value)


def test_nan_a_repeated_uid_and_a_naive_time_are_refused(tmp_path: Path) -> None:
    good = {
        "uid": "d" * 32,
        "at": "2026-01-01T00:00:00+00:00",
        "kind": "lab_created",
        "subject": None,
        "payload": {},
    }
    path = tmp_path / "export.json"
    for events, message in (
        ([good, good], "repeats the uid"),
        ([good | {"at": "2026-01-01T00:00:00"}], "no time zone"),
    ):
        path.write_text(json.dumps({"invert_export": 1, "schema_version": 2, "events": events}))
        with pytest.raises(LearnerError, match=message):
            read_export(path)
    path.write_text(
        json.dumps(
            {
                "invert_export": 1,
                "schema_version": 2,
                "events": [good | {"payload": {"x": float("nan")}}],
            }
        )
    )
    with pytest.raises(LearnerError, match="NaN is not a JSON value"):
        read_export(path)


def test_a_lab_projected_by_an_older_rule_is_replayed_when_opened(tmp_path: Path) -> None:
    """A current-schema lab whose toolkit was filled by reading cards (earlier invert) gets its
    derived tables replayed by today's rule on opening: the rule only read leaves the toolkit,
    the one reviewed stays, and the log is untouched."""
    db = tmp_path / "lab.db"
    store = Store(db)
    at = "2026-03-02T10:00:00+00:00"
    store.append(
        Event("card_opened", subject="bagging", at=at),
        Event("rule_met", subject="factor-out", payload={"via": "card:bagging"}, at=at),
        Event("rule_met", subject="distributive-law", payload={"via": "card:bagging"}, at=at),
        Event("rule_reviewed", subject="factor-out", payload={"rating": "good"}, at=at),
    )
    events = store.events()
    # What earlier invert left: both rules in the toolkit, and no record of the rule used.
    with store.transaction() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO toolkit (rule, met_at, via, due, state) "
            "VALUES (?, ?, ?, ?, '{}')",
            ("distributive-law", at, "card:bagging", at),
        )
        conn.execute("DELETE FROM meta WHERE key = 'derived_version'")
    store.close()
    store = Store(db)
    try:
        assert [row.rule for row in store.toolkit()] == ["factor-out"]
        (row,) = store.toolkit()
        assert (row.via, row.met_at, row.reviews) == ("card:bagging", at, 1)
        assert store.events() == events
    finally:
        store.close()
