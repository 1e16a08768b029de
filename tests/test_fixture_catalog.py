"""The tiny fixture catalogue (tests/fixtures/catalog) that the tests of invert's code use, and the
switch that makes invert read it (INVERT_CONTENT): it is valid, `invert dev check` proves each of
its items as it proves the real ones, and a lab on it works through the real CLI.

These run the checking code of every kind (drills, rebuild, probes, theory, tours, traces) in
`make quick`, where the proofs of the real content (marked `content`) do not run.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE_CATALOG, Cli, invert_process
from invert.catalog.check import check_catalog
from invert.catalog.loader import CONTENT_DIR, CONTENT_ENV, read_catalog
from invert.catalog.models import Catalog
from invert.kinds.starters.verify import check_starter_run
from invert.lab import Lab


def test_the_fixture_catalogue_is_valid_with_one_item_of_each_kind() -> None:
    catalog, problems = read_catalog(FIXTURE_CATALOG)
    assert problems == []
    assert len(catalog.starters) == len(catalog.experiments) == len(catalog.drills) == 1
    assert len(catalog.rebuilds) == 1 and len(catalog.ordered_probes()) == 1
    # A card for each of its two concepts (dev check asks for every one), each with its own
    # derivation.
    assert set(catalog.theory.cards) == set(catalog.concepts) == {"decision-trees", "data-leakage"}
    assert len(catalog.theory.derivations) == 2
    assert len(catalog.traces) == 8  # the loader asks for at least eight


@pytest.mark.parametrize("part", ["theory", "tours", "probes", "drills", "rebuild"])
def test_dev_check_proves_each_fixture_item(tiny_catalog: Catalog, part: str) -> None:
    report = check_catalog(tiny_catalog.root, only=part)
    assert report.ok, report.problems
    assert report.checked and not report.skipped


def test_a_fixture_trace_runs_to_the_end(tiny_catalog: Catalog) -> None:
    """One of the eight (each is a child process; `--only traces` on the real ones is a content
    proof in tests/test_trace.py)."""
    from invert.kinds.traces.verify import check_trace

    assert check_trace(tiny_catalog, tiny_catalog.trace("decision-tree-split"), True) == []


def test_a_starter_that_scores_out_of_its_range_is_reported(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CATALOG, root)
    script = root / "starters" / "iris_tree.py"
    script.write_text(
        script.read_text().replace("accuracy = accuracy_score(y_test, y_pred)", "accuracy = 0.5")
    )
    catalog, problems = read_catalog(root)
    assert problems == []
    assert check_starter_run(catalog.starter("iris_tree"), catalog) == [
        "starters/iris_tree.py: accuracy 0.500 is outside [0.85, 1.0]",
        "starters/iris_tree.py [edit]: the suggested edit moves accuracy from 0.500 to 0.500; "
        "a first edit must change it by more than 0.01",
    ]


def test_invert_reads_the_catalogue_the_switch_names(
    tmp_path: Path, cli: Cli, tiny_catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("drills", "--json")
    assert code == 0 and [r["id"] for r in json.loads(out)["drills"]] == ["leaky-column"]
    done = invert_process(
        "rebuild", "--json", cwd=tmp_path, env={CONTENT_ENV: str(tiny_catalog.root)}
    )
    assert [r["id"] for r in json.loads(done.stdout)["exercises"]] == ["gini"]
    monkeypatch.delenv(CONTENT_ENV)
    code, out, _ = cli("drills", "--json")
    assert len(json.loads(out)["drills"]) > 1  # the real catalogue again
    assert read_catalog()[0].root == CONTENT_DIR


def test_a_drill_from_start_to_fixed_on_the_fixture(tiny_lab: Lab, cli: Cli) -> None:
    drill = tiny_lab.catalog.drill("leaky-column")
    code, out, _ = cli("drill", "leaky-column")
    assert code == 0 and "Test accuracy is 1.00" in out
    code, out, _ = cli("check")
    assert code == 1 and "not attempted" in out
    shutil.copyfile(drill.solution, tiny_lab.root / "drills" / drill.filename)
    code, out, _ = cli("check")
    assert code == 0 and "fixed" in out
    code, out, _ = cli("drills", "--json")
    assert [r["state"] for r in json.loads(out)["drills"]] == ["fixed"]
