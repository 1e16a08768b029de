"""Columns that give the target away, and rows that repeat: the audit's checks against the target.

Each check fits at most small models on at most SAMPLE_ROWS rows (seeded), so a table of tens of
thousands of rows is audited in seconds. Missing values count as a value of their own: that a
column is missing can be what gives the target away (a body number known only for the dead).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from invert.kinds.projects._columns import is_text, numbers

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

SAMPLE_ROWS = 5000
FOLDS = 3
NEAR_PERFECT = 0.97  # balanced accuracy (classes) or R² (amounts) of one column alone
POST_SHARE, POST_ROWS = 0.05, 20  # the rows a column is known (or missing) in: at least these
POST_PURE = 0.98  # share of those rows in one class (titanic's boat: 98% survivors)
POST_COMMON = 0.9  # that class is at most this share of all rows
MONOTONE = 0.995  # |Spearman| of the target with one column
LINEAR = 0.999  # cross-validated R² of a linear regression on the numeric columns
FEW_VALUES = 50  # a column with at most this many values repeats by nature


FLATTERS = 0.015  # accuracy or R² a forest gains when repeats may cross the folds
REPEAT_ROWS = 3000  # rows of repeat groups (whole groups), and half as many others, for that test


@dataclass(frozen=True)
class Repeats:
    """Rows that repeat another: exactly, and up to rounding and case; and what they cost."""

    exact: int
    total: int
    rows: int
    crossing: float  # a forest's score when repeats may fall on both sides of the folds
    together: float  # ... and when each set of repeats is kept on one side


def sample(frame: pd.DataFrame, target: str) -> pd.DataFrame:
    """The rows with a known target, at most SAMPLE_ROWS of them (seeded)."""
    data = frame[frame[target].notna()]
    return data.sample(SAMPLE_ROWS, random_state=0) if len(data) > SAMPLE_ROWS else data


def near_perfect(
    data: pd.DataFrame, target: str, task: str, columns: list[str]
) -> dict[str, float]:
    """The columns that alone predict the target with a score >= NEAR_PERFECT, and the score.

    A depth-4 tree on a number (missing below every value), a lookup of each category's
    majority class or mean on text; 3-fold cross-validation; balanced accuracy for classes
    (a majority class cannot reach it), R² for amounts.
    """
    import numpy as np
    import pandas as pd
    from sklearn.model_selection import KFold, StratifiedKFold

    y = data[target]
    if len(y) < 3 * FOLDS:
        return {}
    if task == "classification":
        labels = pd.factorize(y.astype(str))[0]
        if np.bincount(labels).min() < FOLDS:
            return {}  # too few rows of a class to cross-validate: no verdict either way
        folds = list(StratifiedKFold(FOLDS, shuffle=True, random_state=0).split(labels, labels))
        baseline, target_values = 1 / (int(labels.max()) + 1), labels.astype(float)
    else:
        amounts = numbers(y)
        if amounts is None or amounts.isna().any():
            return {}
        folds = list(KFold(FOLDS, shuffle=True, random_state=0).split(y))
        baseline, target_values = 0.0, amounts.to_numpy()
    found = {}
    for column in columns:
        score = _alone(data[column], target_values, task, folds)
        if score is not None and score >= NEAR_PERFECT and score > (1 + baseline) / 2:
            found[column] = score
    return found


def _alone(
    values: pd.Series, y: np.ndarray, task: str, folds: list[tuple[np.ndarray, np.ndarray]]
) -> float | None:
    import numpy as np
    import pandas as pd
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    x = numbers(values)
    scores = []
    for train, test in folds:
        if x is not None and not is_text(values):
            filled = x.fillna(x.min() - 1 if x.notna().any() else 0).to_numpy().reshape(-1, 1)
            if np.unique(filled).size < 2:
                return None
            tree = (
                DecisionTreeClassifier(max_depth=4, random_state=0)
                if task == "classification"
                else DecisionTreeRegressor(max_depth=4, random_state=0)
            )
            predicted = tree.fit(filled[train], y[train]).predict(filled[test])
        else:
            keys = pd.Series(values.astype("string").fillna("\0missing").to_numpy())
            frame = pd.DataFrame({"k": keys[train].to_numpy(), "y": y[train]})
            if task == "classification":
                counts = frame.groupby(["k", "y"]).size().rename("n").reset_index()
                majority = counts.sort_values("n", ascending=False, kind="stable")
                table = majority.drop_duplicates("k").set_index("k")["y"]
                default = float(pd.Series(y[train]).value_counts().index[0])
            else:
                table = frame.groupby("k")["y"].mean()
                default = float(np.mean(y[train]))
            predicted = keys[test].map(table).fillna(default).to_numpy(dtype=float)
        scores.append(_score(y[test], predicted, task))
    return float(np.mean(scores))


def _score(truth: np.ndarray, predicted: np.ndarray, task: str) -> float:
    import numpy as np

    if task == "classification":  # balanced accuracy: the mean recall over the true classes
        return float(np.mean([np.mean(predicted[truth == c] == c) for c in np.unique(truth)]))
    spread = float(np.sum((truth - truth.mean()) ** 2))
    return 1 - float(np.sum((truth - predicted) ** 2)) / spread if spread else 0.0


def post_outcome(frame: pd.DataFrame, target: str, columns: list[str]) -> dict[str, str]:
    """Columns known (or missing) only in rows of one class, rare enough overall: the evidence."""
    data = frame[frame[target].notna()]
    y = data[target].astype(str)
    shares = y.value_counts(normalize=True)
    least = max(POST_ROWS, POST_SHARE * len(data))
    found = {}
    for column in columns:
        known = data[column].notna()
        for side, rows in (("known", known), ("missing", ~known)):
            count = int(rows.sum())
            if count < least or count == len(data):
                continue
            top = y[rows].value_counts()
            label, share = str(top.index[0]), float(top.iloc[0]) / count
            if share >= POST_PURE and shares[label] <= POST_COMMON:
                found[column] = (
                    f"it is {side} in {count} rows, {share:.0%} of them with '{target}' "
                    f"{label} (against {shares[label]:.0%} of all rows)"
                )
                break
    return found


def monotone(data: pd.DataFrame, target: str, columns: list[str]) -> dict[str, float]:
    """Numeric columns the target is (nearly) a monotone function of: their Spearman rho."""
    import numpy as np

    y = numbers(data[target])
    if y is None or y.nunique() < 2:
        return {}
    found = {}
    for column in columns:
        x = numbers(data[column])
        if x is None or x.nunique() < 10:
            continue
        known = x.notna() & y.notna()
        rx, ry = x[known].rank().to_numpy(), y[known].rank().to_numpy()
        if rx.std() == 0 or ry.std() == 0:
            continue
        rho = float(np.corrcoef(rx, ry)[0, 1])  # Spearman: Pearson on ranks
        if abs(rho) >= MONOTONE:
            found[column] = rho
    return found


def linear(data: pd.DataFrame, target: str, columns: list[str]) -> tuple[tuple[str, ...], float]:
    """The numeric columns a linear regression computes the target from (R² >= LINEAR), or ()."""
    import numpy as np

    table = {c: x for c in columns if (x := numbers(data[c])) is not None and x.nunique() > 1}
    if len(table) < 2 or len(data) < 6 * (len(table) + 1):
        return (), 0.0
    matrix = np.column_stack([v.fillna(v.median()).to_numpy() for v in table.values()])
    target_values = numbers(data[target])
    if target_values is None or target_values.isna().any():
        return (), 0.0
    y = target_values.to_numpy()
    names = list(table)
    score = _linear_score(matrix, y)
    if score < LINEAR:
        return (), score
    carriers = [
        n for i, n in enumerate(names) if _linear_score(np.delete(matrix, i, 1), y) < LINEAR
    ]
    if not carriers:  # every column has a stand-in: name those the fit leans on
        design = np.column_stack([matrix, np.ones(len(y))])
        coef = np.linalg.lstsq(design, y, rcond=None)[0][:-1]
        weight = np.abs(coef) * matrix.std(axis=0)
        carriers = [n for n, w in zip(names, weight, strict=True) if w >= 0.01 * weight.max()]
    return tuple(carriers), score


def _linear_score(x: np.ndarray, y: np.ndarray) -> float:
    import numpy as np
    from sklearn.model_selection import KFold

    scores = []
    for train, test in KFold(FOLDS, shuffle=True, random_state=0).split(x):
        design = np.column_stack([x, np.ones(len(y))])
        coef = np.linalg.lstsq(design[train], y[train], rcond=None)[0]
        scores.append(_score(y[test], design[test] @ coef, "regression"))
    return float(np.mean(scores))


def repeats(frame: pd.DataFrame, ignore: set[str], target: str, task: str) -> Repeats | None:
    """Rows that repeat another (identifier columns ignored), unless repeats are natural.

    Numbers are compared to 4 significant digits, text ignoring case and surrounding spaces.
    Repeats are natural when every column is discrete with few values, or when there are no
    more of them than chance gives: the pairs of equal rows expected if each column were drawn
    on its own from its values (a Poisson tail below 0.001 is not chance); or when they do not
    flatter a model: different records that look alike (two people of the same age, job and
    hours) are what new data holds too, while a copy of a row scored beside itself is not.
    """
    import numpy as np
    import pandas as pd

    columns = [c for c in frame.columns if c not in ignore]
    if not columns or len(frame) < 2:
        return None
    compared = frame[columns]
    if all(compared[c].nunique() <= FEW_VALUES for c in columns):
        return None
    normal = {}
    for column in columns:
        x = numbers(compared[column])
        if x is not None:
            magnitude = np.floor(np.log10(np.abs(x.where(x != 0, 1.0))))
            scale = 10.0 ** (3 - magnitude)
            normal[column] = (x * scale).round() / scale
        elif is_text(compared[column]):
            normal[column] = compared[column].astype("string").str.strip().str.lower()
        else:
            normal[column] = compared[column]
    table = pd.DataFrame(normal)
    total = int(table.duplicated().sum())
    if not total:
        return None
    rows = len(table)
    same = pd.util.hash_pandas_object(table, index=False).value_counts().to_numpy()
    observed = int(np.sum(same * (same - 1) // 2))  # pairs of equal rows
    chance = float(
        np.prod([np.sum(table[c].value_counts(normalize=True, dropna=False) ** 2) for c in table])
    )
    expected = chance * rows * (rows - 1) / 2
    if not _beyond_chance(observed, expected):
        return None
    crossing, together = _what_repeats_cost(table, frame[target], task)
    if crossing - together <= FLATTERS and not _copies(table):
        return None
    return Repeats(int(compared.duplicated().sum()), total, rows, crossing, together)


def _copies(table: pd.DataFrame) -> bool:
    """Whether most sets of repeated rows share a value found nowhere else in a column of many
    values (a measurement to four digits, an amount): two different records rarely do, copies
    always do."""
    import numpy as np
    import pandas as pd

    repeated = table.duplicated(keep=False).to_numpy()
    key = pd.util.hash_pandas_object(table, index=False).to_numpy()[repeated]
    _, group, counts = np.unique(key, return_inverse=True, return_counts=True)
    telling = np.zeros(len(counts), dtype=bool)
    for column in table.columns:
        values = table[column]
        if values.nunique() < FEW_VALUES:
            continue
        seen = values.map(values.value_counts(dropna=False)).to_numpy()[repeated]
        alone = seen == counts[group]  # the value occurs only in this set of repeats
        telling |= np.bincount(group, weights=alone, minlength=len(counts)) == counts
    return bool(telling.mean() >= 0.5)


def _what_repeats_cost(table: pd.DataFrame, y: pd.Series, task: str) -> tuple[float, float]:
    """A random forest's cross-validated score with repeated rows free to fall on both sides of
    the folds, and with each set of repeats kept on one side (GroupKFold). Scored on whole sets
    of repeats (at most REPEAT_ROWS rows) and as many other rows, so that a few copies in a
    large table still weigh."""
    import numpy as np
    import pandas as pd
    from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
    from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold, cross_val_score

    known = y.notna().to_numpy()
    features = table.drop(columns=[y.name]).loc[known].reset_index(drop=True)
    y = y.loc[known].reset_index(drop=True)
    key = pd.util.hash_pandas_object(features, index=False).to_numpy()
    _, group, counts = np.unique(key, return_inverse=True, return_counts=True)
    size = counts[group]
    rng = np.random.default_rng(0)
    repeated = np.unique(group[size > 1])
    rng.shuffle(repeated)
    kept = np.cumsum(counts[repeated]) <= REPEAT_ROWS
    kept[0] = True  # at least one set of repeats, however large
    rows = np.flatnonzero(np.isin(group, repeated[kept]))
    others = np.flatnonzero(size == 1)
    others = rng.choice(others, min(len(others), max(len(rows) // 2, 50)), replace=False)
    chosen = np.concatenate([rows, others])
    x = features.iloc[chosen].copy()
    for column in x.columns:
        values = x[column]
        if values.dtype.kind in "iufb":
            x[column] = values.astype(float).fillna(values.astype(float).min() - 1)
        else:  # one code per category, missing as its own
            x[column] = values.astype("category").cat.codes
    target = y.iloc[chosen].to_numpy()
    if task == "classification":
        _, classes = np.unique(target.astype(str), return_counts=True)
        if classes.min() < FOLDS:
            return 0.0, 0.0  # too few of a class to cross-validate: no verdict
        model: object = RandomForestClassifier(n_estimators=60, random_state=0, n_jobs=1)
        random_folds: object = StratifiedKFold(FOLDS, shuffle=True, random_state=0)
        scoring = "accuracy"
    else:
        model = RandomForestRegressor(n_estimators=60, random_state=0, n_jobs=1)
        random_folds = KFold(FOLDS, shuffle=True, random_state=0)
        scoring = "r2"
    crossing = cross_val_score(model, x, target, cv=random_folds, scoring=scoring)
    together = cross_val_score(
        model, x, target, cv=GroupKFold(FOLDS), groups=group[chosen], scoring=scoring
    )
    return float(np.mean(crossing)), float(np.mean(together))


def _beyond_chance(observed: int, expected: float) -> bool:
    """At least `observed` counts have a Poisson(`expected`) chance below 0.001."""
    import math

    if observed <= expected:
        return False
    if expected <= 0 or observed > expected + 20 * math.sqrt(expected) + 20:
        return True
    if expected > 100:  # the normal approximation: 3.1 standard deviations is 0.001
        return (observed - expected) / math.sqrt(expected) > 3.1
    term, below = math.exp(-expected), 0.0
    for count in range(observed):
        below += term
        term *= expected / (count + 1)
    return 1 - below < 1e-3
