"""The own-data audit through the real CLI: a panel is split by group, a dated table by time,
names never drop a column, and "Can transfer" needs a result the audit left nothing open on."""

from __future__ import annotations

import json
import string
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from conftest import invert_process, lab_fingerprint
from invert.lab import Lab, create_lab

pytestmark = pytest.mark.slow


def panel(countries: int = 142, years: int = 12, seed: int = 0) -> pd.DataFrame:
    """A table shaped like the issue's panel: each country measured once every five years, its
    codes (letters and a number), its continent, and a life expectancy that depends as much on
    the country as on its measured features."""
    rng = np.random.default_rng(seed)
    letters = np.array(list(string.ascii_uppercase))
    codes: set[str] = set()
    while len(codes) < countries:
        codes.add("".join(rng.choice(letters, 3)))
    alpha = sorted(codes)
    numbers = rng.choice(np.arange(4, 900), countries, replace=False)
    continent = rng.choice(["Africa", "Americas", "Asia", "Europe", "Oceania"], countries)
    effect = rng.normal(0, 7, countries)  # what makes one country unlike another
    wealth = rng.normal(8, 1, countries)
    size = rng.normal(16, 1.5, countries)
    rows = []
    for c in range(countries):
        for t in range(years):
            year = 1952 + 5 * t
            gdp = float(np.exp(wealth[c] + 0.02 * 5 * t + rng.normal(0, 0.1)))
            pop = int(np.exp(size[c] + 0.015 * 5 * t + rng.normal(0, 0.02)))
            life = 50 + effect[c] + 0.25 * 5 * t + 2.0 * (np.log(gdp) - 8) + rng.normal(0, 1)
            rows.append(
                {
                    "country": f"Country {alpha[c].title()}",
                    "continent": continent[c],
                    "year": year,
                    "lifeExp": round(life, 3),
                    "pop": pop,
                    "gdpPercap": round(gdp, 4),
                    "iso_alpha": alpha[c],
                    "iso_num": int(numbers[c]),
                }
            )
    return pd.DataFrame(rows)


