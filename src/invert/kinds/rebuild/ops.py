"""The rebuild part of a lab (``lab.rebuild``): what a rebuild adds to the exercise core.

An exercise's original is its skeleton; its judge checks the learner's copy stage by stage
against scikit-learn; its solution is invert's own from-scratch code. Its status is derived from
the journal's events (rebuild_started, rebuild_checked with the stages passed, rebuild_hint,
rebuild_solution_shown), so it survives export and import unchanged. Credit is per stage: a
stage passed once stays earned; the exercise is passed when one check passes every stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from invert.kinds.exercise import Attempt, Exercises, ExerciseStatus

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from invert.catalog.models import Catalog
    from invert.kinds.rebuild.model import Exercise
    from invert.kinds.rebuild.run import RebuildVerdict

REBUILD_FOLDER = "rebuild"


@dataclass(frozen=True)
class RebuildStatus(ExerciseStatus["Exercise"]):
    """An exercise as the learner stands with it: "not attempted", "still failing" or "passed"."""

    stages_earned: tuple[str, ...] = ()  # every stage passed in some check, in the exercise's order

    @property
    def exercise(self) -> Exercise:
        return self.item

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
class RebuildSolution:
    exercise: Exercise
    references: list[tuple[str, str]]  # (dotted name, source) of each invert.scratch piece


def listing(catalog: Catalog) -> list[dict[str, Any]]:
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


def reference_source(dotted: str) -> str:
    """The source of an invert.scratch piece named "module:attribute[.method]"."""
    import importlib
    import inspect

    module_name, _, attribute = dotted.partition(":")
    found: Any = importlib.import_module(module_name)
    for part in attribute.split("."):
        found = getattr(found, part)
    return inspect.getsource(found)


class Rebuilds(Exercises["Exercise", "RebuildVerdict", RebuildSolution]):
    """The lab's rebuild exercises: algorithms rewritten with NumPy, checked stage by stage."""

    kind_name = "rebuild"
    prefix = "rebuild"
    noun = "rebuild"
    folder = REBUILD_FOLDER
    passed = "passed"
    failing = "still failing"
    no_copy = "you have no copy of '{id}' yet: `invert rebuild {id}` copies the skeleton"
    locked = (
        "the solution opens once `invert check {id}` passes every stage; "
        "`invert hint {id}` gives the next hint"
    )
    status_type = RebuildStatus

    def items(self) -> list[Exercise]:
        return self.catalog.ordered_rebuilds()

    def item(self, item_id: str) -> Exercise:
        return self.catalog.rebuild(item_id)

    def original(self, item: Exercise) -> Path:
        return item.skeleton

    def judge(
        self,
        item: Exercise,
        script: Path,
        *,
        unchanged: bool,
        timeout: float | None,
        on_output: Callable[[str], None] | None,
    ) -> RebuildVerdict:
        from invert.kinds.rebuild.run import check_rebuild_file

        return check_rebuild_file(
            item, script, self.root, unchanged=unchanged, timeout=timeout, on_output=on_output
        )

    def judged(self, verdict: RebuildVerdict) -> dict[str, Any]:
        return {"stages_passed": verdict.stages_passed, "stages": len(verdict.stages)}

    def status_fields(self, item: Exercise, found: Attempt) -> dict[str, Any]:
        earned = {stage for e in found.checks for stage in e.payload.get("stages_passed", [])}
        return {"stages_earned": tuple(s.id for s in item.stages if s.id in earned)}

    def reveal(self, item: Exercise) -> RebuildSolution:
        return RebuildSolution(item, [(name, reference_source(name)) for name in item.reference])
