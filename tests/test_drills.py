"""Debugging drills: the catalogue, the checker's verdicts, its guard, hints, solutions, watch mode.

Every drill is proved by `invert dev check --only drills` (run here through the real CLI): it
fails unsolved, passes with its reference fix, and catches each wrong fix kept in its folder.
"""

from __future__ import annotations

import json
import shutil
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli, invert_process, lab_fingerprint, missing_extras, spawn_invert
from invert.catalog.loader import load_catalog
from invert.kinds.drills.data import split_rows
from invert.kinds.drills.model import CHECK_KINDS, MIN_HINTS
from invert.kinds.drills.run import check_scripts
from invert.lab import Lab, create_lab

CATALOG = load_catalog()
DRILL = "titanic-too-good"  # the drill the checker's own tests use
TOPICS = (
    ("a scaler or imputer fitted before the split", "ames-score-in-doubt"),
    ("target leakage through boat and body", "titanic-too-good"),
    ("feature selection before cross-validation", "cv-too-optimistic"),
    ("hyper-parameters tuned on the test set", "test-score-too-rosy"),
    ("accuracy reported on imbalanced data", "high-earners-missed"),
    ("unscaled features for kNN", "penguins-mixed-up"),
    ("a diverging learning rate", "loss-goes-nan"),
    ("labels misaligned after shuffling X alone", "no-better-than-chance"),
    ("a tree that memorises", "perfect-on-train"),
    ("a category encoded as ordinal numbers", "neighbourhood-prices-off"),
    ("no random_state", "scores-that-move"),
    ("a test set scaled with its own statistics", "one-passenger-at-a-time"),
    ("dropout left on at evaluation", "predictions-flicker"),
    ("class labels where ROC AUC needs scores", "auc-too-low"),
    ("grouped rows across the split", "new-neighbourhoods-priced-worse"),
    ("time-ordered data split at random", "sales-from-the-future"),
    ("a threshold tuned on the test set", "cutoff-moves-with-split"),
    ("uncalibrated probabilities read as frequencies", "expected-count-too-high"),
    ("a metric that ignores the rare class", "f1-equals-accuracy"),
    ("preprocessing fitted before the split inside cross-validation", "cv-almost-perfect"),
    ("a target transformed without transforming predictions back", "twelve-dollar-houses"),
)


def _write(lab: Lab, source: str) -> Path:
    path = lab.drills.path(CATALOG.drill(DRILL))
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


def _solve(lab: Lab, drill_id: str = DRILL) -> None:
    drill = CATALOG.drill(drill_id)
    shutil.copyfile(drill.solution, lab.drills.path(drill))


# --- the catalogue ----------------------------------------------------------------------------


@pytest.mark.content
def test_the_catalogue_has_a_drill_for_every_listed_fault() -> None:
    assert len([d for d in CATALOG.drills.values() if not d.variant_of]) >= 20
    missing = [topic for topic, drill_id in TOPICS if drill_id not in CATALOG.drills]
    assert not missing, missing
    for drill in CATALOG.drills.values():
        assert len(drill.hints) >= MIN_HINTS, drill.id
        assert drill.wrong and all((drill.folder / w.file).is_file() for w in drill.wrong)
        assert {c.kind for c in drill.checks} <= set(CHECK_KINDS)
        assert drill.citations and drill.explanation and drill.symptom
        # A drill reads a real file; its variants may take a bundled scikit-learn table too.
        assert drill.variant_of or CATALOG.dataset(drill.dataset).source == "file", drill.id


@pytest.mark.content
def test_every_drill_fails_unsolved_passes_solved_and_catches_its_wrong_fixes(
    tmp_path: Path,
) -> None:
    done = invert_process("dev", "check", "--only", "drills", cwd=tmp_path, timeout=1500)
    assert done.returncode == 0, done.stderr[-4000:]
    assert "catalogue: ok" in done.stderr
    # A drill that needs an extra that is not installed (torch) is reported as skipped, not run.
    runnable = [d.id for d in CATALOG.drills.values() if not missing_extras(d.requires)]
    assert done.stderr.count("checking drill ") == len(runnable)
    assert done.stderr.count(", torch not installed") == len(CATALOG.drills) - len(runnable)


