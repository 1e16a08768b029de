"""The Lab's drill operations: start a drill, check it, hints, the solution, the learner's status.

`Lab` inherits these. A drill's status is derived from the journal's events (drill_started,
drill_checked, drill_hint, drill_solution_shown), so it survives export and import unchanged.
"""

from __future__ import annotations

import difflib
import hashlib
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invert.errors import LearnerError
from invert.kinds.exercise import attempt, latest_event
from invert.store import Event

if TYPE_CHECKING:
    from collections.abc import Callable

    from invert.catalog import Catalog
    from invert.kinds.drills.model import Drill
    from invert.kinds.drills.run import Verdict
    from invert.store import Store

DRILL_EVENTS = ("drill_started", "drill_reset", "drill_checked", "drill_hint")


@dataclass(frozen=True)
class DrillStatus:
    """A drill as the learner stands with it."""

    drill: Drill
    state: str  # "not attempted", "still broken" or "fixed"
    copied: bool
    checks: int  # how many times `invert check` ran it
    hints_used: int
    fixed_at: str | None
    hints_when_fixed: int | None  # hints used before the first pass

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.drill.id,
            "title": self.drill.title,
            "symptom": self.drill.symptom,
            "dataset": self.drill.dataset,
            "concept": self.drill.concept,
            "state": self.state,
            "copied": self.copied,
            "checks": self.checks,
            "hints_used": self.hints_used,
            "hints": len(self.drill.hints),
            "fixed_at": self.fixed_at,
            "hints_when_fixed": self.hints_when_fixed,
        }


@dataclass(frozen=True)
class Hint:
    drill: Drill
    number: int  # 1-based
    text: str
    new: bool  # False when every hint had been shown already

    @property
    def total(self) -> int:
        return len(self.drill.hints)


