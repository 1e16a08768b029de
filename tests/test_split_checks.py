"""The split checks (kinds/drills/split_checks.py) judge the split a script really made.

Small scripts written here, run through the real checker on the real Ames rows: whatever call
made the split, a split that keeps every neighbourhood on one side passes `groups_apart`, and one
that leaves a neighbourhood on both sides fails; a split that tests on sales later than every
training sale passes `time_ordered`, and one with a test sale dated earlier fails. Each failure
is a sentence that counts what it found.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from invert.catalog.loader import load_catalog
from invert.kinds.drills.model import CHECK_KINDS
from invert.kinds.drills.run import Verdict, check_script

CATALOG = load_catalog()
DRILL = "new-neighbourhoods-priced-worse"  # declares a groups_apart check named "apart"
DATED = "sales-from-the-future"  # declares a time_ordered check named "ordered" (year, month)

HEAD = """
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GroupKFold, GroupShuffleSplit, train_test_split

houses = pd.read_csv(Path(__file__).resolve().parent / "data" / "ames.csv")
X = houses[["Gr Liv Area", "Overall Qual", "Year Built"]]
y = houses["SalePrice"]
groups = houses["Neighborhood"]
"""
TAIL = """
model = LinearRegression().fit(X_train, y_train)
test_r2 = model.score(X_test, y_test)
"""

SPLITS = {
    "group_shuffle_split": """
train, test = next(GroupShuffleSplit(n_splits=1, test_size=0.3, random_state=5).split(X, y, groups))
X_train, X_test, y_train, y_test = X.iloc[train], X.iloc[test], y.iloc[train], y.iloc[test]
""",
    "group_kfold_last_fold": """
train, test = list(GroupKFold(n_splits=3).split(X, y, groups))[-1]
X_train, X_test, y_train, y_test = X.iloc[train], X.iloc[test], y.iloc[train], y.iloc[test]
""",
    # by hand, and with the tables rebuilt (new index, a column added): found by their values
    "by_hand_reindexed": """
codes = groups.astype("category").cat.codes.to_numpy()
test = codes % 4 == 0
X_train = X[~test].reset_index(drop=True).assign(age=lambda f: 2011 - f["Year Built"])
X_test = X[test].reset_index(drop=True).assign(age=lambda f: 2011 - f["Year Built"])
y_train, y_test = y[~test].to_numpy(), y[test].to_numpy()
""",
    "random_split": """
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
""",
    "one_neighbourhood_split": """
# every neighbourhood apart but one, whose houses are dealt out to both sides
test = groups.isin(["NAmes", "Edwards"]).to_numpy(copy=True)
test[np.flatnonzero(groups.to_numpy() == "CollgCr")[::2]] = True
X_train, X_test, y_train, y_test = X[~test], X[test], y[~test], y[test]
""",
}


def _check(tmp_path: Path, split: str, drill_id: str = DRILL) -> Verdict:
    drill = CATALOG.drill(drill_id)
    (tmp_path / "drills").mkdir()
    (tmp_path / ".invert").mkdir()
    script = tmp_path / "drills" / drill.filename
    source = textwrap.dedent(HEAD) + textwrap.dedent(split) + textwrap.dedent(TAIL)
    script.write_text(source, encoding="utf-8")
    return check_script(CATALOG, drill, script, tmp_path)


def _outcome(verdict: Verdict, check_id: str = "apart") -> tuple[bool, str]:
    assert verdict.problem is None, verdict.output
    found = next(c for c in verdict.checks if c.id == check_id)
    return found.passed, found.observed


def test_the_split_check_kinds_are_registered() -> None:
    from invert.kinds.drills.checks import CHECKS

    for kind in ("groups_apart", "time_ordered"):
        assert kind in CHECK_KINDS
        assert kind in CHECKS


@pytest.mark.content
@pytest.mark.parametrize(
    "split", ["group_shuffle_split", "group_kfold_last_fold", "by_hand_reindexed"]
)
def test_a_split_by_neighbourhood_passes_whatever_made_it(tmp_path: Path, split: str) -> None:
    passed, observed = _outcome(_check(tmp_path, SPLITS[split]))
    assert passed, observed
    assert "has a row in `X_train`" in observed


@pytest.mark.content
def test_a_random_split_fails_and_counts_the_shared_neighbourhoods(tmp_path: Path) -> None:
    passed, observed = _outcome(_check(tmp_path, SPLITS["random_split"]))
    assert not passed
    # 586 test houses, every one from a neighbourhood that also has training houses
    assert "in `X_test` also have rows in `X_train`: 586 of the 586 test rows" in observed


@pytest.mark.content
def test_one_neighbourhood_on_both_sides_is_enough_to_fail(tmp_path: Path) -> None:
    passed, observed = _outcome(_check(tmp_path, SPLITS["one_neighbourhood_split"]))
    assert not passed
    assert observed.startswith("1 of the 3 neighbourhoods in `X_test`")


@pytest.mark.content
def test_tables_that_no_longer_hold_the_files_rows_cannot_be_judged(tmp_path: Path) -> None:
    split = SPLITS["random_split"] + "X_train = X_train * 2.0\n"
    passed, observed = _outcome(_check(tmp_path, split))
    assert not passed
    assert observed.startswith("`X_train` no longer holds the data file's rows")


DATED_SPLITS = {
    "sorted_cut": """
order = houses.sort_values(["Yr Sold", "Mo Sold"], kind="stable").index
X_train, X_test, y_train, y_test = train_test_split(
    X.loc[order], y.loc[order], test_size=0.2, shuffle=False
)
""",
    # by a mask, with the year and month kept out of the features: read from the file
    "before_2009_mask": """
later = (houses["Yr Sold"] * 12 + houses["Mo Sold"]).to_numpy() >= 2009 * 12 + 1
X_train, X_test, y_train, y_test = X[~later], X[later], y[~later], y[later]
""",
    "random_split": SPLITS["random_split"],
    "one_sale_too_early": """
later = (houses["Yr Sold"] >= 2010).to_numpy(copy=True)
later[np.flatnonzero(houses["Yr Sold"].to_numpy() == 2007)[0]] = True
X_train, X_test, y_train, y_test = X[~later], X[later], y[~later], y[later]
""",
}


@pytest.mark.content
@pytest.mark.parametrize("split", ["sorted_cut", "before_2009_mask"])
def test_a_split_forward_in_time_passes_whatever_made_it(tmp_path: Path, split: str) -> None:
    passed, observed = _outcome(_check(tmp_path, DATED_SPLITS[split], DATED), "ordered")
    assert passed, observed
    assert "none before the latest one in `X_train`" in observed


@pytest.mark.content
def test_a_random_split_fails_and_counts_the_earlier_test_sales(tmp_path: Path) -> None:
    passed, observed = _outcome(_check(tmp_path, DATED_SPLITS["random_split"], DATED), "ordered")
    assert not passed
    assert "are dated before the latest one in `X_train` (2010/7)" in observed


@pytest.mark.content
def test_one_test_sale_dated_too_early_is_enough_to_fail(tmp_path: Path) -> None:
    verdict = _check(tmp_path, DATED_SPLITS["one_sale_too_early"], DATED)
    passed, observed = _outcome(verdict, "ordered")
    assert not passed
    assert observed.startswith("1 of the ")
    assert "the earliest is from 2007/" in observed
