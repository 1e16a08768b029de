"""The Lab facade: every operation the CLI, the web app and notebooks share.

A lab is a folder the learner owns: their copies of starters and drills (later projects)
plus its journal in ``.invert/lab.db``. Commands inside it find it by walking up, as git does.

>>> import tempfile, pathlib
>>> lab = create_lab(pathlib.Path(tempfile.mkdtemp()) / "my-lab")
>>> sorted(p.name for p in lab.root.iterdir())
['.invert', 'data', 'drills', 'experiments', 'projects', 'starters']
>>> open_lab(lab.root / "starters").root == lab.root
True
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invert.catalog import Catalog, Starter, load_catalog
from invert.catalog.models import Experiment
from invert.catalog.search import search_concepts
from invert.engine.budget import Estimate, check_budget
from invert.engine.cache import ResultCache
from invert.engine.plan import SweepPlan, cache_key, plan_sweep
from invert.engine.result import SweepResult
from invert.errors import LearnerError
from invert.export.ops import ExportOperations
from invert.kinds.drills.ops import keep_backup
from invert.kinds.experiments.blindness import Blindness
from invert.kinds.experiments.offers import ProbeOperations
from invert.kinds.experiments.predictions import (
    Outcome,
    PowerReport,
    Prediction,
    parse_confidence,
    parse_guess,
    parse_shape,
    power_report,
    score_prediction,
)
from invert.kinds.projects.ops import ProjectOperations
from invert.kinds.theory.ops import TheoryOperations
from invert.kinds.traces.ops import TraceOperations
from invert.progress.ops import ProgressOperations
from invert.requirements import require
from invert.store import Event, Store
from invert.store.archive import read_export, write_export
from invert.store.health import remember_export
from invert.store.sqlite import QuestionRow

if TYPE_CHECKING:
    from collections.abc import Callable

    from invert.datasets import DatasetSummary

STATE_DIR = ".invert"
STARTER_TIMEOUT = 600.0  # seconds: the slowest starter takes under one
DB_NAME = "lab.db"
PLOTLY_JS = "plotly.min.js"  # under experiments/: the charts load it from there
LAB_FOLDERS = ("starters", "drills", "projects", "data", "experiments")
DEFAULT_LAB = "invert-lab"
# The parts about the whole lab rather than one kind: name -> "module:Class".
CORE_PARTS: dict[str, str] = {}
JOURNAL_KINDS = (
    "prediction_made",
    "experiment_run",
    "observation_written",
    "question_asked",
    "starter_run",
)


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


@dataclass(frozen=True)
class TryOutcome:
    """One experiment tried: the measured sweep, the prediction's score, where the plots went."""

    plan: SweepPlan
    result: SweepResult
    prediction: Prediction | None
    outcome: Outcome | None
    run_id: str
    plots: dict[str, str]
    warnings: list[str]
    blindness: Blindness | None = None  # judged before the run; None when nothing was predicted

    @property
    def practice(self) -> str:
        """Why the prediction does not count, in one sentence; empty when it was made blind."""
        if self.blindness is None:
            return ""
        return self.blindness.reason(self.plan.experiment.knob.label)

    def to_json(self) -> dict[str, Any]:
        return {
            "spec": self.plan.describe(),
            "blind": None if self.blindness is None else self.blindness.blind,
            "practice": self.practice or None,
            "seen": None if self.blindness is None else self.blindness.to_json()["seen"],
            "result": self.result.to_json(),
            "prediction": None
            if self.prediction is None
            else {"id": self.prediction.uid, **self.prediction.to_json()},
            "outcome": None if self.outcome is None else self.outcome.to_json(),
            "expected": {
                "shape": self.plan.experiment.expect_shape,
                "gap": self.plan.experiment.expect_gap,
                "observation": self.plan.experiment.observation,
            },
            "run_id": self.run_id,
            "plots": self.plots,
            "warnings": self.warnings,
        }


@dataclass(frozen=True)
class JournalEntry:
    at: str
    kind: str  # "prediction", "run", "observation", "question" or "starter" (a starter's run)
    experiment: str | None
    text: str
    uid: str
    starter: str | None = None  # the starter run, for kind "starter"
    score: float | None = None
    edited: bool | None = None  # whether the learner's copy differed from the original
    blind: bool | None = None  # a prediction: made blind (counts), practice, or None if unknown

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def starters_outside_a_lab() -> list[dict[str, Any]]:
    """The catalogue's starters as `invert list` shows them where there is no lab (no status)."""
    return [
        {"id": s.id, "title": s.title, "dataset": s.dataset, "task": s.task, "status": None}
        for s in load_catalog().ordered_starters()
    ]


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