@dataclass(frozen=True)
class Solution:
    drill: Drill
    diff: str  # the reference fix as a unified diff of the broken script
    source: str
    card: str | None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def keep_backup(root: Path, copy: Path, name: str) -> Path:
    """Copy the learner's edited `copy` to .invert/backups/NAME-<timestamp>.py before a reset."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    backup = root / ".invert" / "backups" / f"{name}-{stamp}.py"
    backup.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(copy, backup)
    return backup


def drills_outside_a_lab(catalog: Catalog) -> list[dict[str, Any]]:
    """The drills as `invert drills --json` lists them when there is no lab: no state."""
    return [
        {"id": d.id, "title": d.title, "symptom": d.symptom, "dataset": d.dataset, "state": None}
        for d in catalog.ordered_drills()
    ]


class DrillOperations:
    """Mixed into `Lab`: it provides `root`, `catalog` and `store`."""

    root: Path
    catalog: Catalog
    store: Store

    def drill_path(self, drill: Drill) -> Path:
        return self.root / "drills" / drill.filename

    def drills(self) -> list[DrillStatus]:
        """Every drill in catalogue order, with the learner's status."""
        by_drill: dict[str, list[Event]] = {}
        for event in self.store.events((*DRILL_EVENTS, "drill_solution_shown")):
            by_drill.setdefault(event.subject or "", []).append(event)
        return [
            self._status(drill, sorted(by_drill.get(drill.id, []), key=lambda e: e.at))
            for drill in self.catalog.ordered_drills()
        ]

    def drill_status(self, drill_id: str) -> DrillStatus:
        drill = self.catalog.drill(drill_id)
        return next(s for s in self.drills() if s.drill.id == drill.id)

    def _status(self, drill: Drill, events: list[Event]) -> DrillStatus:
        found = attempt(events, "drill_checked", "drill_hint", "fixed", "still broken")
        return DrillStatus(
            drill=drill,
            state=found.state,
            copied=self.drill_path(drill).is_file(),
            checks=len(found.checks),
            hints_used=found.hints_used,
            fixed_at=found.passed_at,
            hints_when_fixed=found.hints_when_passed,
        )

    def current_drill(self) -> Drill:
        """The drill the learner touched last: the one `invert check` means without an id."""
        latest = latest_event(self.store, DRILL_EVENTS)
        if latest is None or latest.subject not in self.catalog.drills:
            raise LearnerError("no drill started yet: `invert drills` lists them")
        return self.catalog.drills[latest.subject]

    def next_drill(self, after: str) -> Drill | None:
        """The first drill after `after` (wrapping round) that is not fixed yet."""
        statuses = self.drills()
        ids = [s.drill.id for s in statuses]
        later = statuses[ids.index(after) + 1 :] + statuses[: ids.index(after)]
        return next((s.drill for s in later if s.state != "fixed"), None)

    def resolve_drill(self, drill_id: str | None) -> Drill:
        """The drill named, or without a name the one the learner worked on last."""
        return self.current_drill() if drill_id is None else self.catalog.drill(drill_id)

    def start_drill(self, drill_id: str) -> tuple[Drill, Path]:
        """Copy the broken script (and the readable rows) into drills/ unless already there."""
        from invert.kinds.drills.data import write_public

        drill = self.catalog.drill(drill_id)
        self._require(drill)
        write_public(
            self.catalog, self.catalog.dataset(drill.dataset), self.root / "drills" / "data"
        )
        target = self.drill_path(drill)
        if not target.exists():
            target.parent.mkdir(exist_ok=True)
            shutil.copyfile(drill.broken, target)
        self.store.append(
            Event("drill_started", subject=drill.id, payload={"path": self._rel(target)})
        )
        return drill, target

    def reset_drill(self, drill_id: str) -> tuple[Path, Path | None]:
        """Restore the broken original; the learner's version is kept as a backup."""
        drill = self.catalog.drill(drill_id)
        target = self.drill_path(drill)
        backup = None
        if target.exists() and _sha256(target) != _sha256(drill.broken):
            backup = keep_backup(self.root, target, f"drill-{drill.id}")
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(drill.broken, target)
        payload = {"backup": self._rel(backup) if backup else None}
        self.store.append(Event("drill_reset", subject=drill.id, payload=payload))
        return target, backup

    def check_drill(
        self,
        drill_id: str | None = None,
        on_output: Callable[[str], None] | None = None,
        timeout: float | None = None,
    ) -> Verdict:
        """Run the learner's copy under the drill's checks and record the verdict."""
        self.store.must_write()  # before the run, not after it
        from invert.kinds.drills.run import check_script

        drill = self.resolve_drill(drill_id)
        self._require(drill)
        script = self.drill_path(drill)
        if not script.is_file():
            raise LearnerError(
                f"you have no copy of drill '{drill.id}' yet: `invert drill {drill.id}` starts it"
            )
        sha = _sha256(script)
        verdict = check_script(
            self.catalog,
            drill,
            script,
            self.root,
            unchanged=sha == _sha256(drill.broken),
            timeout=timeout,
            on_output=on_output,
        )
        hints = len({e.payload["number"] for e in self.store.events("drill_hint", drill.id)})
        self.store.append(
            Event(
                "drill_checked",
                subject=drill.id,
                payload={
                    "state": verdict.state,
                    "failing": verdict.failing,
                    "problem": verdict.problem,
                    "hints_used": hints,
                    "script_sha256": sha,
                    "wall_seconds": round(verdict.wall_seconds, 3),
                },
            )
        )
        return verdict

    def hints_shown(self, drill_id: str) -> list[Hint]:
        """The hints the learner has asked for so far, in order."""
        drill = self.catalog.drill(drill_id)
        return [
            Hint(drill, n, drill.hints[n - 1], new=False)
            for n in sorted(self._shown(drill))
            if n <= len(drill.hints)
        ]

    def _shown(self, drill: Drill) -> set[int]:
        return {e.payload["number"] for e in self.store.events("drill_hint", drill.id)}

    def next_hint(self, drill_id: str | None = None) -> Hint:
        """The next hint not yet shown (recorded), or the last one again once all are used."""
        drill = self.resolve_drill(drill_id)
        shown = self._shown(drill)
        number = next((n for n in range(1, len(drill.hints) + 1) if n not in shown), None)
        if number is None:
            return Hint(drill, len(drill.hints), drill.hints[-1], new=False)
        self.store.append(Event("drill_hint", subject=drill.id, payload={"number": number}))
        return Hint(drill, number, drill.hints[number - 1], new=True)

    def solution(self, drill_id: str) -> Solution:
        """The reference fix and its explanation; only once the learner's copy has passed."""
        drill = self.catalog.drill(drill_id)
        if self._status(drill, self.store.events("drill_checked", drill.id)).state != "fixed":
            raise LearnerError(
                f"the solution opens once `invert check {drill.id}` passes; "
                f"`invert hint {drill.id}` gives the next hint"
            )
        broken = drill.broken.read_text(encoding="utf-8").splitlines(keepends=True)
        fixed = drill.solution.read_text(encoding="utf-8")
        diff = "".join(
            difflib.unified_diff(
                broken, fixed.splitlines(keepends=True), "broken.py", "solution.py", n=2
            )
        )
        self.store.append(Event("drill_solution_shown", subject=drill.id))
        return Solution(drill, diff, fixed, drill.card)

    def _require(self, drill: Drill) -> None:
        from invert.requirements import require

        require(drill.requires, f"drill '{drill.id}'")

    def _rel(self, path: Path) -> str:  # pragma: no cover - Lab defines it
        raise NotImplementedError
