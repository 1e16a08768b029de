"""Upgrades lose nothing: labs written by every past schema version, opened by today's invert.

tests/fixtures/lab_vN.db are real labs written by the real CLI of the last commit at which
schema vN was current, with the export that same old code took (lab_vN.export.json);
tests/fixtures/make_past_labs.py records how. lab_v1.db is hand-made: v1 never shipped in a
commit (the first commit already migrated to v2), so it has no export.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli, invert_process
from invert.store.sqlite import SCHEMA_VERSION, Store

FIXTURES = Path(__file__).parent / "fixtures"
PAST = {"v1": 1, "v2": 2, "v3": 3, "v4": 4, "v5": 5}
EXPORTED = ["v2", "v3", "v4", "v5"]  # made with the old code's own `invert export`
EVENT_FIELDS = ("uid", "at", "kind", "subject", "payload")
ANSWER = "every migration runs in one transaction and the derived tables are replayed from the log"


def _past_lab(version: str, root: Path) -> Path:
    """A copy of the fixture as a lab folder; returns its database."""
    db = root / "lab" / ".invert" / "lab.db"
    db.parent.mkdir(parents=True)
    shutil.copy(FIXTURES / f"lab_{version}.db", db)
    return db


def _old_export(version: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        (FIXTURES / f"lab_{version}.export.json").read_text(encoding="utf-8")
    )
    return document


def _raw_events(db: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT uid, at, kind, subject, payload FROM events ORDER BY id")
        return [(u, a, k, s, json.loads(p)) for u, a, k, s, p in rows.fetchall()]
    finally:
        conn.close()


def _user_version(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def _export(cli: Cli, lab: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> dict[str, Any]:
    monkeypatch.chdir(lab)
    code, _, err = cli("export", str(lab.parent / name))
    assert code == 0, err
    document: dict[str, Any] = json.loads((lab.parent / name).read_text(encoding="utf-8"))
    return document


@pytest.fixture(autouse=True)
def _no_lab_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INVERT_LAB", raising=False)


def test_every_fixture_is_the_version_it_claims_and_fully_checkpointed() -> None:
    for version, number in PAST.items():
        db = FIXTURES / f"lab_{version}.db"
        assert _user_version(db) == number, version
        # Byte 18 of the header: 1 for a rollback journal (the hand-made v1), 2 for WAL.
        assert db.read_bytes()[18] == (1 if version == "v1" else 2), version
        assert not db.with_name(db.name + "-wal").exists()
        assert db.stat().st_size < 200_000
    for version in EXPORTED:
        document = _old_export(version)
        assert document["schema_version"] == PAST[version]
        # The old export and the old file hold the same events, in the same order.
        assert [tuple(e[f] for f in EVENT_FIELDS) for e in document["events"]] == _raw_events(
            FIXTURES / f"lab_{version}.db"
        )


@pytest.mark.parametrize("version", list(PAST))
def test_a_past_lab_migrates_forward_through_the_cli_and_keeps_every_event(
    version: str, tmp_path: Path
) -> None:
    db = _past_lab(version, tmp_path)
    before = _raw_events(db)
    assert _user_version(db) == PAST[version]

    # A learner's first command after upgrading, in its own process.
    done = invert_process("export", str(tmp_path / "after.json"), cwd=db.parent.parent)
    assert done.returncode == 0, done.stderr

    assert _user_version(db) == SCHEMA_VERSION
    assert _raw_events(db) == before
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        applied = {k for (k,) in conn.execute("SELECT key FROM meta WHERE key LIKE 'migration:%'")}
    finally:
        conn.close()
    # Each migration the file lacked ran once and was recorded.
    numbers = {int(key.split(":")[1]) for key in applied}
    assert set(range(PAST[version] + 1, SCHEMA_VERSION + 1)) <= numbers
    exported = json.loads((tmp_path / "after.json").read_text(encoding="utf-8"))
    assert [tuple(e[f] for f in EVENT_FIELDS) for e in exported["events"]] == before


@pytest.mark.parametrize("version", EXPORTED)
def test_the_export_of_a_migrated_lab_equals_the_export_taken_before_the_upgrade(
    version: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = _old_export(version)
    db = _past_lab(version, tmp_path)
    new = _export(cli, db.parent.parent, monkeypatch, "new.json")

    # Every event exactly: uid, time, kind, subject and payload, in the same order.
    assert new["events"] == old["events"]
    assert len(new["events"]) == len(old["events"]) > 0
    # The same envelope. Only what describes the export itself may differ: when it was taken
    # (exported_at), the schema of the file it came from (vN then, current now) and the
    # version of invert that wrote it.
    assert new.keys() == old.keys()
    assert new["invert_export"] == old["invert_export"]
    assert old["schema_version"] == PAST[version]
    assert new["schema_version"] == SCHEMA_VERSION
    assert {k for k in new if new[k] != old[k]} <= {
        "exported_at",
        "schema_version",
        "invert_version",
    }


def _expected_derived(events: list[dict[str, Any]]) -> dict[str, Any]:
    """What the derived tables should say, worked out from the old export by hand."""
    runs: dict[str, list[float | None]] = {}
    predictions: dict[str, dict[str, Any]] = {}
    questions: dict[str, str] = {}
    met: dict[str, str] = {}
    first_met: dict[str, str] = {}
    reviews: Counter[str] = Counter()
    for e in events:
        p = e["payload"]
        if e["kind"] == "starter_run":
            runs.setdefault(e["subject"], []).append(p.get("score"))
        elif e["kind"] == "prediction_made":
            predictions[e["uid"]] = {"experiment": e["subject"], "hit": None, "run": None}
        elif e["kind"] == "experiment_run" and p.get("prediction"):
            predictions[p["prediction"]].update(hit=p["outcome"]["hit"], run=e["uid"])
        elif e["kind"] == "question_asked":
            questions[e["uid"]] = p["text"]
        elif e["kind"] == "rule_met":
            first_met.setdefault(e["subject"], p["via"])
        elif e["kind"] == "rule_reviewed":
            reviews[e["subject"]] += 1
            # A rule joins the toolkit when reviewed (or added), not when a card was read; it
            # keeps where it was first met.
            met.setdefault(e["subject"], first_met.get(e["subject"], p.get("via", "")))
    return {
        "runs": runs,
        "predictions": predictions,
        "questions": questions,
        "met": met,
        "reviews": reviews,
    }


@pytest.mark.parametrize("version", EXPORTED)
def test_derived_tables_of_a_migrated_lab_are_replayed_from_its_history(
    version: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = _old_export(version)["events"]
    expected = _expected_derived(events)
    db = _past_lab(version, tmp_path)
    store = Store(db)
    try:
        progress = store.starter_progress()
        assert set(progress) == set(expected["runs"])
        for starter, scores in expected["runs"].items():
            row = progress[starter]
            assert row.runs == len(scores)
            assert row.last_score == scores[-1]
            assert row.best_score == max(s for s in scores if s is not None)
        rows = {row.uid: row for row in store.predictions()}
        assert set(rows) == set(expected["predictions"])
        for uid, want in expected["predictions"].items():
            assert rows[uid].experiment == want["experiment"]
            assert rows[uid].run_uid == want["run"]
            assert rows[uid].hit == want["hit"]
        questions = store.questions()
        assert {q.uid: q.text for q in questions} == expected["questions"]
        assert all(q.answered_at is None and q.answer is None for q in questions)
        toolkit = {row.rule: row for row in store.toolkit()}
        assert {rule: row.via for rule, row in toolkit.items()} == expected["met"]
        assert {r: row.reviews for r, row in toolkit.items() if row.reviews} == dict(
            expected["reviews"]
        )
        assert store.explanations() == {}
    finally:
        store.close()

    # The CLI's figures agree with the history.
    monkeypatch.chdir(db.parent.parent)
    code, out, err = cli("progress", "--json")
    assert code == 0, err
    figures = json.loads(out)
    assert figures["starters_run"] == len(expected["runs"])
    assert figures["predictions_made"] == len(expected["predictions"])
    experiments = {p["experiment"] for p in expected["predictions"].values()}
    assert figures["experiments_tried"] == len(experiments)
    if expected["predictions"]:
        # Made before invert recorded blindness: shown apart, as unknown, and not counted.
        hits = sum(1 for p in expected["predictions"].values() if p["hit"])
        unknown = figures["power"]["not_counted"]["unknown"]
        assert (unknown["predictions"], unknown["hits"]) == (len(expected["predictions"]), hits)
        scored = sum(1 for p in expected["predictions"].values() if p["hit"] is not None)
        assert figures["predictions_unknown"] == scored > 0
        assert figures["power"]["overall"]["predictions"] == 0


def test_a_migrated_lab_keeps_the_rules_reviewed_and_drops_those_only_read(
    tmp_path: Path,
) -> None:
    """Earlier invert put a card's rules in the toolkit on reading it; now only a review or an
    explicit add does. A past lab keeps every rule its learner reviewed, with its history."""
    events = _old_export("v4")["events"]
    met = {e["subject"]: e["payload"]["via"] for e in reversed(events) if e["kind"] == "rule_met"}
    reviews = Counter(e["subject"] for e in events if e["kind"] == "rule_reviewed")
    only_read = set(met) - set(reviews)
    assert only_read and {r for r in reviews if met[r].startswith("card:")}  # both kinds
    store = Store(_past_lab("v4", tmp_path))
    try:
        toolkit = {row.rule: row for row in store.toolkit()}
    finally:
        store.close()
    assert set(toolkit) == set(reviews) and not only_read & set(toolkit)
    for rule, row in toolkit.items():
        assert row.reviews == reviews[rule]
        assert row.via == met[rule]
    assert toolkit["transpose-of-sum"].via == "card:nearest-neighbours"  # read, then reviewed


@pytest.mark.parametrize("version", list(PAST))
def test_current_commands_work_on_a_migrated_lab(
    version: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _past_lab(version, tmp_path)
    before = _raw_events(db)
    monkeypatch.chdir(db.parent.parent)
    for command in (["progress", "--json"], ["journal", "--json"], ["list", "--json"]):
        code, out, err = cli(*command)
        assert code == 0, (command, err)
        json.loads(out)
    code, _, err = cli("next")
    assert code == 0, err

    # New events, of a kind (question_answered) no past version knew, append after the old.
    code, out, err = cli("why", "why did my old lab survive the upgrade?", "--json")
    assert code == 0, err
    code, out, err = cli("why", "--all", "--json")
    assert code == 0, err
    listed = json.loads(out)
    mine = next(q for q in listed if q["text"] == "why did my old lab survive the upgrade?")
    # Words matched to cards are compared with their key points; none made is an answer too.
    compared = ["--covered", "none"] if mine["concepts"] else []
    code, out, err = cli("answer", str(mine["number"]), ANSWER, *compared, "--json")
    assert code == 0, err

    after = _raw_events(db)
    assert after[: len(before)] == before
    assert [e[2] for e in after[len(before) :]] == ["question_asked", "question_answered"]
    store = Store(db)
    try:
        answered = [q for q in store.questions() if q.answer == ANSWER]
        assert len(answered) == 1
    finally:
        store.close()


@pytest.mark.parametrize("version", EXPORTED)
def test_importing_the_old_export_gives_the_same_lab_as_migrating_the_old_file(
    version: str, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    migrated_db = _past_lab(version, tmp_path / "migrated")
    migrated = _export(cli, migrated_db.parent.parent, monkeypatch, "migrated.json")

    # A fresh, empty lab at the current schema (no `invert start`, whose own events would
    # be in the export too), into which the old export is imported through the CLI.
    fresh_db = tmp_path / "fresh" / "lab" / ".invert" / "lab.db"
    fresh_db.parent.mkdir(parents=True)
    Store(fresh_db).close()
    monkeypatch.chdir(fresh_db.parent.parent)
    code, _, err = cli("import", str(FIXTURES / f"lab_{version}.export.json"))
    assert code == 0, err
    imported = _export(cli, fresh_db.parent.parent, monkeypatch, "imported.json")

    assert imported["events"] == migrated["events"]
    assert imported["schema_version"] == migrated["schema_version"] == SCHEMA_VERSION

    # The derived state is the same either way.
    one, two = Store(migrated_db), Store(fresh_db)
    try:
        assert one.starter_progress() == two.starter_progress()
        assert one.predictions() == two.predictions()
        assert one.questions() == two.questions()
        assert one.toolkit() == two.toolkit()
    finally:
        one.close()
        two.close()

    # Importing it again adds nothing.
    code, _, err = cli("import", str(FIXTURES / f"lab_{version}.export.json"))
    assert code == 0, err
    assert _raw_events(fresh_db) == _raw_events(migrated_db)


@pytest.mark.parametrize(
    ("version", "journal_mode"),
    [*((v, None) for v in PAST), ("v4", "delete")],
    ids=[*PAST, "v4-not-wal"],
)
def test_a_migration_that_fails_leaves_the_past_lab_byte_for_byte_untouched(
    version: str,
    journal_mode: str | None,
    tmp_path: Path,
    cli: Cli,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = _past_lab(version, tmp_path)
    # Something in the way of a late migration (v5 creates `explanations`; for a v5 lab, v6
    # adds `predictions.blind`): every earlier migration succeeds first, so all of them must
    # be rolled back together.
    conn = sqlite3.connect(db)
    if journal_mode is not None:
        # A file not in WAL mode (lab_v1.db is one too): the switch to WAL rewrites the
        # header, so it must come after migrating, not before.
        conn.execute(f"PRAGMA journal_mode={journal_mode}")
    if PAST[version] < 5:
        conn.execute("CREATE TABLE explanations (in_the_way TEXT)")
    else:
        conn.execute("ALTER TABLE predictions ADD COLUMN blind INTEGER")
    conn.commit()
    conn.close()
    before = db.read_bytes()

    monkeypatch.chdir(db.parent.parent)
    code, _, err = cli("export", str(tmp_path / "out.json"))
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert ("explanations already exists" if PAST[version] < 5 else "duplicate column") in err
    assert "Traceback" not in err
    assert not (tmp_path / "out.json").exists()
    assert db.read_bytes() == before
    assert _user_version(db) == PAST[version]


def test_a_v5_labs_predictions_migrate_as_of_unknown_blindness_and_never_count(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Schema v6 records whether each prediction was made blind; a v5 lab never did, so its
    predictions are neither blind nor practice (None) and do not count, while its runs were
    shown all the same: a new prediction over a sweep they cover is practice."""
    events = _old_export("v5")["events"]
    made = [e for e in events if e["kind"] == "prediction_made"]
    assert made and all("blind" not in e["payload"] for e in made)
    db = _past_lab("v5", tmp_path)
    monkeypatch.chdir(db.parent.parent)
    code, out, err = cli("score", "--json")
    assert code == 0, err
    assert json.loads(out)["overall"]["predictions"] == 0
    store = Store(db)
    try:
        rows = store.predictions()
        assert len(rows) == len(made) and all(r.scored for r in rows)
        assert [(r.blind, r.seen_run, r.counted) for r in rows] == [(None, None, False)] * len(rows)
    finally:
        store.close()
    code, out, err = cli("progress", "--json")
    assert code == 0, err
    figures = json.loads(out)
    assert figures["predictions_unknown"] == len(made)
    assert figures["predictions_practice"] == 0
    assert figures["power"]["overall"]["predictions"] == 0
    code, out, err = cli("journal", "--json")
    assert code == 0, err
    marked = [e for e in json.loads(out) if e["kind"] == "prediction"]
    assert all(e["blind"] is None and "not counted" in e["text"] for e in marked)

    # The v5 run of knn-k over 1, 5, 25 was shown: predicting inside it now is practice.
    old_run = next(e for e in events if e["kind"] == "experiment_run" and e["subject"] == "knn-k")
    code, out, err = cli(
        "try", "knn-k", "--predict", "rises", "--confidence", "70", "--values", "2,10",
        "--jobs", "1", "--json",
    )  # fmt: skip
    assert code == 0, err
    answer = json.loads(out)
    assert answer["blind"] is False and answer["seen"]["run"] == old_run["uid"]