def _dummy_fix(drill_id: str) -> str:
    """Replace the model by one that ignores the features: a 'fix' that must not pass."""
    drill = CATALOG.drill(drill_id)
    dataset = CATALOG.dataset(drill.dataset)
    kind = "DummyRegressor()" if dataset.task == "regression" else "DummyClassifier()"
    return textwrap.dedent(f"""
        from pathlib import Path as _Path
        import pandas as _pd
        from sklearn.dummy import DummyClassifier, DummyRegressor
        _rows = _pd.read_csv(_Path(__file__).resolve().parent / "data" / "{dataset.id}.csv")
        model = {kind}.fit(_rows.drop(columns=["{dataset.target}"]), _rows["{dataset.target}"])
        def predict(frame):
            return model.predict(frame)
        """)


@pytest.mark.content
def test_deleting_or_faking_the_model_never_passes(tmp_path: Path) -> None:
    """Appended to each reference solution: `del model` and a dummy model. Neither may pass."""
    (tmp_path / "drills").mkdir()
    (tmp_path / ".invert").mkdir()
    cases = []
    for drill in CATALOG.ordered_drills():
        if missing_extras(drill.requires):
            continue
        solution = drill.solution.read_text(encoding="utf-8")
        scripts = []
        for name, source in (
            ("deleted", solution + "\nmodel = None\npredict = None\n"),
            ("dummy", solution + _dummy_fix(drill.id)),
        ):
            scripts.append(tmp_path / "drills" / f"{drill.id}-{name}.py")
            scripts[-1].write_text(source, encoding="utf-8")
        cases.append((drill, scripts))

    def run(case: tuple[Any, list[Path]]) -> list[tuple[str, str, str]]:
        drill, scripts = case
        verdicts = check_scripts(CATALOG, drill, scripts, tmp_path)
        return [(drill.id, s.stem, v.state) for s, v in zip(scripts, verdicts, strict=True)]

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = [r for rs in pool.map(run, cases) for r in rs]
    passed = [(d, n) for d, n, state in results if state == "fixed"]
    assert not passed, passed
    assert len(results) == 2 * len(cases)


@pytest.mark.content
def test_the_hidden_rows_are_fixed_and_apart_from_the_readable_ones() -> None:
    for dataset_id in {d.dataset for d in CATALOG.drills.values()}:
        dataset = CATALOG.dataset(dataset_id)
        public, hidden = split_rows(CATALOG, dataset)
        again_public, again_hidden = split_rows(CATALOG, dataset)
        assert public.equals(again_public) and hidden.equals(again_hidden)
        assert len(public) + len(hidden) == dataset.rows
        assert abs(len(hidden) / dataset.rows - 0.2) < 0.01


# --- the learner's journey --------------------------------------------------------------------


