"""The real CLI on real labs: the first-run journey, every command, every learner-caused error."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import Cli, invert_process, lab_fingerprint
from invert.kinds.starters.verify import EDIT_MIN_CHANGE
from invert.lab import Lab, create_lab


def test_start_makes_a_lab_and_shows_the_first_result(tmp_path: Path) -> None:
    done = invert_process("start", "my-lab", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    root = tmp_path / "my-lab"
    for folder in ("starters", "drills", "projects", ".invert"):
        assert (root / folder).is_dir()
    assert (root / ".invert" / "lab.db").is_file()
    assert (root / "starters" / "iris_forest.py").is_file()
    out = done.stdout
    # What goes in: the dataset, its shape, feature names, sample rows, the classes and counts.
    assert "WHAT GOES IN" in out and "150 flowers x 4 measurements" in out
    assert "petal length (cm)" in out and "setosa 50, versicolor 50, virginica 50" in out
    # What comes out: predictions beside the truth, accuracy, a confusion matrix.
    assert "WHAT COMES OUT" in out and "truth" in out and "predicted" in out
    assert "accuracy: 1.000" in out and "confusion matrix" in out
    # The wall time, then the one next step.
    assert "Done in" in out and "accuracy 1.000 (as expected)" in out
    tail = " ".join(out[out.index("Done in") :].split())
    assert "Next: Open starters/iris_forest.py, keep one of the four measurements" in tail
    assert done.stderr == ""


def test_start_again_destroys_nothing(tmp_path: Path) -> None:
    assert invert_process("start", "lab", cwd=tmp_path).returncode == 0
    root = tmp_path / "lab"
    script = root / "starters" / "iris_forest.py"
    edited = script.read_text().replace("n_estimators=100", "n_estimators=3")
    script.write_text(edited)
    (root / "projects" / "mine.txt").write_text("my notes")
    again = invert_process("start", "lab", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert script.read_text() == edited  # the learner's edit survives
    assert (root / "projects" / "mine.txt").read_text() == "my notes"
    assert "(your edited copy)" in again.stdout
    with Lab(root) as lab:
        runs = lab.store.events(kind="starter_run")
        assert len(runs) == 2 and len(lab.store.events(kind="lab_created")) == 1
        assert runs[1].payload["edited"] is True


def test_list_shows_the_catalogue_with_status(in_lab: Lab, cli: Cli) -> None:
    code, out, _ = cli("list", "--json")
    assert code == 0
    rows = json.loads(out)["starters"]
    assert len(rows) >= 10
    assert rows[0]["id"] == "iris_forest" and rows[0]["status"] == "new"
    cli("run", "wine_knn", "--json")
    rows = {r["id"]: r for r in json.loads(cli("list", "--json")[1])["starters"]}
    assert rows["wine_knn"]["status"] == "ran 1x" and rows["wine_knn"]["last_score"] > 0.85
    code, text, _ = cli("list")
    assert code == 0 and "wine_knn" in text and "ran 1x" in text


def test_list_works_outside_a_lab(tmp_path: Path) -> None:
    done = invert_process("list", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["lab"] is None and document["starters"][0]["id"] == "iris_forest"


def test_run_records_the_run_and_reports_json(in_lab: Lab, cli: Cli) -> None:
    code, out, _ = cli("run", "iris_forest", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["metric"] == "accuracy" and result["score"] == pytest.approx(1.0)
    assert len(result["predictions"]) == 30
    assert {"truth", "predicted"} <= set(result["predictions"][0])
    assert result["wall_seconds"] > 0 and "WHAT COMES OUT" in result["output"]
    [event] = in_lab.store.events(kind="starter_run")
    assert event.uid == result["run_id"] and event.payload["score"] == result["score"]


def test_run_shows_the_scripts_own_output_and_the_learners_edits(in_lab: Lab, cli: Cli) -> None:
    script = in_lab.starters.copy("iris_forest")
    script.write_text(script.read_text() + "print('my own line')\n")
    code, out, _ = cli("run", "iris_forest")
    assert code == 0 and "my own line" in out and "(your edited copy)" in out


def test_the_suggested_first_edit_changes_the_score_and_is_not_suggested_again(
    in_lab: Lab, cli: Cli
) -> None:
    """`Next:` after a run suggests an edit; made, it visibly moves the score, and from then on
    (even after a reset) `Next:` suggests something else: the starter's first experiment."""
    starter = in_lab.catalog.starter("iris_forest")
    assert starter.edit is not None
    code, out, _ = cli("run", "iris_forest")
    assert code == 0
    said = " ".join(out[out.index("Next:") :].split())
    assert said == f"Next: {starter.next_step}"
    before = json.loads(cli("run", "iris_forest", "--json")[1])
    script = in_lab.root / "starters" / "iris_forest.py"
    script.write_text(starter.edit.apply(script.read_text()))  # what the words ask for
    code, out, _ = cli("run", "iris_forest", "--json")
    after = json.loads(out)
    assert code == 0 and after["edited"] is True
    assert abs(after["score"] - before["score"]) > EDIT_MIN_CHANGE  # 1.000 -> 0.533
    first_experiment = starter.experiments[0]
    for document in (after, json.loads(cli("show", "iris_forest", "--json")[1])):
        assert document["next_step"] != starter.next_step
        assert f"invert try {first_experiment}" in document["next_step"]
    assert cli("reset", "iris_forest")[0] == 0  # the journal remembers the edit was made
    code, out, _ = cli("run", "iris_forest")
    assert code == 0 and f"invert try {first_experiment}" in " ".join(out.split())
    assert starter.next_step not in " ".join(out.split())


