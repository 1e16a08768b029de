"""Which of the public rows a script's table holds, and the public rows with its test rows altered.

A drill script reads the public rows (`drills/data/<dataset>.csv`) and splits them its own way.
To ask "did any row besides the training rows shape the model?" the checker finds the rows the
script kept in X_train (`positions`), alters every other row (`outside`, `alter_rows`) and runs
the script again on the altered file.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

# How the test rows are altered, strongest first: "shift" moves every number (so any statistic
# taken over them changes) and "swap" gives each row the features of a row with another target
# (so any score measured on them changes). Labels never change: the split stays the same.
ALTERATIONS = ("shift+swap", "swap")


def _shared(frame: pd.DataFrame, public: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if isinstance(c, str) and c in public.columns]


def _agree(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Whether two tables with the same rows in the same order say the same: most columns equal
    on nearly every row (a gap on either side matches anything, so a table whose gaps were
    filled, or whose one column was rescaled, still names its rows)."""
    agreeing = 0
    for column in a.columns:
        x, y = a[column].to_numpy(), b[column].to_numpy()
        gaps = pd.isna(x) | pd.isna(y)
        if x.dtype.kind in "biuf" and y.dtype.kind in "biuf":
            same = np.isclose(x.astype(float), y.astype(float), rtol=1e-9, equal_nan=True)
        elif x.dtype.kind == y.dtype.kind == "O":
            same = np.asarray(x == y, dtype=bool)  # as text, without writing every value out
        else:
            same = x.astype(str) == y.astype(str)
        agreeing += bool((same | gaps).mean() >= 0.95)
    return agreeing >= 0.9 * len(a.columns)


def positions(frame: Any, public: pd.DataFrame) -> np.ndarray:
    """For each row of `frame`, its position in `public`, or -1 where it cannot be told.

    The frame's own index is trusted when it still points at the same rows (a frame taken from
    the file by train_test_split or .loc keeps it, even with its gaps filled); otherwise rows are
    matched on the values of the columns both share, and a row whose values occur twice in
    `public`, or that was changed, stays unknown.
    """
    if not isinstance(frame, pd.DataFrame):
        return np.full(len(frame), -1)
    columns = _shared(frame, public)
    if not columns:
        return np.full(len(frame), -1)
    index = frame.index
    if (
        index.dtype.kind in "iu"
        and len(index)
        and index.min() >= 0
        and index.max() < len(public)
        and index.is_unique
    ):
        taken = public.iloc[np.asarray(index)][columns].reset_index(drop=True)
        if _agree(taken, frame[columns].reset_index(drop=True)):
            return np.asarray(index, dtype=int)
    keys = pd.util.hash_pandas_object(public[columns].astype(object), index=False).to_numpy()
    unique, counts = np.unique(keys, return_counts=True)
    where = {int(k): i for i, k in enumerate(keys) if counts[np.searchsorted(unique, k)] == 1}
    mine = pd.util.hash_pandas_object(frame[columns].astype(object), index=False).to_numpy()
    return np.array([where.get(int(k), -1) for k in mine], dtype=int)


def outside(frame: Any, public: pd.DataFrame, test: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """(where, others): the positions of `frame`'s rows in `public` (see `positions`), and the
    positions of public rows that are surely not among them. When some row of `frame` cannot be
    placed, it may be any row the others do not name: then only the rows of `test` that can be
    placed count as surely outside (or, without `test`, the rows whose values occur once)."""
    where = positions(frame, public)
    others = np.setdiff1d(np.arange(len(public)), where[where >= 0])
    if (where < 0).any():
        if test is not None:
            tested = positions(test, public)
            return where, np.setdiff1d(tested[tested >= 0], where[where >= 0])
        if isinstance(frame, pd.DataFrame):
            columns = _shared(frame, public)
            twice = public[columns].astype(object).duplicated(keep=False).to_numpy()
            others = others[~twice[others]]
    return where, others


def alter_rows(
    public: pd.DataFrame, rows: np.ndarray, target: str, how: str, keep: tuple[str, ...] = ()
) -> pd.DataFrame:
    """`public` with the rows at `rows` altered (`how` is one of ALTERATIONS); others untouched.

    Swapping pairs the rows from opposite ends of their order by target, and exchanges a value
    only where both are present, so every row keeps its own pattern of missing values (a script
    that drops incomplete rows before splitting still keeps the same rows).
    """
    altered = public.copy()
    rows = np.asarray(sorted(set(int(r) for r in rows if r >= 0)))
    if len(rows) < 2:
        return altered
    features = [c for c in public.columns if c != target and c not in keep]
    if "swap" in how:
        order = rows[np.argsort(public[target].to_numpy()[rows], kind="stable")]
        half = len(order) // 2
        for column in features:
            values = altered[column].to_numpy(copy=True)
            a, b = order[:half], order[::-1][:half]
            both = ~(pd.isna(values[a]) | pd.isna(values[b]))
            values[a[both]], values[b[both]] = values[b[both]], values[a[both]]
            altered[column] = values
    if "shift" in how:
        for column in features:
            series = altered[column]
            if series.dtype.kind not in "iuf" or series.dtype.kind == "b":
                continue
            spread = float(series.std()) if series.notna().sum() > 1 else 1.0
            spread = spread if np.isfinite(spread) and spread > 0 else 1.0
            moved = series.iloc[rows] * 1.5 + 2 * spread  # a clear move; a count stays positive
            if series.dtype.kind in "iu":
                moved = moved.round()
            values = altered[column].to_numpy(dtype=float, copy=True)
            values[rows] = moved.to_numpy()
            altered[column] = values
            if series.dtype.kind in "iu" and altered[column].notna().all():
                altered[column] = altered[column].astype(series.dtype)
    return altered


def copies(first: Any, second: Any, public: pd.DataFrame) -> int:
    """How many rows of `second` repeat a row of `first` more often than the file itself does
    (a row resampled before the split lands on both sides; two equal rows of the file may)."""
    if not isinstance(first, pd.DataFrame) or not isinstance(second, pd.DataFrame):
        return 0
    columns = [c for c in _shared(first, public) if c in second.columns]
    if not columns:
        return 0

    def keys(frame: pd.DataFrame) -> pd.Series:
        hashed = pd.util.hash_pandas_object(frame[columns].astype(object), index=False)
        return hashed.value_counts()

    mine, theirs, file = keys(first), keys(second), keys(public)
    both = theirs.index.intersection(mine.index)
    extra = (mine[both] + theirs[both] - file.reindex(both, fill_value=0)).clip(lower=0)
    return int(np.minimum(extra, theirs[both]).sum())
