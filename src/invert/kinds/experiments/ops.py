"""The experiments part of a lab: plan a sweep, predict its curve, run it, score the prediction.

`lab.experiments` validates the sweep the learner asks for, judges whether a prediction made now
is blind, runs the sweep (or takes it from the lab's cache), writes its charts and records the
prediction and the run together. It also offers the transfer probes (kinds/experiments/offers.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invert.engine.budget import Estimate, check_budget
from invert.engine.cache import ResultCache
from invert.engine.plan import SweepPlan, cache_key, plan_sweep
from invert.errors import LearnerError
from invert.kinds.experiments.predictions import (
    Outcome,
    Prediction,
    parse_confidence,
    parse_guess,
    parse_shape,
    score_prediction,
)
from invert.kinds.part import STATE_DIR, Part
from invert.requirements import require
from invert.store import Event

if TYPE_CHECKING:
    from collections.abc import Callable

    from invert.catalog.models import Catalog
    from invert.engine.result import Point, SweepResult
    from invert.kinds.experiments.blindness import Blindness
    from invert.kinds.experiments.model import Experiment
    from invert.kinds.experiments.offers import ProbeOffer

PLOTLY_JS = "plotly.min.js"  # under experiments/: the charts load it from there
_PREPARED: set[tuple[str, str]] = set()  # (lab, sweep) this process asked its engine to measure
NOT_ATTEMPTED = "not attempted"


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
class ExperimentStatus:
    """An experiment as the learner stands with it: how often predicted and run."""

    experiment: Experiment
    predictions: int  # on the experiment itself, not on its probes
    runs: int

    @property
    def state(self) -> str:
        if self.predictions:
            return "predicted"
        return "ran" if self.runs else NOT_ATTEMPTED

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.experiment.id,
            "title": self.experiment.title,
            "state": self.state,
            "predictions": self.predictions,
            "runs": self.runs,
        }


def listing(catalog: Catalog) -> list[dict[str, Any]]:
    """The catalogue's experiments where there is no lab (no state)."""
    return [
        {"id": e.id, "title": e.title, "starter": e.starter, "state": None}
        for e in catalog.ordered_experiments()
    ]


