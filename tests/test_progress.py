"""Progress, the next step and the understanding checklist, on a scripted learner's history.

One module fixture plays a learner through the real CLI across simulated days (INVERT_NOW sets
the lab's clock): starters, predictions that miss and then hit, a why-question read up and
answered, reviews, explanations, drills fixed, a project on their own data. At each turn it
records what `invert next` said. The figures are then checked against what the script did, which
the test counts itself, and the CLI, its JSON and the web dashboard against each other.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import Cli, lab_fingerprint
from invert.catalog.loader import load_catalog
from invert.cli.root import app
from invert.lab import Lab, create_lab
from invert.store import Event

START = date(2026, 3, 2)  # a Monday
CATALOG = load_catalog()
EXPLANATIONS = {
    "feature-scaling": "A distance adds up the differences column by column, so a column measured "
    "in thousands drowns one measured in fractions unless both are put on one scale first.",
    "overfitting": "A model flexible enough to memorise its training rows scores well on them and "
    "worse on new rows: the gap between the two is what it learnt about noise, not signal.",
    "decision-trees": "A tree asks yes or no questions about one feature at a time, each time "
    "choosing the cut that leaves the purest groups; left alone it grows until it fits the noise.",
    "bias-variance": "Error on new data splits into bias from a model too simple to follow the "
    "pattern and variance from one so flexible that it follows each sample's noise.",
}
ALL_MADE = ("--covered", "all")  # the learner says their words made every key point
ANSWER = (
    "Because kNN measures distance on the raw columns, the one with the largest units decides "
    "who counts as a neighbour; scaling gives every column a say."
)
QUESTION = "why does one unscaled column decide who the nearest neighbours are?"
DRILLS = ("penguins-mixed-up", "perfect-on-train", "one-passenger-at-a-time")


def moment(day: int, hour: int = 10) -> str:
    """Day 1 is START; the time is UTC (the fixture sets TZ=UTC, so local dates agree)."""
    return f"{START + timedelta(days=day - 1)}T{hour:02d}:00:00+00:00"


@dataclass
class History:
    """What the scripted learner did, counted by the script itself, and what `next` said."""

    root: Path
    days: set[int] = field(default_factory=set)
    said: dict[str, dict[str, Any]] = field(default_factory=dict)
    predictions: list[tuple[str, bool]] = field(default_factory=list)
    starters: set[str] = field(default_factory=set)
    experiment_runs: dict[int, int] = field(default_factory=dict)  # day -> runs
    checklist_on: dict[str, dict[str, bool]] = field(default_factory=dict)


class Learner:
    def __init__(self, mp: pytest.MonkeyPatch, base: Path) -> None:
        self.mp = mp
        self.base = base
        self.history = History(base / "lab")
        self.runner = CliRunner()

    def on(self, day: int, hour: int = 10) -> None:
        self.mp.setenv("INVERT_NOW", moment(day, hour))
        self.day = day

    def run(self, *args: str, stdin: str | None = None) -> str:
        result = self.runner.invoke(app, list(args), input=stdin, catch_exceptions=False)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        self.history.days.add(self.day)
        return result.stdout

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "--json"))

    def next(self, name: str) -> str:
        said = json.loads(
            self.runner.invoke(app, ["next", "--json"], catch_exceptions=False).stdout
        )
        self.history.said[name] = said
        return str(said["kind"])

    def checklist(self, name: str) -> None:
        report = json.loads(self.runner.invoke(app, ["progress", "--json"]).stdout)
        self.history.checklist_on[name] = {c["id"]: c["met"] for c in report["checklist"]}

    def start(self) -> None:
        self.run("start", str(self.history.root))
        self.mp.chdir(self.history.root)
        self.history.starters.add(CATALOG.first_starter().id)

    def starter(self, starter: str) -> None:
        self.run("run", starter)
        self.history.starters.add(starter)

    def predict(self, experiment: str, right: bool) -> None:
        expected = CATALOG.experiment(experiment).expect_shape
        shape = expected if right else ("flat" if expected != "flat" else "rises")
        # Each prediction on an experiment holds a slightly smaller training set than the one
        # before: another held-fixed setting, whose result was never shown, so it is blind and
        # counts (a repeat of a seen sweep would be practice: tests/test_blindness.py).
        earlier = sum(1 for done, _ in self.history.predictions if done == experiment)
        fraction = f"data.train_fraction={1 - 0.05 * earlier:.2f}"
        result = self.json(
            "try", experiment, "--predict", shape, "--confidence", "0.8", "--set", fraction
        )
        assert bool(result["outcome"]["hit"]) is right, result["outcome"]
        assert result["blind"] is True
        self.history.predictions.append((experiment, right))
        runs = self.history.experiment_runs
        runs[self.day] = runs.get(self.day, 0) + 1

    def review_all(self) -> int:
        out = self.run("review", stdin="\n4\n" * 40)  # each recalled easily
        return len(re.findall(r"next review:", out))

    def fix_drill(self, drill_id: str, hints: int) -> None:
        self.run("drill", drill_id)
        for _ in range(hints):
            self.run("hint", drill_id)
        drill = CATALOG.drills[drill_id]
        with Lab(self.history.root) as lab:
            working = lab.drills.path(drill)
        shutil.copyfile(CATALOG.root / "drills" / drill_id / "solution.py", working)
        assert self.json("check", drill_id)["state"] == "fixed"


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[History]:
    """About three weeks of a learner, through the real CLI, on simulated days."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TZ", "UTC")
        time.tzset()
        mp.setenv("COLUMNS", "200")
        mp.setenv("NO_COLOR", "1")
        mp.delenv("INVERT_LAB", raising=False)
        base = tmp_path_factory.mktemp("history")
        mp.chdir(base)
        me = Learner(mp, base)
        try:
            script(me)
        finally:
            time.tzset()
        yield me.history
    time.tzset()


