"""Step 1: define the problem.

Say what is predicted, from what, and how success is measured, before looking closely at the
data. Every later step imports its settings and helpers from here, and they all come from
project.toml next to this file: change the target, the task, the metric or the columns left out
there, then run the steps again.

Run it:  python step1_define.py   (or: invert project run --step 1)
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pandas as pd
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split

HERE = Path(__file__).resolve().parent
SETTINGS = tomllib.loads((HERE / "project.toml").read_text(encoding="utf-8"))
TARGET: str = SETTINGS["target"]
TASK: str = SETTINGS["task"]  # "classification" or "regression"
METRIC: str = SETTINGS["metric"]  # a scikit-learn scoring name: higher is always better
SEED: int = SETTINGS["seed"]
JOBS: int = SETTINGS["jobs"]  # processes for cross-validation; -1 uses every core
# scikit-learn negates error metrics (so that higher is better); people quote them positive.
METRIC_LABEL = METRIC.removeprefix("neg_").replace("_", " ")


def shown(score: float) -> float:
    """A score as people quote it: an error back to positive, anything else as it is."""
    return -score if METRIC.startswith("neg_") else score


def load_data() -> tuple[pd.DataFrame, pd.Series]:
    """The features X and the target y: rows with a known target, minus the columns left out."""
    read = SETTINGS["read"]
    frame = pd.read_csv(
        HERE / SETTINGS["data"],
        sep=read["delimiter"],
        encoding=read["encoding"],
        na_values=read["na_values"],
        skipinitialspace=read["skip_initial_space"],
    )
    frame = frame[frame[TARGET].notna()].reset_index(drop=True)
    X = frame.drop(columns=[TARGET, *SETTINGS["drop"]])
    # A text column holds strings only, gaps left as NaN: the encoder needs one kind of value.
    for column in X.columns:
        values = X[column]
        if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            X[column] = values.map(lambda v: v if pd.isna(v) else str(v)).astype(object)
    return X, frame[TARGET]


def split(X: pd.DataFrame, y: pd.Series) -> list[Any]:
    """Hold out the test rows. Only step 7 touches them, once; every choice before uses the rest.

    Stratified for classes: both parts keep the same share of each class.
    """
    return train_test_split(
        X,
        y,
        test_size=SETTINGS["test_size"],
        stratify=y if TASK == "classification" else None,
        random_state=SEED,
    )


def search_rows(X_train: pd.DataFrame, y_train: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    """The training rows that steps 4 to 6 compare models on: at most spot_check_rows of them.

    Comparing many models, each fitted once per fold, on every row of a large table takes long,
    and the ranking rarely changes; step 7 fits the chosen model on all training rows.
    """
    limit = SETTINGS["spot_check_rows"]
    if len(X_train) <= limit:
        return X_train, y_train
    X_sample, _, y_sample, _ = train_test_split(
        X_train,
        y_train,
        train_size=limit,
        stratify=y_train if TASK == "classification" else None,
        random_state=SEED,
    )
    return X_sample, y_sample


def folds() -> KFold | StratifiedKFold:
    """The k folds of every comparison: the same rows in each fold for every model, so that a
    difference between two models is not a difference between two splits."""
    kind = StratifiedKFold if TASK == "classification" else KFold
    return kind(n_splits=SETTINGS["folds"], shuffle=True, random_state=SEED)


def plot_file(name: str) -> str:
    """Where a step saves a figure: plots/<name>, relative to this folder (made if needed)."""
    (HERE / "plots").mkdir(exist_ok=True)
    return f"plots/{name}"


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
        },
    )
