"""Drill verdicts test properties, not the reference's procedure.

The three verdicts issue 25 found wrong, judged again by the real checker on real data; the
`untouched` check's reruns (which rows it alters, how it tells chance from influence); and the
matcher that names a misconception from what a failing fix does and changes.
"""

from __future__ import annotations

import dataclasses
import shutil
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from invert.catalog.loader import load_catalog
from invert.kinds.drills.check import _kept_fitted
from invert.kinds.drills.misconceptions import change, closeness, match
from invert.kinds.drills.model import Misconception, WrongFix
from invert.kinds.drills.rows import alter_rows, copies, outside, positions
from invert.kinds.drills.run import Verdict, check_script

CATALOG = load_catalog()
FIXES = Path(__file__).parent / "fixtures" / "drill_fixes"


def _check(tmp_path: Path, drill_id: str, source: Path | str) -> Verdict:
    drill = CATALOG.drill(drill_id)
    (tmp_path / "drills").mkdir(exist_ok=True)
    (tmp_path / ".invert").mkdir(exist_ok=True)
    script = tmp_path / "drills" / drill.filename
    if isinstance(source, Path):
        shutil.copyfile(source, script)
    else:
        script.write_text(source, encoding="utf-8")
    return check_script(CATALOG, drill, script, tmp_path)


# --- the three wrong verdicts of the issue ------------------------------------------------------


@pytest.mark.content
@pytest.mark.parametrize(
    ("drill_id", "fix", "state", "failing"),
    [
        # k chosen by shuffled stratified folds of the training rows: once rejected, because the
        # check re-ran GridSearchCV with unshuffled folds and demanded the same k.
        ("test-score-too-rosy", "test_score_too_rosy__shuffled_folds.py", "fixed", []),
        # the depth picked by its score on the test rows: once accepted.
        ("perfect-on-train", "perfect_on_train__depth_on_test.py", "still broken", ["untouched"]),
        # the threshold moved outside the model, as the third hint suggests: once rejected.
        ("high-earners-missed", "high_earners_missed__threshold_outside.py", "fixed", []),
    ],
)
def test_the_verdicts_the_issue_found_wrong_are_right(
    tmp_path: Path, drill_id: str, fix: str, state: str, failing: list[str]
) -> None:
    verdict = _check(tmp_path, drill_id, FIXES / fix)
    assert verdict.problem is None, verdict.output[-2000:]
    assert (verdict.state, verdict.failing) == (state, failing), verdict.still_observed
    if failing == ["untouched"]:
        [observed] = verdict.still_observed
        assert "rows it was not trained on shaped what it fitted or chose" in observed


# --- which rows the untouched check alters ------------------------------------------------------


def _public() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    return pd.DataFrame(
        {
            "size": rng.normal(100, 10, 40).round(1),
            "rooms": rng.integers(1, 6, 40),
            "town": rng.choice(["north", "south", "east"], 40),
            "price": rng.normal(200, 30, 40).round(0),
        }
    )


def test_positions_trust_a_kept_index_and_match_values_otherwise() -> None:
    public = _public()
    train = public.drop(columns=["price"]).sample(25, random_state=0)
    assert list(positions(train, public)) == list(train.index)
    reset = train.reset_index(drop=True)  # the index is gone: the values tell
    assert list(positions(reset, public)) == list(train.index)
    shuffled = train.copy()
    shuffled.index = list(reversed(train.index))  # an index that lies: not trusted
    assert list(positions(shuffled, public)) == list(train.index)


def test_a_table_whose_gaps_were_filled_still_names_its_rows() -> None:
    public = _public()
    public.loc[[2, 11, 30], "size"] = np.nan
    filled = public.drop(columns=["price"]).fillna(0).sample(25, random_state=1)
    assert list(positions(filled, public)) == list(filled.index)
    # Its index gone, the filled rows cannot be placed: only the test rows that can be placed
    # are surely outside the training rows, never a row that might be a training one.
    train = filled.reset_index(drop=True)
    test = public.drop(columns=["price"]).drop(index=filled.index)
    where, others = outside(train, public, test)
    assert (where < 0).any()
    assert set(others) <= set(test.index) and not set(others) & set(filled.index)


