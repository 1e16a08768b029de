"""Projects on the learner's own data: the facade's operations for `invert project`.

`invert project new` reads the learner's CSV, decides the task, looks for leakage and lays out
projects/NAME/ with seven numbered scripts the learner owns. `invert project run` runs them in
child processes, in order, records each step's results in the journal and writes the report.
The projects part (`lab.projects`) holds these operations.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invert.errors import LearnerError
from invert.kinds.part import Part
from invert.kinds.projects.settings import (
    DEFAULT_METRIC,
    TASKS,
    ProjectSettings,
    check_name,
    name_from_file,
)
from invert.kinds.projects.steps import FIRST_MODELLING_STEP, STEPS, Step, step
from invert.store import Event

if TYPE_CHECKING:
    from collections.abc import Callable

    import pandas as pd

    from invert.catalog.models import Catalog
    from invert.kinds.projects.audit import Audit, Finding, Status
    from invert.kinds.projects.table import TableInfo
    from invert.kinds.projects.task import TaskDecision


@dataclass(frozen=True)
class ProjectAudit:
    """A project's audit as its settings and scripts stand: each finding with its status."""

    name: str
    settings: ProjectSettings
    rows: list[tuple[Finding, Status]]

    @property
    def open(self) -> list[Finding]:
        """The faults the settings and scripts leave unaddressed."""
        return [f for f, st in self.rows if f.fault and not st.addressed]

    def record(self) -> dict[str, Any]:
        """What the journal keeps of it with each step run."""
        return {
            "open": [open_label(f) for f in self.open],
            "faults": sum(f.fault for f, _ in self.rows),
            "split": self.settings.split,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "split": split_json(self.settings),
            "findings": [finding_json(f, st) for f, st in self.rows],
            "open": [open_label(f) for f in self.open],
        }


@dataclass(frozen=True)
class NewProject:
    """A project just laid out: where, how its data was read, the task and what to distrust."""

    folder: Path
    settings: ProjectSettings
    table: TableInfo
    decision: TaskDecision
    audit: Audit

    @property
    def findings(self) -> list[Finding]:
        return list(self.audit.findings)

    def to_json(self) -> dict[str, Any]:
        s = self.settings
        return {
            "name": s.name,
            "folder": str(self.folder),
            "data": s.data,
            "rows": self.table.rows,
            "columns": self.table.columns,
            "encoding": self.table.encoding,
            "delimiter": self.table.delimiter,
            "na_values": list(self.table.na_values),
            "target": s.target,
            "task": s.task,
            "task_reason": s.task_reason,
            "metric": s.metric,
            "dropped": {c: s.drop_reasons.get(c, "") for c in s.drop},
            "split": split_json(s),
            "dates": list(s.dates),
            "drop_duplicates": s.drop_duplicates,
            "warnings": [finding_json(f) for f in self.findings],
            "scripts": [st.filename for st in STEPS],
        }


@dataclass(frozen=True)
class StepRun:
    """One step run: how long it took and what it wrote to results/step<N>.json."""

    step: Step
    wall_seconds: float
    result: dict[str, Any] | None
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "step": self.step.number,
            "script": self.step.filename,
            "title": self.step.title,
            "wall_seconds": round(self.wall_seconds, 3),
            "result": self.result,
            "note": self.note,
        }


@dataclass
class ProjectRun:
    """Steps run in order, the warnings shown before modelling, and the report written."""

    name: str
    folder: Path
    audit: ProjectAudit
    steps: list[StepRun] = field(default_factory=list)
    report: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "folder": str(self.folder),
            "split": split_json(self.audit.settings),
            "warnings": [finding_json(f, st) for f, st in self.audit.rows],
            "open": [open_label(f) for f in self.audit.open],
            "steps": [s.to_json() for s in self.steps],
            "report": self.report,
        }


@dataclass(frozen=True)
class ProjectStatus:
    """A project as it stands: its settings, which steps have results, whether it has a report."""

    name: str
    folder: Path
    settings: ProjectSettings | None
    problem: str | None  # why the settings cannot be read, if they cannot
    steps_done: tuple[int, ...]
    report: Path | None

    @property
    def state(self) -> str:
        """ "not attempted" before any step has results, "done" once every step has."""
        if not self.steps_done:
            return "not attempted"
        return "done" if len(self.steps_done) == len(STEPS) else "in progress"

    def to_json(self) -> dict[str, Any]:
        s = self.settings
        return {
            "id": self.name,
            "state": self.state,
            "name": self.name,
            "folder": str(self.folder),
            "target": s.target if s else None,
            "task": s.task if s else None,
            "metric": s.metric if s else None,
            "problem": self.problem,
            "steps_done": list(self.steps_done),
            "report": str(self.report) if self.report else None,
        }


