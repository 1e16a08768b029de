"""Blind predictions: one made after an overlapping result was shown is practice, not counted.

Real CLI (in process and as a subprocess), real SQLite, real scikit-learn on the bundled Titanic
data (knn-k: a few small sweeps of a fast model). The definition is in
src/invert/kinds/experiments/blindness.py
and docs/architecture.md ("What counts as seen").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli, invert_process
from invert.lab import Lab, create_lab, open_lab

EXPERIMENT = "knn-k"


def tried(cli: Cli, *extra: str, shape: str = "rises then falls") -> dict[str, Any]:
    """`invert try knn-k --json` with a prediction; returns its JSON."""
    code, out, err = cli(
        "try", EXPERIMENT, "--predict", shape, "--confidence", "70", "--jobs", "1", "--json", *extra
    )
    assert code == 0, err
    result: dict[str, Any] = json.loads(out)
    return result


def json_of(lab: Path, *args: str) -> dict[str, Any]:
    done = invert_process(*args, "--json", cwd=lab)
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.mark.slow
def test_three_identical_tries_count_one_prediction(tmp_path: Path) -> None:
    """The same sweep tried three times: the first is blind, the two repeats are practice."""
    with create_lab(tmp_path / "lab") as lab:
        root = lab.root
    answers = []
    for _ in range(3):
        done = invert_process(
            "try",
            EXPERIMENT,
            "--predict",
            "rises then falls",
            "--confidence",
            "80",
            "--values",
            "1,7,30",
            "--jobs",
            "1",
            "--json",
            cwd=root,
        )
        assert done.returncode == 0, done.stderr
        answers.append(json.loads(done.stdout))
    assert [a["blind"] for a in answers] == [True, False, False]
    first_run = answers[0]["run_id"]
    assert [a["seen"] and a["seen"]["run"] for a in answers] == [None, first_run, first_run]
    assert "practice: you saw this experiment's result over n_neighbors 1-30" in str(
        answers[1]["practice"]
    )

    # Every prediction is journalled; one counts, everywhere the figure is shown.
    with open_lab(root) as lab:
        rows = lab.store.predictions()
        assert len(rows) == 3
        assert [r.blind for r in rows] == [1, 0, 0]
        assert [r.seen_run for r in rows] == [None, first_run, first_run]
        assert lab.journal.predictive_power().overall.predictions == 1
    assert json_of(root, "score")["overall"]["predictions"] == 1
    progress = json_of(root, "progress")
    assert progress["power"]["overall"]["predictions"] == 1
    assert progress["predictions_made"] == 3
    assert progress["predictions_practice"] == 2
    [week] = progress["weeks"]
    assert (week["predictions_scored"], week["practice"]) == (1, 2)
    journal = json_of(root, "journal")
    predictions = [e for e in journal if e["kind"] == "prediction"]
    assert [e["blind"] for e in predictions] == [True, False, False]
    assert all(e["text"].startswith("practice, not counted") for e in predictions[1:])

    # The terminal verdict says why the repeat does not count.
    done = invert_process(
        "try",
        EXPERIMENT,
        "--predict",
        "rises then falls",
        "--confidence",
        "80",
        "--values",
        "1,7,30",
        "--jobs",
        "1",
        cwd=root,
        env={"COLUMNS": "200"},
    )
    assert done.returncode == 0, done.stderr
    assert "Heads-up: you saw this experiment's result over n_neighbors 1-30" in done.stdout
    assert "Not counted: practice: you saw this experiment's result over n_neighbors 1-30" in (
        done.stdout
    )
    assert "it is journalled but does not count" in done.stdout


@pytest.mark.slow
def test_what_counts_as_seen_at_the_edges(in_lab: Lab, cli: Cli) -> None:
    """One seen sweep over k = 1..30 (uniform weights, all the training data), then the edges."""
    first = tried(cli, "--values", "1,7,30")
    assert first["blind"] is True
    seen = first["run_id"]

    # A new value inside the seen range: the curve there was shown, so practice.
    inside = tried(cli, "--values", "3,10")
    assert (inside["blind"], inside["seen"]["run"]) == (False, seen)
    # Setting a held-fixed value to its default is the same configuration: practice.
    default = tried(cli, "--values", "2,20", "--set", "data.train_fraction=1.0")
    assert (default["blind"], default["seen"]["run"]) == (False, seen)
    # A changed held-fixed setting is another experiment's curve: blind.
    weights = tried(cli, "--values", "1,7,30", "--set", "model.weights=distance")
    assert weights["blind"] is True and weights["seen"] is None
    # A range wholly outside every seen range: blind.
    disjoint = tried(cli, "--values", "60,125")
    assert disjoint["blind"] is True
    # Only an endpoint shared (30 with 1..30, 60 with 60..125): no stretch of the curve seen.
    endpoint = tried(cli, "--values", "30,45,60")
    assert endpoint["blind"] is True
    # ... but now 30..60 has been shown, so a sweep across it is practice.
    across = tried(cli, "--values", "40,50")
    assert (across["blind"], across["seen"]["run"]) == (False, endpoint["run_id"])

    rows = {row.uid: row for row in in_lab.store.predictions()}
    assert [rows[a["prediction"]["id"]].blind for a in (first, inside, default, weights)] == [
        1,
        0,
        0,
        1,
    ]
    assert rows[inside["prediction"]["id"]].seen_run == seen
    counted = [row for row in rows.values() if row.counted]
    assert in_lab.journal.predictive_power().overall.predictions == len(counted) == 4


def test_a_run_without_a_prediction_is_seen_too(in_lab: Lab) -> None:
    """The notebook API can run a sweep without predicting: its result was shown all the same."""
    plan = in_lab.experiments.plan(EXPERIMENT, "1,7,30")
    shown = in_lab.experiments.try_(plan, None, jobs=1, plots=False)
    assert shown.blindness is None  # nothing predicted, nothing judged
    prediction = in_lab.experiments.make_prediction(plan, "rises then falls", "70")
    again = in_lab.experiments.try_(plan, prediction, jobs=1, plots=False)
    assert again.blindness is not None and not again.blindness.blind
    assert again.blindness.seen is not None and again.blindness.seen.uid == shown.run_id


def test_a_failed_run_shows_nothing(in_lab: Lab, cli: Cli) -> None:
    """A sweep refused by its budget records nothing, so the next prediction is still blind."""
    code, _, err = cli(
        "try",
        EXPERIMENT,
        "--predict",
        "rises",
        "--confidence",
        "70",
        "--values",
        "1,7,30",
        "--budget",
        "0.001",
        "--json",
    )
    assert code == 2 and "budget" in err
    assert in_lab.store.count("experiment_run") == 0
    assert tried(cli, "--values", "1,7,30")["blind"] is True


def _lab(tmp_path: Path, name: str) -> Path:
    with create_lab(tmp_path / name) as lab:
        return lab.root


def _try_in(root: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch, values: str) -> dict[str, Any]:
    monkeypatch.chdir(root)
    return tried(cli, "--values", values)


def test_export_and_import_keep_blindness_and_never_rewrite_it(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INVERT_LAB", raising=False)
    here, there = _lab(tmp_path, "here"), _lab(tmp_path, "there")
    mine = _try_in(here, cli, monkeypatch, "60,125")  # blind: nothing seen here yet
    repeat = _try_in(here, cli, monkeypatch, "60,125")  # practice
    assert (mine["blind"], repeat["blind"]) == (True, False)

    # Re-importing this lab's own export changes nothing.
    monkeypatch.chdir(here)
    assert cli("export", str(tmp_path / "here.json"))[0] == 0
    with open_lab(here) as lab:
        before = [(r.uid, r.blind, r.seen_run) for r in lab.store.predictions()]
        events = lab.store.count()
    code, _, err = cli("import", str(tmp_path / "here.json"))
    assert code == 0, err
    with open_lab(here) as lab:
        assert [(r.uid, r.blind, r.seen_run) for r in lab.store.predictions()] == before
        assert lab.store.count() == events
    assert before[0][1:] == (1, None) and before[1][1:] == (0, mine["run_id"])

    # Another lab saw k = 1..125, overlapping the prediction made here before the import.
    other = _try_in(there, cli, monkeypatch, "1,10,125")
    monkeypatch.chdir(there)
    assert cli("export", str(tmp_path / "there.json"))[0] == 0
    monkeypatch.chdir(here)
    assert cli("import", str(tmp_path / "there.json"))[0] == 0
    with open_lab(here) as lab:
        rows = {r.uid: r for r in lab.store.predictions()}
        # Made before that result reached this lab: still blind, still counted.
        assert rows[mine["prediction"]["id"]].blind == 1
        assert rows[mine["prediction"]["id"]].counted
        # The other lab's own prediction keeps its own verdict.
        assert rows[other["prediction"]["id"]].blind == 1
    # A later prediction over 3..10 overlaps only the imported run: practice, because of it.
    later = _try_in(here, cli, monkeypatch, "3,10")
    assert (later["blind"], later["seen"]["run"]) == (False, other["run_id"])

    # The exported file carries each prediction's blindness, and a fresh lab reads it back.
    monkeypatch.chdir(here)
    assert cli("export", str(tmp_path / "all.json"))[0] == 0
    document = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    made = {e["uid"]: e["payload"] for e in document["events"] if e["kind"] == "prediction_made"}
    assert made[later["prediction"]["id"]]["blind"] is False
    assert made[later["prediction"]["id"]]["seen_run"] == other["run_id"]
    fresh = _lab(tmp_path, "fresh")
    monkeypatch.chdir(fresh)
    assert cli("import", str(tmp_path / "all.json"))[0] == 0
    with open_lab(fresh) as lab, open_lab(here) as original:
        assert [(r.uid, r.blind, r.seen_run) for r in lab.store.predictions()] == [
            (r.uid, r.blind, r.seen_run) for r in original.store.predictions()
        ]


def test_a_probe_answered_again_is_practice_and_apart_from_its_experiment(
    in_lab: Lab, cli: Cli
) -> None:
    """A probe is judged against its own runs, with its own settings: answering it a second time
    is practice; its runs and the experiment's own never make each other practice."""
    quick = "feature-scaling-knn"

    def answer(*args: str) -> dict[str, Any]:
        code, out, err = cli(*args, "--predict", "flat", "--confidence", "70", "--json")
        assert code == 0, err
        result: dict[str, Any] = json.loads(out)
        return result

    assert answer("try", quick)["blind"] is True
    first = answer("probe", "scaling-wine-tree")
    assert first["blind"] is True  # another model: not seen, though the experiment was
    again = answer("probe", "scaling-wine-tree")
    assert again["blind"] is False and again["seen"]["run"] == first["run_id"]
    assert answer("probe", "scaling-wine-svm")["blind"] is True  # another probe, another model
    assert answer("try", quick)["blind"] is False  # the experiment's own run was seen
    rows = {row.uid: row for row in in_lab.store.predictions()}
    assert rows[again["prediction"]["id"]].blind == 0
    assert rows[again["prediction"]["id"]].seen_run == first["run_id"]