def test_every_command_on_a_starter_takes_its_path_and_copies_it_first(
    in_lab: Lab, cli: Cli
) -> None:
    """`starters/ID.py` names a starter as ID does; one not copied yet is copied, said in one
    line (on stderr under --json), never "does not exist"."""
    commands = {
        "wine_knn": ["trace", "starters/wine_knn.py", "--max-steps", "10", "--json"],
        "penguins_kmeans": ["trace", "penguins_kmeans", "--max-steps", "10"],
        "diabetes_ridge": ["run", "starters/diabetes_ridge.py", "--json"],
        "breast_cancer_logreg": ["notebook", "starters/breast_cancer_logreg.py"],
        "digits_svm": ["reset", "starters/digits_svm.py"],
    }
    for starter, args in commands.items():
        script = in_lab.root / "starters" / f"{starter}.py"
        assert not script.exists()
        code, out, err = cli(*args)
        assert code == 0, (args, err)
        said = f"Copied starters/{starter}.py into your lab"
        assert said in (err if "--json" in args else out), (args, out, err)
        if "--json" in args:
            json.loads(out)  # the line stays out of the JSON
        assert script.read_bytes() == in_lab.catalog.starter(starter).script.read_bytes()
    for args in (commands["breast_cancer_logreg"], commands["digits_svm"]):
        code, out, err = cli(*args)  # the second time there is nothing to copy, or to say
        assert code == 0 and "Copied" not in out + err, (args, out, err)
    code, out, _ = cli("show", "starters/wine_knn.py", "--json")
    assert code == 0 and json.loads(out)["id"] == "wine_knn"
    code, _, err = cli("trace", "starters/no_such.py")
    assert code == 2 and err == "error: starters/no_such.py does not exist\n"


def test_show_gives_the_view_without_running(in_lab: Lab, cli: Cli) -> None:
    code, out, _ = cli("show", "titanic_survival", "--json")
    assert code == 0
    view = json.loads(out)
    assert view["data"]["rows"] == 1309 and view["data"]["target"] == "survived"
    assert len(view["data"]["sample"]) == 5
    assert view["data"]["target_counts"] == {"0": 809, "1": 500}
    assert view["last_run"] is None and in_lab.store.events(kind="starter_run") == []
    assert not (in_lab.root / "starters" / "titanic_survival.py").exists()
    code, text, _ = cli("show", "diabetes_ridge")
    assert code == 0 and "What goes in" in text and "median" in text and "Not run yet" in text


def test_reset_restores_the_original_and_keeps_a_backup(in_lab: Lab, cli: Cli) -> None:
    script = in_lab.starters.copy("wine_knn")
    original = script.read_text()
    script.write_text("# my experiment\n" + original)
    code, out, _ = cli("reset", "wine_knn")
    assert code == 0 and "kept at" in out
    assert script.read_text() == original
    [backup] = (in_lab.root / ".invert" / "backups").iterdir()
    assert backup.read_text().startswith("# my experiment")