def finding_json(finding: Finding, state: Status | None = None) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "kind": finding.kind,
        "column": finding.column,
        "columns": list(finding.columns),
        "fault": finding.fault,
        "message": finding.message,
        "fix": finding.fix,
    }
    if state is not None:
        shown["addressed"] = state.addressed
        shown["status"] = state.how
    return shown


def open_label(finding: Finding) -> str:
    """A fault left open, in a few words: "entity: country"."""
    return f"{finding.kind}: {', '.join(finding.columns)}" if finding.columns else finding.kind


def split_json(settings: ProjectSettings) -> dict[str, Any]:
    return {
        "kind": settings.split,
        "group": list(settings.group),
        "time": settings.time or None,
        "reason": settings.split_reason,
    }


def listing(catalog: Catalog) -> list[dict[str, Any]]:
    """Outside a lab there are no projects: each is made from the learner's own data."""
    return []


class Projects(Part):
    """The learner's projects in one lab: `lab.projects`."""

    @property
    def folder(self) -> Path:
        """projects/ in the lab."""
        return self.root / "projects"

    def statuses(self) -> list[ProjectStatus]:
        """Every folder under projects/ that holds a project.toml, by name."""
        rows: list[ProjectStatus] = []
        if not self.folder.is_dir():
            return rows
        for folder in sorted(self.folder.iterdir()):
            if not (folder / "project.toml").is_file():
                continue
            try:
                settings, problem = ProjectSettings.load(folder), None
            except LearnerError as exc:
                settings, problem = None, str(exc)
            done = tuple(
                s.number for s in STEPS if (folder / "results" / f"step{s.number}.json").is_file()
            )
            report = folder / "report.html"
            rows.append(
                ProjectStatus(
                    folder.name,
                    folder,
                    settings,
                    problem,
                    done,
                    report if report.is_file() else None,
                )
            )
        return rows

    def named(self, name: str | None, cwd: Path | None = None) -> str:
        """The project meant: `name`, else the one `cwd` is in, else the only one there is."""
        names = [p.name for p in self.statuses()]
        if name is not None:
            if name not in names:
                import difflib

                close = difflib.get_close_matches(name, names, n=1)
                hint = f"; did you mean {close[0]}?" if close else ""
                listed = f" (projects: {', '.join(names)})" if names and not close else ""
                raise LearnerError(f"no project named '{name}'{hint}{listed}")
            return name
        here = (cwd or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if folder.parent == self.folder.resolve() and folder.name in names:
                return folder.name
        if len(names) == 1:
            return names[0]
        if not names:
            raise LearnerError(
                "no projects yet: start one with `invert project new DATA.csv --target COLUMN`"
            )
        raise LearnerError(f"which project? name one of: {', '.join(names)}")

    def new(
        self, data: Path, target: str, name: str | None = None, task: str | None = None
    ) -> NewProject:
        """Read `data`, decide the task, find problems and lay out projects/NAME/."""
        from invert.kinds.projects.audit import audit_table
        from invert.kinds.projects.table import read_table, require_target
        from invert.kinds.projects.task import TaskDecision, decide_task

        name = check_name(name if name is not None else name_from_file(data))
        folder = self.folder / name
        if folder.exists():
            raise LearnerError(f"projects/{name} exists already; choose another --name")
        frame, table = read_table(data)
        require_target(frame, target, data.name)
        decision = decide_task(frame[target])
        if task is not None:
            if task not in TASKS:
                raise LearnerError(f"--task must be classification or regression, not {task!r}")
            if task != decision.task:
                decision = TaskDecision(
                    task, f"set by --task (invert would say: {decision.reason})"
                )
        _check_target(frame[target], target, decision.task)
        audit = audit_table(frame, target, decision.task)
        reasons = dict(audit.drop)
        settings = ProjectSettings(
            name=name,
            data=f"data/{data.name}",
            target=target,
            task=decision.task,
            task_reason=decision.reason,
            metric=DEFAULT_METRIC[decision.task],
            drop=tuple(reasons),
            drop_reasons=reasons,
            split=audit.split,
            group=audit.group,
            time=audit.time,
            split_reason=audit.split_reason,
            dates=audit.dates,
            drop_duplicates=audit.drop_duplicates,
            encoding=table.encoding,
            delimiter=table.delimiter,
            na_values=table.na_values,
            skip_initial_space=table.skip_initial_space,
        )
        self._lay_out(folder, data, settings)
        self.store.append(
            Event(
                "project_created",
                subject=name,
                payload={
                    "data": data.name,
                    "bundled": self._bundled_dataset(data),
                    "rows": table.rows,
                    "columns": table.columns,
                    "target": target,
                    "task": decision.task,
                    "task_reason": decision.reason,
                    "dropped": list(settings.drop),
                    "split": settings.split,
                    "warnings": [finding_json(f) for f in audit.findings],
                },
            )
        )
        return NewProject(folder, settings, table, decision, audit)

    def _bundled_dataset(self, data: Path) -> str | None:
        """The bundled dataset `data` is a byte-for-byte copy of; None for the learner's own."""
        digest = hashlib.sha256(data.read_bytes()).digest()
        for dataset in self.catalog.datasets.values():
            source = self.catalog.data_file(dataset)
            if source is not None and source.stat().st_size == data.stat().st_size:
                if hashlib.sha256(source.read_bytes()).digest() == digest:
                    return str(dataset.id)
        return None

    def _lay_out(self, folder: Path, data: Path, settings: ProjectSettings) -> None:
        """Write the project into a hidden folder, then rename it: never half a project."""
        self.folder.mkdir(exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=self.folder))
        try:
            (staging / "data").mkdir()
            shutil.copyfile(data, staging / settings.data)
            for st in STEPS:
                shutil.copyfile(st.source, staging / st.filename)
            (staging / "project.toml").write_text(settings.to_toml(), encoding="utf-8")
            staging.rename(folder)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    def run(
        self,
        name: str,
        only: int | None = None,
        on_warnings: Callable[[ProjectAudit], None] | None = None,
        on_step: Callable[[Step], None] | None = None,
        on_output: Callable[[str], None] | None = None,
    ) -> ProjectRun:
        """Run the project's steps (or step `only`) in order; record each; write the report."""
        self.store.must_write()  # before the run, not after it
        from invert.kinds.projects.report import write_report
        from invert.runner import run_script

        name = self.named(name)
        folder = self.folder / name
        steps = [step(only)] if only is not None else list(STEPS)
        audit = self.audit(name)
        settings = audit.settings
        run = ProjectRun(name, folder, audit)
        if steps[-1].number >= FIRST_MODELLING_STEP and on_warnings is not None:
            on_warnings(audit)
        for current in steps:
            script = folder / current.filename
            rel = f"projects/{name}/{current.filename}"
            _check_script(script, rel, name, current)
            if on_step is not None:
                on_step(current)
            started = time.time()
            outcome = run_script(
                script,
                [],
                cwd=folder,
                timeout=settings.step_timeout,
                on_output=on_output,
                journal=self.store.path.parent,
            )
            if outcome.timed_out:
                raise LearnerError(
                    f"{rel} ran longer than step_timeout ({settings.step_timeout} s) and was "
                    "stopped; raise it in project.toml, or lower spot_check_rows"
                )
            if not outcome.ok:
                error = outcome.error or {}
                if error.get("type") == "SystemExit":
                    raise LearnerError(f"{rel} stopped: {error.get('message')}")
                where = f" at line {error['line']}" if error.get("line") else ""
                what = f"{error.get('type', 'error')}: {error.get('message', '')}".rstrip(": ")
                raise LearnerError(f"{rel} failed{where} ({what}); its output above says more")
            result, note = _read_result(folder, current, started)
            done = StepRun(current, outcome.wall_seconds, result, note)
            run.steps.append(done)
            payload = {**done.to_json(), "audit": audit.record()}
            self.store.append(Event("project_step_run", subject=name, payload=payload))
        html, md = write_report(folder, settings, audit.rows)
        run.report = {"html": self.rel(html), "md": self.rel(md)}
        return run

    def audit(self, name: str | None) -> ProjectAudit:
        """The audit of a project as it stands: its data against project.toml as the learner
        left it, and its step scripts as the learner edited them; each finding with its status.
        """
        from invert.kinds.projects.audit import Status, audit_table, status
        from invert.kinds.projects.split_check import check_scripts

        name = self.named(name)
        settings, frame = self._project_data(name)
        found = audit_table(frame, settings.target, settings.task)
        rows = [(f, status(f, settings)) for f in found.findings]
        folder = self.folder / name
        journal = self.store.path.parent
        for finding in check_scripts(folder, settings, settings.step_timeout, journal):
            rows.append((finding, Status(False, "not addressed: fix the script")))
        return ProjectAudit(name, settings, rows)

    def reset_step(self, name: str, number: int) -> tuple[Path, Path | None]:
        """Put the original script of step `number` back; the learner's version is kept."""
        from invert.kinds.backups import keep_backup

        current = step(number)
        folder = self.folder / self.named(name)
        target = folder / current.filename
        backup = None
        if target.is_file() and target.read_bytes() != current.source.read_bytes():
            backup = keep_backup(self.root, target, f"{folder.name}-{current.filename[:-3]}")
        shutil.copyfile(current.source, target)
        return target, backup

    def _project_data(self, name: str) -> tuple[ProjectSettings, pd.DataFrame]:
        """The settings, checked, and the data read as they say; one-line errors otherwise."""
        from invert.kinds.projects.table import TableInfo, read_with

        folder = self.folder / self.named(name)
        settings = ProjectSettings.load(folder)
        path = folder / settings.data
        if not path.is_file():
            raise LearnerError(
                f"projects/{folder.name}/{settings.data} is missing (see data in project.toml)"
            )
        info = TableInfo(
            path,
            settings.encoding,
            settings.delimiter,
            0,
            0,
            settings.na_values,
            settings.skip_initial_space,
        )
        frame = read_with(info)
        columns = [str(c) for c in frame.columns]
        where = f"projects/{folder.name}/project.toml"
        if settings.target not in columns:
            raise LearnerError(
                f"{where}: the target '{settings.target}' is not a column of {settings.data}"
            )
        named = (
            ("drop", settings.drop),
            ("group", settings.group),
            ("time", (settings.time,) if settings.time else ()),
            ("dates", settings.dates),
            ("checked", settings.checked),
        )
        for key, names in named:
            unknown = [c for c in names if c not in columns]
            if unknown:
                raise LearnerError(
                    f"{where}: {key} names {', '.join(unknown)}, not a column of {settings.data}"
                )
        return settings, frame


