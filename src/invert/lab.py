"""The Lab facade: every operation the CLI, the web app and notebooks share.

A lab is a folder the learner owns: their copies of starters (and later drills and projects)
plus its journal in ``.invert/lab.db``. Commands inside it find it by walking up, as git does.

>>> import tempfile, pathlib
>>> lab = create_lab(pathlib.Path(tempfile.mkdtemp()) / "my-lab")
>>> sorted(p.name for p in lab.root.iterdir())
['.invert', 'data', 'drills', 'projects', 'starters']
>>> open_lab(lab.root / "starters").root == lab.root
True
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invert.catalog import Catalog, Starter, load_catalog
from invert.errors import LearnerError
from invert.store import Event, Store
from invert.store.archive import read_export, write_export

if TYPE_CHECKING:
    from collections.abc import Callable

    from invert.datasets import DatasetSummary

STATE_DIR = ".invert"
DB_NAME = "lab.db"
LAB_FOLDERS = ("starters", "drills", "projects", "data")
DEFAULT_LAB = "invert-lab"
EXTRA_INSTALL = {"torch": "pip install 'invert[torch]' (or: pip install torch)"}


@dataclass(frozen=True)
class StarterStatus:
    """A starter as the learner stands with it."""

    starter: Starter
    copied: bool
    edited: bool
    runs: int
    last_score: float | None
    last_run_at: str | None

    @property
    def label(self) -> str:
        if not self.copied:
            return "new"
        state = f"ran {self.runs}x" if self.runs else "copied"
        return f"{state}, edited" if self.edited else state

    def to_json(self) -> dict[str, Any]:
        s = self.starter
        return {
            "id": s.id,
            "title": s.title,
            "dataset": s.dataset,
            "task": s.task,
            "model": s.model,
            "requires": list(s.requires),
            "status": self.label,
            "copied": self.copied,
            "edited": self.edited,
            "runs": self.runs,
            "last_score": self.last_score,
            "metric": s.score.name,
        }


@dataclass(frozen=True)
class StarterRun:
    """One run of the learner's copy of a starter."""

    starter: Starter
    script: str  # relative to the lab
    wall_seconds: float
    score: float | None
    predictions: list[tuple[Any, Any]]
    output: str
    edited: bool
    run_id: str
    notes: list[str] = field(default_factory=list)

    @property
    def score_expected(self) -> bool:
        low, high = self.starter.score.expect
        return self.score is not None and low <= self.score <= high

    def to_json(self) -> dict[str, Any]:
        return {
            "starter": self.starter.id,
            "script": self.script,
            "wall_seconds": round(self.wall_seconds, 4),
            "metric": self.starter.score.name,
            "score": self.score,
            "expected_range": list(self.starter.score.expect),
            "predictions": [{"truth": t, "predicted": p} for t, p in self.predictions],
            "edited": self.edited,
            "run_id": self.run_id,
            "notes": self.notes,
            "next_step": self.starter.next_step,
            "output": self.output,
        }


@dataclass(frozen=True)
class StarterView:
    """What goes in and what comes out of a starter, without running the learner's copy."""

    status: StarterStatus
    data: DatasetSummary
    last_run: dict[str, Any] | None

    def to_json(self) -> dict[str, Any]:
        s = self.status.starter
        return {
            **self.status.to_json(),
            "summary": s.summary,
            "goes_in": s.goes_in,
            "comes_out": s.comes_out,
            "concepts": list(s.concepts),
            "experiments": list(s.experiments),
            "next_step": s.next_step,
            "expected_range": list(s.score.expect),
            "data": self.data.to_json(),
            "last_run": self.last_run,
        }


