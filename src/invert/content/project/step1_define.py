"""Step 1: define the problem.

Say what is predicted, from what, and how success is measured, before looking closely at the
data, and how rows are split into the ones a model learns from and the ones it is scored on:
at random, by group (every row of one entity on the same side) or by time (trained on the past,
scored on the future). Every later step imports its settings and helpers from here, and they
all come from project.toml next to this file: change the target, the task, the metric, the
columns left out or the split there, then run the steps again.

Run it:  python step1_define.py   (or: invert project run --step 1)
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.model_selection import (
    GroupKFold,
    GroupShuffleSplit,
    KFold,
    StratifiedGroupKFold,
    StratifiedKFold,
    TimeSeriesSplit,
    train_test_split,
)

HERE = Path(__file__).resolve().parent
SETTINGS = tomllib.loads((HERE / "project.toml").read_text(encoding="utf-8"))
TARGET: str = SETTINGS["target"]
TASK: str = SETTINGS["task"]  # "classification" or "regression"
METRIC: str = SETTINGS["metric"]  # a scikit-learn scoring name: higher is always better
SEED: int = SETTINGS["seed"]
JOBS: int = SETTINGS["jobs"]  # processes for cross-validation; -1 uses every core
TEST_SIZE: float = SETTINGS["test_size"]
# How rows are split (see project.toml); a project made by an older invert has none of these,
# and gets a random split.
SPLIT: str = SETTINGS.get("split", "random")  # "random", "group" or "time"
GROUP: list[str] = SETTINGS.get("group", [])
TIME: str = SETTINGS.get("time", "")
DATES: list[str] = SETTINGS.get("dates", [])
DROP_DUPLICATES: bool = SETTINGS.get("drop_duplicates", False)
# scikit-learn negates error metrics (so that higher is better); people quote them positive.
METRIC_LABEL = METRIC.removeprefix("neg_").replace("_", " ")


def shown(score: float) -> float:
    """A score as people quote it: an error back to positive, anything else as it is."""
    return -score if METRIC.startswith("neg_") else score


def read_file() -> pd.DataFrame:
    """The data file as it is, every row and column, read as project.toml says."""
    read = SETTINGS["read"]
    return pd.read_csv(
        HERE / SETTINGS["data"],
        sep=read["delimiter"],
        encoding=read["encoding"],
        na_values=read["na_values"],
        skipinitialspace=read["skip_initial_space"],
    )


def load_data() -> tuple[pd.DataFrame, pd.Series]:
    """The features X and the target y: rows with a known target, minus the columns left out.

    X's index is each row's position in the file (0 for the first row): groups() and times()
    find a row's group and time by it. Everything here works row by row (a date becomes its year,
    a text is tidied); nothing is learned from the rows, since that must happen inside each fold.
    """
    frame = read_file()
    frame = frame[frame[TARGET].notna()]  # the index keeps each row's position in the file
    if DROP_DUPLICATES:
        frame = without_repeats(frame)
    # Group and time columns say which rows belong together or come first: they shape the
    # split, they are not features (a date's parts are, when it is also in dates).
    left_out = [TARGET, *SETTINGS["drop"], *GROUP, *([TIME] if TIME else [])]
    X = frame.drop(columns=[c for c in frame.columns if c in left_out or c in DATES])
    for column in DATES:
        if column not in SETTINGS["drop"]:
            X = X.join(date_parts(frame[column]))
    # A text column holds strings only, gaps left as NaN: the encoder needs one kind of value.
    for column in X.columns:
        values = X[column]
        if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            X[column] = values.map(lambda v: v if pd.isna(v) else str(v)).astype(object)
    return X, frame[TARGET]


def without_repeats(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of frame, each repeat kept once (the first): numbers compared to 4 significant
    digits, text ignoring case and surrounding spaces, the columns left out ignored.

    A row and its copy on either side of the split would let a model be scored on a row it was
    trained on.
    """
    compared = frame.drop(columns=SETTINGS["drop"])
    for column in compared.columns:
        values = compared[column]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            compared[column] = values.map(lambda v: f"{v:.4g}")
        else:
            compared[column] = values.astype(str).str.strip().str.lower()
    return frame[~compared.duplicated()]


