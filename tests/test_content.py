"""The whole catalogue as `invert dev check` sees it: every starter runs, true to its manifest."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import need
from invert.catalog.check import check_catalog
from invert.catalog.loader import CONTENT_DIR, load_catalog, read_catalog
from invert.kinds.starters.verify import EDIT_MIN_CHANGE, check_starter_run, check_starter_text
from invert.lab import Lab

CATALOG = load_catalog()
STARTERS = [s.id for s in CATALOG.ordered_starters()]
REQUIRED_DATASETS = {
    "iris",
    "titanic",
    "breast_cancer",
    "digits",
    "wine",
    "diabetes",
    "ames",
    "adult",
    "penguins",
}


@pytest.mark.content
def test_the_catalogue_has_no_problems() -> None:
    _, problems = read_catalog()
    assert problems == []


@pytest.mark.content
def test_the_catalogue_covers_the_required_starters() -> None:
    assert len(STARTERS) >= 10
    assert STARTERS[0] == "iris_forest"
    assert {CATALOG.starters[s].dataset for s in STARTERS} >= REQUIRED_DATASETS
    assert {CATALOG.starters[s].task for s in STARTERS} == {
        "classification",
        "regression",
        "clustering",
    }
    assert any("torch" in CATALOG.starters[s].requires for s in STARTERS)


@pytest.mark.content
@pytest.mark.parametrize("starter_id", STARTERS)
def test_manifest_says_what_goes_in_and_comes_out(starter_id: str) -> None:
    starter = CATALOG.starters[starter_id]
    for text in (
        starter.title,
        starter.summary,
        starter.goes_in,
        starter.comes_out,
        starter.next_step,
    ):
        assert len(text) > 15
    assert starter.concepts and starter.experiments
    assert f"invert run {starter.id}" in starter.next_step


@pytest.mark.content
@pytest.mark.parametrize("starter_id", STARTERS)
def test_starter_runs_and_scores_in_its_declared_range(starter_id: str) -> None:
    starter = CATALOG.starters[starter_id]
    need(*starter.requires)
    assert check_starter_text(starter) == []
    assert check_starter_run(starter) == []


@pytest.mark.content
def test_a_starter_runs_as_plain_python_in_the_lab(lab: Lab) -> None:
    script = lab.starters.copy("titanic_survival")
    done = subprocess.run(
        [
            sys.executable,
            "-I",
            str(script.relative_to(lab.root)),
        ],  # -I: no invert on sys.path tricks
        cwd=lab.root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "WHAT COMES OUT" in done.stdout and (lab.root / "data" / "titanic3.csv").is_file()


@pytest.mark.content
def test_dev_check_reports_every_problem_in_a_broken_catalogue(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    (root / "starters" / "wine_knn.toml").write_text(
        (root / "starters" / "wine_knn.toml")
        .read_text()
        .replace('dataset = "wine"', 'dataset = "vine"')
    )
    (root / "starters" / "diabetes_ridge.py").unlink()
    (root / "starters" / "stray.py").write_text("print('hi')\n")
    iris = root / "starters" / "iris_forest.py"
    iris.write_text(
        iris.read_text().replace("accuracy = accuracy_score(y_test, y_pred)", "accuracy = 0.5")
    )
    # A suggested first edit that changes nothing visible, and one that names no text of its script.
    svm = root / "starters" / "digits_svm.toml"
    svm.write_text(svm.read_text().replace("gamma=0.1)'", "gamma=0.0011)'"))
    titanic = root / "starters" / "titanic_survival.toml"
    titanic.write_text(titanic.read_text().replace('"sex", "embarked"]', '"sex", "port"]', 1))
    report = check_catalog(root, run=True)
    joined = "\n".join(report.problems)
    assert "wine_knn.toml: unknown dataset 'vine'" in joined
    assert "script starters/diabetes_ridge.py does not exist" in joined
    assert "stray.py: stray script with no manifest" in joined
    assert "iris_forest.py: accuracy 0.500 is outside [0.9, 1.0]" in joined
    moved = next(p for p in report.problems if p.startswith("starters/digits_svm.py [edit]"))
    assert "the suggested edit moves accuracy from 0.989 to 0.98" in moved
    assert moved.endswith(f"a first edit must change it by more than {EDIT_MIN_CHANGE:g}")
    assert "titanic_survival.toml [edit]: 'from' should be in the script once, not 0" in joined
    assert not report.ok


@pytest.mark.content
def test_dev_check_cli_passes_on_the_shipped_catalogue_without_running() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "invert", "dev", "check", "--no-run"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "catalogue: ok" in done.stderr


def test_a_setting_on_the_knobs_own_target_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    manifest = root / "experiments" / "training-set-size.toml"
    manifest.write_text(
        manifest.read_text()
        + '\n[settings."data.train_fraction"]\ndefault = 1.0\nrange = [0.1, 1.0]\n'
    )
    _, problems = read_catalog(root)
    assert any("cannot hold the knob's own target" in p for p in problems), problems