@pytest.mark.content
def test_a_drill_from_start_to_solution(in_lab: Lab, cli: Cli) -> None:
    code, out, _ = cli("drill", DRILL)
    assert code == 0
    drill = CATALOG.drill(DRILL)
    copy = in_lab.drills.path(drill)
    assert copy.read_bytes() == drill.broken.read_bytes()
    assert (in_lab.root / "drills" / "data" / "titanic.csv").is_file()
    assert "What you observe" in out and "Test accuracy is 0.98" in out
    assert "boat" not in out.split("What was asked")[0]  # the symptom does not name the cause

    code, out, _ = cli("check")  # without an id: the drill started last
    assert code == 1
    assert "not attempted" in out and "0.622" in out
    assert in_lab.drills.status(DRILL).state == "not attempted"

    code, _, err = cli("solution", DRILL)
    assert code == 2 and "opens once `invert check titanic-too-good` passes" in err

    for number in range(1, len(drill.hints) + 1):
        code, out, _ = cli("hint")
        assert code == 0 and f"Hint {number} of {len(drill.hints)}" in out
    code, out, _ = cli("hint")  # all shown: the last again, nothing new recorded
    assert f"Hint {len(drill.hints)} of" in out and "That was the last hint" in out
    assert len(in_lab.store.events("drill_hint", DRILL)) == len(drill.hints)

    _write(in_lab, copy.read_text(encoding="utf-8").replace('"body"]', "]"))  # half a fix
    code, out, _ = cli("check", DRILL)
    assert code == 1 and "still broken" in out
    assert in_lab.drills.status(DRILL).state == "still broken"

    _solve(in_lab)
    code, out, _ = cli("check", DRILL)
    assert code == 0 and "fixed" in out and f"with {len(drill.hints)} of" in out
    status = in_lab.drills.status(DRILL)
    assert status.state == "fixed" and status.hints_when_fixed == len(drill.hints)

    code, out, _ = cli("solution", DRILL)
    assert code == 0
    assert "+X = passengers.drop(" in out and "invert learn data-leakage" in out
    assert "Kaufman" in out
    code, out, _ = cli("drills", "--json")
    row = next(r for r in json.loads(out)["drills"] if r["id"] == DRILL)
    assert row["state"] == "fixed" and row["checks"] == 3 and row["hints_used"] == 3


def test_drill_status_survives_export_and_import(in_lab: Lab, tmp_path: Path) -> None:
    in_lab.drills.start(DRILL)
    in_lab.drills.next_hint(DRILL)
    _solve(in_lab)
    assert in_lab.drills.check(DRILL).fixed
    export = tmp_path / "journal.json"
    in_lab.exports.export(export)
    with create_lab(tmp_path / "other") as other:
        other.exports.import_(export)
        status = other.drills.status(DRILL)
        assert (status.state, status.hints_used, status.hints_when_fixed) == ("fixed", 1, 1)


def test_reset_restores_the_broken_script_and_keeps_the_learners(in_lab: Lab, cli: Cli) -> None:
    in_lab.drills.start(DRILL)
    _write(in_lab, "print('my attempt')\n")
    code, out, _ = cli("drill", DRILL, "--reset")
    assert code == 0 and "kept at" in out
    drill = CATALOG.drill(DRILL)
    assert in_lab.drills.path(drill).read_bytes() == drill.broken.read_bytes()
    backups = list((in_lab.root / ".invert" / "backups").glob("drill-*"))
    assert [b.read_text() for b in backups] == ["print('my attempt')\n"]


def test_bad_input_is_one_line_and_exit_2(in_lab: Lab, cli: Cli) -> None:
    code, _, err = cli("check")
    assert code == 2 and err.strip() == "error: no drill started yet: `invert drills` lists them"
    code, _, err = cli("drill", "titanic-too")
    assert code == 2 and "did you mean titanic-too-good" in err and len(err.splitlines()) == 1
    code, _, err = cli("check", "titanic-too-good")
    assert code == 2 and "`invert drill titanic-too-good` starts it" in err
    code, _, err = cli("hint", "nope")
    assert code == 2 and err.strip() == (
        "error: unknown drill or rebuild 'nope'; `invert drills` and `invert rebuild` list them"
    )