def test_a_row_whose_values_occur_twice_is_never_altered_when_it_may_be_a_training_row() -> None:
    public = _public()
    public.loc[7] = public.loc[3]  # a duplicate: which of the two is in training cannot be told
    train = public.drop(columns=["price"]).loc[[3, 5, 9]].reset_index(drop=True)
    where, others = outside(train, public)
    assert list(where) == [-1, 5, 9]
    assert 3 not in others and 7 not in others and 5 not in others
    assert len(others) == len(public) - 4


def test_altering_rows_moves_only_them_and_keeps_labels_and_gaps() -> None:
    public = _public()
    public.loc[[2, 11], "size"] = np.nan
    rows = np.arange(20, 40)
    for how in ("shift+swap", "swap"):
        altered = alter_rows(public, rows, "price", how)
        pd.testing.assert_frame_equal(altered.iloc[:20], public.iloc[:20], check_dtype=False)
        assert altered["price"].equals(public["price"])  # the split cannot move
        assert (altered.isna() == public.isna()).all().all()  # nor a dropna before it
        assert not altered.iloc[20:].equals(public.iloc[20:])
    shifted = alter_rows(public, rows, "price", "shift+swap")
    assert shifted["rooms"].dtype.kind == "i"  # counts stay whole numbers
    assert shifted["size"].iloc[20:].mean() > public["size"].iloc[20:].mean() + 10


def test_copies_count_rows_repeated_across_the_split_beyond_the_files_own_repeats() -> None:
    public = _public()
    public.loc[39] = public.loc[0]  # the file itself holds one row twice
    features = public.drop(columns=["price"])
    train, test = features.iloc[:30], features.iloc[30:]
    assert copies(train, test, public) == 0  # its two copies fall on both sides: honest
    resampled = pd.concat([features, features.iloc[[1, 2, 3]]], ignore_index=True)
    assert copies(resampled.iloc[:30], resampled.iloc[30:], public) == 3


def test_a_part_that_cloning_keeps_fitted_is_named() -> None:
    from sklearn.feature_selection import SelectKBest
    from sklearn.frozen import FrozenEstimator
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    X = _public()[["size", "rooms"]].to_numpy()
    y = (X[:, 0] > 100).astype(int)
    frozen = FrozenEstimator(SelectKBest(k=1).fit(X, y))
    assert "FrozenEstimator" in str(_kept_fitted(make_pipeline(frozen, LogisticRegression())))
    assert _kept_fitted(make_pipeline(SelectKBest(k=1), LogisticRegression())) is None


# --- what the untouched check tells apart -------------------------------------------------------

_PENGUINS = """
from pathlib import Path
import pandas as pd
from sklearn.model_selection import train_test_split
{imports}
birds = pd.read_csv(Path(__file__).resolve().parent / "data" / "penguins.csv").dropna()
X = birds[["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]]
y = birds["species"]
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0, stratify=y)
{fit}
"""


@pytest.mark.content
@pytest.mark.parametrize(
    ("imports", "fit", "passed", "says"),
    [
        # Unseeded: the first run's forest differs from the reruns', but reruns seeded alike
        # agree whatever the test rows hold. Chance is not influence.
        (
            "from sklearn.ensemble import RandomForestClassifier",
            "model = RandomForestClassifier(n_estimators=50).fit(X_train, y_train)",
            True,
            "fits and chooses exactly the same",
        ),
        # Randomness no seed controls: whether the test rows mattered cannot be told.
        (
            "import numpy as np\nfrom sklearn.dummy import DummyClassifier",
            "seed = int(np.random.default_rng().integers(1_000_000))\n"
            "model = DummyClassifier(strategy='uniform', random_state=seed)\n"
            "model.fit(X_train, y_train)",
            False,
            "answers differently",
        ),
        # A scaler fitted on every row before the split, outside the model.
        (
            "from sklearn.neighbors import KNeighborsClassifier\n"
            "from sklearn.preprocessing import StandardScaler",
            "scaler = StandardScaler().fit(pd.concat([X_train, X_test]))\n"
            "from sklearn.pipeline import make_pipeline\n"
            "from sklearn.preprocessing import FunctionTransformer\n"
            "to_scale = FunctionTransformer(lambda f: pd.DataFrame(scaler.transform(f)))\n"
            "from sklearn.impute import SimpleImputer\n"
            "fill = SimpleImputer().fit(X_train)\n"
            "model = make_pipeline(fill, to_scale, KNeighborsClassifier()).fit(X_train, y_train)",
            False,
            "shaped what it fitted or chose",
        ),
    ],
)
def test_untouched_tells_influence_from_chance(
    tmp_path: Path, imports: str, fit: str, passed: bool, says: str
) -> None:
    source = textwrap.dedent(_PENGUINS).format(imports=imports, fit=fit)
    verdict = _check(tmp_path, "penguins-mixed-up", source)
    assert verdict.problem is None, verdict.output[-2000:]
    untouched = next(c for c in verdict.checks if c.id == "untouched")
    assert untouched.passed is passed and says in untouched.observed, untouched.observed


