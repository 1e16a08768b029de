"""Reading the content folder's TOML files: what every kind's loader (its model.py) shares.

Low on purpose: it imports nothing of invert, so that `catalog/loader.py` and each kind's
`model.py` can both use it without importing each other.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class CatalogError(Exception):
    """The content folder is not valid; `problems` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class Reader:
    """Typed access to one TOML table that records what is missing or mistyped."""

    def __init__(self, table: dict[str, Any], where: str, problems: list[str]) -> None:
        self.table, self.where, self.problems = table, where, problems

    def get(self, key: str, kind: type, default: Any = ...) -> Any:
        if key not in self.table:
            if default is ...:
                self.problems.append(f"{self.where}: missing field '{key}'")
                return kind()
            return default
        value = self.table[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.problems.append(f"{self.where}: '{key}' should be {kind.__name__}")
            return kind()
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        values = self.get(key, list, [])
        if not all(isinstance(v, str) for v in values):
            self.problems.append(f"{self.where}: '{key}' should be a list of strings")
            return ()
        return tuple(values)


def read_toml(path: Path, problems: list[str]) -> dict[str, Any]:
    """The table in `path`; {} with a problem recorded if it cannot be read or parsed.

    While `TABLES` holds what an earlier run parsed, a file unchanged since (same size and
    modification time) is not parsed again: its table comes from there, a new copy each time.
    """
    try:
        stat = path.stat()
        seen = (stat.st_mtime_ns, stat.st_size)
        kept = TABLES.earlier.get(str(path))
        if kept is not None and kept[:2] == seen:
            table: dict[str, Any] = pickle.loads(kept[2])
        else:
            table = tomllib.loads(path.read_text(encoding="utf-8"))
            TABLES.parsed += 1
        if TABLES.active:
            TABLES.now[str(path)] = (
                *seen,
                kept[2] if kept and kept[:2] == seen else pickle.dumps(table),
            )
        return table
    except (OSError, tomllib.TOMLDecodeError) as exc:
        problems.append(f"{path.name}: {exc}")
        return {}


class _Tables:
    """The parsed tables of one content folder, kept between runs (`kept_tables`)."""

    def __init__(self) -> None:
        self.active = False
        self.earlier: dict[str, tuple[int, int, bytes]] = {}
        self.now: dict[str, tuple[int, int, bytes]] = {}
        self.parsed = 0  # files parsed in this run, not taken from `earlier`


TABLES = _Tables()


@contextmanager
def kept_tables(cache: Path) -> Iterator[None]:
    """Read a content folder with the tables an earlier run parsed, from the file `cache`, and
    write them back there when any file had to be parsed. Parsing is most of the time a command
    takes to read the catalogue; a cache that cannot be read or written is simply not used."""
    TABLES.active, TABLES.now, TABLES.parsed = True, {}, 0
    with contextlib.suppress(Exception):  # missing, damaged, another version's: parse again
        earlier = pickle.loads(cache.read_bytes())
        if isinstance(earlier, dict) and earlier.get("format") == _CACHE_FORMAT:
            TABLES.earlier = earlier["tables"]
    try:
        yield
        if TABLES.parsed or set(TABLES.now) != set(TABLES.earlier):
            with contextlib.suppress(OSError):
                cache.parent.mkdir(parents=True, exist_ok=True)
                staged = cache.with_name(f"{cache.name}.{os.getpid()}")
                staged.write_bytes(pickle.dumps({"format": _CACHE_FORMAT, "tables": TABLES.now}))
                os.replace(staged, cache)  # whole, or not at all, even with two writers
    finally:
        TABLES.active, TABLES.earlier, TABLES.now = False, {}, {}


_CACHE_FORMAT = 1