def test_export_and_import_round_trip_through_the_cli(
    in_lab: Lab, cli: Cli, tmp_path: Path
) -> None:
    cli("run", "iris_forest", "--json")
    out_file = tmp_path / "journal.json"
    assert cli("export", str(out_file))[0] == 0
    exported = json.loads(out_file.read_text())
    with create_lab(tmp_path / "other") as other:
        assert other.exports.import_(out_file) >= 2
        other.exports.export(tmp_path / "again.json")
    again = json.loads((tmp_path / "again.json").read_text())
    assert {e["uid"] for e in exported["events"]} <= {e["uid"] for e in again["events"]}
    runs = [e for e in again["events"] if e["kind"] == "starter_run"]
    assert runs == [e for e in exported["events"] if e["kind"] == "starter_run"]
    code, out, _ = cli("import", str(out_file))
    assert code == 0 and "Imported 0 new events" in out


def test_version(cli: Cli) -> None:
    code, out, _ = cli("--version")
    assert code == 0 and out.startswith("invert 0.")


# --- errors a learner can cause: one line on stderr, exit 2, lab unchanged ---------------------


def assert_clean_error(done: object, needle: str) -> None:
    code, stdout, stderr = done  # type: ignore[misc]
    assert code == 2, (stdout, stderr)
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], stderr
    assert "Traceback" not in stdout + stderr


def test_unknown_starter_suggests_close_ids_and_changes_nothing(in_lab: Lab, cli: Cli) -> None:
    before = lab_fingerprint(in_lab.root)
    for command in ("run", "show", "reset"):
        assert_clean_error(cli(command, "iris_forrest"), "did you mean iris_forest")
    assert lab_fingerprint(in_lab.root) == before


def test_commands_outside_a_lab_say_how_to_make_one(tmp_path: Path) -> None:
    for args in (("run", "iris_forest"), ("show", "iris_forest"), ("export", "x.json")):
        done = invert_process(*args, cwd=tmp_path)
        assert_clean_error((done.returncode, done.stdout, done.stderr), "invert start")
    assert list(tmp_path.iterdir()) == []


def test_a_syntax_error_in_the_learners_script_is_one_line(in_lab: Lab, cli: Cli) -> None:
    script = in_lab.starters.copy("iris_forest")
    script.write_text(
        script.read_text().replace("model.fit(X_train, y_train)", "model.fit(X_train,")
    )
    before = lab_fingerprint(in_lab.root)
    assert_clean_error(cli("run", "iris_forest"), "syntax error")
    assert_clean_error(cli("run", "iris_forest", "--json"), "invert reset iris_forest")
    assert lab_fingerprint(in_lab.root) == before


def test_a_runtime_error_shows_the_learners_traceback_then_one_line(in_lab: Lab) -> None:
    script = in_lab.starters.copy("iris_forest")
    script.write_text(
        script.read_text().replace(
            "y_pred = model.predict(X_test)", "y_pred = modl.predict(X_test)"
        )
    )
    before = lab_fingerprint(in_lab.root)
    done = invert_process("run", "iris_forest", cwd=in_lab.root)
    assert done.returncode == 2
    assert "NameError" in done.stdout and "iris_forest.py" in done.stdout  # their traceback
    assert "runpy" not in done.stdout
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("error: starters/iris_forest.py failed at line") and "NameError" in line
    assert lab_fingerprint(in_lab.root) == before


def test_a_missing_optional_extra_is_one_line_with_the_install_command(
    in_lab: Lab, tmp_path: Path
) -> None:
    # A Python where torch cannot be imported, installed or not: a meta-path finder hides it.
    hide = tmp_path / "hide_torch"
    hide.mkdir()
    (hide / "sitecustomize.py").write_text(
        "import sys\n"
        "class HideTorch:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'torch' or name.startswith('torch.'):\n"
        "            raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, HideTorch())\n"
    )
    before = lab_fingerprint(in_lab.root)
    # Keep a worktree's PYTHONPATH after the hider, so the child runs the code under test.
    path = os.pathsep.join([str(hide), *filter(None, [os.environ.get("PYTHONPATH")])])
    done = invert_process("run", "digits_torch_mlp", cwd=in_lab.root, env={"PYTHONPATH": path})
    # The CPU wheel, from PyTorch's own index: PyPI's Linux wheel brings gigabytes of CUDA.
    assert_clean_error(
        (done.returncode, done.stdout, done.stderr),
        "needs torch, which is not installed: "
        "pip install torch --index-url https://download.pytorch.org/whl/cpu",
    )
    assert lab_fingerprint(in_lab.root) == before


def test_start_on_a_file_is_a_clean_error(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("x")
    done = invert_process("start", "taken", cwd=tmp_path)
    assert_clean_error((done.returncode, done.stdout, done.stderr), "not a folder")