def open_lab_if_any(path: Path | str | None = None) -> Lab | None:
    """The lab at or above `path`, or None outside one (listings work anywhere); a lab that
    cannot be opened (its journal damaged) is a LearnerError, not "no lab"."""
    start = Path(path) if path is not None else Path(os.environ.get("INVERT_LAB") or Path.cwd())
    return None if find_lab_root(start) is None else open_lab(start)


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
    Store(root / STATE_DIR / DB_NAME, create=True).close()  # the journal, if none yet
    lab = Lab(root)
    if not lab.store.events(kind="lab_created"):
        lab.store.append(Event("lab_created", payload={"path": str(root)}))
    return lab


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Lab(
    TheoryOperations,
    TraceOperations,
    ProjectOperations,
    ExportOperations,
    ProgressOperations,
    ProbeOperations,
):
    """One learner's lab. Every operation of the CLI, web app and notebooks goes through here."""

    def __init__(
        self, root: Path, catalog: Catalog | None = None, store: Store | None = None
    ) -> None:
        self.root = root.resolve()  # scripts run in child processes with other working folders
        self.catalog = catalog or load_catalog()
        # A store passed in (the web app's pool of open connections) stays open on close().
        self._owns_store = store is None
        self.store = store or Store(root / STATE_DIR / DB_NAME, create=False)

    def __repr__(self) -> str:
        return f"Lab({str(self.root)!r})"

    def part(self, name: str) -> Any:
        """The lab's part called `name`: a kind's operations (lab.drills) or one about the
        whole lab (lab.journal), made on first use."""
        parts = self.__dict__.setdefault("_parts", {})
        if name not in parts:
            from invert.kinds import kinds

            found = next((kind for kind in kinds() if kind.name == name and kind.part), None)
            if found is not None:
                assert found.part is not None
                parts[name] = found.attribute(found.part)(self)
            elif name in CORE_PARTS:
                import importlib

                module, _, cls = CORE_PARTS[name].partition(":")
                parts[name] = getattr(importlib.import_module(module), cls)(self)
            else:
                raise AttributeError(f"a lab has no part {name!r}")
        return parts[name]

    def __getattr__(self, name: str) -> Any:
        # Only reached for names the class does not define: the parts, by name.
        if name.startswith("_"):
            raise AttributeError(name)
        return self.part(name)

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def close(self) -> None:
        if self._owns_store:
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
        if not target.exists():
            self.store.must_write()  # a read-only lab: one line, before any file is written
        self._copy_data(starter)
        if not target.exists():
            shutil.copyfile(starter.script, target)
            self.store.append(
                Event("starter_copied", subject=starter.id, payload={"path": self._rel(target)})
            )
        return target

    def ensure_starter(self, ref: str) -> tuple[Starter, bool]:
        """The starter named by `ref` (id or `starters/<id>.py`), copied into the lab if the
        learner has no copy yet; True when it was copied just now."""
        starter = self.catalog.starter(ref)
        self.check_requirements(starter)
        missing = not self.starter_path(starter).is_file()
        self.copy_starter(starter.id)
        return starter, missing

    def reset_starter(self, starter_id: str) -> tuple[Path, Path | None]:
        """Restore the original script; the learner's edited version is kept as a backup."""
        starter = self.catalog.starter(starter_id)
        target = self.starter_path(starter)
        backup = None
        if target.exists() and self.is_edited(starter):
            backup = keep_backup(self.root, target, starter.id)
        self._copy_data(starter)
        shutil.copyfile(starter.script, target)
        payload = {"backup": self._rel(backup) if backup else None}
        self.store.append(Event("starter_reset", subject=starter.id, payload=payload))
        return target, backup

    def run_starter(
        self, starter_id: str, on_output: Callable[[str], None] | None = None
    ) -> StarterRun:
        """Run the learner's copy as ``python starters/<id>.py`` would, then record the run."""
        self.store.must_write()  # before the run, not after it
        from invert.runner import run_script

        starter = self.catalog.starter(starter_id)
        self.check_requirements(starter)
        script = self.copy_starter(starter.id)
        rel = self._rel(script)
        self._check_syntax(script, rel, starter)
        variables = [starter.score.variable, starter.truth_variable, starter.predicted_variable]
        run = run_script(
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
                "script_sha256": _sha256(script),
                "predictions": [[t, p] for t, p in predictions[:10]],
            },
        )
        self.store.append(event)
        return StarterRun(
            next_step=self.starter_next_step(starter),
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
        return StarterView(status, data, last, self.starter_next_step(starter))

    def starter_next_step(self, starter: Starter) -> str:
        """The manifest's next step (its suggested edit) until a run had that edit made; then
        the starter's first experiment not yet tried, then the next starter not yet run."""
        if starter.edit is None or not self._edit_followed(starter):
            return starter.next_step
        tried = self.tried_experiments()
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
        copy = self.starter_path(starter)
        source = copy.read_text(encoding="utf-8", errors="replace") if copy.is_file() else ""
        return starter.edit is not None and starter.edit.is_in(source)

    def check_requirements(self, starter: Starter) -> None:
        """Raise a LearnerError saying how to install what the starter needs, if it is missing."""
        require(starter.requires, f"starter '{starter.id}'")

    # --- experiments --------------------------------------------------------------------------

    def experiments(self, starter: str | None = None) -> list[Experiment]:
        """The experiments in catalogue order; only those growing from `starter` if given."""
        if starter is not None:
            self.catalog.starter(starter)
        return [
            e
            for e in self.catalog.ordered_experiments()
            if starter is None
            or e.starter == starter
            or e.id in self.catalog.starters[starter].experiments
        ]

    def plan_experiment(
        self, experiment_id: str, values: str | None = None, sets: list[str] | None = None
    ) -> SweepPlan:
        """The sweep the learner asked for, validated against the experiment's declared ranges."""
        return plan_sweep(self.catalog.experiment(experiment_id), values, sets)

    def estimate_sweep(
        self, plan: SweepPlan, jobs: int | None = None, budget: float | None = None
    ) -> Estimate:
        """What running `plan` would cost (fits, seconds, memory) and whether it fits the budget."""
        from invert.engine.sweep import load_xy, sweep_estimate

        check_budget(budget)
        X, _ = load_xy(self.catalog, plan.experiment)
        return sweep_estimate(plan, X, jobs, budget)

    def make_prediction(
        self,
        plan: SweepPlan,
        shape: str,
        confidence: float | str,
        gap: str | None = None,
        guess: str | None = None,
    ) -> Prediction:
        """Validate the prediction (nothing is written yet; `try_experiment` records it first)."""
        from invert.engine.shapes import GAPS

        return Prediction(
            experiment=plan.experiment.id,
            shape=parse_shape(shape),
            confidence=parse_confidence(confidence),
            gap=None if gap in (None, "") else parse_shape(str(gap), GAPS, "gap"),
            guess=None if guess in (None, "") else parse_guess(str(guess), plan.values),
        )

    def cached_result(self, plan: SweepPlan) -> SweepResult | None:
        return self._cache.get(cache_key(self.catalog, plan))

    def try_experiment(
        self,
        plan: SweepPlan,
        prediction: Prediction | None,
        jobs: int | None = None,
        backend: str = "loky",
        scheduler: str | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        plots: bool = True,
        budget: float | None = None,
        memory_limit: int | None = None,
        probe: str | None = None,
    ) -> TryOutcome:
        """Record the prediction, run the sweep (or take it from the cache), score, record it.

        `probe` names the transfer probe the plan answers (its plan's experiment is the
        experiment with the probe's dataset or model put in).
        """
        self.store.must_write()  # before the run, not after it
        from dataclasses import replace

        experiment = plan.experiment
        require(experiment.requires, f"experiment '{experiment.id}'")
        if jobs is not None and not 1 <= jobs <= 64:
            raise LearnerError("--jobs must be from 1 to 64")
        if backend not in ("loky", "dask"):
            raise LearnerError(f"unknown backend {backend!r}; use loky or dask")
        check_budget(budget)
        # The prediction's time is taken now, before anything runs; it is written together with
        # the run, so that a run that fails leaves the journal as it was.
        predicted = None
        configuration = {
            "dataset": experiment.dataset,
            "model": experiment.estimator,
            "values": list(plan.values),
            "settings": plan.settings,
            **({"probe": probe} if probe else {}),
        }
        blindness = None
        if prediction is not None:
            blindness = self.judge_blindness(plan)
            payload = {
                **prediction.to_json(),
                **configuration,
                "blind": blindness.blind,
                "seen_run": None if blindness.seen is None else blindness.seen.uid,
            }
            predicted = Event("prediction_made", subject=experiment.id, payload=payload)
            prediction = replace(prediction, uid=predicted.uid)
        key = cache_key(self.catalog, plan)
        result = self._cache.get(key)
        warnings: list[str] = []
        if result is None:
            from invert.engine.sweep import run_sweep

            result, warnings = run_sweep(
                self.catalog, plan, key, jobs, backend, scheduler, on_progress, budget, memory_limit
            )
            self._cache.put(result)
        outcome = None if prediction is None else score_prediction(prediction, result)
        plot_paths = self._plots(plan, result) if plots else {}
        run = Event(
            "experiment_run",
            subject=experiment.id,
            payload={
                "prediction": None if prediction is None else prediction.uid,
                "cache_key": key,
                "cached": result.cached,
                "metric": result.metric,
                **configuration,
                "measured": {
                    "shape": result.test_shape,
                    "train_shape": result.train_shape,
                    "gap": result.gap,
                },
                "points": [
                    [p.value, round(p.train_mean, 4), round(p.test_mean, 4), round(p.test_std, 4)]
                    for p in result.points
                ],
                "outcome": None if outcome is None else outcome.to_json(),
                "plots": plot_paths,
                "wall_seconds": round(result.wall_seconds, 3),
            },
        )
        self.store.append(*([predicted] if predicted else []), run)
        return TryOutcome(
            plan, result, prediction, outcome, run.uid, plot_paths, warnings, blindness
        )

    def judge_blindness(self, plan: SweepPlan) -> Blindness:
        """Whether a prediction on `plan` made now is blind, or practice because a result it
        overlaps has been shown (see invert.kinds.experiments.blindness)."""
        from invert.kinds.experiments.blindness import configuration, judge_blindness, seen_runs

        experiment = plan.experiment  # a probe's plan puts its own dataset or model in
        new = configuration(
            experiment, plan.values, plan.settings, experiment.dataset, experiment.estimator
        )
        # A run that predates the recorded dataset and model was of the catalogue's experiment;
        # a probe's run is read against the probe's experiment (its own settings and defaults).
        from invert.kinds.experiments.probes import probe_experiment

        catalogued = self.catalog.experiments.get(experiment.id, experiment)
        probes = {probe.id: probe for probe in getattr(catalogued, "probes", ())}
        by_probe: dict[str | None, list[Event]] = {}
        for run in self.store.events("experiment_run", experiment.id):
            probe = run.payload.get("probe")
            by_probe.setdefault(probe if probe in probes else None, []).append(run)
        seen = []
        for probe, runs in by_probe.items():
            made = catalogued if probe is None else probe_experiment(catalogued, probes[probe])
            seen.extend(seen_runs(made, runs))
        seen.sort(key=lambda run: run.at)
        return judge_blindness(new, experiment.knob.kind, seen)

    def observe(self, experiment_id: str, text: str, run_id: str | None = None) -> str:
        """Write an observation into the journal; return its id."""
        text = text.strip()
        if not text:
            raise LearnerError("an observation needs some words")
        event = Event(
            "observation_written",
            subject=self.catalog.experiment(experiment_id).id,
            payload={"text": text, "run": run_id},
        )
        self.store.append(event)
        return event.uid

    def ask_why(
        self, text: str, experiment_id: str | None = None, run_id: str | None = None
    ) -> QuestionRow:
        """Record a why-question, linked to the concepts that answer it."""
        text = text.strip()
        if len(text) < 3:
            raise LearnerError("a why-question needs a few words")
        concepts: list[str] = []
        if experiment_id is not None:
            concepts = list(self.catalog.experiment(experiment_id).concepts)
        if not concepts:
            concepts = search_concepts(self.catalog, text)
        event = Event(
            "question_asked",
            subject=experiment_id,
            payload={"text": text, "run": run_id, "concepts": concepts},
        )
        self.store.append(event)
        return next(q for q in self.store.questions() if q.uid == event.uid)

    def tried_experiments(self) -> set[str]:
        """The experiments the learner has made a prediction on (a probe's does not count)."""
        return {row.experiment for row in self.store.predictions() if row.probe is None}

    def questions(self, open_only: bool = True) -> list[QuestionRow]:
        return self.store.questions(open_only=open_only)

    def predictive_power(self, window: int = 10) -> PowerReport:
        """Every figure of the counted predictions only (scored and made blind); practice and
        predictions of unknown blindness are summed apart, as not counted."""
        concepts = {e.id: e.concepts for e in self.catalog.experiments.values()}
        return power_report(self.store.predictions(), concepts, window)

    def journal(
        self, experiment: str | None = None, concept: str | None = None, newest: int | None = None
    ) -> list[JournalEntry]:
        """Predictions, outcomes, observations, questions and starter runs, oldest first (the
        `newest` few)."""
        if experiment is not None:
            self.catalog.experiment(experiment)
        if concept is None:
            events = self.store.events(JOURNAL_KINDS, experiment, newest)
            return [_journal_entry(event) for event in events]
        self.catalog.concept(concept)
        wanted = {e.id for e in self.catalog.experiments.values() if concept in e.concepts}
        wanted |= {s.id for s in self.catalog.starters.values() if concept in s.concepts}
        entries = []
        for event in self.store.events(JOURNAL_KINDS, experiment):
            if event.subject not in wanted:
                if not (event.kind == "question_asked" and concept in event.payload["concepts"]):
                    continue
            entries.append(_journal_entry(event))
        return entries[-newest:] if newest else entries

    def journal_size(self, experiment: str | None = None) -> int:
        """How many entries the journal holds (about one experiment)."""
        return self.store.count(JOURNAL_KINDS, experiment)

    def _plots(self, plan: SweepPlan, result: SweepResult) -> dict[str, str]:
        from invert.plots import write_html, write_png

        folder = self.root / "experiments" / plan.experiment.id
        stem = result.cache_key[:12]
        png, html = folder / f"{stem}.png", folder / f"{stem}.html"
        title = plan.experiment.title
        log = plan.experiment.knob.log
        script = self.root / "experiments" / PLOTLY_JS  # one copy for every chart in the lab
        try:
            if not png.exists():
                write_png(result, png, title, log)
            if not html.exists():
                write_html(result, html, title, log, script)
        except OSError as exc:  # a file where a folder goes, a read-only folder: the learner's
            raise LearnerError(
                f"the sweep ran (its result is kept), but its charts cannot be written to "
                f"{self._rel(folder)}/ ({exc.strerror or exc}); make room and run it again"
            ) from None
        return {"png": self._rel(png), "html": self._rel(html)}

    @property
    def _cache(self) -> ResultCache:
        return ResultCache(self.root / STATE_DIR / "cache" / "sweeps")

    # --- where the learner stands -------------------------------------------------------------

    # --- journal ------------------------------------------------------------------------------

    def export(self, path: Path) -> int:
        """Write the whole journal to a JSON file; return the number of events."""
        written = write_export(self.store, path)
        if not self.store.readonly:  # named if the journal is ever damaged
            remember_export(self.store.path, path)
        return written

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
        from invert.runner import check_syntax

        check_syntax(script, rel, f"restore the original with `invert reset {starter.id}`")


def _journal_entry(event: Event) -> JournalEntry:
    p = event.payload
    if event.kind == "prediction_made":
        text = f"predicted: test {p['shape']}" + (f", gap {p['gap']}" if p.get("gap") else "")
        if p.get("guess"):
            text += f", {p['guess']['number']:g} at {p['guess']['value']}"
        text += f" ({p['confidence']:.0%} sure)"
        blind = p.get("blind")
        if blind is False:
            text = "practice, not counted (you had seen this result): " + text
        elif blind is None:
            text += " [made before invert recorded blindness: not counted]"
        return JournalEntry(
            at=event.at,
            kind="prediction",
            experiment=event.subject,
            text=text,
            uid=event.uid,
            blind=None if blind is None else bool(blind),
        )
    elif event.kind == "experiment_run":
        measured = p["measured"]
        text = (
            f"measured: test {measured['shape']}, train {measured['train_shape']}, "
            f"gap {measured['gap']}"
        )
        if p.get("outcome"):
            text += " - " + p["outcome"]["verdict"]
        kind = "run"
    elif event.kind == "observation_written":
        text, kind = p["text"], "observation"
    elif event.kind == "starter_run":
        score = p.get("score")
        mine = "your edited copy" if p.get("edited") else "the original"
        shown = "no score" if score is None else f"{p.get('metric', 'score')} {score:.3f}"
        seconds = p.get("wall_seconds")
        took = "" if seconds is None else f" in {seconds:.1f} s"
        text = f"ran {mine}: {shown}{took}"
        return JournalEntry(
            at=event.at,
            kind="starter",
            experiment=None,
            text=text,
            uid=event.uid,
            starter=event.subject,
            score=None if score is None else float(score),
            edited=bool(p.get("edited")),
        )
    else:
        concepts = ", ".join(p["concepts"]) or "no concept found yet"
        text, kind = f"why? {p['text']} -> {concepts}", "question"
    return JournalEntry(at=event.at, kind=kind, experiment=event.subject, text=text, uid=event.uid)


def _pairs(truth: Any, predicted: Any) -> list[tuple[Any, Any]]:
    """Zip the previews of two reported array-likes into (truth, predicted) rows."""

    def head(value: Any) -> list[Any]:
        if isinstance(value, dict):
            value = value.get("head")
        return value if isinstance(value, list) else []

    return list(zip(head(truth), head(predicted), strict=False))
