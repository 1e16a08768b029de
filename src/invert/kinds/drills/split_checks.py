"""Checks on how a drill script split its rows: rows that belong together, rows in time order.

They look at the rows the script really kept in `X_train` and `X_test` (found in the public
file by `Context.positions`), whatever call made the split, and read the public file's own
columns for what the script may have dropped from its features (the neighbourhood, the date).
"""

from __future__ import annotations

from typing import Any

from invert.kinds.drills.check import CheckFailed, Context

# Below this share of a table's rows placed in the data file, the split cannot be judged.
MIN_FOUND = 0.9


def _values(ctx: Context, name: str, columns: list[str]) -> list[tuple[Any, ...]]:
    """For each row of the script's table `name`, the values of the public file's `columns`.

    A row is placed by `Context.positions`; a row it cannot place (its values occur more than
    once in the file) still gets them when every file row it could be agrees on them.
    """
    import pandas as pd

    frame = ctx.need(name)
    where = ctx.positions(frame)
    public = ctx.public
    wanted = [tuple(v) for v in public[columns].itertuples(index=False, name=None)]
    values: list[tuple[Any, ...] | None] = [wanted[i] if i >= 0 else None for i in where]
    shared = [c for c in getattr(frame, "columns", []) if isinstance(c, str) and c in public]
    if shared and any(v is None for v in values):
        keys = pd.util.hash_pandas_object(public[shared].astype(object), index=False).to_numpy()
        agreed: dict[int, set[tuple[Any, ...]]] = {}
        for key, value in zip(keys, wanted, strict=True):
            agreed.setdefault(int(key), set()).add(value)
        mine = pd.util.hash_pandas_object(frame[shared].astype(object), index=False).to_numpy()
        for i, key in enumerate(mine):
            if values[i] is None and len(agreed.get(int(key), ())) == 1:
                values[i] = next(iter(agreed[int(key)]))
    known = [v for v in values if v is not None]
    if not values or len(known) < MIN_FOUND * len(values):
        raise CheckFailed(
            f"`{name}` no longer holds the data file's rows as they were read, so which rows "
            "it holds cannot be told"
        )
    return known


def check_groups_apart(ctx: Context, p: dict[str, Any]) -> tuple[bool, str, dict[str, Any]]:
    """No group (the public file's `column`) has rows on both sides of the script's split."""
    column, label = p["column"], p.get("described", f"values of {p['column']}")
    x_train, x_test = p.get("train", ["X_train"])[0], p.get("test", ["X_test"])[0]
    train = [v[0] for v in _values(ctx, x_train, [column])]
    test = [v[0] for v in _values(ctx, x_test, [column])]
    tested = set(test)
    shared = set(train) & tested
    rows = sum(g in shared for g in test)
    figures = {"groups_shared": len(shared), "test_groups": len(tested), "test_rows_shared": rows}
    if shared:
        return (
            False,
            f"{len(shared)} of the {len(tested)} {label} in `{x_test}` also "
            f"{'has' if len(shared) == 1 else 'have'} rows in "
            f"`{x_train}`: {rows} of the {len(test)} test rows come from them",
            figures,
        )
    return (
        True,
        f"none of the {len(tested)} {label} in `{x_test}` has a row in `{x_train}`",
        figures,
    )


def check_time_ordered(ctx: Context, p: dict[str, Any]) -> tuple[bool, str, dict[str, Any]]:
    """Every row of `X_test` is dated at or after every row of `X_train`, by the public file's
    `order` columns, most significant first (a year, then a month): the evaluation predicts
    later rows from earlier ones. Rows of the same date may sit on either side."""
    columns = list(p["order"])
    label = p.get("described", "rows")
    x_train, x_test = p.get("train", ["X_train"])[0], p.get("test", ["X_test"])[0]
    train, test = _values(ctx, x_train, columns), _values(ctx, x_test, columns)
    latest = max(train)
    early = [date for date in test if date < latest]
    figures = {"test_rows_earlier": len(early), "test_rows": len(test)}
    if early:
        return (
            False,
            f"{len(early)} of the {len(test)} {label} in `{x_test}` "
            f"{'is' if len(early) == 1 else 'are'} dated before the latest "
            f"one in `{x_train}` ({_date(latest)}); the earliest is from {_date(min(test))}",
            figures,
        )
    return (
        True,
        f"all {len(test)} {label} in `{x_test}` are dated from {_date(min(test))} on, none "
        f"before the latest one in `{x_train}` ({_date(latest)})",
        figures,
    )


def _date(values: tuple[Any, ...]) -> str:
    """A key such as (2010, 7) written as 2010/7."""
    return "/".join(
        str(int(v)) if isinstance(v, int | float) and v == v else str(v) for v in values
    )
