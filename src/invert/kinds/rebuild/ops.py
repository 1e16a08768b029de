"""The Lab's rebuild operations: copy a skeleton, check it stage by stage, hints, the solution.

`Lab` inherits these. An exercise's status is derived from the journal's events
(rebuild_started, rebuild_checked with the stages passed, rebuild_hint, rebuild_solution_shown),
so it survives export and import unchanged. Credit is per stage: a stage passed once stays
earned; the exercise is passed when one check passes every stage.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invert.errors import LearnerError, UnknownError
from invert.kinds.exercise import attempt, latest_event
from invert.store import Event

if TYPE_CHECKING:
    from collections.abc import Callable

    from invert.catalog import Catalog
    from invert.kinds.rebuild.model import Exercise
    from invert.kinds.rebuild.run import RebuildVerdict
    from invert.store import Store

WORK_EVENTS = ("rebuild_started", "rebuild_checked", "rebuild_hint")
REBUILD_EVENTS = ("rebuild_started", "rebuild_reset", "rebuild_checked", "rebuild_hint")
REBUILD_FOLDER = "rebuild"


@dataclass(frozen=True)
class RebuildStatus:
    """An exercise as the learner stands with it."""

    exercise: Exercise
    state: str  # "not attempted", "still failing" or "passed"
    copied: bool
    checks: int
    hints_used: int
    stages_earned: tuple[str, ...]  # every stage passed in some check, in the exercise's order
    passed_at: str | None
    hints_when_passed: int | None
    last_worked_at: str | None = None  # the latest start, check or hint

    def to_json(self) -> dict[str, Any]:
        e = self.exercise
        return {
            "id": e.id,
            "title": e.title,
            "summary": e.summary,
            "card": e.card,
            "state": self.state,
            "copied": self.copied,
            "checks": self.checks,
            "hints_used": self.hints_used,
            "hints": len(e.hints),
            "stages": [s.id for s in e.stages],
            "stages_earned": list(self.stages_earned),
            "passed_at": self.passed_at,
            "hints_when_passed": self.hints_when_passed,
        }


@dataclass(frozen=True)
class RebuildHint:
    exercise: Exercise
    number: int  # 1-based
    text: str
    new: bool  # False when every hint had been shown already

    @property
    def total(self) -> int:
        return len(self.exercise.hints)


@dataclass(frozen=True)
class RebuildSolution:
    exercise: Exercise
    references: list[tuple[str, str]]  # (dotted name, source) of each invert.scratch piece


def rebuilds_outside_a_lab(catalog: Catalog) -> list[dict[str, Any]]:
    """The exercises as `invert rebuild --json` lists them when there is no lab: no state."""
    return [
        {
            "id": e.id,
            "title": e.title,
            "summary": e.summary,
            "stages": [s.id for s in e.stages],
            "state": None,
        }
        for e in catalog.ordered_rebuilds()
    ]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def reference_source(dotted: str) -> str:
    """The source of an invert.scratch piece named "module:attribute[.method]"."""
    import importlib
    import inspect

    module_name, _, attribute = dotted.partition(":")
    found: Any = importlib.import_module(module_name)
    for part in attribute.split("."):
        found = getattr(found, part)
    return inspect.getsource(found)


class RebuildOperations:
    """Mixed into `Lab`: it provides `root`, `catalog` and `store`."""

    root: Path
    catalog: Catalog
    store: Store

    def rebuild_path(self, exercise: Exercise) -> Path:
        return self.root / REBUILD_FOLDER / exercise.filename

    def rebuilds(self) -> list[RebuildStatus]:
        """Every exercise in catalogue order, with the learner's status."""
        by_id: dict[str, list[Event]] = {}
        for event in self.store.events((*REBUILD_EVENTS, "rebuild_solution_shown")):
            by_id.setdefault(event.subject or "", []).append(event)
        return [
            self._rebuild_status(e, sorted(by_id.get(e.id, []), key=lambda ev: ev.at))
            for e in self.catalog.ordered_rebuilds()
        ]

    def rebuild_status(self, exercise_id: str) -> RebuildStatus:
        exercise = self.catalog.rebuild(exercise_id)
        return next(s for s in self.rebuilds() if s.exercise.id == exercise.id)

    def _rebuild_status(self, exercise: Exercise, events: list[Event]) -> RebuildStatus:
        found = attempt(events, "rebuild_checked", "rebuild_hint", "passed", "still failing")
        earned = {stage for e in found.checks for stage in e.payload.get("stages_passed", [])}
        return RebuildStatus(
            exercise=exercise,
            state=found.state,
            copied=self.rebuild_path(exercise).is_file(),
            checks=len(found.checks),
            hints_used=found.hints_used,
            stages_earned=tuple(s.id for s in exercise.stages if s.id in earned),
            passed_at=found.passed_at,
            hints_when_passed=found.hints_when_passed,
            last_worked_at=max((e.at for e in events if e.kind in WORK_EVENTS), default=None),
        )

    def last_rebuild_event(self) -> Event | None:
        """The latest event about an exercise: which one `invert check` means without an id."""
        return latest_event(self.store, REBUILD_EVENTS)

    def start_rebuild(self, exercise_id: str) -> tuple[Exercise, Path]:
        """Copy the skeleton into rebuild/ unless the learner has a copy already."""
        exercise = self.catalog.rebuild(exercise_id)
        target = self.rebuild_path(exercise)
        if not target.exists():
            target.parent.mkdir(exist_ok=True)
            shutil.copyfile(exercise.skeleton, target)
        self.store.append(
            Event("rebuild_started", subject=exercise.id, payload={"path": self._rel(target)})
        )
        return exercise, target

    def reset_rebuild(self, exercise_id: str) -> tuple[Path, Path | None]:
        """Restore the skeleton; the learner's version is kept as a backup."""
        from invert.kinds.drills.ops import keep_backup

        exercise = self.catalog.rebuild(exercise_id)
        target = self.rebuild_path(exercise)
        backup = None
        if target.exists() and _sha256(target) != _sha256(exercise.skeleton):
            backup = keep_backup(self.root, target, f"rebuild-{exercise.id}")
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(exercise.skeleton, target)
        payload = {"backup": self._rel(backup) if backup else None}
        self.store.append(Event("rebuild_reset", subject=exercise.id, payload=payload))
        return target, backup

    def check_rebuild(
        self,
        exercise_id: str,
        on_output: Callable[[str], None] | None = None,
        timeout: float | None = None,
    ) -> RebuildVerdict:
        """Check the learner's copy stage by stage against scikit-learn; record the verdict."""
        self.store.must_write()  # before the run, not after it
        from invert.kinds.rebuild.run import check_rebuild_file

        exercise = self.catalog.rebuild(exercise_id)
        script = self.rebuild_path(exercise)
        if not script.is_file():
            raise LearnerError(
                f"you have no copy of '{exercise.id}' yet: `invert rebuild {exercise.id}` "
                "copies the skeleton"
            )
        sha = _sha256(script)
        verdict = check_rebuild_file(
            exercise,
            script,
            self.root,
            unchanged=sha == _sha256(exercise.skeleton),
            timeout=timeout,
            on_output=on_output,
        )
        self.store.append(
            Event(
                "rebuild_checked",
                subject=exercise.id,
                payload={
                    "state": verdict.state,
                    "stages_passed": verdict.stages_passed,
                    "stages": len(verdict.stages),
                    "problem": verdict.problem,
                    "hints_used": len(self._rebuild_hints_shown(exercise)),
                    "script_sha256": sha,
                    "wall_seconds": round(verdict.wall_seconds, 3),
                },
            )
        )
        return verdict

    def _rebuild_hints_shown(self, exercise: Exercise) -> set[int]:
        return {e.payload["number"] for e in self.store.events("rebuild_hint", exercise.id)}

    def rebuild_hints_shown(self, exercise_id: str) -> list[RebuildHint]:
        """The hints the learner has asked for so far, in order."""
        exercise = self.catalog.rebuild(exercise_id)
        return [
            RebuildHint(exercise, n, exercise.hints[n - 1], new=False)
            for n in sorted(self._rebuild_hints_shown(exercise))
            if n <= len(exercise.hints)
        ]

    def next_rebuild_hint(self, exercise_id: str) -> RebuildHint:
        """The next hint not yet shown (recorded), or the last one again once all are used."""
        exercise = self.catalog.rebuild(exercise_id)
        shown = self._rebuild_hints_shown(exercise)
        number = next((n for n in range(1, len(exercise.hints) + 1) if n not in shown), None)
        if number is None:
            return RebuildHint(exercise, len(exercise.hints), exercise.hints[-1], new=False)
        self.store.append(Event("rebuild_hint", subject=exercise.id, payload={"number": number}))
        return RebuildHint(exercise, number, exercise.hints[number - 1], new=True)

    def rebuild_solution(self, exercise_id: str) -> RebuildSolution:
        """invert's own from-scratch code for the exercise; only once the learner's has passed."""
        exercise = self.catalog.rebuild(exercise_id)
        events = self.store.events("rebuild_checked", exercise.id)
        if self._rebuild_status(exercise, events).state != "passed":
            raise LearnerError(
                f"the solution opens once `invert check {exercise.id}` passes every stage; "
                f"`invert hint {exercise.id}` gives the next hint"
            )
        references = [(name, reference_source(name)) for name in exercise.reference]
        self.store.append(Event("rebuild_solution_shown", subject=exercise.id))
        return RebuildSolution(exercise, references)

    def next_rebuild(self, after: str) -> Exercise | None:
        """The first exercise after `after` (wrapping round) not passed yet."""
        statuses = self.rebuilds()
        ids = [s.exercise.id for s in statuses]
        later = statuses[ids.index(after) + 1 :] + statuses[: ids.index(after)]
        return next((s.exercise for s in later if s.state != "passed"), None)

    def _rel(self, path: Path) -> str:  # pragma: no cover - Lab defines it
        raise NotImplementedError


