"""How a project splits its rows, through real projects laid out by `lab.projects.new`.

project.toml is edited to the split under test (split, group, time, dates, drop_duplicates), then
the project's own step 1 is imported in a child process and its split, folds and features are
checked against the data file read here independently: whole groups on one side, the future
never trained on, dates as numbers, repeats kept once. Step 7 shows the random split's score
beside the honest one on a leaky panel, and `split_check.check_scripts` finds a learner's step
that fits on all rows.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html import unescape
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from conftest import invert_process
from invert.lab import Lab, create_lab

pytestmark = pytest.mark.slow  # real models on small tables: about 80 s in all
PROBE = """
import json
from step1_define import folds, load_data, search_rows, split

X, y = load_data()
X_train, X_test, y_train, y_test = split(X, y)
X_search, y_search = search_rows(X_train, y_train)
print(json.dumps({
    "columns": [str(c) for c in X.columns],
    "dtypes": {str(c): str(t) for c, t in X.dtypes.items()},
    "index": X.index.tolist(),
    "train": X_train.index.tolist(),
    "test": X_test.index.tolist(),
    "search": X_search.index.tolist(),
    "folds": [
        [X_search.index[train].tolist(), X_search.index[test].tolist()]
        for train, test in folds(X_search, y_search)
    ],
}))
"""


def panel(entities: int = 60, times: int = 8, seed: int = 0) -> pd.DataFrame:
    """Each entity measured at every time: its own random effect on the target, a code one-to-one
    with it (a model can memorise the entity by it), and a feature with a nonlinear effect."""
    rng = np.random.default_rng(seed)
    entity = np.repeat(np.arange(entities), times)
    year = np.tile(np.arange(1960, 1960 + 5 * times, 5), entities)
    effect = rng.normal(0, 8, entities)
    code = rng.permutation(np.arange(100, 1000))[:entities]
    x = rng.normal(size=entities * times)
    y = effect[entity] + 15 * np.sin(2 * x) + rng.normal(0, 0.5, entities * times)
    return pd.DataFrame(
        {
            "place": [f"place {e:03d}" for e in entity],
            "code": code[entity],
            "year": year,
            "x": x.round(4),
            "y": y.round(4),
        }
    )


def make_project(root: Path, frame: pd.DataFrame, target: str, name: str, **settings: Any) -> Path:
    """A project on `frame` laid out by lab.projects.new, project.toml set as `settings` say
    (the drop list emptied unless given)."""
    data = root.parent / f"{name}.csv"
    frame.to_csv(data, index=False)
    with Lab(root) as lab:
        folder = lab.projects.new(data, target, name=name).folder
    edit_settings(folder, **{"drop": [], "folds": 3, **settings})
    return folder


def edit_settings(folder: Path, **settings: Any) -> None:
    path = folder / "project.toml"
    text = re.sub(r"^drop = \[.*?^\]", "drop = []", path.read_text(), flags=re.M | re.S)
    for key, value in settings.items():
        text, n = re.subn(
            rf"^{key} = .*$", f"{key} = {json.dumps(value)}", text, count=1, flags=re.M
        )
        assert n == 1, key
    path.write_text(text)


def probe(folder: Path) -> dict[str, Any]:
    """What the project's own step 1 makes of its data: features, hold-out, search rows, folds."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=folder, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.fixture
def root(tmp_path: Path) -> Path:
    create_lab(tmp_path / "lab").close()
    return tmp_path / "lab"


def test_a_group_split_keeps_every_group_on_one_side(root: Path) -> None:
    frame = panel()
    folder = make_project(
        root, frame, "y", "panel", split="group", group=["place"], spot_check_rows=300
    )
    seen = probe(folder)
    place = frame["place"]
    train, test = set(place[seen["train"]]), set(place[seen["test"]])
    assert train and test and not train & test
    assert len(seen["train"]) + len(seen["test"]) == len(frame)
    assert "place" not in seen["columns"]  # the group shapes the split, it is not a feature
    # the search rows hold whole groups, and each fold is scored on groups it did not train on
    search = place[seen["search"]]
    assert 200 <= len(search) <= 400 and search.value_counts().eq(8).all()
    assert len(seen["folds"]) == 3
    for fold_train, fold_test in seen["folds"]:
        assert not set(place[fold_train]) & set(place[fold_test])
    assert sorted(i for _, t in seen["folds"] for i in t) == sorted(seen["search"])


def test_a_time_split_holds_out_the_latest_rows_and_folds_train_on_the_past(root: Path) -> None:
    frame = panel()
    folder = make_project(root, frame, "y", "years", split="time", time="year")
    seen = probe(folder)
    year = frame["year"]
    assert year[seen["train"]].max() < year[seen["test"]].min()
    assert 0.1 < len(seen["test"]) / len(frame) < 0.35
    assert "year" not in seen["columns"]
    for fold_train, fold_test in seen["folds"]:
        assert year[fold_train].max() < year[fold_test].min()


