"""Phase 2 through the real CLI: predict, run, score, observe, ask; journal, why, score."""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import pexpect
import pytest

from conftest import Cli, invert_process, lab_fingerprint, spawn_invert
from invert.errors import LearnerError
from invert.lab import Lab, create_lab

QUICK = "feature-scaling-knn"  # wine, unscaled against standardised: a second or two
FLAGS = [
    "--predict",
    "rises",
    "--confidence",
    "0.8",
    "--gap",
    "narrows",
    "--guess",
    "standardised=0.95",
]


def try_json(cli: Cli, *args: str) -> dict:  # type: ignore[type-arg]
    code, out, err = cli("try", QUICK, *FLAGS, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_try_with_flags_records_everything_and_reports_json(in_lab: Lab, cli: Cli) -> None:
    result = try_json(
        cli, "--note", "scaling helps a lot", "--why", "why does kNN care about units?"
    )
    assert result["spec"]["experiment"] == QUICK and result["spec"]["values"] == [
        "unscaled",
        "standardised",
    ]
    points = result["result"]["points"]
    assert [p["value"] for p in points] == ["unscaled", "standardised"]
    assert points[1]["test_mean"] > points[0]["test_mean"] + 0.1
    assert all(p["splits"] == 10 and p["test_std"] > 0 for p in points)
    assert result["result"]["shape"]["test"] == "rises"
    assert result["outcome"]["hit"] == 1 and result["outcome"]["brier"] == pytest.approx(0.04)
    assert result["outcome"]["guess_error"] is not None
    written = result["written"]
    assert all(written[k] for k in ("prediction", "run", "observation", "question"))
    assert (in_lab.root / result["plots"]["png"]).stat().st_size > 10_000
    html = (in_lab.root / result["plots"]["html"]).read_text()
    assert "plotly" in html and "cdn." not in html.split("<body>")[0]  # offline, no CDN
    assert '<script charset="utf-8" src="../plotly.min.js">' in html  # the lab's one copy
    assert (in_lab.root / "experiments" / "plotly.min.js").is_file()
    kinds = [e.kind for e in in_lab.store.events()][-4:]
    assert kinds == ["prediction_made", "experiment_run", "observation_written", "question_asked"]


def test_journal_why_and_score_read_back_what_was_written(in_lab: Lab, cli: Cli) -> None:
    try_json(cli, "--note", "scaling helps", "--why", "why does kNN care about units?")
    journal = json.loads(cli("journal", "--json")[1])
    assert [e["kind"] for e in journal] == ["prediction", "run", "observation", "question"]
    assert json.loads(cli("journal", "--experiment", "tree-max-depth", "--json")[1]) == []
    by_concept = json.loads(cli("journal", "--concept", "distance", "--json")[1])
    assert len(by_concept) == 4
    [question] = json.loads(cli("why", "--json")[1])
    assert {"feature-scaling", "distance"} <= set(question["concepts"])  # both answer it
    code, out, _ = cli(
        "why", "why do predictions get worse when the learning rate is huge?", "--json"
    )
    assert code == 0 and json.loads(out)[0]["concepts"][0] == "learning-rate"
    score = json.loads(cli("score", "--json")[1])
    assert score["overall"]["predictions"] == 1 and score["overall"]["hit_rate"] == 1.0
    assert score["per_concept"]["distance"]["predictions"] == 1
    code, text, _ = cli("score")
    assert code == 0 and "shape:    1 of 1 right (100%)" in text


def test_the_journal_survives_a_restart_and_an_export_import(
    in_lab: Lab, cli: Cli, tmp_path: Path
) -> None:
    try_json(cli, "--note", "scaled is better", "--why", "why does scaling matter?")
    before = {cmd: json.loads(cli(cmd, "--json")[1]) for cmd in ("journal", "why", "score")}
    in_lab.close()
    with Lab(in_lab.root) as reopened:  # a restart: a new connection to the same file
        assert reopened.journal.predictive_power().to_json() == before["score"]
    cli("export", str(tmp_path / "journal.json"))
    with create_lab(tmp_path / "elsewhere") as other:
        other.exports.import_(tmp_path / "journal.json")
        assert [e.to_json() for e in other.journal.entries()] == before["journal"]
        questions = enumerate(other.journal.questions(), start=1)
        assert [{"number": n, **q.__dict__} for n, q in questions] == before["why"]
        assert other.journal.predictive_power().to_json() == before["score"]


def test_a_cached_rerun_answers_without_importing_scikit_learn(in_lab: Lab) -> None:
    first = invert_process("try", QUICK, *FLAGS, "--json", cwd=in_lab.root)
    assert first.returncode == 0, first.stderr
    again = invert_process(
        "try", QUICK, *FLAGS, "--json", cwd=in_lab.root, python_flags=("-X", "importtime")
    )
    assert again.returncode == 0
    document = json.loads(again.stdout)
    assert document["result"]["cached"] is True
    assert document["result"]["points"] == json.loads(first.stdout)["result"]["points"]
    heavy = re.findall(r"\|\s+(sklearn|numpy|pandas|matplotlib|plotly)\s*$", again.stderr, re.M)
    assert heavy == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--values", "unscaled,minmax"], "must be one of"),
        (["--set", "model.weights=distance"], "lets you set"),
        (["--predict", "goes sideways"], "unknown shape"),
        (["--confidence", "30"], "from 50%"),
        (["--guess", "scaled=0.9"], "not one of the sweep's values"),
        *((["--guess", f"standardised={n}"], "finite") for n in ("nan", "inf", "-inf", "1e999")),
        (["--guess", "standardised=nan(1)"], "not a number"),
        (["--confidence", "nan"], "from 50%"),
        *((["--budget", n], "finite") for n in ("nan", "inf", "1e999")),
        (["--jobs", "0"], "--jobs"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    in_lab: Lab, cli: Cli, args: list[str], message: str
) -> None:
    before = lab_fingerprint(in_lab.root)
    base = {"--predict": "rises", "--confidence": "0.7"}
    for flag in ("--predict", "--confidence"):
        if flag not in args:
            args = [*args, flag, base[flag]]
    code, out, err = cli("try", QUICK, *args, "--json")
    assert code == 2, out
    assert len(err.strip().splitlines()) == 1 and message in err
    assert lab_fingerprint(in_lab.root) == before


def test_without_a_prediction_and_without_a_terminal_it_asks_for_flags(
    in_lab: Lab, cli: Cli
) -> None:
    code, _, err = cli("try", QUICK)
    assert code == 2 and "--predict" in err


def test_unknown_experiment_suggests_one(in_lab: Lab, cli: Cli) -> None:
    code, _, err = cli("try", "tree-depth", "--predict", "rises")
    assert code == 2 and "did you mean tree-max-depth" in err


def test_experiments_lists_the_questions(in_lab: Lab, cli: Cli) -> None:
    listed = json.loads(cli("experiments", "--json")[1])
    assert len(listed) >= 15 and all("?" in e["question"] for e in listed)
    for_wine = json.loads(cli("experiments", "--starter", "wine_knn", "--json")[1])
    assert {e["id"] for e in for_wine} >= {"knn-k", "feature-scaling-knn"}


@pytest.mark.slow
def test_the_interactive_flow_in_a_real_terminal_matches_the_flags(in_lab: Lab, cli: Cli) -> None:
    child = spawn_invert("try", QUICK, cwd=in_lab.root, timeout=120)
    child.expect("what will the test curve do")
    child.expect("Your prediction")
    child.sendline("1")  # rises
    child.expect("gap between train and test")
    child.sendline("narrows")
    child.expect("A number")
    child.sendline("standardised=0.95")
    child.expect("How sure")
    child.sendline("80")
    child.expect("How did your prediction do")
    child.expect("Right: the test curve rises")
    child.expect("What did you observe")
    child.sendline("scaling helps")
    child.expect("why")
    child.sendline("why does kNN care about units?")
    child.expect("Saved in your journal")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    prompted = in_lab.store.events(kind="experiment_run")[-1].payload
    flagged = try_json(cli, "--note", "scaling helps", "--why", "why does kNN care about units?")
    assert prompted["measured"] == {
        "shape": flagged["result"]["shape"]["test"],
        "train_shape": flagged["result"]["shape"]["train"],
        "gap": flagged["result"]["shape"]["gap"],
    }
    assert prompted["outcome"] == flagged["outcome"]
    predictions = in_lab.store.predictions()
    assert [(p.shape, p.gap, p.confidence, p.guess_value) for p in predictions] == [
        ("rises", "narrows", 0.8, "standardised")
    ] * 2


@pytest.mark.slow
def test_two_runs_of_the_same_experiment_at_once_both_succeed(in_lab: Lab) -> None:
    import subprocess

    command = [sys.executable, "-m", "invert", "try", QUICK, *FLAGS, "--json"]
    runs = [
        subprocess.Popen(
            command, cwd=in_lab.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err for _, err in outputs]

    def measured(points: list[dict]) -> list[tuple]:  # type: ignore[type-arg]
        return [(p["value"], p["train_mean"], p["test_mean"], p["test_std"]) for p in points]

    points = [measured(json.loads(out)["result"]["points"]) for out, _ in outputs]
    assert points[0] == points[1]
    cached = json.loads(invert_process("try", QUICK, *FLAGS, "--json", cwd=in_lab.root).stdout)
    assert cached["result"]["cached"] is True
    assert measured(cached["result"]["points"]) == points[0]
    assert len(in_lab.store.predictions()) == 3
    assert in_lab.store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # The cache holds one whole result for the one key, and no temporary file was left behind.
    cache = in_lab.root / ".invert" / "cache" / "sweeps"
    (entry,) = [p.name for p in cache.iterdir() if p.is_file()]
    # ... and its points one by one, for sweeps that share values with it.
    assert len(list((cache / "points").iterdir())) == len(cached["result"]["points"])
    assert entry == cached["result"]["cache_key"] + ".json"
    json.loads((cache / entry).read_text())


def test_a_sweep_over_its_budget_is_refused_before_any_fit(in_lab: Lab, cli: Cli) -> None:
    """40 values of 1,000-2,000 boosted trees, eight levels deep, would take a quarter hour."""
    values = ",".join(str(v) for v in range(1000, 2000, 25))
    slow = ["boosting-n-estimators", "--values", values, "--set", "model.max_depth=8"]
    before = lab_fingerprint(in_lab.root)
    started = time.perf_counter()
    code, out, err = cli("try", *slow, "--predict", "rises", "--json")
    assert code == 2, out
    assert len(err.strip().splitlines()) == 1, err
    assert "200 fits" in err and "over the 5 min budget" in err and "--budget" in err
    assert time.perf_counter() - started < 20  # refused up front, not after fitting
    assert lab_fingerprint(in_lab.root) == before
    assert not (in_lab.root / ".invert" / "cache" / "sweeps").exists()

    # --plan says the same without refusing, and writes nothing either.
    code, out, err = cli("try", *slow, "--plan", "--json")
    assert code == 0, err
    estimate = json.loads(out)["estimate"]
    assert estimate["fits"] == 200 and estimate["seconds"] > 300
    assert "over the 5 min budget" in estimate["over"]
    code, out, _ = cli("try", *slow, "--plan")
    assert code == 0 and "Over budget" in out
    assert lab_fingerprint(in_lab.root) == before

    # A budget the learner raises lets the same check pass (nothing is run with --plan).
    code, out, _ = cli("try", *slow, "--plan", "--budget", "100000", "--json")
    assert code == 0 and json.loads(out)["estimate"]["over"] is None
    code, _, err = cli("try", QUICK, *FLAGS, "--budget", "0", "--json")
    assert code == 2 and "--budget" in err


def test_a_sweep_over_its_memory_budget_is_refused(in_lab: Lab) -> None:
    plan = in_lab.experiments.plan(QUICK)
    needed = in_lab.experiments.estimate(plan).memory
    assert needed > 0
    with pytest.raises(
        LearnerError, match=r"need about \d+ KiB of memory, over the \d+ KiB budget"
    ):
        in_lab.experiments.try_(plan, None, memory_limit=needed // 2)
    assert in_lab.store.count("experiment_run") == 0
