"""The starters part of a lab: the learner's copies of the starter scripts, and their runs.

`lab.starters` copies a starter into the lab (with its data), resets it, runs it as
``python starters/<id>.py`` would, and says where the learner stands with each one. Outside a
lab, `listing` gives the catalogue's starters without a status.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invert.errors import LearnerError
from invert.kinds.backups import keep_backup, sha256
from invert.kinds.part import STATE_DIR, Part
from invert.requirements import require
from invert.store import Event

if TYPE_CHECKING:
    from collections.abc import Callable

    from invert.catalog.models import Catalog
    from invert.datasets import DatasetSummary
    from invert.kinds.starters.model import Starter

STARTER_TIMEOUT = 600.0  # seconds: the slowest starter takes under one
NOT_ATTEMPTED = "not attempted"


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

    @property
    def state(self) -> str:
        """The standing progress counts by: "not attempted", "copied" or "ran"."""
        if self.runs:
            return "ran"
        return "copied" if self.copied else NOT_ATTEMPTED

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
            "state": self.state,
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
    next_step: str = ""  # what to do next: the suggested edit until a run has it, then more

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
            "next_step": self.next_step or self.starter.next_step,
            "output": self.output,
        }


@dataclass(frozen=True)
class StarterView:
    """What goes in and what comes out of a starter, without running the learner's copy."""

    status: StarterStatus
    data: DatasetSummary
    last_run: dict[str, Any] | None
    next_step: str = ""

    def to_json(self) -> dict[str, Any]:
        s = self.status.starter
        return {
            **self.status.to_json(),
            "summary": s.summary,
            "goes_in": s.goes_in,
            "comes_out": s.comes_out,
            "concepts": list(s.concepts),
            "experiments": list(s.experiments),
            "next_step": self.next_step or s.next_step,
            "expected_range": list(s.score.expect),
            "data": self.data.to_json(),
            "last_run": self.last_run,
        }


def listing(catalog: Catalog) -> list[dict[str, Any]]:
    """The catalogue's starters as `invert list` shows them where there is no lab (no status)."""
    return [
        {"id": s.id, "title": s.title, "dataset": s.dataset, "task": s.task, "status": None}
        for s in catalog.ordered_starters()
    ]


