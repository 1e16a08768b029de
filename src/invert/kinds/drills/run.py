"""The parent side of `invert check`: run a drill script in a guarded child and give the verdict.

The verdict is one of three states:
- "not attempted": the script is still the original (it is run anyway, to show the symptom);
- "still broken": the script failed, or a declared check still observes the fault;
- "fixed": the script ran and every declared check passed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from invert.catalog.models import Catalog
from invert.kinds.drills.data import write_public
from invert.kinds.drills.model import Drill
from invert.kinds.exercise import Outcome
from invert.kinds.exercise import Verdict as ExerciseVerdict
from invert.runner import child_folder

FIXED, BROKEN, NOT_ATTEMPTED = "fixed", "still broken", "not attempted"


@dataclass
class CheckOutcome(Outcome):
    figures: dict[str, Any] = field(default_factory=dict)


@dataclass(kw_only=True)
class Verdict(ExerciseVerdict):
    """What `invert check` found for one drill script."""

    drill: str
    checks: list[CheckOutcome]
    values: dict[str, Any] = field(default_factory=dict)
    misconception: dict[str, Any] | None = None  # the known one its change shows, if any

    @property
    def fixed(self) -> bool:
        return self.state == FIXED

    @property
    def failing(self) -> list[str]:
        return [c.id for c in self.checks if not c.passed]

    @property
    def outcomes(self) -> list[Outcome]:
        return list(self.checks)

    def to_json(self) -> dict[str, Any]:
        return {
            "drill": self.drill,
            "state": self.state,
            "problem": self.problem,
            "error": self.error,
            "checks": [asdict(c) for c in self.checks],
            "still_observed": self.still_observed,
            "values": self.values,
            "misconception": self.misconception,
            "wall_seconds": round(self.wall_seconds, 3),
            "output_truncated": self.output_truncated,
        }


def check_script(
    catalog: Catalog,
    drill: Drill,
    script: Path,
    lab_root: Path,
    *,
    unchanged: bool = False,
    timeout: float | None = None,
    on_output: Callable[[str], None] | None = None,
) -> Verdict:
    """Run `script` (drill.runs times) under the guard and decide the verdict."""
    [verdict] = check_scripts(
        catalog,
        drill,
        [script],
        lab_root,
        unchanged=unchanged,
        timeout=timeout,
        on_output=on_output,
    )
    return verdict


def check_scripts(
    catalog: Catalog,
    drill: Drill,
    scripts: list[Path],
    lab_root: Path,
    *,
    unchanged: bool = False,
    timeout: float | None = None,
    on_output: Callable[[str], None] | None = None,
) -> list[Verdict]:
    """The verdict of each script, all checked in one child process per run (proving a corpus
    pays for starting Python and its libraries once, not once per script)."""
    write_public(catalog, catalog.dataset(drill.dataset), lab_root / "drills" / "data")
    runs = []
    for _ in range(max(drill.runs, 1)):
        runs.append(_run_batch(catalog, drill, scripts, lab_root, timeout, on_output))
        if len(scripts) == 1 and runs[-1][0][1] is not None:  # it failed: no point running again
            break
    return [
        _verdict(drill, script, [run[i] for run in runs], unchanged)
        for i, script in enumerate(scripts)
    ]


Ran = tuple[dict[str, Any], str | None, str, float, bool]


def _verdict(drill: Drill, script: Path, runs: list[Ran], unchanged: bool) -> Verdict:
    result, problem, _, _, truncated = runs[0]
    checks: list[CheckOutcome] = []
    if problem is None:
        others = [r[0] for r in runs[1:] if r[1] is None]
        checks = [_decide(check, [o["checks"] for o in others]) for check in result["checks"]]
    broken = problem is not None or any(not c.passed for c in checks)
    state = (NOT_ATTEMPTED if unchanged else BROKEN) if broken else FIXED
    shown = None
    if state == BROKEN and problem is None:
        failing = [c for c in checks if not c.passed]
        signs = [sign for c in failing for sign in c.figures.get("signs", [])]
        shown = _misconception(drill, script, [c.id for c in failing], signs)
    return Verdict(
        drill=drill.id,
        state=state,
        checks=checks,
        output="".join(r[2] for r in runs),
        wall_seconds=sum(r[3] for r in runs),
        problem=problem,
        error=result.get("error") if result else None,
        values=result.get("values", {}) if result else {},
        output_truncated=truncated,
        misconception=shown,
    )


def _misconception(
    drill: Drill, script: Path, failing: list[str], signs: list[str]
) -> dict[str, Any] | None:
    """The known misconception the script's change from the broken original shows, if any."""
    from invert.kinds.drills.misconceptions import match

    def read(path: Path) -> str:
        return path.read_text(encoding="utf-8", errors="replace")

    references = {w.file: read(drill.folder / w.file) for w in drill.wrong if w.misconception}
    found = match(drill, failing, read(script), read(drill.broken), references, signs=signs)
    if found is None:
        return None
    return {
        "id": found.misconception.id,
        "message": found.misconception.message,
        "closeness": round(found.closeness, 3),
    }


