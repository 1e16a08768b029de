"""Reading the content folder's TOML files: what every kind's loader (its model.py) shares.

Low on purpose: it imports nothing of invert, so that `catalog/loader.py` and each kind's
`model.py` can both use it without importing each other.
"""

from __future__ import annotations

import tomllib
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
    """The table in `path`; {} with a problem recorded if it cannot be read or parsed."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        problems.append(f"{path.name}: {exc}")
        return {}