def test_dates_become_year_month_and_weekday_and_order_a_time_split(root: Path) -> None:
    rng = np.random.default_rng(1)
    days = pd.date_range("2020-01-01", periods=400, freq="D")
    frame = pd.DataFrame(
        {
            "day": days.strftime("%d/%m/%Y").to_numpy()[rng.permutation(400)],
            "shop": rng.choice(["north", "south"], 400),
        }
    )
    when = pd.to_datetime(frame["day"], format="%d/%m/%Y")
    frame["sales"] = (when.dt.day_of_week >= 5) * 30 + when.dt.month + rng.normal(0, 1, 400)
    folder = make_project(root, frame, "sales", "shop", split="time", time="day", dates=["day"])
    seen = probe(folder)
    assert seen["columns"] == ["shop", "day_year", "day_month", "day_dayofweek"]
    assert all(seen["dtypes"][c] == "float64" for c in seen["columns"][1:])
    assert when[seen["train"]].max() < when[seen["test"]].min()
    for fold_train, fold_test in seen["folds"]:
        assert when[fold_train].max() < when[fold_test].min()
    for step in ("1", "3"):
        done = invert_process("project", "run", "shop", "--step", step, cwd=root)
        assert done.returncode == 0, done.stdout + done.stderr
    step3 = json.loads((folder / "results" / "step3.json").read_text())
    assert step3["text"] == ["shop"]  # the dates are numbers, never one-hot text
    assert step3["features_out"] == 3 + 2
    step1 = json.loads((folder / "results" / "step1.json").read_text())
    assert step1["split"]["kind"] == "time" and step1["split"]["time"] == "day"


def test_repeats_are_kept_once_up_to_rounding_and_case(root: Path) -> None:
    rng = np.random.default_rng(2)
    base = pd.DataFrame(
        {
            "size": rng.permutation(100) + 100.3,  # distinct to 4 significant digits
            "colour": rng.choice(["Red", "Blue"], 100),
            "label": rng.choice(["yes", "no"], 100),
        }
    )
    copies = base.iloc[:20].copy()
    copies["size"] = copies["size"] * (1 + 1e-6)  # equal to 4 significant digits
    copies["colour"] = "  " + copies["colour"].str.upper() + " "
    frame = pd.concat([base, copies, base.iloc[20:30]], ignore_index=True)
    folder = make_project(root, frame, "label", "repeats", drop_duplicates=True)
    seen = probe(folder)
    assert seen["index"] == list(range(100))  # the first of each kept, at its file position
    edit_settings(folder, drop_duplicates=False)
    assert len(probe(folder)["index"]) == 130


def test_a_project_toml_from_an_older_invert_still_runs_with_a_random_split(root: Path) -> None:
    folder = make_project(root, panel(20, 5), "y", "old")
    path = folder / "project.toml"
    new_keys = ("split", "split_reason", "group", "time", "dates", "drop_duplicates", "checked")
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith(new_keys)))
    for step in (1, 4):
        done = invert_process("project", "run", "old", "--step", str(step), cwd=root)
        assert done.returncode == 0, done.stdout + done.stderr
    step1 = json.loads((folder / "results" / "step1.json").read_text())
    assert step1["split"]["kind"] == "random" and step1["rows"] == 100
    assert len(json.loads((folder / "results" / "step4.json").read_text())["scores"]) == 3