def as_dates(values: pd.Series) -> pd.Series:
    """Text such as 2021-03-04 or 04/03/2021 10:00 as dates; NaT where it is not a date.

    Written with slashes or dots, a date may put the day first (Europe) or the month (the US):
    the day comes first when some date of the column starts with a number above 12.
    """
    text = values.astype(str).str.strip()
    day_first = text.str.match(r"(1[3-9]|2\d|3[01])[/.-]\d{1,2}[/.-]\d{2,4}").any()
    return pd.to_datetime(text, format="mixed", dayfirst=bool(day_first), errors="coerce")


def date_parts(values: pd.Series) -> pd.DataFrame:
    """A date column as numbers a model can use: year, month, day of the week (0 = Monday),
    and the hour when the times of day vary. As text, each date would be a category of its own,
    never seen again in new data."""
    when = as_dates(values)
    name = values.name
    parts = {
        f"{name}_year": when.dt.year,
        f"{name}_month": when.dt.month,
        f"{name}_dayofweek": when.dt.day_of_week,
    }
    if when.dt.hour.nunique() > 1:
        parts[f"{name}_hour"] = when.dt.hour
    return pd.DataFrame(parts, index=values.index).astype(float)


def groups(X: pd.DataFrame) -> pd.Series | None:
    """The group of each row of X (project.toml's group), one text key per row; None if unset.

    Several group columns make one key: ("France", 2001) becomes "France | 2001".
    """
    if not GROUP:
        return None
    rows = read_file().loc[X.index, GROUP]
    return rows.astype(str).agg(" | ".join, axis=1)


def times(X: pd.DataFrame) -> pd.Series | None:
    """When each row of X happened (project.toml's time): numbers or dates; None if unset."""
    if not TIME:
        return None
    values = read_file().loc[X.index, TIME]
    if pd.api.types.is_numeric_dtype(values):
        return values
    when = as_dates(values)
    if when.isna().all():
        raise SystemExit(f"the time column '{TIME}' holds neither numbers nor dates")
    return when


def split(X: pd.DataFrame, y: pd.Series) -> list[Any]:
    """Hold out the test rows. Only step 7 touches them, once; every choice before uses the rest.

    random: stratified for classes (both parts keep the same share of each class).
    group: whole groups held out, so the score is for groups the model has never seen.
    time: the latest rows held out, so the model is scored on a future it never saw.
    Returns X_train, X_test, y_train, y_test.
    """
    if SPLIT == "group":
        chooser = GroupShuffleSplit(n_splits=1, test_size=TEST_SIZE, random_state=SEED)
        train, test = next(chooser.split(X, y, groups(X)))
    elif SPLIT == "time":
        train, test = later_rows(time_rank(X), TEST_SIZE)
    else:
        stratify = y if TASK == "classification" else None
        return train_test_split(X, y, test_size=TEST_SIZE, stratify=stratify, random_state=SEED)
    return [X.iloc[train], X.iloc[test], y.iloc[train], y.iloc[test]]


def time_rank(X: pd.DataFrame) -> np.ndarray:
    """Each row's place among the distinct times of X: 0 for the earliest time.

    Rows of one time share a rank, so they always fall on the same side of a cut. A row with no
    time known counts as the earliest: it can only ever be trained on.
    """
    when = times(X)
    assert when is not None
    distinct = np.sort(when.dropna().unique())
    if len(distinct) < 2:
        raise SystemExit(f"split = \"time\" needs rows at two times at least in '{TIME}'")
    return np.where(when.isna(), 0, np.searchsorted(distinct, when.to_numpy()))