def script(me: Learner) -> None:
    me.on(1)
    me.start()
    assert me.next("after the first starter") == "experiment"
    me.starter("wine_knn")
    me.starter("titanic_survival")

    me.on(2)
    me.predict("feature-scaling-knn", right=False)
    assert me.next("after one miss") == "drill-after-miss"

    me.on(3)
    me.predict("feature-scaling-knn", right=False)
    assert me.next("after two misses on a concept") == "weak-concept"
    me.predict("feature-scaling-knn", right=True)
    me.predict("feature-scaling-knn", right=True)

    me.on(4)
    me.run("why", QUESTION, "--experiment", "feature-scaling-knn")
    assert me.next("with an open question") == "question-card"
    card = me.history.said["with an open question"]["command"].split()[-1]
    me.run("learn", card)
    # Reading the card put nothing up for review; the learner keeps one of its rules.
    me.run("rules", "add", CATALOG.theory.derivations[CATALOG.card(card).derivation].rules()[0])
    assert me.next("after reading the card") == "answer-question"
    me.run("answer", "1", ANSWER, "--covered", "all")
    assert me.next("after answering") == "explain"
    me.run(
        "explain", "feature-scaling", EXPLANATIONS["feature-scaling"], "--rating", "4", *ALL_MADE
    )

    me.on(5)
    me.predict("forest-n-estimators", right=True)
    me.predict("random-seed-spread", right=False)
    me.fix_drill(DRILLS[0], hints=0)
    me.checklist("day 5")

    me.on(8)
    me.fix_drill(DRILLS[1], hints=1)
    me.fix_drill(DRILLS[2], hints=2)  # two hints: fixed, but it does not count as located

    me.on(9)
    me.predict("tree-max-depth", right=True)
    me.predict("tree-max-depth", right=True)
    me.predict("knn-k", right=True)
    me.run("explain", "decision-trees", EXPLANATIONS["decision-trees"], "--rating", "5", *ALL_MADE)

    me.on(10)
    me.predict("knn-k", right=True)
    me.predict("tree-max-depth", right=True)
    me.predict("knn-k", right=True)
    me.predict("knn-k", right=True)
    me.run("explain", "bias-variance", EXPLANATIONS["bias-variance"], "--rating", "3", *ALL_MADE)
    me.fix_drill("titanic-too-good", hints=0)
    me.checklist("day 10")

    me.on(17)
    assert me.next("back after a week") == "review"
    assert me.review_all() == 1
    me.on(18)
    assert me.review_all() == 0  # recalled easily yesterday: not due again for days
    assert me.next("two weeks after the first experiment") == "own-project", me.history.said
    me.run("explain", "bias-variance", EXPLANATIONS["bias-variance"], "--rating", "4", *ALL_MADE)

    me.on(19)
    own = me.base / "garden_irises.csv"
    write_own_data(own)
    me.run("project", "new", str(own), "--target", "species")
    me.run("project", "run", "garden-irises")
    assert me.next("after the project") == "drill-variant"  # a drill was fixed with a hint
    assert me.history.said["after the project"]["command"].startswith("invert drill perfect-on-")


