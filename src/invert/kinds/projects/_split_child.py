"""The child side of split_check: run a project's own step1_define and test what it does.

Invoked as ``python _split_child.py CONFIG_JSON RESULT_JSON`` with the project folder as the
working directory (by path, so that the invert package is not imported). CONFIG holds the
settings the check needs: target, data (absolute path), read options, split, group, time, seed.
It writes {"problems": [[kind, message], ...]} or {"skipped": why}. Nothing in the project folder
is written: the other rows are changed by wrapping pandas.read_csv, not by editing the data.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import sys
from pathlib import Path
from typing import Any

FIX = "fit it in the pipeline (step3_prepare.full_pipeline) so each fold fits its own"
HALF: dict[str, Any] = {}  # how read_csv changes the data file while a variant is loaded
READ: dict[str, int] = {}  # how many rows the data file has, seen when step 1 reads it


def main(config_path: str, result_path: str) -> None:
    config = json.loads(Path(config_path).read_text(encoding="utf-8"))
    journal = os.environ.pop("INVERT_JOURNAL", "")
    if journal:  # the same guard as when the steps run: the learner's code may not touch it
        guard = Path(__file__).resolve().parents[2] / "runner" / "child.py"
        spec = importlib.util.spec_from_file_location("invert_runner_child", guard)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.protect(journal)
    try:
        problems = check(config)
        result: dict[str, Any] = {"problems": problems}
    except Exception as exc:  # a step that fails is reported by the run, not here
        result = {"skipped": f"{type(exc).__name__}: {exc}"}
    Path(result_path).write_text(json.dumps(result), encoding="utf-8")


def check(config: dict[str, Any]) -> list[list[str]]:
    import numpy as np
    import pandas as pd

    data = Path(config["data"]).resolve()
    original = pd.read_csv

    def read_csv(path: Any, *args: Any, **kwargs: Any) -> Any:
        frame = original(path, *args, **kwargs)
        try:
            ours = Path(path).resolve() == data
        except TypeError:
            ours = False
        if ours:
            READ["rows"] = len(frame)
        if not ours or not HALF:
            return frame
        if "rows" in HALF:
            # The kept rows keep their positions in the whole file as index, as if the others
            # had never been there: load_data keeps them, so rows match across the two loads.
            return frame.iloc[HALF["rows"]]
        shuffled = frame.copy()
        known = shuffled[config["target"]].notna().to_numpy()
        values = shuffled.loc[known, config["target"]].to_numpy()
        shuffled.loc[known, config["target"]] = np.random.default_rng(1).permutation(values)
        return shuffled

    pd.read_csv = read_csv  # type: ignore[assignment]  # before step 1 is imported: `from pandas import read_csv` sees it too
    sys.path.insert(0, str(Path.cwd()))
    step1 = importlib.import_module("step1_define")  # the project's own, maybe edited

    problems: list[list[str]] = []
    X, y = step1.load_data()
    if "rows" in READ:  # else load_data does not read the data file as project.toml says
        problems += row_wise(step1, X, READ["rows"], config["seed"])
    problems += split_apart(step1, X, y, config)
    return problems


def row_wise(step1: Any, X: Any, rows: int, seed: int) -> list[list[str]]:
    """Features of a row must not change when other rows change (half of them dropped), nor when
    the target changes (shuffled): else something is fitted on all rows before the split."""
    import numpy as np
    import pandas as pd

    if rows < 20:
        return []
    kept = np.sort(np.random.default_rng(seed).choice(rows, rows // 2, replace=False))
    HALF["rows"] = kept
    try:
        X_half, _ = step1.load_data()
    finally:
        HALF.clear()
    if len(X_half) >= len(X):  # load_data does not read the data file as project.toml says
        return []
    if X_half.index.equals(pd.RangeIndex(len(X_half))):  # the index was reset: rows cannot match
        return []
    what = differs(X, X_half)
    if what:
        return [
            [
                "preprocessing",
                f"step1_define.load_data: {what} when other rows change: something is fitted "
                f"on all rows before the split; {FIX}",
            ]
        ]
    HALF["target"] = True
    try:
        X_shuffled, _ = step1.load_data()
    finally:
        HALF.clear()
    what = differs(X, X_shuffled, same_columns=True)
    if what:
        return [
            [
                "preprocessing",
                f"step1_define.load_data: {what} when the target of the rows changes: a choice "
                f"made with the target of all rows (a selection, an encoding); {FIX}",
            ]
        ]
    return []


def differs(X: Any, other: Any, same_columns: bool = False) -> str:
    """What differs between the rows both frames hold, in the columns both have; "" if none."""
    import numpy as np
    import pandas as pd

    if same_columns and list(X.columns) != list(other.columns):
        return "the columns chosen change"
    common = X.index.intersection(other.index)
    columns = [c for c in X.columns if c in set(other.columns)]
    if len(common) == 0 or not columns:
        return "the columns chosen change" if not columns else ""
    for column in columns:
        a, b = X.loc[common, column], other.loc[common, column]
        if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
            left = a.to_numpy(dtype=float)
            right = b.to_numpy(dtype=float)
            same = np.isclose(left, right, rtol=1e-9, atol=1e-12, equal_nan=True)
        else:
            both_missing = a.isna().to_numpy() & b.isna().to_numpy()
            same = (a.astype(object) == b.astype(object)).to_numpy() | both_missing
        if not same.all():
            return f"column '{column}' of a row changes"
    return ""


def split_apart(step1: Any, X: Any, y: Any, config: dict[str, Any]) -> list[list[str]]:
    """split() and folds() must keep a row, a group (split group), the past (split time) apart."""
    import numpy as np
    import pandas as pd

    frame = pd.read_csv(config["data"], **config["read"])
    label = {"group": None, "time": None}
    if config["split"] == "group" and config["group"]:
        keys = frame[config["group"]].astype(str).agg(" | ".join, axis=1)
        label["group"] = keys
    if config["split"] == "time" and config["time"]:
        when = frame[config["time"]]
        if not pd.api.types.is_numeric_dtype(when):
            when = pd.to_datetime(when.astype(str), format="mixed", errors="coerce")
        label["time"] = when

    def apart(train: Any, test: Any, where: str) -> list[str]:
        if set(train.index) & set(test.index):
            return ["split", f"{where} puts the same row on both sides"]
        if label["group"] is not None:
            keys = label["group"]
            both = set(keys.reindex(train.index).dropna()) & set(keys.reindex(test.index).dropna())
            if both:
                example = sorted(map(str, both))[0]
                return [
                    "split",
                    f"{where} puts rows of the group '{example}' on both sides; "
                    f'split = "group" needs each group on one side',
                ]
        if label["time"] is not None:
            late = label["time"].reindex(train.index).max()
            early = label["time"].reindex(test.index).min()
            if pd.notna(late) and pd.notna(early) and late > early:
                return [
                    "split",
                    f'{where} trains on rows later than rows it scores; split = "time" needs '
                    "the past for training, the future for scoring",
                ]
        return []

    problems: list[list[str]] = []
    X_train, X_test, y_train, _ = step1.split(X, y)
    found = apart(X_train, X_test, "step1_define.split")
    if found:
        problems.append(found)
    X_search, y_search = step1.search_rows(X_train, y_train)
    try:
        cv = step1.folds(X_search, y_search)
    except TypeError:  # a step 1 from an older invert: folds() takes no rows
        cv = step1.folds()
    if hasattr(cv, "split"):
        keys = label["group"].reindex(X_search.index) if label["group"] is not None else None
        cv = cv.split(X_search, y_search, keys)
    for number, (train, test) in enumerate(cv, start=1):
        found = apart(
            X_search.iloc[np.asarray(train)],
            X_search.iloc[np.asarray(test)],
            f"step1_define.folds (fold {number})",
        )
        if found:
            problems.append(found)
            break
    return problems


if __name__ == "__main__":
    main(*sys.argv[1:3])
