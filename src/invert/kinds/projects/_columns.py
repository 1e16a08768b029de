"""What a column holds, judged from its values: text, whole numbers, dates; and its name's words.

The audit's checks share these: a column of whole numbers stored as floats (because a cell is
missing) is still whole numbers; a text column of dates is dates, not text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

# The start of a cell that holds a date: 2021-03-04, 2021/3/4, 04/03/2021, 4.3.21, 2021-03-04T10:00,
# 4 Mar 2021, March 4, 2021. Parsing confirms it (a month 13 is not a date).
MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
DATE_TEXT = re.compile(
    r"^\s*(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    r"|\d{1,2}[-/.]\d{1,2}[-/.](\d{4}|\d{2})"
    rf"|\d{{1,2}}[ -]{MONTH}[ -,]*\d{{2,4}}"
    rf"|{MONTH} \d{{1,2}},? \d{{4}})"
    r"([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*([ap]\.?m\.?)?\s*(z|[+-]\d{2}:?\d{2})?)?\s*$",
    re.IGNORECASE,
)
DATE_SHARE = 0.9  # of known values that must be dates
DATE_SAMPLE = 500
TIME_WORDS = frozenset({"year", "month", "day", "week", "time", "timestamp", "period", "t"})
TIME_ORDER = 0.99  # share of consecutive values that do not decrease
TIME_ROWS = 20_000  # rows parsed to find a date column's order and span
TIME_VALUES = 5  # fewer values are categories (penguins' three years), not a time line
# Names that say a date is an attribute of the row's subject, not when the row happened.
BIRTH_WORDS = frozenset({"birth", "birthday", "birthdate", "dob", "born"})


def words(name: str) -> set[str]:
    """The lower-case words of a column name, split at non-letters and camelCase.

    >>> sorted(words("price_per_m2")), sorted(words("customerID")), sorted(words("Yr Sold"))
    (['m', 'per', 'price'], ['customer', 'id'], ['sold', 'yr'])
    """
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", name)
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", spaced)
    return {w.lower() for w in re.split(r"[^A-Za-z]+", spaced) if w}


def is_text(values: pd.Series) -> bool:
    """Strings (or mixed objects), not numbers, booleans or datetimes."""
    import pandas as pd

    return not (
        pd.api.types.is_numeric_dtype(values)
        or pd.api.types.is_bool_dtype(values)
        or pd.api.types.is_datetime64_any_dtype(values)
    )


def numbers(values: pd.Series) -> pd.Series | None:
    """The column as floats when it holds numbers (booleans count; infinite is missing)."""
    import numpy as np
    import pandas as pd

    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
        return values.astype(float).replace([np.inf, -np.inf], np.nan)
    return None


def whole_numbers(values: pd.Series) -> bool:
    """Numbers that are all whole (1001.0 counts: a float column of whole numbers)."""
    import numpy as np

    x = numbers(values)
    if x is None:
        return False
    known = x.dropna().to_numpy()
    return known.size > 0 and bool(np.all(np.isfinite(known)) and np.all(known == np.round(known)))


def is_dates(values: pd.Series) -> bool:
    """A datetime column, or text whose known values are at least 90% dates."""
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(values):
        return True
    if not is_text(values):
        return False
    known = values.dropna()
    if known.empty:
        return False
    sample = known.sample(min(len(known), DATE_SAMPLE), random_state=0).astype(str)
    shaped = sample[sample.str.match(DATE_TEXT)]
    if len(shaped) < DATE_SHARE * len(sample):
        return False
    parsed = parse_dates(shaped)
    return bool(parsed.notna().sum() >= DATE_SHARE * len(sample))


def parse_dates(values: pd.Series) -> pd.Series:
    """Datetimes from text of any common form; NaT where a cell is not a date."""
    import warnings

    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    text = values.astype("string")
    with warnings.catch_warnings():
        # pandas warns when it guesses day-first per cell; both readings are dates here.
        warnings.simplefilter("ignore")
        known = text.notna().sum()
        parsed = pd.to_datetime(text, errors="coerce", format="ISO8601")
        if parsed.notna().sum() >= DATE_SHARE * known:
            return parsed
        # One format guessed from the first cell, month or day first: 13/01 rules one out.
        guesses = [pd.to_datetime(text, errors="coerce", dayfirst=first) for first in (False, True)]
        parsed = max(guesses, key=lambda p: int(p.notna().sum()))
        if parsed.notna().sum() >= DATE_SHARE * known:
            return parsed
        return pd.to_datetime(text, errors="coerce", format="mixed")  # slow: cell by cell


def is_birth_date(name: str) -> bool:
    """A date that describes the row's subject (a birth date), not when the row happened."""
    lowered = name.lower()
    return bool(words(name) & BIRTH_WORDS) or "birth" in lowered


def codes(values: pd.Series) -> np.ndarray:
    """One integer per distinct value, missing as its own (-1): for counting and grouping."""
    import pandas as pd

    codes_, _ = pd.factorize(values, use_na_sentinel=True)
    return codes_


def in_file_order(values: pd.Series) -> float:
    """The share of consecutive known values that do not decrease."""
    import numpy as np

    known = values.dropna().to_numpy()
    if known.size < 2:
        return 0.0
    return float(np.mean(known[1:] >= known[:-1]))


def time_column(
    frame: pd.DataFrame, columns: list[str], dates: list[str]
) -> tuple[str, str] | None:
    """The column that says when each row happened, and its span; None when there is none.

    A date column (not a birth date: that describes the row's subject), the one most in file
    order first; else a time-named number whose values never go back in file order.
    """
    best: tuple[float, str, str] | None = None
    for column in dates:
        if is_birth_date(str(column)):
            continue
        values = frame[column]
        step = max(1, len(values) // TIME_ROWS)  # every step-th row keeps the file's order
        parsed = parse_dates(values.iloc[::step]).dropna()
        if parsed.empty:
            continue
        span = f"{parsed.min():%Y-%m-%d} to {parsed.max():%Y-%m-%d}"
        order = in_file_order(parsed)
        if best is None or order > best[0]:
            best = (order, column, span)
    if best is not None:
        return best[1], best[2]
    for column in columns:
        x = numbers(frame[column])
        if x is None or not words(str(column)) & TIME_WORDS or x.nunique() < TIME_VALUES:
            continue
        if in_file_order(x) >= TIME_ORDER:
            return column, f"from {x.min():g} to {x.max():g}, never going back in file order"
    return None