def later_rows(rank: np.ndarray, share: float) -> tuple[np.ndarray, np.ndarray]:
    """(earlier, later) row positions: about `share` of the rows, at the latest times, are later."""
    cut = np.sort(rank)[int(len(rank) * (1 - share))]
    cut = max(cut, 1)  # never every row: the earliest time always trains
    return np.flatnonzero(rank < cut), np.flatnonzero(rank >= cut)


def search_rows(X_train: pd.DataFrame, y_train: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    """The training rows that steps 4 to 6 compare models on: at most spot_check_rows of them.

    Comparing many models, each fitted once per fold, on every row of a large table takes long,
    and the ranking rarely changes; step 7 fits the chosen model on all training rows. A sample
    keeps whole groups (split group) and is put in time order (split time).
    """
    limit = SETTINGS["spot_check_rows"]
    if len(X_train) <= limit:
        return X_train, y_train
    if SPLIT == "group":
        chooser = GroupShuffleSplit(n_splits=1, train_size=limit / len(X_train), random_state=SEED)
        kept, _ = next(chooser.split(X_train, y_train, groups(X_train)))
        return X_train.iloc[kept], y_train.iloc[kept]
    stratify = y_train if TASK == "classification" and SPLIT == "random" else None
    X_sample, _, y_sample, _ = train_test_split(
        X_train, y_train, train_size=limit, stratify=stratify, random_state=SEED
    )
    if SPLIT == "time":
        order = np.argsort(time_rank(X_sample), kind="stable")
        return X_sample.iloc[order], y_sample.iloc[order]
    return X_sample, y_sample


def folds(X: pd.DataFrame, y: pd.Series, kind: str = "") -> list[tuple[np.ndarray, np.ndarray]]:
    """The k folds of every comparison, as (training rows, scored rows) positions in X.

    The same rows in each fold for every model, so that a difference between two models is not
    a difference between two splits. `kind` is the split (project.toml's by default):
    random: shuffled k-fold, stratified for classes.
    group: whole groups in each fold, so every fold is scored on groups it did not train on.
    time: each fold trains on the past and is scored on the times that follow.
    """
    kind = kind or SPLIT
    k = SETTINGS["folds"]
    classes = TASK == "classification"
    if kind == "group":
        key = groups(X)
        assert key is not None
        if key.nunique() < k:
            raise SystemExit(f"{k} folds need {k} groups at least; these rows have {key.nunique()}")
        kinds = StratifiedGroupKFold if classes else GroupKFold
        return list(kinds(n_splits=k, shuffle=True, random_state=SEED).split(X, y, key))
    if kind == "time":
        rank = time_rank(X)
        if rank.max() < k:
            raise SystemExit(f"{k} folds by time need {k + 1} distinct times at least")
        pairs = []
        for past, future in TimeSeriesSplit(n_splits=k).split(np.arange(rank.max() + 1)):
            scored = (rank >= future.min()) & (rank <= future.max())
            pairs.append((np.flatnonzero(rank <= past.max()), np.flatnonzero(scored)))
        return pairs
    kinds = StratifiedKFold if classes else KFold
    return list(kinds(n_splits=k, shuffle=True, random_state=SEED).split(X, y))


def split_label() -> str:
    """The split used, and why, in one line (the reason is project.toml's split_reason)."""
    what = {
        "random": "a random split",
        "group": f"split by group ({', '.join(GROUP)}): each group's rows all on one side",
        "time": f"split by time ({TIME}): the latest rows held out, folds train on the past",
    }[SPLIT]
    reason = SETTINGS.get("split_reason", "")
    return f"{what}; {reason}" if reason else what


def split_record() -> dict[str, Any]:
    """The split as the results record it, so the report can say how a score was made."""
    return {
        "kind": SPLIT,
        "group": GROUP,
        "time": TIME,
        "reason": SETTINGS.get("split_reason", ""),
        "label": split_label(),
    }


def plot_file(name: str) -> str:
    """Where a step saves a figure: plots/<name>, relative to this folder (made if needed)."""
    (HERE / "plots").mkdir(exist_ok=True)
    return f"plots/{name}"


def paired_gap(better: Any, worse: Any) -> tuple[float, float]:
    """How far one model is ahead of another scored on the same folds: the mean of their
    fold-by-fold differences, and its standard error with Nadeau and Bengio's correction for
    folds whose training rows overlap (1/k + n_test/n_train times the differences' variance).

    The luck of each fold is shared by both models and cancels in the differences, so this can
    show a gap smaller than either model's own spread, and refuse one larger than it.
    """
    gaps = np.asarray(better, dtype=float) - np.asarray(worse, dtype=float)
    k = len(gaps)
    if k < 2:
        return float(gaps.mean()), float("inf")
    variance = (1 / k + 1 / (k - 1)) * gaps.var(ddof=1)
    return float(gaps.mean()), float(np.sqrt(variance))


def save_result(step: int, result: dict[str, Any]) -> None:
    """Write what a step found to results/step<N>.json: later steps and the report read it."""
    folder = HERE / "results"
    folder.mkdir(exist_ok=True)
    text = json.dumps(result, indent=2, default=lambda value: value.tolist())
    (folder / f"step{step}.json").write_text(text + "\n", encoding="utf-8")


def load_result(step: int) -> dict[str, Any]:
    """What an earlier step found; it must have run first."""
    path = HERE / "results" / f"step{step}.json"
    if not path.is_file():
        raise SystemExit(f"results/step{step}.json is missing: run step {step} first")
    result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return result


if __name__ == "__main__":
    X, y = load_data()
    X_train, X_test, y_train, y_test = split(X, y)
    X_search, _ = search_rows(X_train, y_train)
    print("THE PROBLEM")
    print(f"  predict '{TARGET}' from {X.shape[1]} columns of {SETTINGS['data']}")
    print(f"  task: {TASK} ({SETTINGS['task_reason']})")
    if SETTINGS["drop"]:
        print(f"  left out: {', '.join(SETTINGS['drop'])} (the drop list in project.toml)")
    if DATES:
        print(f"  dates turned into year, month and day of week: {', '.join(DATES)}")
    if DROP_DUPLICATES:
        print("  rows that repeat another kept once (drop_duplicates)")
    if TASK == "classification":
        counts = y.value_counts()
        shares = ", ".join(f"{label} {n} ({n / len(y):.1%})" for label, n in counts.items())
        print(f"  classes: {shares}")
        target = {"classes": {str(label): int(n) for label, n in counts.items()}}
    else:
        stats = y.describe()
        print(
            f"  target: mean {stats['mean']:.4g}, std {stats['std']:.4g}, "
            f"from {stats['min']:.4g} to {stats['max']:.4g}"
        )
        target = {k: float(stats[k]) for k in ("mean", "std", "min", "50%", "max")}
    print(f"  measured by {METRIC_LABEL}, with {SETTINGS['folds']}-fold cross-validation")
    print(f"  {len(X_train)} training rows; {len(X_test)} held out until step 7")
    print(f"  how: {split_label()}")
    if len(X_search) < len(X_train):
        print(f"  models are compared on {len(X_search)} of the training rows (spot_check_rows)")
    save_result(
        1,
        {
            "target": TARGET,
            "task": TASK,
            "task_reason": SETTINGS["task_reason"],
            "metric": METRIC,
            "metric_label": METRIC_LABEL,
            "rows": len(X),
            "columns": list(X.columns),
            "dropped": SETTINGS["drop"],
            "train_rows": len(X_train),
            "test_rows": len(X_test),
            "search_rows": len(X_search),
            "folds": SETTINGS["folds"],
            "target_summary": target,
            "split": split_record(),
            "dates": DATES,
        },
    )