def new_project(root: Path, csv: Path, target: str, *extra: str) -> dict[str, Any]:
    done = invert_process(
        "project", "new", str(csv), "--target", target, *extra, "--json", cwd=root
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def edit_settings(folder: Path, **values: Any) -> None:
    """Change settings in project.toml as a learner would, in the text."""
    import re

    path = folder / "project.toml"
    text = path.read_text()
    for key, value in values.items():
        text, n = re.subn(rf"(?m)^{key} = .*$", f"{key} = {json.dumps(value)}", text)
        assert n == 1, key
    path.write_text(text)


@pytest.fixture
def lab_root(tmp_path: Path) -> Path:
    root = tmp_path / "lab"
    root.mkdir()
    create_lab(root).close()
    return root


def test_the_panel_is_flagged_and_evaluated_by_group(lab_root: Path) -> None:
    csv = lab_root.parent / "panel.csv"
    panel().to_csv(csv, index=False)
    made = new_project(lab_root, csv, "lifeExp", "--name", "panel")
    # Rows of one country repeat: split by group; the country's names and codes are left out;
    # population (an integer, nearly every value distinct) is a measurement, kept.
    assert made["split"]["kind"] == "group", made["warnings"]
    assert len(made["split"]["group"]) == 1
    assert made["split"]["group"][0] in {"country", "iso_alpha", "iso_num"}
    assert {"country", "iso_alpha", "iso_num"} <= set(made["dropped"])
    assert not {"pop", "gdpPercap", "continent", "year"} & set(made["dropped"])
    kinds = {w["kind"] for w in made["warnings"] if w["fault"]}
    assert "entity" in kinds
    settings = (lab_root / "projects" / "panel" / "project.toml").read_text()
    assert 'split = "group"' in settings

    edit_settings(lab_root / "projects" / "panel", folds=3, spot_check_rows=800)
    done = invert_process("project", "run", "panel", cwd=lab_root, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    step7 = json.loads((lab_root / "projects/panel/results/step7.json").read_text())
    assert step7["split"]["kind"] == "group"
    # The naive random split flatters the model: its RMSE is well below the honest one.
    compared = step7["naive_vs_honest"]
    assert compared["differ"]
    naive, honest = compared["naive"], compared["honest"]
    assert -naive["mean"] < -honest["mean"] - (naive["std"] + honest["std"]), (naive, honest)
    # The model a random split would have picked (one that memorises countries) looks better
    # still; the report says what the leak would have cost.
    pick = compared["naive_pick"]
    assert compared["pick_differs"] and pick["mean"] >= naive["mean"], pick
    report = (lab_root / "projects/panel/report.md").read_text()
    assert made["split"]["group"][0] in report
    assert f"A random split would have picked {pick['name']}" in report
    audit = invert_process("project", "audit", "panel", "--json", cwd=lab_root)
    assert audit.returncode == 0, audit.stdout
    assert json.loads(audit.stdout)["open"] == []


def test_names_never_drop_a_column(lab_root: Path) -> None:
    rng = np.random.default_rng(1)
    n = 400
    age = rng.integers(18, 65, n)
    hours = rng.normal(38, 6, n).round(1)
    wages = pd.DataFrame(
        {"age": age, "hours": hours, "wage": (300 + 12 * age + 9 * hours + rng.normal(0, 90, n))}
    )
    csv = lab_root.parent / "wages.csv"
    wages.to_csv(csv, index=False)
    made = new_project(lab_root, csv, "wage", "--name", "wages")
    assert made["dropped"] == {}
    assert made["split"]["kind"] == "random"
    labels = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    labels["label"] = np.where(labels["a"] + labels["b"] + rng.normal(0, 0.5, n) > 0, "yes", "no")
    csv = lab_root.parent / "labels.csv"
    labels.to_csv(csv, index=False)
    made = new_project(lab_root, csv, "label", "--name", "labels")
    assert made["dropped"] == {} and not [w for w in made["warnings"] if w["fault"]]


def test_a_dated_table_is_split_by_time_with_date_features(lab_root: Path) -> None:
    rng = np.random.default_rng(2)
    days = pd.date_range("2021-01-01", periods=500, freq="D")
    trend = np.linspace(0, 40, len(days))
    weekday = np.where(days.day_of_week >= 5, 15.0, 0.0)
    sales = pd.DataFrame(
        {
            "date": days.strftime("%Y-%m-%d"),
            "temperature": rng.normal(15, 8, len(days)).round(1),
            "promotion": rng.integers(0, 2, len(days)),
        }
    )
    sales["sales"] = (
        100 + trend + weekday + 5 * sales["promotion"] + 0.5 * sales["temperature"]
    ) + rng.normal(0, 3, len(days))
    csv = lab_root.parent / "sales.csv"
    sales.to_csv(csv, index=False)
    made = new_project(lab_root, csv, "sales", "--name", "sales")
    assert made["split"] == {
        "kind": "time",
        "group": [],
        "time": "date",
        "reason": made["split"]["reason"],
    }
    assert made["dates"] == ["date"]
    folder = lab_root / "projects" / "sales"
    edit_settings(folder, folds=3, spot_check_rows=400)
    done = invert_process("project", "run", "sales", "--step", "1", cwd=lab_root)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    step1 = json.loads((folder / "results" / "step1.json").read_text())
    assert {"date_year", "date_month", "date_dayofweek"} <= set(step1["columns"])
    assert "date" not in step1["columns"]


def test_can_transfer_needs_a_result_the_audit_left_nothing_open_on(lab_root: Path) -> None:
    csv = lab_root.parent / "small_panel.csv"
    panel(countries=40, years=6, seed=3).to_csv(csv, index=False)
    new_project(lab_root, csv, "lifeExp", "--name", "mine")
    folder = lab_root / "projects" / "mine"
    edit_settings(folder, folds=3, spot_check_rows=200)
    # The learner turns the group split off: the result is the flattering one.
    edit_settings(folder, split="random")
    done = invert_process("project", "run", "mine", cwd=lab_root, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    assert "open" in done.stdout
    with Lab(lab_root) as lab:
        check = {c.id: c for c in lab.progress.report().checklist}["transfer"]
    assert not check.met and "entity" in check.evidence, check.evidence
    before = lab_fingerprint(lab_root)
    audit = invert_process("project", "audit", "mine", cwd=lab_root)
    assert audit.returncode == 1 and "open" in audit.stdout
    assert lab_fingerprint(lab_root) == before  # auditing changes nothing
    report = (folder / "report.md").read_text()
    assert "not addressed" in report
    # Put the group split back; step 7 alone is not enough evidence until it runs again.
    edit_settings(folder, split="group")
    assert invert_process("project", "audit", "mine", cwd=lab_root).returncode == 0
    done = invert_process("project", "run", "mine", cwd=lab_root, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    with Lab(lab_root) as lab:
        check = {c.id: c for c in lab.progress.report().checklist}["transfer"]
    assert check.met, check.evidence


def test_bad_settings_for_the_split_are_one_line_and_change_nothing(lab_root: Path) -> None:
    csv = lab_root.parent / "tiny_panel.csv"
    panel(countries=12, years=4, seed=4).to_csv(csv, index=False)
    new_project(lab_root, csv, "lifeExp", "--name", "tiny")
    folder = lab_root / "projects" / "tiny"
    cases = [
        ({"split": "sideways"}, "split must be random, group or time"),
        ({"split": "group", "group": []}, "needs the group column"),
        ({"group": ["nation"]}, "group names nation, not a column"),
        ({"split": "time", "time": ""}, "needs the column that orders rows in time"),
        ({"dates": ["lifeExp"]}, "cannot be in dates"),
        ({"drop_duplicates": "yes"}, "drop_duplicates"),
    ]
    original = (folder / "project.toml").read_text()
    for values, message in cases:
        (folder / "project.toml").write_text(original)
        edit_settings(folder, **values)
        before = lab_fingerprint(lab_root)
        for command in (["project", "run", "tiny"], ["project", "audit", "tiny"]):
            done = invert_process(*command, cwd=lab_root)
            assert done.returncode == 2, (values, done.stdout, done.stderr)
            assert message in done.stderr and "Traceback" not in done.stderr
            assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert lab_fingerprint(lab_root) == before


def transfer_after(tmp_path: Path, *audits: dict[str, Any] | None) -> Any:
    """The "Can transfer" box after a project on own data ran all seven steps once per audit
    given (None: a run recorded before invert kept the audit with each step)."""
    from invert.store import Event

    root = tmp_path / "journal-lab"
    root.mkdir(parents=True)
    with create_lab(root) as lab:
        lab.store.append(
            Event("project_created", subject="mine", payload={"data": "mine.csv", "bundled": None})
        )
        for audit in audits:
            for number in range(1, 8):
                payload: dict[str, Any] = {"step": number}
                if audit is not None:
                    payload["audit"] = audit
                lab.store.append(Event("project_step_run", subject="mine", payload=payload))
        return {c.id: c for c in lab.progress.report().checklist}["transfer"]


def test_transfer_is_judged_by_the_audit_recorded_with_the_last_step_7(tmp_path: Path) -> None:
    clear = {"open": [], "faults": 2, "split": "group"}
    leaky = {"open": ["entity: country"], "faults": 2, "split": "random"}
    legacy = transfer_after(tmp_path / "a", None)
    assert not legacy.met and "before its audit was recorded" in legacy.evidence
    assert legacy.items == ("mine (mine.csv): 7 of 7 steps; audit not recorded (run step 7 again)",)
    opened = transfer_after(tmp_path / "b", leaky)
    assert not opened.met and "entity: country" in opened.evidence
    assert transfer_after(tmp_path / "c", clear).met
    assert transfer_after(tmp_path / "d", leaky, clear).met
    assert not transfer_after(tmp_path / "e", clear, leaky).met  # the flattering run came last


def test_a_lab_opened_by_a_relative_path_runs_its_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    csv = tmp_path / "tiny.csv"
    panel(countries=12, years=4, seed=5).to_csv(csv, index=False)
    (tmp_path / "lab").mkdir()
    create_lab(tmp_path / "lab").close()
    monkeypatch.chdir(tmp_path)
    with Lab(Path("lab")) as lab:
        lab.projects.new(csv, "lifeExp", name="tiny")
        run = lab.projects.run("tiny", only=1)
    assert run.steps[0].result is not None and run.steps[0].result["rows"] == 48


def test_the_audit_runs_an_edited_step_1_under_the_journal_guard(lab_root: Path) -> None:
    csv = lab_root.parent / "guarded.csv"
    panel(countries=12, years=4, seed=6).to_csv(csv, index=False)
    new_project(lab_root, csv, "lifeExp", "--name", "guarded")
    step1 = lab_root / "projects" / "guarded" / "step1_define.py"
    stray = lab_root / ".invert" / "written-by-step1"
    step1.write_text(
        step1.read_text() + f"\nopen({str(stray)!r}, 'w').write('oops')  # a learner's accident\n"
    )
    before = lab_fingerprint(lab_root)
    done = invert_process("project", "audit", "guarded", "--json", cwd=lab_root)
    assert done.returncode in (0, 1), done.stderr
    assert not stray.exists()
    assert lab_fingerprint(lab_root) == before