def write_own_data(path: Path) -> None:
    """The learner's own file: Fisher's irises from scikit-learn, written out as a CSV."""
    from sklearn.datasets import load_iris

    iris = load_iris(as_frame=True)
    frame = iris.frame
    frame["species"] = frame.pop("target").map(dict(enumerate(iris.target_names)))
    frame.to_csv(path, index=False)


def report_of(history: History) -> dict[str, Any]:
    with Lab(history.root) as lab:
        return lab.progress.report().to_json()


# --- every figure, from the log, as the script counted it ----------------------------------


@pytest.mark.slow
def test_the_figures_are_what_the_learner_did(history: History) -> None:
    report = report_of(history)
    days = sorted(history.days)
    assert report["today"] == str(START + timedelta(days=18))
    assert report["days_active"] == len(days) == 11
    assert report["first_day"] == str(START)
    # Days 1-5 in a row; then 8-10; then 17-19 up to today.
    assert report["longest_streak"] == 5 and report["streak"] == 3
    assert report["starters_run"] == len(history.starters) == 3
    tried = {experiment for experiment, _ in history.predictions}
    assert report["experiments_tried"] == len(tried) == 5
    assert report["predictions_made"] == len(history.predictions)
    power = report["power"]["overall"]
    hits = sum(right for _, right in history.predictions)
    assert (power["predictions"], power["hits"]) == (len(history.predictions), hits)
    scaling = [right for e, right in history.predictions if e == "feature-scaling-knn"]
    assert report["power"]["per_concept"]["feature-scaling"]["predictions"] == len(scaling) == 4
    assert report["power"]["per_concept"]["feature-scaling"]["hits"] == sum(scaling) == 2
    # The last ten (9 right) against the three before them (1 right).
    assert report["power"]["trend"] == "improving"
    assert (report["questions_open"], report["questions_answered"]) == (0, 1)
    assert report["drills_fixed"] == 4 and report["drills_total"] == len(CATALOG.drills)
    assert (report["rebuilds_passed"], report["rebuilds_total"]) == (0, len(CATALOG.rebuilds))
    assert report["concepts_read"] == 1 and report["concepts_explained"] == 3
    assert report["reviews_due"] == 0 and report["rules_known"] > 0
    assert report["own_projects_done"] == 1
    # Eleven active days and five experiments: still building intuition (theory opens at
    # fifteen active days or six experiments, with a question of one's own).
    assert report["phase"] == "intuition"
    assert report["because"] == "11 active days and 3 starters run, 5 experiments tried"