def test_drills_are_listed_outside_a_lab(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("drills", "--json")
    rows = json.loads(out)["drills"]
    assert code == 0 and len(rows) == len(CATALOG.drills)
    assert all(r["state"] is None for r in rows)


# --- the checker survives what a learner's script can do ----------------------------------------


@pytest.fixture
def started(in_lab: Lab) -> Lab:
    in_lab.drills.start(DRILL)
    return in_lab


def test_a_syntax_error_is_a_readable_traceback_of_their_code(started: Lab, cli: Cli) -> None:
    _write(started, "import pandas\nx = (1,\nprint(x)\n")
    code, out, _ = cli("check")
    assert code == 1 and "still broken" in out
    assert "titanic_too_good.py" in out and "SyntaxError" in out
    assert "child.py" not in out and "runpy" not in out


def test_a_runtime_error_shows_only_their_frames(started: Lab, cli: Cli) -> None:
    _write(
        started,
        """\
        def load():
            return {}["boat"]

        rows = load()
        """,
    )
    code, out, _ = cli("check")
    assert code == 1
    assert "line 2, in load" in out and "KeyError: 'boat'" in out
    assert "the script stopped at line 2 (KeyError: 'boat')" in out
    assert "invert/drills" not in out


def test_a_hanging_script_is_stopped_and_the_lab_is_intact(started: Lab, cli: Cli) -> None:
    before = lab_fingerprint(started.root)
    _write(started, "while True:\n    pass\n")
    script_print = lab_fingerprint(started.root)
    start = time.perf_counter()
    code, out, _ = cli("check", "--timeout", "3")
    assert code == 1 and "ran longer than 3 s and was stopped" in out
    assert time.perf_counter() - start < 30
    after = lab_fingerprint(started.root)
    assert {k: v for k, v in after.items() if k != "journal"} == {
        k: v for k, v in script_print.items() if k != "journal"
    }
    assert before.keys() == after.keys()
    assert started.drills.status(DRILL).state == "still broken"


def test_megabytes_of_output_are_capped(started: Lab, cli: Cli) -> None:
    _write(started, "for i in range(200_000):\n    print('x' * 100)\n")
    code, out, _ = cli("check", "--json")
    verdict = json.loads(out)
    assert code == 1 and verdict["output_truncated"] is True
    assert len(verdict["output"]) <= 1_000_100


@pytest.mark.parametrize(
    ("source", "refused"),
    [
        ("open({outside!r}, 'w').write('x')", "may not write to"),
        ("import os\nos.remove({journal!r})", "may not change"),
        ("import shutil\nshutil.rmtree({lab!r})", "may not change"),
        ("import sqlite3\nsqlite3.connect({journal!r}).execute('DELETE FROM events')", "journal"),
        ("open({journal!r}, 'wb').write(b'')", "may not write to"),
        ("import pandas\npandas.read_csv({full!r})", "rows kept hidden"),
    ],
    ids=["write-outside", "delete-journal", "rmtree-lab", "sqlite-journal", "clobber", "peek"],
)
def test_the_guard_refuses_what_would_harm_the_lab_or_peek_at_the_hidden_rows(
    started: Lab, cli: Cli, tmp_path: Path, source: str, refused: str
) -> None:
    outside = tmp_path / "outside.txt"
    journal = started.root / ".invert" / "lab.db"
    full = CATALOG.data_file(CATALOG.dataset("titanic"))
    _write(
        started,
        source.format(
            outside=str(outside), journal=str(journal), lab=str(started.root), full=str(full)
        ),
    )
    before = lab_fingerprint(started.root)
    events = len(started.store.events())
    code, out, _ = cli("check")
    assert code == 1 and refused in out and "PermissionError" in out
    assert not outside.exists()
    after = lab_fingerprint(started.root)
    assert {k: v for k, v in after.items() if k != "journal"} == {
        k: v for k, v in before.items() if k != "journal"
    }
    assert len(started.store.events()) == events + 1  # only the new drill_checked event
    assert started.store.events()[-1].kind == "drill_checked"


def test_a_script_that_leaves_a_child_behind_or_exits_hard(started: Lab, cli: Cli) -> None:
    _write(started, "import subprocess\nsubprocess.Popen(['sleep', '300'])\n")
    code, out, _ = cli("check", "--timeout", "20")
    assert code == 1 and "no longer defines `model`" in out
    _write(started, "import os\nos._exit(0)\n")
    code, out, _ = cli("check")
    assert code == 1 and "ended the process (exit code 0) before invert could check it" in out


# --- watch mode --------------------------------------------------------------------------------


def test_watch_rechecks_on_every_save_until_fixed(started: Lab) -> None:
    drill = CATALOG.drill(DRILL)
    child = spawn_invert("watch", DRILL, cwd=started.root, timeout=90)
    child.expect("not attempted")
    child.expect("Watching")
    time.sleep(0.5)
    _write(started, "x = (1,\n")  # a save with a syntax error
    child.expect("SyntaxError")
    child.expect("still broken")
    child.expect("Watching")
    time.sleep(0.5)
    shutil.copyfile(drill.solution, started.drills.path(drill))  # the real fix, saved
    child.expect("fixed")
    child.expect("invert solution")
    child.expect(__import__("pexpect").EOF)
    child.close()
    assert child.exitstatus == 0
    states = [e.payload["state"] for e in started.store.events("drill_checked", DRILL)]
    assert states == ["not attempted", "still broken", "fixed"]


# --- variants -----------------------------------------------------------------------------------


@pytest.mark.content
def test_every_drill_has_three_variants_of_its_concept() -> None:
    bases = [d for d in CATALOG.drills.values() if d.variant_of is None]
    for drill in bases:
        assert len(drill.variants) >= 3, drill.id
        for variant_id in drill.variants:
            variant = CATALOG.drill(variant_id)
            assert variant.variant_of == drill.id and variant.id.startswith(f"{drill.id}-")
            assert variant.concept == drill.concept and variant.folder.parent.parent == drill.folder
            # Its own exercise: another script and symptom, the drill's misconceptions known.
            assert variant.broken.read_bytes() != drill.broken.read_bytes(), variant.id
            assert variant.symptom != drill.symptom and variant.title != drill.title
            assert {m.id for m in drill.misconceptions} <= {m.id for m in variant.misconceptions}
            assert variant.wrong and variant.checks and len(variant.hints) >= MIN_HINTS
    order = [d.id for d in CATALOG.ordered_drills()]
    for drill in bases:  # each drill is followed by its variants
        at = order.index(drill.id)
        assert order[at + 1 : at + 1 + len(drill.variants)] == list(drill.variants)


def test_a_variant_waits_to_be_offered_after_a_drill_fixed_with_hints(
    in_lab: Lab, cli: Cli
) -> None:
    from invert.progress.evidence import Evidence
    from invert.progress.next_step import drill_variant

    drill = CATALOG.drill("penguins-mixed-up")
    variant = CATALOG.drill(drill.variants[0])
    code, out, _ = cli("drills", "--json")
    rows = {r["id"]: r for r in json.loads(out)["drills"]}
    assert rows[variant.id]["variant_of"] == drill.id and rows[drill.id]["variants"]
    code, out, _ = cli("drills")
    assert code == 0 and drill.id in out and variant.id not in out  # unseen until offered
    assert f"{len(drill.variants)} variants" in out

    cli("drill", drill.id)
    _solve(in_lab, drill.id)
    assert cli("check", drill.id)[0] == 0
    assert drill_variant(Evidence.read(in_lab)) is None  # fixed unaided: nothing to consolidate

    in_lab.drills.reset(drill.id)
    cli("hint", drill.id)
    _solve(in_lab, drill.id)
    assert cli("check", drill.id)[0] == 0  # already fixed: the first fix's hints count
    assert drill_variant(Evidence.read(in_lab)) is None

    other = CATALOG.drill("perfect-on-train")
    cli("drill", other.id)
    cli("hint", other.id)
    _solve(in_lab, other.id)
    assert cli("check", other.id)[0] == 0
    step = drill_variant(Evidence.read(in_lab))
    assert step is not None and step.command == f"invert drill {other.variants[0]}"
    assert "with 1 hint" in step.why and step.title.startswith("Fix a variant")

    code, out, _ = cli("drill", other.variants[0])
    assert code == 0 and f"A variant of {other.id}" in out
    assert in_lab.drills.path(CATALOG.drill(other.variants[0])).is_file()
    code, out, _ = cli("drills")
    assert other.variants[0] in out  # started: listed with the drills
    step = drill_variant(Evidence.read(in_lab))
    assert step is not None and step.title.startswith("Finish a variant")

    for variant_id in other.variants:  # every variant fixed, the last without a hint: done
        cli("drill", variant_id)
        _solve(in_lab, variant_id)
        assert cli("check", variant_id)[0] == 0, variant_id
    assert drill_variant(Evidence.read(in_lab)) is None