def _decide(check: dict[str, Any], later_runs: list[list[dict[str, Any]]]) -> CheckOutcome:
    """A check's outcome; a reproducible one compares this run's fingerprint with the others'."""
    outcome = CheckOutcome(
        check["id"], check["title"], bool(check["passed"]), check["observed"], check["figures"]
    )
    if check["passed"] is not None:
        return outcome
    first = check["figures"]
    for run in later_runs:
        other = next(c for c in run if c["id"] == check["id"])
        if other["passed"] is False:  # this run could not even produce a fingerprint
            return CheckOutcome(check["id"], check["title"], False, other["observed"])
        second = other["figures"]
        changed = [k for k, v in first.get("values", {}).items() if second["values"].get(k) != v]
        if changed:
            name = changed[0]
            observed = (
                f"two runs of the same script report different `{name}`: "
                f"{first['values'][name]} then {second['values'][name]}"
            )
            return CheckOutcome(check["id"], check["title"], False, observed)
        if first["predictions"] != second["predictions"]:
            observed = "two runs of the same script predict the same new rows differently"
            return CheckOutcome(check["id"], check["title"], False, observed)
    observed = f"{len(later_runs) + 1} runs give the same numbers and the same predictions"
    return CheckOutcome(check["id"], check["title"], True, observed)


def _rows_spec(catalog: Catalog, dataset_id: str) -> dict[str, Any]:
    dataset = catalog.dataset(dataset_id)
    path = catalog.data_file(dataset)
    return {"dataset": asdict(dataset), "file": str(path) if path else None}


def _run_batch(
    catalog: Catalog,
    drill: Drill,
    scripts: list[Path],
    lab_root: Path,
    timeout: float | None,
    on_output: Callable[[str], None] | None,
) -> list[Ran]:
    """Run the scripts in turn in one guarded child; what each left, and its problem if any."""
    from invert.kinds.drills.child import SEPARATOR

    limit = (timeout if timeout is not None else drill.timeout) * len(scripts)
    with child_folder("invert-drill-") as child:
        spec = {
            "runs": [
                {"script": str(script.resolve()), "result": str(child.folder / f"result-{i}.json")}
                for i, script in enumerate(scripts)
            ],
            "lab": str(lab_root.resolve()),
            "scratch": str(child.folder),
            "hidden_paths": [str(catalog.root / "data"), str(lab_root / "data")],
            "dataset": drill.dataset,
            # The dataset as the catalogue describes it, so the child need not load the catalogue.
            "rows": _rows_spec(catalog, drill.dataset),
            "positive": drill.positive,
            "variables": sorted({o.variable for o in drill.observed}),
            "checks": [
                {"id": c.id, "kind": c.kind, "title": c.title, "params": c.params}
                for c in drill.checks
            ],
        }
        run = child.run(
            "invert.kinds.drills.child",
            spec,
            cwd=lab_root,
            timeout=limit,
            on_output=on_output,
        )
        results = [child.read(f"result-{i}.json") for i in range(len(scripts))]
    outputs = run.output.split(SEPARATOR + "\n") if len(scripts) > 1 else [run.output]
    ran = []
    for i, result in enumerate(results):
        problem = None
        error = result.get("error")
        if run.timed_out and not result:
            problem = f"the script ran longer than {limit / len(scripts):g} s and was stopped"
        elif error:
            where = f" at line {error['line']}" if error.get("line") else ""
            what = f"{error['type']}: {error['message']}".rstrip(": ")
            problem = f"the script stopped{where} ({what})"
        elif not result:
            problem = (
                f"the script ended the process (exit code {run.exit_code}) before invert could "
                "check it"
            )
        seconds = run.wall_seconds if len(scripts) == 1 else float(result.get("seconds", 0.0))
        output = outputs[i] if i < len(outputs) else ""
        ran.append((result, problem, output, seconds, run.output_truncated))
    return ran