MIN_ROWS = 10  # to hold some rows out for testing and still train on the rest


def _check_target(values: pd.Series, target: str, task: str) -> None:
    """A LearnerError when the target cannot serve the task."""
    known = values.dropna()
    if len(known) < MIN_ROWS:
        raise LearnerError(
            f"a project needs at least {MIN_ROWS} rows with a known '{target}'; "
            f"this file has {len(known)}"
        )
    if task == "regression" and known.dtype.kind not in "iuf":
        raise LearnerError(f"'{target}' holds text, so it cannot be predicted by regression")
    if task == "classification":
        counts = known.value_counts()
        rare = counts[counts < 2]
        if len(rare):
            example = rare.index[0]
            raise LearnerError(
                f"'{target}' has {len(rare)} classes with a single row (such as {example!r}): "
                "classification needs at least 2 rows of each; merge rare classes or use "
                "--task regression for amounts"
            )


def _check_script(script: Path, rel: str, name: str, current: Step) -> None:
    restore = f"invert project reset {name} --step {current.number}"
    if not script.is_file():
        raise LearnerError(f"{rel} is missing; put the original back with `{restore}`")
    from invert.runner import check_syntax

    check_syntax(script, rel, f"put the original back with `{restore}`")


def _read_result(
    folder: Path, current: Step, started: float
) -> tuple[dict[str, Any] | None, str | None]:
    """What the step wrote to results/step<N>.json during this run, if it did."""
    import json

    path = folder / "results" / f"step{current.number}.json"
    if not path.is_file() or path.stat().st_mtime < started - 1:
        return (
            None,
            f"step {current.number} wrote no results/step{current.number}.json; "
            "the report leaves it out",
        )
    try:
        result = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return (
            None,
            f"results/step{current.number}.json cannot be read ({exc}); the report leaves it out",
        )
    return (result if isinstance(result, dict) else None), None
