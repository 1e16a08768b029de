"""The parent side of a rebuild check: run the learner's class in a guarded child, give the verdict.

The verdict is one of three states, stage by stage:
- "not attempted": the file is still the skeleton (it is checked anyway, to show the stages);
- "still failing": the file did not load, used scikit-learn, or a stage differs from it;
- "passed": every stage matched scikit-learn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from invert.kinds.exercise import Outcome, Verdict
from invert.kinds.rebuild.model import Exercise
from invert.runner import child_folder

PASSED, FAILING, NOT_ATTEMPTED = "passed", "still failing", "not attempted"


@dataclass
class StageOutcome(Outcome):
    """A stage: passed or not, what was observed, what was checked (its cases) and, for a
    failing stage whose behaviour matches a known wrong file, that misconception."""

    checked: str = ""
    misconception: str | None = None
    message: str | None = None


@dataclass(kw_only=True)
class RebuildVerdict(Verdict):
    """What `invert check` found for one rebuild exercise."""

    exercise: str
    stages: list[StageOutcome]

    @property
    def passed(self) -> bool:
        return self.state == PASSED

    @property
    def stages_passed(self) -> list[str]:
        return [s.id for s in self.stages if s.passed]

    @property
    def outcomes(self) -> list[Outcome]:
        return list(self.stages)

    @property
    def misconceptions(self) -> list[str]:
        """The misconceptions the failing stages show, in stage order, each once."""
        found = [s.misconception for s in self.stages if s.misconception]
        return list(dict.fromkeys(found))

    def to_json(self) -> dict[str, Any]:
        return {
            "exercise": self.exercise,
            "state": self.state,
            "problem": self.problem,
            "error": self.error,
            "stages": [asdict(s) for s in self.stages],
            "stages_passed": self.stages_passed,
            "misconceptions": self.misconceptions,
            "still_observed": self.still_observed,
            "wall_seconds": round(self.wall_seconds, 3),
            "output_truncated": self.output_truncated,
        }


def check_rebuild_file(
    exercise: Exercise,
    script: Path,
    lab_root: Path,
    *,
    unchanged: bool = False,
    trusted: bool = False,
    timeout: float | None = None,
    on_output: Callable[[str], None] | None = None,
) -> RebuildVerdict:
    """Judge the learner's `script` stage by stage against scikit-learn, in a guarded child.

    `trusted` lets the file import `invert.scratch` (the reference solutions do; a learner's
    file may not). scikit-learn is refused either way.
    """
    [verdict] = check_rebuild_files(
        exercise, [(script, trusted)], lab_root, timeout=timeout, on_output=on_output
    )
    if unchanged and verdict.state == FAILING:
        verdict.state = NOT_ATTEMPTED
    return verdict


def check_rebuild_files(
    exercise: Exercise,
    scripts: list[tuple[Path, bool]],
    lab_root: Path,
    *,
    timeout: float | None = None,
    on_output: Callable[[str], None] | None = None,
) -> list[RebuildVerdict]:
    """Judge several files, each (path, trusted), in one child: scikit-learn's answers are
    computed once. `invert dev check` uses it; a learner's check passes one file."""
    limit = timeout if timeout is not None else exercise.timeout * len(scripts)
    with child_folder("invert-rebuild-") as child:
        results = [f"result-{i}.json" for i in range(len(scripts))]
        spec = {
            "lab": str(lab_root.resolve()),
            "scratch": str(child.folder),
            "runs": [
                {
                    "script": str(script.resolve()),
                    "trusted": trusted,
                    "result": str(child.folder / result),
                }
                for (script, trusted), result in zip(scripts, results, strict=True)
            ],
            "stages": [
                {"id": s.id, "kind": s.kind, "title": s.title, **s.params} for s in exercise.stages
            ],
            "pool": [
                {
                    "script": str((exercise.corpus / w.file).resolve()),
                    "misconception": w.misconception,
                    "message": exercise.message(w.misconception),
                    "fails": list(w.fails),
                }
                for w in exercise.pool
            ],
        }
        run = child.run(
            "invert.kinds.rebuild.child", spec, cwd=lab_root, timeout=limit, on_output=on_output
        )
        found = [child.read(result) for result in results]
    return [_verdict(exercise, result, run, limit) for result in found]


def _verdict(exercise: Exercise, result: dict[str, Any], run: Any, limit: float) -> RebuildVerdict:
    judged = {s["id"]: s for s in result.get("stages", [])}
    stopped = None
    if run.timed_out:
        stopped = f"the check ran longer than {limit:g} s and was stopped"
    elif not result.get("finished"):
        stopped = _ended(run.exit_code)
    problem = None
    error = result.get("error")
    blocked = result.get("blocked", [])
    if blocked:
        library = (
            "scikit-learn"
            if any(name.split(".")[0] == "sklearn" for name in blocked)
            else "invert's own reference code"
        )
        problem = (
            f"your code uses {library} ({', '.join(blocked)}); a rebuild is written with "
            "NumPy alone, so no stage counts"
        )
    elif error:
        where = f" at line {error['line']}" if error.get("line") else ""
        what = f"{error['type']}: {error['message']}".rstrip(": ")
        problem = f"the file stopped{where} while loading ({what})"
    elif stopped:
        problem = stopped
    stages = []
    reached_end = False  # past the stage that was running when the process stopped
    for stage in exercise.stages:
        found = judged.get(stage.id)
        checked = stage.checked
        if blocked:
            stages.append(
                StageOutcome(stage.id, stage.title, False, f"not counted: uses {library}", checked)
            )
        elif found is not None:
            shows = found.get("shows") or {}
            stages.append(
                StageOutcome(
                    stage.id,
                    stage.title,
                    bool(found["passed"]),
                    found["observed"],
                    checked,
                    shows.get("id"),
                    shows.get("message"),
                )
            )
        else:
            if error:
                why = "the file did not load"
            elif reached_end:
                why = "not reached"
            elif run.timed_out:
                why = f"still running when the check was stopped at {limit:g} s"
            else:
                why = stopped or "not reached"
            reached_end = True
            stages.append(
                StageOutcome(stage.id, stage.title, False, f"not checked: {why}", checked)
            )
    failed = problem is not None or not all(s.passed for s in stages)
    state = FAILING if failed else PASSED
    return RebuildVerdict(
        exercise=exercise.id,
        state=state,
        stages=stages,
        output=run.output,
        wall_seconds=run.wall_seconds,
        problem=problem,
        error=error,
        output_truncated=run.output_truncated,
    )


def _ended(exit_code: int) -> str:
    import signal

    if exit_code < 0:
        try:
            name = signal.Signals(-exit_code).name
        except ValueError:
            name = f"signal {-exit_code}"
        return f"your code crashed the check's process ({name}) before it finished"
    return f"your code ended the check's process (exit code {exit_code}) before it finished"
