"""The check of a project's own scripts: do they keep the rows they are scored on unseen?

The learner owns the step scripts and may edit them. `check_scripts` runs the project's step 1
in a child process (runner.run_process, `_split_child.py`): load_data must work row by row (a
row's features may not change when other rows, or the target, change), and split() and folds()
must keep a row, a group (split "group") and the future (split "time") on one side. It also reads
the steps 4 to 6 the learner changed for a `.fit(` or `.fit_transform(` on the data before
cross-validation. Each problem is a Finding of kind "preprocessing" or "split".
"""

from __future__ import annotations

import ast
import json
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from invert.kinds.projects.audit import Finding
from invert.kinds.projects.steps import STEPS

if TYPE_CHECKING:
    from invert.kinds.projects.settings import ProjectSettings

CHILD = Path(__file__).with_name("_split_child.py")
FITS = {"fit", "fit_transform", "fit_resample"}
# Calls that cross-validate: a fit on the data before them has seen every fold's scored rows.
CROSS_VALIDATION = {
    "cross_validate",
    "cross_val_score",
    "cross_val_predict",
    "GridSearchCV",
    "RandomizedSearchCV",
    "HalvingGridSearchCV",
    "HalvingRandomSearchCV",
    "learning_curve",
    "validation_curve",
    "permutation_test_score",
}
FIX = "put it in the pipeline (step3_prepare.full_pipeline) so each fold fits its own"


def check_scripts(
    folder: Path, settings: ProjectSettings, timeout: float, journal: Path | None = None
) -> list[Finding]:
    """The faults in the project's scripts: step 1 run on changed data, steps 4-6 read.

    With `journal` (the lab's `.invert/` folder), the learner's step 1 may not change it, as
    when the steps run (runner/child.py's guard).
    """
    findings = run_step1_check(folder, settings, timeout, journal)
    for st in STEPS[3:6]:
        findings += fits_before_cross_validation(folder / st.filename, st.source)
    return findings


def run_step1_check(
    folder: Path, settings: ProjectSettings, timeout: float, journal: Path | None = None
) -> list[Finding]:
    """Run `_split_child.py` on the project's step1_define; nothing when it cannot run, or when
    it is the shipped script (proven by the tests to keep rows apart as project.toml says)."""
    from invert.runner import run_process

    script = folder / STEPS[0].filename
    if not script.is_file() or script.read_bytes() == STEPS[0].source.read_bytes():
        return []
    config = {
        "target": settings.target,
        "data": str((folder / settings.data).resolve()),
        "read": {
            "sep": settings.delimiter,
            "encoding": settings.encoding,
            "na_values": list(settings.na_values),
            "skipinitialspace": settings.skip_initial_space,
        },
        "split": settings.split,
        "group": list(settings.group),
        "time": settings.time,
        "seed": settings.seed,
    }
    with tempfile.TemporaryDirectory(prefix="invert-split-check-") as scratch:
        config_path, result_path = Path(scratch, "config.json"), Path(scratch, "result.json")
        config_path.write_text(json.dumps(config), encoding="utf-8")
        env = {"MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": "1"}
        if journal is not None:
            env["INVERT_JOURNAL"] = str(journal)
        run = run_process(
            [sys.executable, str(CHILD), str(config_path), str(result_path)],
            cwd=folder,
            timeout=timeout,
            env=env,
        )
        if run.timed_out or not result_path.is_file():
            return []
        result = json.loads(result_path.read_text(encoding="utf-8") or "{}")
    return [Finding(kind, (), message, "") for kind, message in result.get("problems", [])]


def fits_before_cross_validation(script: Path, shipped: Path) -> list[Finding]:
    """A `.fit(...)`/`.fit_transform(...)` the learner added before the cross-validation.

    Only lines not in the shipped script count, and only at the script's top level (a fit inside
    a function or class, such as a transformer's own fit method, runs inside each fold).
    """
    try:
        mine = script.read_text(encoding="utf-8")
        original = shipped.read_text(encoding="utf-8")
        tree = ast.parse(mine)
    except (OSError, SyntaxError, ValueError):
        return []
    if mine == original:
        return []
    shipped_lines = {line.strip() for line in original.splitlines()}
    lines = mine.splitlines()
    nested = _lines_in_definitions(tree)
    last_cv = 0
    fits: list[ast.Call] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _called(node)
        if name in CROSS_VALIDATION:
            last_cv = max(last_cv, node.lineno)
        elif name in FITS and lines[node.lineno - 1].strip() in shipped_lines:
            last_cv = max(last_cv, node.lineno)  # the shipped script's own fit (a grid search)
        elif name in FITS and node.args and node.lineno not in nested:
            fits.append(node)
    findings = []
    for call in sorted(fits, key=lambda c: c.lineno):
        if call.lineno < last_cv and lines[call.lineno - 1].strip() not in shipped_lines:
            code = ast.get_source_segment(mine, call) or lines[call.lineno - 1].strip()
            code = code if len(code) <= 60 else code[:57] + "..."
            findings.append(
                Finding(
                    "preprocessing",
                    (),
                    f"{script.name}, line {call.lineno}: {code} fits on the data before "
                    f"cross-validation, so every fold is scored on rows it has seen; {FIX}",
                    "",
                )
            )
    return findings


def _called(call: ast.Call) -> str:
    """The name a call ends with: cross_validate, GridSearchCV, fit_transform, ..."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _lines_in_definitions(tree: ast.Module) -> set[int]:
    """The lines inside a function or class definition."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return lines