class Starters(Part):
    """The starters as one learner has them: `lab.starters`."""

    def path(self, starter: Starter) -> Path:
        """Where the learner's copy of `starter` is (or goes)."""
        return self.root / "starters" / starter.filename

    def is_edited(self, starter: Starter) -> bool:
        copy = self.path(starter)
        return copy.is_file() and sha256(copy) != sha256(starter.script)

    def statuses(self) -> list[StarterStatus]:
        """Every starter in catalogue order, with the learner's status."""
        progress = self.store.starter_progress()
        rows = []
        for starter in self.catalog.ordered_starters():
            done = progress.get(starter.id)
            rows.append(
                StarterStatus(
                    starter=starter,
                    copied=self.path(starter).is_file(),
                    edited=self.is_edited(starter),
                    runs=done.runs if done else 0,
                    last_score=done.last_score if done else None,
                    last_run_at=done.last_run_at if done else None,
                )
            )
        return rows

    def status(self, starter_id: str) -> StarterStatus:
        starter = self.catalog.starter(starter_id)
        return next(s for s in self.statuses() if s.starter.id == starter.id)

    def copy(self, starter_id: str) -> Path:
        """Copy the starter (and its data file) into the lab unless the learner already has it."""
        starter = self.catalog.starter(starter_id)
        target = self.path(starter)
        if not target.exists():
            self.store.must_write()  # a read-only lab: one line, before any file is written
        self._copy_data(starter)
        if not target.exists():
            shutil.copyfile(starter.script, target)
            self.store.append(
                Event("starter_copied", subject=starter.id, payload={"path": self.rel(target)})
            )
        return target

    def start(self, starter_id: str) -> Path:
        """Begin a starter: its copy in the lab, as every kind's `start` begins an item."""
        return self.copy(starter_id)

    def ensure(self, ref: str) -> tuple[Starter, bool]:
        """The starter named by `ref` (id or `starters/<id>.py`), copied into the lab if the
        learner has no copy yet; True when it was copied just now."""
        starter = self.catalog.starter(ref)
        self.check_requirements(starter)
        missing = not self.path(starter).is_file()
        self.copy(starter.id)
        return starter, missing

    def reset(self, starter_id: str) -> tuple[Path, Path | None]:
        """Restore the original script; the learner's edited version is kept as a backup."""
        starter = self.catalog.starter(starter_id)
        target = self.path(starter)
        backup = None
        if target.exists() and self.is_edited(starter):
            backup = keep_backup(self.root, target, starter.id)
        self._copy_data(starter)
        shutil.copyfile(starter.script, target)
        payload = {"backup": self.rel(backup) if backup else None}
        self.store.append(Event("starter_reset", subject=starter.id, payload=payload))
        return target, backup

    def run(self, starter_id: str, on_output: Callable[[str], None] | None = None) -> StarterRun:
        """Run the learner's copy as ``python starters/<id>.py`` would, then record the run."""
        self.store.must_write()  # before the run, not after it
        from invert.runner import run_script

        starter = self.catalog.starter(starter_id)
        self.check_requirements(starter)
        script = self.copy(starter.id)
        rel = self.rel(script)
        self.check_syntax(script, rel, starter)
        variables = [starter.score.variable, starter.truth_variable, starter.predicted_variable]
        # In a child of the lab's warm engine, which has the libraries loaded (a second, not
        # a second's imports, for a small script), or in a fresh Python when it is off.
        engine = self.lab.part("engine")
        run = (engine.run_script if engine.enabled else run_script)(
            script,
            variables,
            cwd=self.root,
            on_output=on_output,
            timeout=STARTER_TIMEOUT,
            journal=self.root / STATE_DIR,
        )
        if run.timed_out:
            raise LearnerError(
                f"{rel} ran longer than {STARTER_TIMEOUT / 60:.0f} minutes and was stopped"
            )
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
        source = script.read_text(encoding="utf-8", errors="replace")
        event = Event(
            "starter_run",
            subject=starter.id,
            payload={
                "script": rel,
                "wall_seconds": round(run.wall_seconds, 4),
                "metric": starter.score.name,
                "score": score,
                "edited": edited,
                "edit_applied": starter.edit is not None and starter.edit.is_in(source),
                "script_sha256": sha256(script),
                "predictions": [[t, p] for t, p in predictions[:10]],
            },
        )
        self.store.append(event)
        return StarterRun(
            next_step=self.next_step(starter),
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

    def describe(self, starter_id: str) -> StarterView:
        """What goes in and what comes out, from the catalogue, the data and the last run."""
        from invert.datasets import summarize

        status = self.status(starter_id)
        starter = status.starter
        data = summarize(self.catalog, self.catalog.dataset(starter.dataset))
        runs = self.store.events(kind="starter_run", subject=starter.id)
        last = {"at": runs[-1].at, **runs[-1].payload} if runs else None
        return StarterView(status, data, last, self.next_step(starter))

    def next_step(self, starter: Starter) -> str:
        """The manifest's next step (its suggested edit) until a run had that edit made; then
        the starter's first experiment not yet tried, then the next starter not yet run."""
        if starter.edit is None or not self._edit_followed(starter):
            return starter.next_step
        tried = self.lab.part("experiments").tried()
        for experiment_id in starter.experiments:
            if experiment_id not in tried:
                title = self.catalog.experiment(experiment_id).title
                return (
                    f"You have made the suggested change. Now turn one knob through many values "
                    f"and predict the curve first: `invert try {experiment_id}` ({title})."
                )
        progress = self.store.starter_progress()
        for later in self.catalog.ordered_starters():
            if later.id not in progress:
                return f"A new model on new data: `invert run {later.id}` ({later.title})."
        return f"Change something of your own in starters/{starter.filename}, predict, run again."

    def _edit_followed(self, starter: Starter) -> bool:
        """Whether a run of the learner's copy had the suggested edit made (or the copy has)."""
        if any(e.payload.get("edit_applied") for e in self.store.events("starter_run", starter.id)):
            return True
        copy = self.path(starter)
        source = copy.read_text(encoding="utf-8", errors="replace") if copy.is_file() else ""
        return starter.edit is not None and starter.edit.is_in(source)

    def check_requirements(self, starter: Starter) -> None:
        """Raise a LearnerError saying how to install what the starter needs, if it is missing."""
        require(starter.requires, f"starter '{starter.id}'")

    @staticmethod
    def check_syntax(script: Path, rel: str, starter: Starter) -> None:
        """A LearnerError naming the line, if the learner's copy does not parse."""
        from invert.runner import check_syntax

        check_syntax(script, rel, f"restore the original with `invert reset {starter.id}`")

    def _copy_data(self, starter: Starter) -> None:
        source = self.catalog.data_file(self.catalog.dataset(starter.dataset))
        if source is not None:
            target = self.root / "data" / source.name
            if not target.exists():
                target.parent.mkdir(exist_ok=True)
                shutil.copyfile(source, target)


def _pairs(truth: Any, predicted: Any) -> list[tuple[Any, Any]]:
    """Zip the previews of two reported array-likes into (truth, predicted) rows."""

    def head(value: Any) -> list[Any]:
        if isinstance(value, dict):
            value = value.get("head")
        return value if isinstance(value, list) else []

    return list(zip(head(truth), head(predicted), strict=False))
