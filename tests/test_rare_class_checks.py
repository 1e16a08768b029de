"""The `rare_class` check: decisions on new rows measured on one class only.

Through the real checker on f1-equals-accuracy (a luxury class cut from the Ames prices), and
called directly on a Context of the real Titanic rows for a class that is one of the target's
values.
"""

from __future__ import annotations

import textwrap
from concurrent.futures import ThreadPoolExecutor

import pytest

from invert.catalog.loader import load_catalog
from invert.kinds.drills.check import CheckFailed, Context
from invert.kinds.drills.data import split_rows
from invert.kinds.drills.rare_class_checks import check_rare_class
from invert.kinds.drills.run import Verdict, check_script

CATALOG = load_catalog()
DRILL = CATALOG.drill("f1-equals-accuracy")

HEAD = """
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.dummy import DummyClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

houses = pd.read_csv(Path(__file__).resolve().parent / "data" / "ames.csv")
numbers = ["Gr Liv Area", "Overall Qual", "Year Built", "Total Bsmt SF", "Garage Cars", "Lot Area"]
words = ["Neighborhood", "Kitchen Qual"]
X = houses[numbers + words]
luxury = houses["SalePrice"] >= 350_000
y = np.where(luxury, "luxury", "other")
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)
"""
REPORT = "score = f1_score(y_test, model.predict(X_test), pos_label='luxury')\n"

CASES = {
    "logistic": (
        "prepare = make_column_transformer(\n"
        "    (make_pipeline(SimpleImputer(), StandardScaler()), numbers),\n"
        "    (OneHotEncoder(handle_unknown='ignore'), words),\n"
        ")\n"
        "model = make_pipeline(prepare, LogisticRegression()).fit(X_train, y_train)\n"
    ),
    "always_other": "model = DummyClassifier(strategy='most_frequent').fit(X_train, y_train)\n",
    "always_luxury": (
        "model = DummyClassifier(strategy='constant', constant='luxury').fit(X_train, y_train)\n"
    ),
}


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Verdict]:
    lab = tmp_path_factory.mktemp("lab")
    (lab / "drills").mkdir()
    (lab / ".invert").mkdir()

    def run(name: str) -> tuple[str, Verdict]:
        script = lab / "drills" / f"{name}.py"
        script.write_text(textwrap.dedent(HEAD) + CASES[name] + REPORT, encoding="utf-8")
        return name, check_script(CATALOG, DRILL, script, lab)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(run, CASES))


def _luxury(verdict: Verdict) -> tuple[bool, str, dict[str, object]]:
    assert verdict.problem is None, verdict.output[-2000:]
    check = next(c for c in verdict.checks if c.id == "luxury")
    return check.passed, check.observed, check.figures


@pytest.mark.slow
def test_a_model_that_finds_the_rare_class_passes(verdicts: dict[str, Verdict]) -> None:
    passed, observed, figures = _luxury(verdicts["logistic"])
    assert passed, observed
    assert verdicts["logistic"].fixed
    assert isinstance(figures["found"], int) and figures["found"] > 0


@pytest.mark.slow
def test_a_model_that_never_answers_the_rare_class_fails(verdicts: dict[str, Verdict]) -> None:
    passed, observed, figures = _luxury(verdicts["always_other"])
    assert not passed
    assert figures["found"] == 0 and figures["score"] == 0.0
    assert "F1 for 'luxury' on 586 rows the script never saw: 0.000" in observed


@pytest.mark.slow
def test_calling_every_row_the_rare_class_fails(verdicts: dict[str, Verdict]) -> None:
    passed, observed, figures = _luxury(verdicts["always_luxury"])
    assert not passed
    assert figures["false_alarms"] == figures["rows"] - figures["found"]
    assert "calls 563 others 'luxury'" in observed


def _titanic_context(model: object) -> Context:
    dataset = CATALOG.dataset("titanic")
    public, hidden = split_rows(CATALOG, dataset)
    return Context({"model": model}, public, hidden, dataset.target, "classification")


def _fitted(columns: list[str]) -> object:
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    public, _ = split_rows(CATALOG, CATALOG.dataset("titanic"))
    model = make_pipeline(SimpleImputer(), LogisticRegression())
    return model.fit(public[columns], public["survived"])


def test_a_class_that_is_a_target_value_is_measured_without_a_cut() -> None:
    ctx = _titanic_context(_fitted(["pclass", "fare"]))
    params = {"positive": 1, "metric": "recall", "at_least": 0.99}
    passed, observed, _ = check_rare_class(ctx, params)
    assert not passed  # class and fare alone miss many survivors
    assert f"of the {int((ctx.truth == 1).sum())} that are 1" in observed
    passed, _, _ = check_rare_class(ctx, params | {"at_least": 0.1})
    assert passed


def test_a_model_that_is_gone_fails_with_a_sentence() -> None:
    ctx = _titanic_context(None)
    with pytest.raises(CheckFailed, match="there is no model left to test"):
        check_rare_class(ctx, {"positive": 1, "metric": "f1", "at_least": 0.5})