class CheckDispatch:
    """Mixed into `Lab`: which catalogue an id given to `invert check`/`hint`/`watch` names.

    Drill ids and exercise ids never collide (the catalogue's loader refuses it).
    """

    catalog: Catalog
    store: Store

    def current_drill(self) -> Any:  # pragma: no cover - DrillOperations defines it
        raise NotImplementedError

    def last_rebuild_event(self) -> Event | None:  # pragma: no cover - RebuildOperations
        raise NotImplementedError

    def resolve_check(self, exercise_id: str | None) -> tuple[str, str]:
        """("drill" or "rebuild", id): the id named, or the exercise touched last."""
        import difflib

        if exercise_id is not None:
            if exercise_id in self.catalog.rebuilds:
                return "rebuild", exercise_id
            if exercise_id in self.catalog.drills:
                return "drill", exercise_id
            close = difflib.get_close_matches(
                exercise_id, [*self.catalog.drills, *self.catalog.rebuilds], n=3, cutoff=0.5
            )
            hint = (
                f"did you mean {' or '.join(close)}?"
                if close
                else "`invert drills` and `invert rebuild` list them"
            )
            raise UnknownError(f"unknown drill or rebuild '{exercise_id}'; {hint}")
        rebuild = self.last_rebuild_event()
        try:
            drill = self.current_drill()
        except LearnerError:
            if rebuild is None or rebuild.subject not in self.catalog.rebuilds:
                raise
            return "rebuild", rebuild.subject
        if rebuild is not None and rebuild.subject in self.catalog.rebuilds:
            last_drill = self._last_drill_event_at()
            if rebuild.at > last_drill:
                return "rebuild", rebuild.subject
        return "drill", drill.id

    def _last_drill_event_at(self) -> str:
        from invert.kinds.drills.ops import DRILL_EVENTS

        latest = latest_event(self.store, DRILL_EVENTS)
        return latest.at if latest else ""
