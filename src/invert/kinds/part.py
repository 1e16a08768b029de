"""What one kind's operations see of the lab: its folder, the catalogue, the journal, and the
other parts by name.

`Lab` (invert/lab.py) is composed of parts, one object per kind (``lab.drills``,
``lab.experiments``, ...) and a few about the whole lab (``lab.journal``, ``lab.progress``,
``lab.exports``). A part is given a `LabCore`, never the `Lab` class itself, so no module below
lab.py imports it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from invert.catalog.models import Catalog
    from invert.store import Store

STATE_DIR = ".invert"  # the lab's own folder: its journal, cache and backups
DB_NAME = "lab.db"  # the journal, in STATE_DIR


def find_lab_root(start: Path | None = None) -> Path | None:
    """The nearest folder at or above `start` that holds ``.invert/lab.db``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / STATE_DIR / DB_NAME).is_file():
            return folder
    return None


class LabCore(Protocol):
    """The lab as its parts see it."""

    root: Path
    catalog: Catalog
    store: Store

    def rel(self, path: Path) -> str:
        """`path` relative to the lab's folder, with forward slashes."""
        ...

    def part(self, name: str) -> Any:
        """Another part of the lab, by its name ("experiments", "journal", ...)."""
        ...


class Part:
    """The base of every part: the lab it works on, and short names for what it holds."""

    def __init__(self, lab: LabCore) -> None:
        self.lab = lab

    @property
    def root(self) -> Path:
        return self.lab.root

    @property
    def catalog(self) -> Catalog:
        return self.lab.catalog

    @property
    def store(self) -> Store:
        return self.lab.store

    def rel(self, path: Path) -> str:
        return self.lab.rel(path)
