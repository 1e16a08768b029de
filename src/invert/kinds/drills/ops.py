"""The drills part of a lab (``lab.drills``): what a drill adds to the exercise core.

A drill's original is its broken script; its judge runs the learner's copy under the drill's
declared checks; its solution is the reference fix as a diff. Its status is derived from the
journal's events (drill_started, drill_checked, drill_hint, drill_solution_shown), so it
survives export and import unchanged.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from invert.kinds.exercise import Exercises, ExerciseStatus

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from invert.catalog.models import Catalog
    from invert.kinds.drills.model import Drill
    from invert.kinds.drills.run import Verdict

__all__ = ["DrillStatus", "Drills", "Solution", "listing"]


@dataclass(frozen=True)
class DrillStatus(ExerciseStatus["Drill"]):
    """A drill as the learner stands with it: "not attempted", "still broken" or "fixed"."""

    @property
    def drill(self) -> Drill:
        return self.item

    @property
    def fixed_at(self) -> str | None:
        return self.passed_at

    @property
    def hints_when_fixed(self) -> int | None:
        return self.hints_when_passed

    def to_json(self) -> dict[str, Any]:
        d = self.drill
        return {
            "id": d.id,
            "title": d.title,
            "symptom": d.symptom,
            "dataset": d.dataset,
            "concept": d.concept,
            "state": self.state,
            "copied": self.copied,
            "checks": self.checks,
            "hints_used": self.hints_used,
            "hints": len(d.hints),
            "fixed_at": self.fixed_at,
            "hints_when_fixed": self.hints_when_fixed,
            "variant_of": d.variant_of,
            "variants": list(d.variants),
            "listed": self.listed,
        }

    @property
    def listed(self) -> bool:
        """Listed with the drills: a drill, and a variant once the learner has started it."""
        return self.drill.variant_of is None or self.copied or self.state != "not attempted"


@dataclass(frozen=True)
class Solution:
    drill: Drill
    diff: str  # the reference fix as a unified diff of the broken script
    source: str
    card: str | None


def listing(catalog: Catalog) -> list[dict[str, Any]]:
    """The drills as `invert drills --json` lists them when there is no lab: no state."""
    return [
        {
            "id": d.id,
            "title": d.title,
            "symptom": d.symptom,
            "dataset": d.dataset,
            "state": None,
            "variant_of": d.variant_of,
            "variants": list(d.variants),
            "listed": d.variant_of is None,
        }
        for d in catalog.ordered_drills()
    ]


class Drills(Exercises["Drill", "Verdict", Solution]):
    """The lab's drills: broken pipelines to fix, checked by their declared checks."""

    kind_name = "drills"
    prefix = "drill"
    noun = "drill"
    folder = "drills"
    passed = "fixed"
    failing = "still broken"
    no_copy = "you have no copy of drill '{id}' yet: `invert drill {id}` starts it"
    locked = (
        "the solution opens once `invert check {id}` passes; `invert hint {id}` gives the next hint"
    )
    status_type = DrillStatus

    def items(self) -> list[Drill]:
        return self.catalog.ordered_drills()

    def item(self, item_id: str) -> Drill:
        return self.catalog.drill(item_id)

    def original(self, item: Drill) -> Path:
        return item.broken

    def require(self, item: Drill) -> None:
        from invert.requirements import require

        require(item.requires, f"drill '{item.id}'")

    def prepare(self, item: Drill) -> None:
        from invert.kinds.drills.data import write_public

        write_public(
            self.catalog, self.catalog.dataset(item.dataset), self.root / "drills" / "data"
        )

    def judge(
        self,
        item: Drill,
        script: Path,
        *,
        unchanged: bool,
        timeout: float | None,
        on_output: Callable[[str], None] | None,
    ) -> Verdict:
        from invert.kinds.drills.run import check_script

        return check_script(
            self.catalog,
            item,
            script,
            self.root,
            unchanged=unchanged,
            timeout=timeout,
            on_output=on_output,
        )

    def judged(self, verdict: Verdict) -> dict[str, Any]:
        return {"failing": verdict.failing}

    def reveal(self, item: Drill) -> Solution:
        broken = item.broken.read_text(encoding="utf-8").splitlines(keepends=True)
        fixed = item.solution.read_text(encoding="utf-8")
        diff = "".join(
            difflib.unified_diff(
                broken, fixed.splitlines(keepends=True), "broken.py", "solution.py", n=2
            )
        )
        return Solution(item, diff, fixed, item.card)
