"""Read a learner's CSV: detect its encoding and delimiter; refuse what cannot be a table.

Every refusal is a LearnerError (one line, exit 2): an empty file, a header only, a file that is
not text in any encoding, rows of different lengths, an unknown target column.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from invert.errors import LearnerError

if TYPE_CHECKING:
    import pandas as pd

SNIFF_CHARS = 64_000
MAX_COLUMNS = 10_000  # beyond this, pandas takes minutes and gigabytes to read one row
MAX_HEADER_CHARS = 16_000_000
DELIMITERS = ",;\t|"
# Whole cells that mean "not known" in files pandas does not recognise by itself (UCI's "?").
MISSING_MARKERS = ("?", "-", "--", ".", "*")


@dataclass(frozen=True)
class TableInfo:
    """How a CSV was read."""

    path: Path
    encoding: str
    delimiter: str
    rows: int
    columns: int
    na_values: tuple[str, ...] = ()  # cells that mean "missing" besides pandas' own (NA, null, ...)
    skip_initial_space: bool = True


def detect_encoding(raw: bytes, name: str) -> str:
    """The encoding `raw` was written in.

    UTF-8 (with or without a byte-order mark) and UTF-16 with one; else Windows-1252, what
    Western spreadsheet programs save, when the bytes decode as it; else charset-normalizer's
    guess. Bytes that decode to control characters are not text (a binary file, random bytes).

    >>> detect_encoding("größe;preis\\n1;2\\n".encode("utf-8"), "f.csv")
    'utf-8'
    >>> raw = "größe;preis\\nÄpfel;2\\n".encode("cp1252")  # saved by an older Excel
    >>> raw.decode(detect_encoding(raw, "f.csv"))
    'größe;preis\\nÄpfel;2\\n'
    """
    encoding = _guess_encoding(raw)
    if encoding is None or not _looks_like_text(raw.decode(encoding, errors="replace")):
        raise LearnerError(f"{name} is not text in any encoding invert can read")
    return encoding


def _guess_encoding(raw: bytes) -> str | None:
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    for encoding in ("utf-8", "cp1252"):
        try:
            raw.decode(encoding)
            return encoding
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw[: SNIFF_CHARS * 4]).best()
    return None if best is None else str(best.encoding)


def _looks_like_text(text: str) -> bool:
    sample = text[:SNIFF_CHARS]
    controls = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\r\n") or c == "\ufffd")
    return controls <= 0.01 * max(len(sample), 1)


def detect_delimiter(text: str) -> str:
    """The delimiter of a CSV's text: the one csv.Sniffer finds among , ; tab and |.

    >>> detect_delimiter("a;b;c\\n1;2,5;3\\n4;5;6\\n")
    ';'
    """
    sample = "\n".join(text[:SNIFF_CHARS].splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","  # a single column has no delimiter to find


def header_width(text: str, delimiter: str) -> int:
    """How many columns the header row names.

    >>> header_width('a,"b,c",d\\n1,2,3\\n', ",")
    3
    """
    try:
        first = next(csv.reader(io.StringIO(text[:MAX_HEADER_CHARS]), delimiter=delimiter), [])
    except csv.Error:  # a quote left open: count what the first line holds
        return text[:MAX_HEADER_CHARS].split("\n", 1)[0].count(delimiter) + 1
    return len(first)


def read_table(path: Path) -> tuple[pd.DataFrame, TableInfo]:
    """The CSV at `path` as a DataFrame, and how it was read."""

    name = path.name
    if not path.is_file():
        raise LearnerError(f"{path} does not exist")
    raw = _decompressed(path)
    if not raw.strip():
        raise LearnerError(f"{name} is empty")
    encoding = detect_encoding(raw, name)
    text = raw.decode(encoding)
    delimiter = detect_delimiter(text)
    width = header_width(text, delimiter)
    if width > MAX_COLUMNS:
        raise LearnerError(
            f"{name} has {width:,} columns; invert reads tables of up to {MAX_COLUMNS:,} "
            "(pick the columns you need first)"
        )
    info = TableInfo(path, encoding, delimiter, 0, 0)
    frame = read_with(info)
    markers = missing_markers(frame)
    if markers:
        info = replace(info, na_values=markers)
        frame = read_with(info)
    if frame.empty:
        raise LearnerError(f"{name} has a header but no rows")
    return frame, replace(info, rows=len(frame), columns=frame.shape[1])


def read_with(info: TableInfo) -> pd.DataFrame:
    """The table read as `info` says (the same call the project's step 1 makes)."""
    import pandas as pd

    try:
        return pd.read_csv(
            info.path,
            sep=info.delimiter,
            encoding=info.encoding,
            na_values=list(info.na_values),
            skipinitialspace=info.skip_initial_space,
            engine="c",
        )
    except pd.errors.ParserError as exc:
        detail = str(exc).strip().splitlines()[-1]
        raise LearnerError(f"{info.path.name} is not a regular table: {detail}") from None
    except (pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
        raise LearnerError(f"{info.path.name} cannot be read as a table: {exc}") from None


def missing_markers(frame: pd.DataFrame) -> tuple[str, ...]:
    """The MISSING_MARKERS that stand as whole cells in the frame's text columns.

    >>> import pandas as pd
    >>> missing_markers(pd.DataFrame({"age": ["22", "?", "35"], "sex": ["m", "f", "?"]}))
    ('?',)
    """
    found = set()
    for column in frame.columns:
        values = frame[column]
        if values.dtype.kind in "iufbM":
            continue
        cells = set(values.dropna().astype(str).str.strip().unique())
        found |= cells & set(MISSING_MARKERS)
    return tuple(m for m in MISSING_MARKERS if m in found)


def _decompressed(path: Path) -> bytes:
    """The file's bytes, uncompressed when its name ends .gz, .bz2, .xz or .zip, as pandas reads."""
    import bz2
    import gzip
    import lzma
    import zipfile

    suffix = path.suffix.lower()
    try:
        if suffix == ".gz":
            return gzip.decompress(path.read_bytes())
        if suffix == ".bz2":
            return bz2.decompress(path.read_bytes())
        if suffix == ".xz":
            return lzma.decompress(path.read_bytes())
        if suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
                if len(names) != 1:
                    raise LearnerError(f"{path.name} holds {len(names)} files; invert reads one")
                return archive.read(names[0])
    except (OSError, EOFError, lzma.LZMAError, zipfile.BadZipFile) as exc:
        raise LearnerError(f"{path.name} is not a valid {suffix[1:]} file: {exc}") from None
    return path.read_bytes()


def require_target(frame: pd.DataFrame, target: str, name: str) -> None:
    """A LearnerError unless `target` is a column with at least two distinct values."""
    if target not in frame.columns:
        import difflib

        close = difflib.get_close_matches(target, [str(c) for c in frame.columns], n=2)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise LearnerError(f"{name} has no column '{target}'{hint}")
    values = frame[target].dropna()
    if values.empty:
        raise LearnerError(f"the target '{target}' is empty in every row of {name}")
    if values.nunique() < 2:
        only = values.iloc[0]
        raise LearnerError(
            f"the target '{target}' has a single value ({only!r}) in {name}: nothing to predict"
        )
