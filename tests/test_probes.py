"""Transfer probes: every experiment's knob on a problem the learner never ran.

Each probe is proved as experiments are (tests/test_experiments.py): run at its defaults on real
scikit-learn and bundled data, it must be classified as it declares. Then the catalogue refuses
bad probes, `invert dev check` proves them, `invert probe` offers, refuses and runs them through
the real CLI, and "Can predict" needs blind probe answers, not practice.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli, invert_process, lab_fingerprint, need
from invert.catalog.check import check_catalog
from invert.catalog.loader import CONTENT_DIR, load_catalog, read_catalog
from invert.kinds.experiments.model import probe_experiment
from invert.kinds.experiments.verify import check_probe, check_probes_declared
from invert.lab import Lab
from invert.store import Event

CATALOG = load_catalog()
PROBES = [probe.id for _, probe in CATALOG.ordered_probes()]


# --- the content: every experiment has a probe, and every probe is true ------------------------


@pytest.mark.content
def test_every_experiment_has_a_probe_on_another_dataset_or_model() -> None:
    assert check_probes_declared(CATALOG) == []
    for experiment in CATALOG.ordered_experiments():
        assert experiment.probes, experiment.id
        for probe in experiment.probes:
            probed = probe_experiment(experiment, probe)
            assert probed.id == experiment.id  # the run's subject stays the experiment
            new_model = (
                experiment.knob.target != "model" and probed.estimator != experiment.estimator
            )
            assert probed.dataset != experiment.dataset or new_model, probe.id
    assert len(set(PROBES)) == len(PROBES) >= len(CATALOG.experiments)


@pytest.mark.content
@pytest.mark.parametrize("probe_id", PROBES)
def test_probe_shows_the_shape_and_gap_it_declares(probe_id: str) -> None:
    experiment, probe = CATALOG.probe(probe_id)
    need(*experiment.requires)
    assert check_probe(CATALOG, experiment, probe) == []


def test_a_false_probe_claim_is_caught() -> None:
    experiment, probe = CATALOG.probe("scaling-wine-tree")  # a tree: scaling changes nothing
    wrong = dataclasses.replace(probe, expect_shape="rises", expect_gap="widens")
    problems = check_probe(CATALOG, experiment, wrong)
    assert "probe 'scaling-wine-tree': declares 'rises' but the test curve flat" in problems[0]
    assert "declares the gap widens; it stays" in problems[1]


# --- the catalogue refuses bad probes, each with a clear message ------------------------------


def content_copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root, ignore=shutil.ignore_patterns("*.gz", "__pycache__"))
    for name in ("adult.csv.gz", "ames_housing.csv.gz"):  # the loader needs them to exist only
        (root / "data" / name).write_bytes((CONTENT_DIR / "data" / name).read_bytes()[:64])
    return root


BAD_PROBES = """
[[probe]]
id = "on-no-data"
question = "?"
dataset = "mnist"
[probe.expect]
shape = "rises"
observation = "x"

[[probe]]
id = "no-such-model"
question = "?"
[probe.model]
estimator = "sklearn.tree.DecisionTreeRegresor"
[probe.expect]
shape = "rises"
observation = "x"

[[probe]]
id = "out-of-range"
question = "?"
dataset = "wine"
values = [1, 500]
[probe.expect]
shape = "sideways"
gap = "wider"
observation = "x"

[[probe]]
id = "nothing-new"
question = "?"
values = [1, 2]
[probe.expect]
shape = "rises"
observation = "x"