def find_lab_root(start: Path | None = None) -> Path | None:
    """The nearest folder at or above `start` that holds ``.invert/lab.db``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / STATE_DIR / DB_NAME).is_file():
            return folder
    return None


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
    lab = Lab(root)
    if not lab.store.events(kind="lab_created"):
        lab.store.append(Event("lab_created", payload={"path": str(root)}))
    return lab


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Lab:
    """One learner's lab. Every operation of the CLI, web app and notebooks goes through here."""

    def __init__(self, root: Path, catalog: Catalog | None = None) -> None:
        self.root = root
        self.catalog = catalog or load_catalog()
        self.store = Store(root / STATE_DIR / DB_NAME)

    def __repr__(self) -> str:
        return f"Lab({str(self.root)!r})"

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Lab:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- starters -----------------------------------------------------------------------------

    def starter_path(self, starter: Starter) -> Path:
        return self.root / "starters" / starter.filename

    def is_edited(self, starter: Starter) -> bool:
        copy = self.starter_path(starter)
        return copy.is_file() and _sha256(copy) != _sha256(starter.script)

    def starters(self) -> list[StarterStatus]:
        """Every starter in catalogue order, with the learner's status."""
        progress = self.store.starter_progress()
        rows = []
        for starter in self.catalog.ordered_starters():
            done = progress.get(starter.id)
            rows.append(
                StarterStatus(
                    starter=starter,
                    copied=self.starter_path(starter).is_file(),
                    edited=self.is_edited(starter),
                    runs=done.runs if done else 0,
                    last_score=done.last_score if done else None,
                    last_run_at=done.last_run_at if done else None,
                )
            )
        return rows

    def status(self, starter_id: str) -> StarterStatus:
        starter = self.catalog.starter(starter_id)
        return next(s for s in self.starters() if s.starter.id == starter.id)

    def copy_starter(self, starter_id: str) -> Path:
        """Copy the starter (and its data file) into the lab unless the learner already has it."""
        starter = self.catalog.starter(starter_id)
        target = self.starter_path(starter)
        self._copy_data(starter)
        if not target.exists():
            shutil.copyfile(starter.script, target)
            self.store.append(
                Event("starter_copied", subject=starter.id, payload={"path": self._rel(target)})
            )
        return target

    def reset_starter(self, starter_id: str) -> tuple[Path, Path | None]:
        """Restore the original script; the learner's edited version is kept as a backup."""
        starter = self.catalog.starter(starter_id)
        target = self.starter_path(starter)
        backup = None
        if target.exists() and self.is_edited(starter):
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            backup = self.root / STATE_DIR / "backups" / f"{starter.id}-{stamp}.py"
            backup.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(target, backup)
        self._copy_data(starter)
        shutil.copyfile(starter.script, target)
        payload = {"backup": self._rel(backup) if backup else None}
        self.store.append(Event("starter_reset", subject=starter.id, payload=payload))
        return target, backup

    def run_starter(
        self, starter_id: str, on_output: Callable[[str], None] | None = None
    ) -> StarterRun:
        """Run the learner's copy as ``python starters/<id>.py`` would, then record the run."""
        from invert.runner import run_script

        starter = self.catalog.starter(starter_id)
        self.check_requirements(starter)
        script = self.copy_starter(starter.id)
        rel = self._rel(script)
        self._check_syntax(script, rel, starter)
        variables = [starter.score.variable, starter.truth_variable, starter.predicted_variable]
        run = run_script(script, variables, cwd=self.root, on_output=on_output)
        if run.timed_out:
            raise LearnerError(f"{rel} ran longer than the time limit and was stopped")
        if not run.ok:
            error = run.error or {}
            where = f" at line {error['line']}" if error.get("line") else ""
            what = f"{error.get('type', 'error')}: {error.get('message', '')}".rstrip(": ")
            raise LearnerError(
                f"{rel} failed{where} ({what}); fix it, or restore the original with "
                f"`invert reset {starter.id}`"
            )
        notes = []
        score = run.values.get(starter.score.variable)
        if not isinstance(score, int | float):
            notes.append(
                f"no number in a variable named `{starter.score.variable}`: score not recorded"
            )
            score = None
        predictions = _pairs(
            run.values.get(starter.truth_variable), run.values.get(starter.predicted_variable)
        )
        edited = self.is_edited(starter)
        event = Event(
            "starter_run",
            subject=starter.id,
            payload={
                "script": rel,
                "wall_seconds": round(run.wall_seconds, 4),
                "metric": starter.score.name,
                "score": score,
                "edited": edited,
                "script_sha256": _sha256(script),
                "predictions": [[t, p] for t, p in predictions[:10]],
            },
        )
        self.store.append(event)
        return StarterRun(
            starter=starter,
            script=rel,
            wall_seconds=run.wall_seconds,
            score=float(score) if score is not None else None,
            predictions=predictions,
            output=run.output,
            edited=edited,
            run_id=event.uid,
            notes=notes,
        )

    def describe_starter(self, starter_id: str) -> StarterView:
        """What goes in and what comes out, from the catalogue, the data and the last run."""
        from invert.datasets import summarize

        status = self.status(starter_id)
        starter = status.starter
        data = summarize(self.catalog, self.catalog.dataset(starter.dataset))
        runs = self.store.events(kind="starter_run", subject=starter.id)
        last = {"at": runs[-1].at, **runs[-1].payload} if runs else None
        return StarterView(status=status, data=data, last_run=last)

    def check_requirements(self, starter: Starter) -> None:
        """Raise a LearnerError saying how to install what the starter needs, if it is missing."""
        import importlib.util

        for module in starter.requires:
            try:
                found = importlib.util.find_spec(module) is not None
            except (ImportError, ValueError):  # a broken install counts as missing
                found = False
            if not found:
                how = EXTRA_INSTALL.get(module, f"pip install {module}")
                raise LearnerError(
                    f"starter '{starter.id}' needs {module}, which is not installed: {how}"
                )

    # --- journal ------------------------------------------------------------------------------

    def export(self, path: Path) -> int:
        """Write the whole journal to a JSON file; return the number of events."""
        return write_export(self.store, path)

    def import_(self, path: Path) -> int:
        """Merge a JSON export into this lab, skipping events it has; return how many were new."""
        return self.store.import_events(read_export(path))

    # --- internals ----------------------------------------------------------------------------

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def _copy_data(self, starter: Starter) -> None:
        source = self.catalog.data_file(self.catalog.dataset(starter.dataset))
        if source is not None:
            target = self.root / "data" / source.name
            if not target.exists():
                target.parent.mkdir(exist_ok=True)
                shutil.copyfile(source, target)

    @staticmethod
    def _check_syntax(script: Path, rel: str, starter: Starter) -> None:
        try:
            compile(script.read_bytes(), str(script), "exec")
        except SyntaxError as exc:
            raise LearnerError(
                f"{rel}, line {exc.lineno}: syntax error ({exc.msg}); fix it, or restore the "
                f"original with `invert reset {starter.id}`"
            ) from None
        except ValueError as exc:  # e.g. a NUL byte in the file
            raise LearnerError(f"{rel} cannot be compiled: {exc}") from None


def _pairs(truth: Any, predicted: Any) -> list[tuple[Any, Any]]:
    """Zip the previews of two reported array-likes into (truth, predicted) rows."""

    def head(value: Any) -> list[Any]:
        if isinstance(value, dict):
            value = value.get("head")
        return value if isinstance(value, list) else []

    return list(zip(head(truth), head(predicted), strict=False))
