"""The learner-edit cases of the audit benchmark: projects whose step scripts a learner changed.

Each case lays out a project (invert's own `lab.projects.new`, so step1_define.py and the steps
are the shipped ones), then edits a step as a learner would: some fit on all rows before the
split (a fault the steps' check must find: kind "preprocessing"), some only compute row by row
(clean controls). Edits to load_data wrap the shipped function, so they work whatever its body.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from _audit_tables import Fault

PREPROCESSING = Fault("preprocessing", why="fitted on all rows in an edited step")


@dataclass(frozen=True)
class EditCase:
    """A project edited by a learner, and whether the edit fits on all rows."""

    name: str
    source: str
    edit: Callable[[Path], None]
    faults: tuple[Fault, ...] = ()

    @property
    def clean(self) -> bool:
        return not self.faults


def edit_data() -> pd.DataFrame:
    """A small table with a gap-holding column, a category and a class target (seed 61)."""
    rng = np.random.default_rng(61)
    n = 300
    income = rng.lognormal(10, 0.6, n).round(2)
    household = rng.integers(1, 7, n)
    age = rng.integers(18, 80, n)
    scores = rng.normal(0, 1, (n, 4))
    city = rng.choice([f"town_{i}" for i in range(8)], n)
    signal = 0.3 * np.log(income) - 0.1 * household + scores @ [0.5, 0.45, 0.4, 0.35]
    bought = (signal + rng.normal(0, 1, n) > np.median(signal)).astype(int)
    income[rng.random(n) < 0.08] = np.nan
    frame = pd.DataFrame(
        {"income": income, "household": household, "age": age, "city": city, "bought": bought}
    )
    for i in range(4):
        frame[f"score_{i}"] = scores[:, i].round(4)
    return frame


def _wrap_load_data(body: str) -> Callable[[Path], None]:
    """An edit of step1_define.load_data: the shipped one, then `body` on its X and y."""

    def edit(folder: Path) -> None:
        script = folder / "step1_define.py"
        text = script.read_text(encoding="utf-8")
        if "def load_data(" not in text:
            raise SystemExit("step1_define.py has no load_data: the bench needs updating")
        text = text.replace("def load_data(", "def _load_data_as_shipped(", 1)
        text += (
            "\n\ndef load_data():  # the learner's edit\n"
            "    X, y = _load_data_as_shipped()\n"
            + "".join(f"    {line}\n" for line in body.strip().splitlines())
            + "    return X, y\n"
        )
        script.write_text(text, encoding="utf-8")

    return edit


def _scale_before_cv(folder: Path) -> None:
    """step5: the search rows scaled on all of them before cross-validation."""
    script = folder / "step5_spot_check.py"
    lines = script.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        found = re.match(r"^(\s*)(\w+)\s*,\s*\w+\s*=\s*search_rows\(", line)
        if found:
            indent, name = found.groups()
            lines[i + 1 : i + 1] = [
                f"{indent}from sklearn.preprocessing import StandardScaler",
                f'{indent}numeric = {name}.select_dtypes("number").columns',
                f"{indent}{name}[numeric] = StandardScaler().fit_transform({name}[numeric])",
            ]
            script.write_text("\n".join(lines) + "\n", encoding="utf-8")
            return
    raise SystemExit("step5_spot_check.py never calls search_rows: the bench needs updating")


EDITS: tuple[EditCase, ...] = (
    EditCase(
        "scale-all-rows",
        "step1 load_data: StandardScaler().fit_transform on every row",
        _wrap_load_data(
            """
from sklearn.preprocessing import StandardScaler
numeric = X.select_dtypes("number").columns
X[numeric] = StandardScaler().fit_transform(X[numeric])
"""
        ),
        (PREPROCESSING,),
    ),
    EditCase(
        "mean-fill-all-rows",
        "step1 load_data: gaps filled with the mean of every row",
        _wrap_load_data('X["income"] = X["income"].fillna(X["income"].mean())'),
        (PREPROCESSING,),
    ),
    EditCase(
        "select-k-best-all-rows",
        "step1 load_data: SelectKBest with the target on every row",
        _wrap_load_data(
            """
from sklearn.feature_selection import SelectKBest, f_classif
numeric = list(X.select_dtypes("number").columns)
keep = SelectKBest(f_classif, k=3).fit(X[numeric].fillna(0), y).get_support()
X = X.drop(columns=[c for c, kept in zip(numeric, keep) if not kept])
"""
        ),
        (PREPROCESSING,),
    ),
    EditCase(
        "target-mean-all-rows",
        "step1 load_data: each town's share of the target over every row",
        _wrap_load_data('X["town_rate"] = X["city"].map(y.groupby(X["city"]).mean())'),
        (PREPROCESSING,),
    ),
    EditCase(
        "scale-before-cv",
        "step5: X_search scaled with fit_transform before cross_validate",
        _scale_before_cv,
        (PREPROCESSING,),
    ),
    EditCase(
        "log-column",
        "step1 load_data: log of income, row by row (clean)",
        _wrap_load_data(
            """
import numpy as np
X["log_income"] = np.log(X["income"])
"""
        ),
    ),
    EditCase(
        "ratio-columns",
        "step1 load_data: income per household member, row by row (clean)",
        _wrap_load_data('X["income_each"] = X["income"] / X["household"]'),
    ),
)