def test_step7_shows_the_random_split_flattering_a_leaky_panel(root: Path) -> None:
    import html5lib

    folder = make_project(
        root,
        panel(entities=50, times=16),
        "y",
        "leaky",
        split="group",
        group=["place"],
        split_reason="each place is measured 16 times",
    )
    done = invert_process("project", "run", "leaky", cwd=root, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    final = json.loads((folder / "results" / "step7.json").read_text())
    assert final["split"]["kind"] == "group" and final["split"]["group"] == ["place"]
    compared = final["naive_vs_honest"]
    naive, honest = compared["naive"], compared["honest"]
    assert (naive["split"], honest["split"], compared["used"]) == ("random", "group", "group")
    assert len(naive["scores"]) == len(honest["scores"]) == 3
    # scores are negated errors: the random split claims a much smaller error
    assert naive["mean"] > honest["mean"] + naive["std"] + honest["std"]
    assert compared["differ"] is True
    assert isinstance(final["test_vs_cv"]["beats"], bool)
    html = (folder / "report.html").read_text()
    html5lib.HTMLParser(strict=True).parse(html)
    md = (folder / "report.md").read_text()
    pick = compared["naive_pick"]
    assert pick["mean"] >= naive["mean"]  # the best of every family under the random split
    honest_text = f"root mean squared error {-honest['mean']:.4g}"
    for text in (unescape(html), md):
        assert "each place is measured 16 times" in text
        if compared["pick_differs"]:
            picked = f"root mean squared error {-pick['mean']:.4g}"
            assert f"A random split would have picked {pick['name']} and reported {picked}" in text
            assert (
                f"holding out whole groups of 'place', {final['model']} scores {honest_text}"
                in (text)
            )
        else:
            naive_text = f"root mean squared error {-naive['mean']:.4g}"
            assert f"A random split would have reported {naive_text}" in text
            assert f"holding out whole groups of 'place' gives {honest_text}" in text
    # the learner turns the group split off but leaves the group named: step 7 says what it costs
    edit_settings(folder, split="random")
    done = invert_process("project", "run", "leaky", "--step", "7", cwd=root, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    compared = json.loads((folder / "results" / "step7.json").read_text())["naive_vs_honest"]
    assert compared["used"] == "random" and compared["honest"]["split"] == "group"
    assert compared["naive"]["mean"] > compared["honest"]["mean"]
    assert "You chose a random split" in (folder / "report.md").read_text(), compared


# --- the learner's own scripts: split_check ------------------------------------------------------


def table_with_gaps(rows: int = 300, seed: int = 3) -> pd.DataFrame:
    """Numbers with gaps, two of them related to the class, three noise."""
    rng = np.random.default_rng(seed)
    label = rng.integers(0, 2, rows)
    frame = pd.DataFrame({f"n{i}": rng.normal(size=rows) for i in range(5)})
    frame["n0"] += label * 0.8
    frame["n1"] -= label * 0.5
    frame["n2"] = frame["n2"].abs() + 1
    frame.loc[rng.random(rows) < 0.1, "n3"] = np.nan
    frame["label"] = np.where(label == 1, "yes", "no")
    return frame


RETURN = "    return X, frame[TARGET]\n"
EDITS: dict[str, tuple[str, str, str]] = {
    # name: (script, the line it goes before, what the learner adds)
    "scaled": (
        "step1_define.py",
        RETURN,
        "    from sklearn.preprocessing import StandardScaler\n"
        "    X[X.columns] = StandardScaler().fit_transform(X)\n",
    ),
    "imputed": ("step1_define.py", RETURN, "    X = X.fillna(X.mean())\n"),
    "selected": (
        "step1_define.py",
        RETURN,
        "    from sklearn.feature_selection import SelectKBest, f_classif\n"
        "    chosen = SelectKBest(f_classif, k=2).fit(X.fillna(0), frame[TARGET])\n"
        "    X = X[list(chosen.get_feature_names_out())]\n",
    ),
    "step5": (
        "step5_spot_check.py",
        "    models = make_models()\n",
        "    from sklearn.impute import SimpleImputer\n"
        "    X_search = SimpleImputer().fit_transform(X_search)\n",
    ),
    "logged": ("step1_define.py", RETURN, "    X['n2_log'] = np.log(X['n2'])\n"),
    "ratio": ("step1_define.py", RETURN, "    X['ratio'] = X['n0'] / X['n2']\n"),
}


def test_split_check_finds_a_learners_step_fitted_on_all_rows(root: Path) -> None:
    from invert.kinds.projects.settings import ProjectSettings
    from invert.kinds.projects.split_check import check_scripts

    shipped = make_project(root, table_with_gaps(), "label", "shipped")
    settings = ProjectSettings.load(shipped)
    assert check_scripts(shipped, settings, timeout=120) == []
    found = {}
    for name, (script, before, added) in EDITS.items():
        folder = make_project(root, table_with_gaps(), "label", name)
        path = folder / script
        text = path.read_text()
        assert before in text
        path.write_text(text.replace(before, added + before, 1))
        found[name] = check_scripts(folder, ProjectSettings.load(folder), timeout=120)
    for name in ("scaled", "imputed", "selected", "step5"):
        assert [f.kind for f in found[name]] == ["preprocessing"], (name, found[name])
        assert len(found[name][0].message.splitlines()) == 1
    assert "step1_define.load_data" in found["scaled"][0].message
    assert "step1_define.load_data" in found["imputed"][0].message
    assert "target" in found["selected"][0].message
    line = EDITS["step5"][2].splitlines()[1]
    number = (root / "projects" / "step5" / "step5_spot_check.py").read_text().splitlines().index(
        line
    ) + 1
    assert f"step5_spot_check.py, line {number}: SimpleImputer().fit_transform(X_search)" in (
        found["step5"][0].message
    )
    assert found["logged"] == [] and found["ratio"] == []  # row by row: nothing to find


def test_split_check_finds_a_split_that_mixes_groups(root: Path) -> None:
    from invert.kinds.projects.settings import ProjectSettings
    from invert.kinds.projects.split_check import check_scripts

    folder = make_project(root, panel(30, 5), "y", "mixed", split="group", group=["place"])
    assert check_scripts(folder, ProjectSettings.load(folder), timeout=120) == []
    path = folder / "step1_define.py"
    text = path.read_text()
    # a learner's "simplification": a random hold-out, whatever project.toml says
    start = text.index('    if SPLIT == "group":\n        chooser')
    end = text.index("    return [X.iloc[train]")
    path.write_text(
        text[:start]
        + "    return train_test_split(X, y, test_size=TEST_SIZE, random_state=SEED)\n"
        + text[end:]
    )
    found = check_scripts(folder, ProjectSettings.load(folder), timeout=120)
    assert [f.kind for f in found] == ["split"]
    assert "step1_define.split puts rows of the group 'place" in found[0].message
