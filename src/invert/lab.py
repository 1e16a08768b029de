"""The lab: the learner's folder, the catalogue, the journal, and the parts that work on them.

A lab is a folder the learner owns: their copies of starters and drills (later projects)
plus its journal in ``.invert/lab.db``. Commands inside it find it by walking up, as git does.

>>> import tempfile, pathlib
>>> lab = create_lab(pathlib.Path(tempfile.mkdtemp()) / "my-lab")
>>> sorted(p.name for p in lab.root.iterdir())
['.invert', 'data', 'drills', 'experiments', 'projects', 'starters']
>>> open_lab(lab.root / "starters").root == lab.root
True
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invert.catalog.loader import load_catalog
from invert.catalog.models import Catalog
from invert.errors import LearnerError
from invert.kinds.part import DB_NAME as DB_NAME  # the lab's journal, as the faces name it
from invert.kinds.part import STATE_DIR
from invert.kinds.part import find_lab_root as find_lab_root
from invert.store import Event, Store

if TYPE_CHECKING:
    from invert.engine.client import Engine
    from invert.export.ops import Exports
    from invert.journal.ops import Journal
    from invert.kinds.drills.ops import Drills
    from invert.kinds.experiments.ops import Experiments
    from invert.kinds.projects.ops import Projects
    from invert.kinds.rebuild.ops import Rebuilds
    from invert.kinds.starters.ops import Starters
    from invert.kinds.theory.ops import Theory
    from invert.kinds.traces.ops import Traces
    from invert.progress.ops import Progress

LAB_FOLDERS = ("starters", "drills", "projects", "data", "experiments")
DEFAULT_LAB = "invert-lab"
# The parts about the whole lab rather than one kind: name -> "module:Class".
CORE_PARTS: dict[str, str] = {
    "journal": "invert.journal.ops:Journal",
    "progress": "invert.progress.ops:Progress",
    "exports": "invert.export.ops:Exports",
    "engine": "invert.engine.client:Engine",
}


def open_lab(path: Path | str | None = None) -> Lab:
    """The lab at or above `path` (default: $INVERT_LAB, else the current folder)."""
    start = Path(path) if path is not None else Path(os.environ.get("INVERT_LAB") or Path.cwd())
    root = find_lab_root(start)
    if root is None:
        raise LearnerError(
            f"no invert lab at or above {start}; run `invert start` to create one "
            "(or cd into your lab)"
        )
    return Lab(root)


def open_lab_if_any(path: Path | str | None = None) -> Lab | None:
    """The lab at or above `path`, or None outside one (listings work anywhere); a lab that
    cannot be opened (its journal damaged) is a LearnerError, not "no lab"."""
    start = Path(path) if path is not None else Path(os.environ.get("INVERT_LAB") or Path.cwd())
    return None if find_lab_root(start) is None else open_lab(start)


def create_lab(path: Path | str = DEFAULT_LAB) -> Lab:
    """Create a lab at `path`, or open it if it exists: nothing already there is touched."""
    root = Path(path).expanduser().resolve()
    if root.exists() and not root.is_dir():
        raise LearnerError(f"{root} exists and is not a folder")
    existing = find_lab_root(root)
    if existing is not None and existing != root:
        raise LearnerError(f"{root} is inside the lab {existing}; a lab cannot hold another lab")
    try:
        for name in (STATE_DIR, *LAB_FOLDERS):
            (root / name).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LearnerError(f"cannot create a lab at {root}: {exc.strerror}") from None
    Store(root / STATE_DIR / DB_NAME, create=True).close()  # the journal, if none yet
    lab = Lab(root)
    if not lab.store.events(kind="lab_created"):
        lab.store.append(Event("lab_created", payload={"path": str(root)}))
    return lab


class Lab:
    """One learner's lab: its folder, the catalogue, the journal, and one part per kind
    (``lab.starters``, ``lab.experiments``, ...) and per concern of the whole lab
    (``lab.journal``, ``lab.progress``, ``lab.exports``), each made on first use. The CLI, the
    web app and notebooks call the parts."""

    if TYPE_CHECKING:  # the parts, as `part()` makes them (typed here for the faces)
        starters: Starters
        experiments: Experiments
        theory: Theory
        drills: Drills
        rebuild: Rebuilds
        traces: Traces
        projects: Projects
        journal: Journal
        progress: Progress
        exports: Exports
        engine: Engine

    def __init__(
        self, root: Path, catalog: Catalog | None = None, store: Store | None = None
    ) -> None:
        self.root = root.resolve()  # scripts run in child processes with other working folders
        self.catalog = catalog or load_catalog()
        # A store passed in (the web app's pool of open connections) stays open on close().
        self._owns_store = store is None
        self.store = store or Store(root / STATE_DIR / DB_NAME, create=False)
        self._parts: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"Lab({str(self.root)!r})"

    def part(self, name: str) -> Any:
        """The lab's part called `name`: a kind's operations (lab.drills) or one about the
        whole lab (lab.journal), made on first use."""
        parts = self._parts
        if name not in parts:
            from invert.kinds import kinds

            found = next((kind for kind in kinds() if kind.name == name and kind.part), None)
            if found is not None:
                assert found.part is not None
                parts[name] = found.attribute(found.part)(self)
            elif name in CORE_PARTS:
                from invert.kinds.kind import load_module

                module, _, cls = CORE_PARTS[name].partition(":")
                parts[name] = getattr(load_module(module), cls)(self)
            else:
                raise AttributeError(f"a lab has no part {name!r}")
        return parts[name]

    def __getattr__(self, name: str) -> Any:
        # Only reached for names the class does not define: the parts, by name.
        if name.startswith("_"):
            raise AttributeError(name)
        return self.part(name)

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def close(self) -> None:
        if self._owns_store:
            self.store.close()

    def __enter__(self) -> Lab:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