[[probe]]
id = "wrong-metric"
question = "?"
dataset = "diabetes"
[probe.model]
estimator = "sklearn.tree.DecisionTreeRegressor"
[probe.expect]
shape = "rises"
observation = "x"
"""


def test_the_loader_refuses_bad_probes_with_clear_messages(tmp_path: Path) -> None:
    root = content_copy(tmp_path)
    manifest = root / "experiments" / "tree-max-depth.toml"
    manifest.write_text(manifest.read_text() + BAD_PROBES)
    catalog, problems = read_catalog(root)
    said = "\n".join(problems)
    where = "experiments/tree-max-depth.toml probe"
    assert f"{where} 'on-no-data': unknown dataset 'mnist'" in said
    assert f"{where} 'no-such-model' [model]: unknown estimator 'sklearn.tree.Decision" in said
    assert f"{where} 'out-of-range': value 500 is outside the knob's range" in said
    assert f"{where} 'out-of-range' [expect]: shape 'sideways' is not one of" in said
    assert f"{where} 'out-of-range' [expect]: gap 'wider' is not one of" in said
    assert f"{where} 'nothing-new': changes neither the dataset nor the model" in said
    assert f"{where} 'wrong-metric': metric 'accuracy' does not suit a regression task" in said
    # The good probe of the same experiment is still read; the bad ones are not.
    assert [p.id for p in catalog.experiments["tree-max-depth"].probes] == ["tree-depth-diabetes"]


def test_a_probe_id_is_unique(tmp_path: Path) -> None:
    root = content_copy(tmp_path)
    manifest = root / "experiments" / "knn-k.toml"
    text = (root / "experiments" / "tree-max-depth.toml").read_text()
    copied = text[text.index("[[probe]]") :].split("[probe.cost]")[0]
    manifest.write_text(manifest.read_text() + "\n" + copied)
    _, problems = read_catalog(root)
    assert any("probe id 'tree-depth-diabetes' is used twice" in p for p in problems), problems


# --- invert dev check proves the probes --------------------------------------------------------


def test_dev_check_needs_a_probe_per_experiment_and_runs_each(tmp_path: Path) -> None:
    root = content_copy(tmp_path)
    folder = root / "experiments"
    for manifest in folder.glob("*.toml"):  # two experiments keep the run short
        if manifest.stem not in ("feature-scaling-knn", "label-noise"):
            manifest.unlink()
    noise = folder / "label-noise.toml"
    noise.write_text(noise.read_text().split("\n[[probe]]")[0])  # its probe taken away
    scaling = folder / "feature-scaling-knn.toml"
    text = scaling.read_text()
    tree = text.index('id = "scaling-wine-tree"')  # the tree's claim made false
    scaling.write_text(text[:tree] + text[tree:].replace('shape = "flat"', 'shape = "rises"', 1))
    report = check_catalog(root, only="probes")
    assert (
        "experiments/label-noise.toml: has no [[probe]] (the same knob on another dataset or "
        "model)" in report.problems
    )
    wrong = [p for p in report.problems if "probe 'scaling-wine-tree'" in p]
    assert len(wrong) == 1 and "declares 'rises' but the test curve flat" in wrong[0]
    assert report.checked == ["probe scaling-wine-svm", "probe scaling-wine-tree"]
    assert not any("scaling-wine-svm" in p for p in report.problems)


@pytest.mark.content
def test_dev_check_of_the_real_catalogue_finds_a_probe_for_every_experiment(lab: Lab) -> None:
    done = invert_process("dev", "check", "--only", "probes", "--no-run", "--json", cwd=lab.root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["ok"] is True
    assert "--only takes theory, drills, rebuild, tours, traces, projects, probes" in (
        invert_process("dev", "check", "--only", "nonsense", cwd=lab.root).stderr
    )


# --- invert probe: offered, refused, run --------------------------------------------------------


def probe_list(root: Path) -> dict[str, dict[str, Any]]:
    done = invert_process("probe", "--json", cwd=root)
    assert done.returncode == 0, done.stderr
    return {offer["id"]: offer for offer in json.loads(done.stdout)}


@pytest.mark.slow
def test_invert_probe_offers_a_probe_once_its_concepts_are_practised(lab: Lab) -> None:
    offers = probe_list(lab.root)
    assert set(offers) == set(PROBES)
    assert not any(offer["offered"] for offer in offers.values())
    svm = offers["scaling-wine-svm"]
    assert svm["experiment"] == "feature-scaling-knn" and svm["dataset"] == "wine"
    assert svm["model"] == "sklearn.svm.SVC"
    assert "feature-scaling" in svm["reason"] and "invert try feature-scaling-knn" in svm["reason"]
    listing = invert_process("probe", cwd=lab.root, env={"COLUMNS": "400"})
    assert (
        listing.returncode == 0 and "not yet: practise feature-scaling, distance" in listing.stdout
    )
    assert f"0 of {len(PROBES)} on offer" in listing.stdout

    # Not on offer: one line, exit 2, nothing written.
    before = lab_fingerprint(lab.root)
    refused = invert_process(
        "probe", "scaling-wine-svm", "--predict", "rises", "--confidence", "80", cwd=lab.root
    )
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        "error: probe 'scaling-wine-svm' is not on offer yet: practise feature-scaling, distance "
        "first: predict and run `invert try feature-scaling-knn` (or another experiment on one "
        "of them)"
    ]
    assert lab_fingerprint(lab.root) == before
    unknown = invert_process("probe", "scaling-wine-svn", cwd=lab.root)
    assert unknown.returncode == 2 and "unknown probe 'scaling-wine-svn'" in unknown.stderr

    # A scored prediction on label-noise (overfitting, label-noise) offers its own probe and
    # those of experiments sharing overfitting; not those of feature scaling.
    tried = invert_process(
        "try", "label-noise", "--predict", "falls", "--confidence", "0.8", "--json", cwd=lab.root
    )
    assert tried.returncode == 0, tried.stderr
    offers = probe_list(lab.root)
    assert offers["label-noise-wine-1nn"]["offered"]
    assert offers["label-noise-wine-1nn"]["reason"] == "you predicted and ran label-noise"
    assert offers["tree-depth-diabetes"]["offered"]  # tree-max-depth is about overfitting too
    assert offers["tree-depth-diabetes"]["reason"] == (
        "you predicted and ran label-noise, which shares overfitting"
    )
    assert not offers["scaling-wine-svm"]["offered"]
    assert not offers["knn-k-diabetes"]["offered"]  # nearest-neighbours, bias-variance: no

    # Answering a probe is not trying its experiment: tree-max-depth stays untried.
    answered = invert_process(
        "probe", "tree-depth-diabetes", "--predict", "rises then falls", "--confidence", "70",
        "--json", cwd=lab.root,
    )  # fmt: skip
    assert answered.returncode == 0, answered.stderr
    listed = invert_process("experiments", "--json", cwd=lab.root)
    tried = {e["id"] for e in json.loads(listed.stdout) if e["tried"]}
    assert tried == {"label-noise"}
    progress = json.loads(invert_process("progress", "--json", cwd=lab.root).stdout)
    assert progress["experiments_tried"] == 1 and progress["predictions_made"] == 2


@pytest.mark.slow
def test_invert_probe_runs_an_offered_probe_and_records_it(lab: Lab) -> None:
    tried = invert_process(
        "try", "feature-scaling-knn", "--predict", "rises", "--confidence", "0.8", cwd=lab.root
    )
    assert tried.returncode == 0, tried.stderr
    done = invert_process(
        "probe", "scaling-wine-tree", "--predict", "flat", "--gap", "stays",
        "--confidence", "75", "--note", "trees split on thresholds", "--json", cwd=lab.root,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["probe"] == "scaling-wine-tree"
    assert answer["outcome"]["hit"] == 1 and answer["outcome"]["gap_hit"] == 1
    assert answer["spec"]["experiment"] == "feature-scaling-knn"
    assert answer["spec"]["model"] == "DecisionTreeClassifier"
    assert answer["expected"]["shape"] == "flat"
    assert answer["written"]["observation"] is not None

    # The prediction row and both payloads say what was run, and that it answered the probe.
    with sqlite3.connect(lab.root / ".invert" / "lab.db") as conn:
        rows = conn.execute(
            "SELECT experiment, probe, hit FROM predictions ORDER BY at, uid"
        ).fetchall()
        runs = [
            json.loads(payload)
            for (payload,) in conn.execute(
                "SELECT payload FROM events WHERE kind = 'experiment_run' ORDER BY id"
            )
        ]
    assert rows == [
        ("feature-scaling-knn", None, 1),
        ("feature-scaling-knn", "scaling-wine-tree", 1),
    ]
    assert runs[1]["probe"] == "scaling-wine-tree"
    assert (runs[1]["dataset"], runs[1]["model"]) == ("wine", "sklearn.tree.DecisionTreeClassifier")
    assert "probe" not in runs[0] and runs[0]["model"] == "sklearn.neighbors.KNeighborsClassifier"

    # The listing shows it answered; the text output mirrors `invert try`'s.
    assert probe_list(lab.root)["scaling-wine-tree"]["status"].startswith("answered: right")
    again = invert_process(
        "probe", "scaling-wine-svm", "--predict", "rises", "--confidence", "0.9", cwd=lab.root
    )
    assert again.returncode == 0, again.stderr
    assert "(probe scaling-wine-svm)" in again.stdout and "data: wine   model: SVC" in again.stdout
    assert "✓ Right: the test curve rises." in again.stdout
    assert "What this shows: Unscaled, the kernel's distance" in again.stdout


# --- "Can predict" needs blind probe answers ----------------------------------------------------

START = datetime(2026, 3, 2, 9, tzinfo=UTC)


class Journal:
    """Appends real prediction and run events, as `invert try` and `invert probe` write them,
    with the blindness the blindness rule gives them."""

    def __init__(self, lab: Lab) -> None:
        self.lab = lab
        self.minutes = 0

    def predict(self, experiment: str, hit: bool, blind: int, probe: str | None = None) -> None:
        at = START + timedelta(minutes=self.minutes)
        self.minutes += 2
        shape = CATALOG.experiment(experiment).expect_shape
        if probe is not None:
            shape = CATALOG.probe(probe)[1].expect_shape
        said = shape if hit else ("flat" if shape != "flat" else "rises")
        made = Event(
            "prediction_made",
            subject=experiment,
            at=at.isoformat(),
            payload={
                "shape": said, "gap": None, "confidence": 0.8, "guess": None,
                "blind": blind, "seen_run": None, **({"probe": probe} if probe else {}),
            },
        )  # fmt: skip
        run = Event(
            "experiment_run",
            subject=experiment,
            at=(at + timedelta(minutes=1)).isoformat(),
            payload={
                "prediction": made.uid,
                "cache_key": "0" * 64,
                "cached": False,
                "metric": "accuracy",
                "measured": {"shape": shape, "train_shape": "rises", "gap": "stays"},
                "points": [],
                "outcome": {
                    "hit": int(hit),
                    "gap_hit": None,
                    "near_miss": False,
                    "brier": round((0.8 - hit) ** 2, 4),
                    "guess_error": None,
                    "guess_within_spread": None,
                    "guess_spread": None,
                    "verdict": "",
                },
                "plots": {},
                "wall_seconds": 0.1,
                **({"probe": probe} if probe else {}),
            },
        )
        self.lab.store.append(made, run)


def predict_check(cli: Cli) -> tuple[dict[str, Any], dict[str, Any]]:
    code, out, err = cli("progress", "--json")
    assert code == 0, err
    report = json.loads(out)
    return {c["id"]: c for c in report["checklist"]}["predict"], report


def ten_right_on_three_concepts(journal: Journal, blind: int) -> None:
    for experiment in ("tree-max-depth", "knn-k", "label-noise", "regularisation-strength") * 2:
        journal.predict(experiment, hit=True, blind=blind)
    journal.predict("svm-gamma", hit=True, blind=blind)
    journal.predict("svm-gamma", hit=False, blind=blind)


def test_can_predict_is_not_ticked_without_blind_probe_answers(in_lab: Lab, cli: Cli) -> None:
    journal = Journal(in_lab)
    ten_right_on_three_concepts(journal, blind=1)  # 9 of 10 right, blind: the old rule's tick
    check, report = predict_check(cli)
    assert not check["met"]
    assert check["evidence"].startswith("9 of your last 10 blind predictions right (90%)")
    assert "probes: no blind probe prediction yet" in check["evidence"]
    assert "at least 3 blind predictions on transfer probes" in check["needs"]
    assert report["probes"]["predictions"] == 0

    # Three probes answered right, but as practice (a result they overlap had been shown).
    for probe in ("tree-depth-diabetes", "knn-k-diabetes", "label-noise-wine-1nn"):
        journal.predict(CATALOG.probe(probe)[0].id, hit=True, blind=0, probe=probe)
    check, report = predict_check(cli)
    assert not check["met"] and report["probes"]["predictions"] == 0
    figures = {f["key"]: f["value"] for f in report["figures"]}
    assert figures["probes"] == "no blind probe prediction yet (`invert probe` lists them)"


def test_can_predict_is_ticked_by_blind_probe_answers(in_lab: Lab, cli: Cli) -> None:
    journal = Journal(in_lab)
    ten_right_on_three_concepts(journal, blind=1)
    probes = ("tree-depth-diabetes", "scaling-wine-svm", "label-noise-wine-1nn")
    journal.predict("tree-max-depth", hit=True, blind=1, probe=probes[0])
    journal.predict("feature-scaling-knn", hit=True, blind=1, probe=probes[1])
    check, report = predict_check(cli)
    assert not check["met"]  # two probes are too few
    journal.predict("label-noise", hit=False, blind=1, probe=probes[2])
    check, report = predict_check(cli)
    assert not check["met"]  # 2 of 3 (67%) is under 70%
    assert "probes: 2 of 3 blind probe predictions right (67%), on 6 concepts" in check["evidence"]
    journal.predict("label-noise", hit=True, blind=0, probe=probes[2])  # practice: no help
    assert not predict_check(cli)[0]["met"]
    journal.predict("knn-k", hit=True, blind=1, probe="knn-k-diabetes")
    check, report = predict_check(cli)
    assert check["met"], check
    assert report["probes"]["predictions"] == 4 and report["probes"]["hits"] == 3
    assert report["probes"]["hit_rate"] == 0.75
    figures = {f["key"]: f for f in report["figures"]}
    assert figures["probes"]["label"] == "Predicts on problems not seen before"
    assert figures["probes"]["value"].startswith("3 of 4 blind probe predictions right (75%)")
    code, out, _ = cli("--no-pager", "progress")
    assert code == 0 and "Predicts on problems not seen before" in out
    assert "[x] Can predict" in out


def test_practice_never_fills_the_window_of_can_predict(in_lab: Lab, cli: Cli) -> None:
    journal = Journal(in_lab)
    ten_right_on_three_concepts(journal, blind=0)  # all practice
    for experiment, probe in (
        ("tree-max-depth", "tree-depth-diabetes"),
        ("feature-scaling-knn", "scaling-wine-svm"),
        ("label-noise", "label-noise-wine-1nn"),
    ):
        journal.predict(experiment, hit=True, blind=1, probe=probe)
    check, report = predict_check(cli)
    assert report["probes"]["hit_rate"] == 1.0
    assert not check["met"]  # only 3 blind predictions in the window, not 10
    assert check["evidence"].startswith("3 of your last 3 blind predictions right (100%)")


def test_next_offers_a_probe_once_its_concept_is_practised(in_lab: Lab, cli: Cli) -> None:
    in_lab.store.append(
        Event("starter_run", subject="wine_knn", payload={"score": 0.9, "wall_seconds": 1.0})
    )

    def next_step() -> dict[str, Any]:
        code, out, err = cli("next", "--json")
        assert code == 0, err
        return dict(json.loads(out))

    assert next_step()["kind"] == "experiment"  # nothing practised: no probe on offer yet
    journal = Journal(in_lab)
    journal.predict("knn-k", hit=True, blind=1)
    step = next_step()
    assert step["kind"] == "probe" and step["command"].startswith("invert probe "), step
    first = step["command"].split()[-1]
    offers = {o["id"]: o for o in probe_list(in_lab.root).values()}
    assert offers[first]["offered"] and "knn-k" in step["why"], (offers[first], step)
    journal.predict(offers[first]["experiment"], hit=True, blind=1, probe=first)
    assert next_step()["command"] != f"invert probe {first}"  # answered: not offered again