# --- naming the misconception -------------------------------------------------------------------

_BROKEN = """\
prep = make_pipeline(SimpleImputer(), StandardScaler())
prep.fit(X)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
model = make_pipeline(prep, Ridge()).fit(X_train, y_train)
"""
_IMPUTER_LEAK = _BROKEN.replace("prep.fit(X)\n", "imputer = SimpleImputer().fit(X)\n").replace(
    "SimpleImputer(), StandardScaler()", "imputer, StandardScaler()"
)
_OWN_PREP = _BROKEN.replace("prep.fit(X)\n", "").replace(
    "model = make_pipeline(prep, Ridge()).fit(X_train, y_train)",
    "ridge = Ridge().fit(prep.fit_transform(X_train), y_train)\n"
    "test_r2 = ridge.score(prep.fit_transform(X_test), y_test)",
)


def _toy_drill(tmp_path: Path) -> object:
    (tmp_path / "broken.py").write_text(_BROKEN, encoding="utf-8")
    return dataclasses.replace(
        CATALOG.drill("ames-score-in-doubt"),
        folder=tmp_path,
        wrong=(
            WrongFix("wrong_imputer.py", "", ("untouched",), "statistics-from-every-row"),
            WrongFix("wrong_own.py", "", ("untouched",), "test-rows-prepared-apart"),
        ),
        misconceptions=(
            Misconception("statistics-from-every-row", "Statistics from every row."),
            Misconception("test-rows-prepared-apart", "The test rows prepared apart."),
        ),
    )


def test_a_misconception_is_named_by_behaviour_then_by_the_closest_change(tmp_path: Path) -> None:
    drill = _toy_drill(tmp_path)
    refs = {"wrong_imputer.py": _IMPUTER_LEAK, "wrong_own.py": _OWN_PREP}
    # The imputer leak written another way: other names, the fit on a concatenation.
    mine = _BROKEN.replace("prep.fit(X)\n", "fill = SimpleImputer()\nfill.fit(pd.concat([X]))\n")
    mine = mine.replace("SimpleImputer(), StandardScaler()", "fill, StandardScaler()")
    found = match(drill, ["untouched"], mine, _BROKEN, refs)  # type: ignore[arg-type]
    assert found is not None and found.misconception.id == "statistics-from-every-row"
    assert 0 < found.closeness < 1
    # Behaviour first: a fix that fails other checks is not said to show either misconception.
    assert match(drill, ["holdout"], mine, _BROKEN, refs) is None  # type: ignore[arg-type]
    # A change like neither is named by neither.
    unrelated = _BROKEN + "print('the weather is fine today, thank you for asking')\n"
    assert match(drill, ["untouched"], unrelated, _BROKEN, refs) is None  # type: ignore[arg-type]
    # The matcher never reads a file name: the same source under any name gets the same answer.
    renamed = {"a.py": _IMPUTER_LEAK, "b.py": _OWN_PREP}
    drill_renamed = dataclasses.replace(
        drill,  # type: ignore[type-var]
        wrong=tuple(
            dataclasses.replace(w, file=n)
            for w, n in zip(drill.wrong, renamed, strict=True)  # type: ignore[attr-defined]
        ),
    )
    again = match(drill_renamed, ["untouched"], mine, _BROKEN, renamed)
    assert again is not None and again.misconception.id == found.misconception.id


def test_a_change_is_its_added_and_removed_tokens_not_its_layout() -> None:
    one_line = change("x = f(a)\n", "x = f(a, b)  # b too\n")
    assert one_line == change("x = f(a)\n", "x = f(\n    a,\n    b\n)\n")
    assert closeness(one_line, one_line) == 1.0
    assert closeness(one_line, change("x = f(a)\n", "y = g(a)\n")) == 0.0


def test_the_loader_knows_every_check_kind_the_child_can_run() -> None:
    from invert.kinds.drills.checks import CHECKS
    from invert.kinds.drills.model import CHECK_KINDS

    assert set(CHECK_KINDS) == set(CHECKS)
