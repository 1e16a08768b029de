"""Repeated entities: rows that are the same thing again (a country each year, a patient's visits).

A key (a column, or a combination of two) repeats, holds another column constant within each
of its values while that column varies across them, and there is evidence that the rows are the
same thing again rather than members of a category (state -> region): a constant column about
as varied as the key itself (a code, a name, a birth date, a height), or a repeated-measure
index (year in a panel: unique within each key value, the same few values across keys).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from invert.kinds.projects._columns import is_text, whole_numbers

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

MIN_GROUPS = 5
MIN_NAMED_GROUPS = 20  # fewer groups with a constant varied column: a category and its code
REPEATED = 0.5  # share of rows in groups of two or more
CONSTANT = 0.95  # share of repeated rows whose group holds the column at one value
NAMED = 0.95  # a constant column with at least this many values per group names the entity
VARIED = 0.5  # a constant column with at least this many values per group is about the entity
UNIQUE = 0.99  # share of rows whose (key, index) pair is unique
PAIR_COLUMNS = 16  # at most this many columns are combined two by two


@dataclass(frozen=True)
class Entity:
    """A repeated entity: its key, every column that names it, and the evidence."""

    key: tuple[str, ...]
    names: tuple[str, ...]  # the key's column(s) first, then its other names (one-to-one)
    groups: int
    sizes: tuple[int, int, float]  # rows per group: fewest, most, median
    evidence: str


def find_entity(
    frame: pd.DataFrame, columns: list[str], dates: set[str], not_keys: set[str]
) -> Entity | None:
    """The repeated entity among `columns` (features, no row identifier), or None.

    `dates` names the columns that hold dates (found once by the caller: parsing is slow);
    `not_keys` the columns that may not key an entity (the time column).
    """
    import numpy as np
    import pandas as pd

    codes = {c: pd.factorize(frame[c], use_na_sentinel=True)[0].astype(np.int64) for c in columns}
    distinct_all = {c: int(codes[c].max()) + 1 + int((codes[c] < 0).any()) for c in columns}
    ordered = {c for c in columns if c in dates or whole_numbers(frame[c])}
    candidates = [c for c in columns if (c in ordered or is_text(frame[c])) and c not in not_keys]
    found = [
        e
        for c in candidates
        if (e := _judge(frame, (c,), codes[c], codes, distinct_all, ordered, dates))
    ]
    if not found:
        pairs = sorted(candidates, key=lambda c: -int(codes[c].max()))[:PAIR_COLUMNS]
        for i, a in enumerate(pairs):
            for b in pairs[i + 1 :]:
                joined = _join(codes[a], codes[b])
                if _nested(joined, codes[a], codes[b]):
                    continue
                key = tuple(c for c in columns if c in (a, b))  # in the table's order
                entity = _judge(frame, key, joined, codes, distinct_all, ordered, dates)
                if entity is not None:
                    found.append(entity)
    if not found:
        return None
    # The strongest: evidence of both kinds first, then single keys, then the most groups.
    return max(found, key=lambda e: (e.evidence.count(";"), -len(e.key), e.groups))


def _join(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    import numpy as np
    import pandas as pd

    joined = np.full(a.size, -1, dtype=np.int64)
    known = (a >= 0) & (b >= 0)
    joined[known] = pd.factorize(a[known] * (int(b.max()) + 1) + b[known])[0]
    return joined


def _nested(joined: np.ndarray, a: np.ndarray, b: np.ndarray) -> bool:
    """The pair has no more groups than one of its columns: one column is inside the other."""
    return int(joined.max()) <= max(int(a.max()), int(b.max()))


def _per_group_values(key: np.ndarray, values: np.ndarray, groups: int) -> np.ndarray:
    """How many different values `values` takes in each group of `key` (missing counts)."""
    import numpy as np
    import pandas as pd

    pairs = pd.unique(key * (int(values.max()) + 2) + (values + 1))
    return np.bincount(pairs // (int(values.max()) + 2), minlength=groups)


def _judge(
    frame: pd.DataFrame,
    key: tuple[str, ...],
    g: np.ndarray,
    codes: dict[str, np.ndarray],
    distinct_all: dict[str, int],
    ordered: set[str],
    dates: set[str],
) -> Entity | None:
    """The entity keyed by `g` (codes of `key`, -1 unknown) when the evidence is there."""
    import numpy as np

    known = g >= 0
    whole = bool(known.all())
    g = g[known]
    if g.size == 0:
        return None
    sizes = np.bincount(g)
    groups = int((sizes > 0).sum())
    if groups < MIN_GROUPS or sizes[sizes >= 2].sum() < REPEATED * g.size:
        return None
    multi = sizes >= 2
    repeated_rows = int(sizes[multi].sum())
    names: list[str] = []
    attributes: list[str] = []
    index: str | None = None
    for column, c in codes.items():
        if column in key:
            continue
        could_name = distinct_all[column] >= VARIED * groups
        could_index = column in ordered and index is None
        if not (could_name or could_index):
            continue  # too few values to name the entity, not a repeated measure: skip the work
        c = c if whole else c[known]
        distinct = distinct_all[column] if whole else int(np.unique(c).size)
        if distinct < 2:
            continue
        per_group = _per_group_values(g, c, sizes.size)
        # Rows, not groups: one large group where the column varies (capital-gain 0) counts.
        constant = float(sizes[multi & (per_group == 1)].sum()) / repeated_rows
        if constant >= CONSTANT:
            # Nearly one value per group and one group per value: another name (gapminder
            # gives both Koreas the code KOR).
            one_to_one = distinct >= NAMED * groups
            # A name is text or a whole number; a birth date or a height is an attribute.
            if one_to_one and column not in dates and (is_text(frame[column]) or column in ordered):
                names.append(column)
            elif distinct >= VARIED * groups:
                attributes.append(column)
        elif could_index and distinct < groups and distinct <= 2 * int(sizes.max()):
            # Fewer values than groups: year in a panel of countries, not days of 24 hours.
            if _is_index(g, c):
                index = column
    if len(key) > 1:  # a pair is an entity only for what neither column holds by itself
        names, attributes = (
            [c for c in found if not any(_holds(codes[k], codes[c]) for k in key)]
            for found in (names, attributes)
        )
    evidence = []
    if groups < MIN_NAMED_GROUPS:
        names, attributes = [], []  # a category and its code or price, unless an index says more
    if attributes:
        evidence.append(f"'{attributes[0]}' is the same in all rows of each")
    elif names:
        evidence.append(f"'{names[0]}' names each one (one value per group)")
    if index is not None:
        evidence.append(f"'{index}' tells its rows apart (a repeated measure)")
    if not evidence:
        return None
    # The most readable name keys the groups: text ('country') over codes ('iso_num').
    every = [*key, *names]
    texts = [c for c in every if is_text(frame[c]) and c not in dates]
    chosen = tuple(key) if len(key) > 1 else ((texts or every)[0],)
    others = tuple(c for c in (*key, *names) if c not in chosen)
    return Entity(
        key=chosen,
        names=chosen + others,
        groups=groups,
        sizes=(int(sizes[sizes > 0].min()), int(sizes.max()), float(np.median(sizes[sizes > 0]))),
        evidence="; ".join(evidence),
    )


def _holds(key: np.ndarray, values: np.ndarray) -> bool:
    """`values` is constant within the groups of `key` (in at least CONSTANT of the rows)."""
    import numpy as np

    known = key >= 0
    g, c = key[known], values[known]
    sizes = np.bincount(g)
    per_group = _per_group_values(g, c, sizes.size)
    multi = sizes >= 2
    return float(sizes[multi & (per_group == 1)].sum()) >= CONSTANT * max(
        int(sizes[multi].sum()), 1
    )


def _is_index(g: np.ndarray, c: np.ndarray) -> bool:
    """A repeated measure: known, unique within each group (its few values checked before)."""
    import pandas as pd

    if (c < 0).any():
        return False
    pairs = pd.unique(g * (int(c.max()) + 1) + c)
    return bool(pairs.size >= UNIQUE * g.size)