class Experiments(Part):
    """The experiments as one learner has tried them: `lab.experiments`."""

    def ordered(self, starter: str | None = None) -> list[Experiment]:
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

    def statuses(self) -> list[ExperimentStatus]:
        """Every experiment in catalogue order, with how often the learner predicted and ran it."""
        predicted: dict[str, int] = {}
        for row in self.store.predictions():
            if row.probe is None:
                predicted[row.experiment] = predicted.get(row.experiment, 0) + 1
        ran: dict[str, int] = {}
        for event in self.store.events("experiment_run"):
            if event.subject:
                ran[event.subject] = ran.get(event.subject, 0) + 1
        return [
            ExperimentStatus(e, predicted.get(e.id, 0), ran.get(e.id, 0))
            for e in self.catalog.ordered_experiments()
        ]

    def plan(
        self, experiment_id: str, values: str | None = None, sets: list[str] | None = None
    ) -> SweepPlan:
        """The sweep the learner asked for, validated against the experiment's declared ranges."""
        return plan_sweep(self.catalog.experiment(experiment_id), values, sets)

    def estimate(
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
        """Validate the prediction (nothing is written yet; `try_` records it first)."""
        from invert.engine.shapes import GAPS

        return Prediction(
            experiment=plan.experiment.id,
            shape=parse_shape(shape),
            confidence=parse_confidence(confidence),
            gap=None if gap in (None, "") else parse_shape(str(gap), GAPS, "gap"),
            guess=None if guess in (None, "") else parse_guess(str(guess), plan.values),
        )

    def cached_result(self, plan: SweepPlan) -> SweepResult | None:
        return self.cache.get(cache_key(self.catalog, plan))

    def known_points(self, plan: SweepPlan) -> dict[int, Point]:
        """The points of `plan` that earlier sweeps measured, by value index."""
        from invert.engine.plan import point_keys

        found = self.cached_result(plan)
        if found is not None:
            return dict(enumerate(found.points))
        points = {}
        for index, key in enumerate(point_keys(self.catalog, plan)):
            point = self.cache.point(key)
            if point is not None:
                points[index] = point
        return points

    def try_(
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
        on_outcome: Callable[[int, dict[str, Any]], None] | None = None,
        on_point: Callable[[int, Point], None] | None = None,
    ) -> TryOutcome:
        """Record the prediction, run the sweep (or take it from the cache), score, record it.

        `probe` names the transfer probe the plan answers (its plan's experiment is the
        experiment with the probe's dataset or model put in). `on_outcome(value index,
        outcome)` hears each fit as it finishes; `on_point(value index, point)` each point an
        earlier sweep measured (they are not measured again).
        """
        self.store.must_write()  # before the run, not after it
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
        result = self.cache.get(key)
        warnings: list[str] = []
        if result is None:
            result, warnings = self._measure(
                plan, key, jobs, backend, scheduler, on_progress, on_outcome, on_point, budget,
                memory_limit, plots,
            )  # fmt: skip
        outcome = None if prediction is None else score_prediction(prediction, result)
        # The engine drew them as it measured: this finds them, and draws only what is missing.
        plot_paths = self.plots(plan, result) if plots else {}
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

    def _measure(
        self,
        plan: SweepPlan,
        key: str,
        jobs: int | None,
        backend: str,
        scheduler: str | None,
        on_progress: Callable[[int, int], None] | None,
        on_outcome: Callable[[int, dict[str, Any]], None] | None,
        on_point: Callable[[int, Point], None] | None,
        budget: float | None,
        memory_limit: int | None,
        plots: bool,
    ) -> tuple[SweepResult, list[str]]:
        """Run the sweep: in the lab's warm engine (invert/engine/server.py), which also caches
        it and draws its charts, or here when the engine is off or the backend is Dask."""
        engine = self.lab.part("engine")
        if backend == "loky" and engine.enabled:
            total = len(plan.values) * plan.experiment.evaluation.splits
            done = 0
            if on_progress is not None:
                on_progress(0, total)

            def heard(index: int, outcome: dict[str, Any]) -> None:
                nonlocal done
                done += 1
                if on_outcome is not None:
                    on_outcome(index, outcome)
                if on_progress is not None:
                    on_progress(done, total)

            def known(index: int, point: Point) -> None:
                nonlocal done
                done += point.splits
                if on_point is not None:
                    on_point(index, point)
                if on_progress is not None:
                    on_progress(done, total)

            charts = self.chart_request(plan, key) if plots else None
            result, warnings, problem = engine.sweep(
                plan, key, jobs=jobs, budget=budget, memory_limit=memory_limit,
                charts=charts, on_outcome=heard, on_point=known,
            )  # fmt: skip
            if problem is not None:
                folder = self.rel(self.chart_paths(plan, key)["html"].parent)
                raise LearnerError(
                    f"the sweep ran (its result is kept), but its charts cannot be written to "
                    f"{folder}/ ({problem}); make room and run it again"
                )
            return result, warnings
        from invert.engine.measure import measure

        result, warnings = measure(
            self.catalog, plan, key, self.cache, jobs=jobs, backend=backend,
            scheduler=scheduler, on_progress=on_progress, budget=budget,
            memory_limit=memory_limit, on_outcome=on_outcome, on_point=on_point,
        )  # fmt: skip
        return result, warnings

    def prepare(self, plan: SweepPlan) -> None:
        """Start measuring `plan` in the background while the learner predicts, when it is not
        measured yet: nothing of it is shown until a prediction is recorded with its run."""
        engine = self.lab.part("engine")
        if not engine.enabled:
            return
        key = cache_key(self.catalog, plan)
        asked = (str(self.root), key)
        if asked in _PREPARED or self.cache.path(key).exists():
            return  # asked already by this process (a page opened again), or measured
        _PREPARED.add(asked)
        engine.prepare(plan, key, self.chart_request(plan, key))

    def chart_request(self, plan: SweepPlan, key: str) -> dict[str, Any]:
        """Where the engine draws a sweep's charts (the paths `plots` then finds there)."""
        paths = self.chart_paths(plan, key)
        png, html = paths["png"], paths["html"]
        return {
            "png": str(png),
            "html": str(html),
            "title": plan.experiment.title,
            "log": plan.experiment.knob.log,
            "script": str(self.root / "experiments" / PLOTLY_JS),
        }

    def chart_paths(self, plan: SweepPlan, key: str) -> dict[str, Path]:
        folder = self.root / "experiments" / plan.experiment.id
        return {"png": folder / f"{key[:12]}.png", "html": folder / f"{key[:12]}.html"}

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
        from invert.kinds.experiments.model import probe_experiment

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

    def tried(self) -> set[str]:
        """The experiments the learner has made a prediction on (a probe's does not count)."""
        return {row.experiment for row in self.store.predictions() if row.probe is None}

    def plots(self, plan: SweepPlan, result: SweepResult) -> dict[str, str]:
        """Write the sweep's charts (PNG and HTML) under experiments/<id>/, once; their paths."""
        from invert.plots import write_html, write_png

        paths = self.chart_paths(plan, result.cache_key)
        png, html = paths["png"], paths["html"]
        folder = png.parent
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
                f"{self.rel(folder)}/ ({exc.strerror or exc}); make room and run it again"
            ) from None
        return {"png": self.rel(png), "html": self.rel(html)}

    @property
    def cache(self) -> ResultCache:
        """The lab's cache of measured sweeps."""
        return ResultCache(self.root / STATE_DIR / "cache" / "sweeps")

    # --- transfer probes ------------------------------------------------------------------------

    def probe_offers(self) -> list[ProbeOffer]:
        """Every transfer probe, with whether it is on offer to this learner and why."""
        from invert.kinds.experiments.offers import probe_offers

        return probe_offers(self.catalog, self.store.predictions())

    def plan_probe(self, probe_id: str) -> SweepPlan:
        """The sweep a probe runs: its experiment with the probe's changes put in (the same id,
        so the run's subject is the experiment). A probe not on offer yet is a LearnerError."""
        from invert.kinds.experiments.model import probe_experiment

        experiment, probe = self.catalog.probe(probe_id)
        offer = next(o for o in self.probe_offers() if o.probe.id == probe.id)
        if not offer.offered:
            raise LearnerError(f"probe '{probe.id}' is not on offer yet: {offer.reason}")
        return plan_sweep(probe_experiment(experiment, probe))