@pytest.mark.slow
def test_the_calendar_and_the_weeks_add_up(history: History) -> None:
    report = report_of(history)
    active = {str(START + timedelta(days=d - 1)) for d in history.days}
    assert set(report["calendar"]) == active and all(n > 0 for n in report["calendar"].values())
    weeks = report["weeks"]
    assert [w["start"] for w in weeks] == [str(START + timedelta(weeks=i)) for i in range(3)]
    assert [w["days_active"] for w in weeks] == [
        sum(1 for d in history.days if (d - 1) // 7 == i) for i in range(3)
    ]
    assert [w["days_active"] for w in weeks] == [5, 3, 3]  # days 1-5; 8-10; 17-19
    assert sum(w["experiments_run"] for w in weeks) == sum(history.experiment_runs.values())
    assert [w["experiments_run"] for w in weeks] == [
        sum(n for d, n in history.experiment_runs.items() if (d - 1) // 7 == i) for i in range(3)
    ]
    assert sum(w["predictions_scored"] for w in weeks) == len(history.predictions)
    assert sum(w["hits"] for w in weeks) == sum(right for _, right in history.predictions)
    assert sum(w["drills_fixed"] for w in weeks) == 4
    assert sum(w["questions_asked"] for w in weeks) == 1
    assert sum(w["explanations"] for w in weeks) == 4  # bias-variance was written twice


@pytest.mark.slow
def test_the_checklist_fills_from_evidence(history: History) -> None:
    # Day 5: one drill, one explanation, six predictions of which three right: nothing ticked.
    assert history.checklist_on["day 5"] == {
        "predict": False,
        "explain": False,
        "locate": False,
        "transfer": False,
    }
    # Day 10: nine of the last ten right on several concepts, but not one blind answer to a
    # transfer probe, so "can predict" stays open; two explanations rated 4+ (bias-variance was
    # rated 3); drills: three fixed with at most one hint.
    assert history.checklist_on["day 10"] == {
        "predict": False,
        "explain": False,
        "locate": True,
        "transfer": False,
    }
    report = report_of(history)
    checks = {c["id"]: c for c in report["checklist"]}
    assert all(c["met"] for c in checks.values() if c["id"] != "predict")
    assert checks["explain"]["self_checked"] and not checks["predict"]["self_checked"]
    assert not checks["predict"]["met"]  # no probe answered (tests/test_probes.py ticks it)
    assert "9 of your last 10 blind predictions right (90%)" in checks["predict"]["evidence"]
    assert "probes: no blind probe prediction yet" in checks["predict"]["evidence"]
    assert "4 drills fixed, 3 with at most 1 hint" == checks["locate"]["evidence"]
    assert not any(DRILLS[2] in item for item in checks["locate"]["items"])
    assert checks["transfer"]["items"] == [
        "garden-irises (garden_irises.csv): 7 of 7 steps; audit clear"
    ]


# --- invert next, in each situation -----------------------------------------------------------


@pytest.mark.slow
def test_next_in_each_situation(history: History) -> None:
    said = history.said
    assert said["after one miss"]["command"] == f"invert drill {DRILLS[0]}"
    assert "feature-scaling-knn missed" in said["after one miss"]["why"]
    assert said["after two misses on a concept"]["command"] == "invert try feature-scaling-knn"
    assert "right 0 time(s) in 2" in said["after two misses on a concept"]["why"]
    card = said["with an open question"]
    assert card["command"] in {"invert learn feature-scaling", "invert learn distance"}
    assert QUESTION in card["why"]
    assert said["after reading the card"]["command"].startswith("invert answer 1 ")
    assert said["back after a week"]["title"] == "Review 1 rule due"
    assert said["after answering"]["command"].startswith("invert explain ")
    assert said["two weeks after the first experiment"]["command"].startswith("invert project new")
    assert said["after the first starter"]["command"] == "invert try forest-n-estimators"


def test_next_on_a_new_lab_is_the_first_starter(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_lab(tmp_path / "fresh").close()
    monkeypatch.chdir(tmp_path / "fresh")
    monkeypatch.delenv("INVERT_LAB", raising=False)
    code, out, _ = cli("next", "--json")
    step = json.loads(out)
    assert code == 0 and step["kind"] == "first-starter"
    assert step["command"] == f"invert run {CATALOG.first_starter().id}"
    code, out, _ = cli("progress", "--json")
    assert json.loads(out)["phase"] == "run"


# --- the same figures in the CLI, the JSON and the web dashboard ---------------------------


@pytest.mark.slow
def test_the_cli_the_json_and_the_dashboard_agree(
    history: History, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_web import client_for

    monkeypatch.setenv("INVERT_NOW", moment(19, 18))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(history.root)
    runner = CliRunner()
    as_json = json.loads(runner.invoke(app, ["progress", "--json"]).stdout)
    text = runner.invoke(app, ["progress"]).stdout
    figures = {f["key"]: (f["label"], f["value"]) for f in as_json["figures"]}
    assert len(figures) == 15
    for label, value in figures.values():
        assert re.search(rf"^{re.escape(label)}:\s+{re.escape(value)}\s*$", text, re.M), label
    for check in as_json["checklist"]:
        box = "[x]" if check["met"] else "[ ]"
        assert f"{box} {check['title']}" in text and check["evidence"] in text
    assert as_json["next"]["command"] in text

    with client_for(history.root) as web:
        page = web.get("/").text
        api = web.get("/api/progress").json()
    shown = dict(re.findall(r'<dd data-figure="([\w_]+)">([^<]*)</dd>', page))
    assert shown == {key: html_escape(value) for key, (_, value) in figures.items()}
    assert api == as_json
    met = dict(re.findall(r'data-check="(\w+)" data-met="(\w+)"', page))
    assert met == {c["id"]: str(c["met"]).lower() for c in as_json["checklist"]}
    for concept, power in as_json["power"]["per_concept"].items():
        assert f'<tr data-concept="{concept}">' in page
        assert f"<td>{power['predictions']}</td>" in page
    cells = dict(re.findall(r'data-date="([\d-]+)" data-count="(\d+)"', page))
    for day, n in as_json["calendar"].items():
        assert cells[day] == str(n)
    assert sum(int(n) > 0 for n in cells.values()) == as_json["days_active"]
    assert f'data-kind="{as_json["next"]["kind"]}"' in page

    weekly = runner.invoke(app, ["progress", "--week"]).stdout
    for week in as_json["weeks"]:
        assert week["start"] in weekly


@pytest.mark.slow
def test_progress_counts_every_kind_by_state(
    history: History, monkeypatch: pytest.MonkeyPatch
) -> None:
    from invert.kinds import kinds

    monkeypatch.setenv("INVERT_NOW", moment(19, 18))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(history.root)
    runner = CliRunner()
    counted = json.loads(runner.invoke(app, ["progress", "--json"]).stdout)["kinds"]
    with_statuses = [k.name for k in kinds() if k.part and hasattr(k.attribute(k.part), "statuses")]
    assert [k["kind"] for k in counted] == with_statuses and "starters" in with_statuses
    for kind in counted:
        assert sum(kind["states"].values()) == kind["items"]
    starters = next(k for k in counted if k["kind"] == "starters")
    assert starters["items"] == len(CATALOG.starters)
    assert starters["states"]["ran"] == len(history.starters)
    text = runner.invoke(app, ["progress"]).stdout
    for kind in counted:
        assert f"{kind['title']}: {kind['items']} (" in text


def test_in_a_new_lab_every_kind_stands_not_attempted(tmp_path: Path) -> None:
    from invert.kinds import kinds

    with create_lab(tmp_path / "lab") as lab:
        listed = 0
        for kind in kinds():
            statuses = getattr(lab.part(kind.name), "statuses", None) if kind.part else None
            for row in [status.to_json() for status in statuses()] if statuses else []:
                assert row["id"] and row["state"] == "not attempted", (kind.name, row)
                listed += 1
        assert listed >= len(CATALOG.starters) + len(CATALOG.experiments)


def html_escape(value: str) -> str:
    import html

    return html.escape(value, quote=True)


# --- reviews: one bounded session a day, and a plan after time away ---------------------------


@pytest.fixture
def reviewer(in_lab: Lab, monkeypatch: pytest.MonkeyPatch) -> Iterator[Lab]:
    """A lab on day 1 at noon, its first starter run (so the next step is past it)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setenv("INVERT_NOW", moment(1, 12))
    in_lab.store.append(Event("starter_run", subject=CATALOG.first_starter().id))
    yield in_lab
    monkeypatch.undo()
    time.tzset()


def at(day: int, minutes: int = 0) -> str:
    """Day `day`, `minutes` past noon."""
    start = datetime.fromisoformat(moment(day, 12))
    return (start + timedelta(minutes=minutes)).isoformat()


def next_step(cli: Cli) -> dict[str, Any]:
    code, out, err = cli("next", "--json")
    assert code == 0, err
    step: dict[str, Any] = json.loads(out)
    return step


def reviews(cli: Cli) -> dict[str, Any]:
    plan: dict[str, Any] = json.loads(cli("progress", "--json")[1])["reviews"]
    return plan


def test_a_derivation_on_day_one_brings_no_review_minutes_later(
    reviewer: Lab, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = reviewer.theory.start_derivation("sigmoid-derivative")
    for i, step in enumerate(session.derivation.steps):  # every step right the first time
        reviewer.theory.record_attempt(session, session.attempt(step.expr, step.rule), i)
    rules = {row.rule for row in reviewer.store.toolkit()}
    assert len(rules) >= 3
    for minutes in (1, 10, 11, 60, 6 * 60):
        monkeypatch.setenv("INVERT_NOW", at(1, minutes))
        assert next_step(cli)["kind"] != "review", minutes
        assert reviews(cli)["due"] == 0
    monkeypatch.setenv("INVERT_NOW", at(3, 1))  # "good" on a new rule: two days
    step = next_step(cli)
    assert step["kind"] == "review" and step["title"] == f"Review {len(rules)} rules due"


def test_after_a_review_session_new_work_comes_first(
    reviewer: Lab, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    for rule in sorted(CATALOG.theory.rules)[:15]:
        assert cli("rules", "add", rule)[0] == 0
    monkeypatch.setenv("INVERT_NOW", at(2, 1))
    step = next_step(cli)
    assert step["kind"] == "review"
    assert step["title"] == "Review the 10 most overdue of 15 rules due"
    assert "(about 5 minutes), then “" in step["why"] and "”; the other 5 tomorrow." in step["why"]
    code, out, err = cli.with_input("\n3\n" * 15, "review")
    assert code == 0, err
    assert out.count("next review:") == 10 and "The 10 most overdue of 15 rules due" in out
    assert next_step(cli)["kind"] != "review"  # 5 still due, but they wait for tomorrow
    plan = reviews(cli)
    assert (plan["due"], plan["today"], plan["reviewed_today"]) == (5, [], 10)
    assert plan["summary"] == "You reviewed 10 rules today; the 5 still due wait for tomorrow."
    monkeypatch.setenv("INVERT_NOW", at(2, 120))
    assert next_step(cli)["kind"] != "review"
    monkeypatch.setenv("INVERT_NOW", at(3, 1))
    step = next_step(cli)
    assert step["kind"] == "review" and step["title"] == "Review 5 rules due"


def test_back_after_thirty_days_a_plan_not_a_pile(
    reviewer: Lab, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_web import client_for

    # Day 1: forty rules applied right in derivation steps (what `invert derive` records).
    reviewer.store.append(
        *(
            Event("rule_reviewed", subject=rule, payload={"rating": "good", "via": "derive:x"})
            for rule in sorted(CATALOG.theory.rules)[:40]
        )
    )
    monkeypatch.setenv("INVERT_NOW", at(31, 1))
    step = next_step(cli)
    assert step["kind"] == "review" and step["command"] == "invert review"
    assert step["title"].startswith("Back after 30 days: review the 10 most overdue of 40")
    assert step["why"].startswith(
        "You were away 30 days. Plan: today review the 10 most overdue of 40 rules due "
        "(about 5 minutes), then “"
    )
    assert "; the other 30 spread over the next 3 days, 10 a day." in step["why"]
    plan = reviews(cli)
    assert len(plan["today"]) == 10 and plan["later_days"] == 3
    assert len(plan["today"]) + plan["later_days"] * plan["daily"] >= plan["due"] == 40
    with client_for(reviewer.root) as web:
        page = web.get("/").text
    assert html_escape(plan["summary"]) in page and 'data-today="10"' in page
    assert 'data-kind="review"' in page
    # The plan holds: ten a day, the most overdue first, and all forty in four days.
    for day in range(31, 35):
        monkeypatch.setenv("INVERT_NOW", at(day, 1))
        today = reviews(cli)["today"]
        assert next_step(cli)["kind"] == "review" and len(today) == 10
        code, out, err = cli.with_input("\n4\n" * 10, "review")  # "easy": back in a week
        assert code == 0 and out.count("next review:") == 10, err
        assert next_step(cli)["kind"] != "review"
    sessions = reviewer.store.events("rule_reviewed")[40:]
    reviewed = [e.subject for e in sessions]
    assert len(reviewed) == len(set(reviewed)) == 40
    assert reviews(cli)["due"] == 0


# --- your own words ---------------------------------------------------------------------------


def test_explanations_and_answers_refuse_what_is_not_one(in_lab: Lab, cli: Cli) -> None:
    cli("why", "why does k matter so much for nearest neighbours?")
    before = lab_fingerprint(in_lab.root)
    cases = [
        (("explain", "overfitting", "too short", "--rating", "4"), "at least 12 words"),
        (("explain", "overfitting", EXPLANATIONS["overfitting"], "--rating", "6"), "1 (barely)"),
        (("explain", "no-such-concept", EXPLANATIONS["overfitting"], "--rating", "4"), "concept"),
        (("explain", "overfitting", EXPLANATIONS["overfitting"]), "--rating"),
        (("answer", "2", ANSWER), "no why-question '2'"),
        (("answer", "zero", ANSWER), "no why-question"),
        (("answer", "1", "yes"), "at least 12 words"),
        (("answer", "1"), "give the answer"),
    ]
    for args, message in cases:
        code, out, err = cli(*args)
        assert code == 2 and message in err and len(err.strip().splitlines()) == 1, (args, err)
        assert "Traceback" not in out + err
    assert lab_fingerprint(in_lab.root) == before
    code, out, _ = cli("answer", "1", ANSWER, "--covered", "none", "--json")
    assert code == 0 and json.loads(out)["answer"] == ANSWER
    code, out, _ = cli("why", "--all", "--json")
    assert json.loads(out)[0]["answered_at"] is not None


def test_a_bad_clock_is_one_line(in_lab: Lab, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INVERT_NOW", "next tuesday")
    code, _, err = cli("why", "why is this question never saved?")
    assert code == 2 and "INVERT_NOW must be an ISO date-time" in err
    monkeypatch.delenv("INVERT_NOW")
    assert json.loads(cli("why", "--json")[1]) == []
