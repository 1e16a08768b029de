"""Typed models of the catalogue's content. Plain frozen dataclasses: cheap to import."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from invert.errors import LearnerError, UnknownError

if TYPE_CHECKING:
    from invert.kinds.drills.model import Drill
    from invert.kinds.rebuild.model import Exercise
    from invert.kinds.theory.model import Card, Derivation, Ladder, Rule, Theory
    from invert.kinds.traces.model import Traces, TraceSpec


@dataclass(frozen=True)
class Dataset:
    """A dataset that ships with invert or scikit-learn."""

    id: str
    title: str
    source: str  # "sklearn" or "file"
    task: str
    target: str
    rows: int
    description: str
    citation: str
    licence: str
    loader: str | None = None  # sklearn.datasets function, for source = "sklearn"
    file: str | None = None  # name under content/data/, for source = "file"
    na_values: tuple[str, ...] = ()
    skip_initial_space: bool = False


@dataclass(frozen=True)
class ScoreSpec:
    """Which module-level variable of a starter holds its score, and the range it must land in."""

    name: str
    variable: str
    expect: tuple[float, float]


@dataclass(frozen=True)
class TourStop:
    """A stop of a starter's debugger tour: a fragment of its line, what to see, what to type."""

    at: str
    look: str
    tries: tuple[str, ...]


@dataclass(frozen=True)
class SuggestedEdit:
    """The first change a starter's next_step suggests, as a literal replacement in its script."""

    old: str  # the manifest's `from`: found exactly once in the original script
    new: str  # the manifest's `to`

    def apply(self, source: str) -> str:
        return source.replace(self.old, self.new, 1)

    def is_in(self, source: str) -> bool:
        """Whether `source` has the change made (spaces and line breaks aside): `to` is there
        and, unless `to` contains it, `from` is gone (an edit that removes text)."""
        old, new, text = _squeezed(self.old), _squeezed(self.new), _squeezed(source)
        return new in text and (old in new or old not in text)


def _squeezed(text: str) -> str:
    return "".join(text.split())


@dataclass(frozen=True)
class Starter:
    """A plain Python script that trains a real model on real data, and what it teaches."""

    id: str
    title: str
    order: int
    dataset: str
    task: str
    model: str
    summary: str
    goes_in: str
    comes_out: str
    next_step: str
    score: ScoreSpec
    script: Path
    truth_variable: str
    predicted_variable: str
    concepts: tuple[str, ...] = ()
    experiments: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    tour: tuple[TourStop, ...] = ()
    edit: SuggestedEdit | None = None  # the change next_step suggests, machine-readable

    @property
    def filename(self) -> str:
        return self.script.name


@dataclass(frozen=True)
class Catalog:
    """Everything invert can teach, as loaded from one content folder.

    The backbone (datasets, starters, experiments, concepts) is read by the loader itself;
    every registered kind with a loader of its own keeps what it read in `content`, by the
    kind's name. The typed properties below (`drills`, `theory`, ...) are views of `content`
    for the code that reads one known kind.
    """

    format_version: int
    root: Path
    datasets: dict[str, Dataset] = field(default_factory=dict)
    starters: dict[str, Starter] = field(default_factory=dict)
    experiments: dict[str, Experiment] = field(default_factory=dict)
    concepts: dict[str, Concept] = field(default_factory=dict)
    content: dict[str, Any] = field(default_factory=dict)  # kind name -> what its model loaded

    @property
    def theory(self) -> Theory:
        found: Theory | None = self.content.get("theory")
        if found is None:
            from invert.kinds.theory.model import Theory

            return Theory()
        return found

    @property
    def drills(self) -> dict[str, Drill]:
        found: dict[str, Drill] = self.content.get("drills", {})
        return found

    @property
    def rebuilds(self) -> dict[str, Exercise]:
        found: dict[str, Exercise] = self.content.get("rebuild", {})
        return found

    @property
    def traces(self) -> dict[str, TraceSpec]:
        found: Traces | None = self.content.get("traces")
        return {} if found is None else found.specs

    @property
    def trace_features(self) -> dict[str, tuple[str, ...]]:
        found: Traces | None = self.content.get("traces")
        return {} if found is None else found.features

    def rebuild(self, exercise_id: str) -> Exercise:
        try:
            return self.rebuilds[exercise_id]
        except KeyError:
            raise UnknownError(_unknown("exercise", exercise_id, self.rebuilds)) from None

    def ordered_rebuilds(self) -> list[Exercise]:
        return sorted(self.rebuilds.values(), key=lambda e: (e.order, e.id))

    def drill(self, drill_id: str) -> Drill:
        try:
            return self.drills[drill_id]
        except KeyError:
            raise UnknownError(_unknown("drill", drill_id, self.drills)) from None

    def ordered_drills(self) -> list[Drill]:
        return sorted(self.drills.values(), key=lambda d: (d.order, d.id))

    def trace(self, trace_id: str) -> TraceSpec:
        try:
            return self.traces[trace_id]
        except KeyError:
            raise UnknownError(_unknown("algorithm", trace_id, self.traces)) from None

    def ordered_traces(self) -> list[TraceSpec]:
        return sorted(self.traces.values(), key=lambda t: (t.order, t.id))

    def card(self, card_id: str) -> Card:
        try:
            return self.theory.cards[card_id]
        except KeyError:
            if card_id in self.concepts:
                raise LearnerError(
                    f"'{card_id}' is a concept without a card yet; `invert learn` lists the cards"
                ) from None
            raise UnknownError(_unknown("concept card", card_id, self.theory.cards)) from None

    def derivation(self, derivation_id: str) -> Derivation:
        """A derivation by its id, or by the id of the card that shows it."""
        theory = self.theory
        if derivation_id not in theory.derivations and derivation_id in theory.cards:
            derivation_id = theory.cards[derivation_id].derivation
        try:
            return theory.derivations[derivation_id]
        except KeyError:
            known = [*theory.derivations, *theory.cards]
            raise UnknownError(_unknown("derivation", derivation_id, known)) from None

    def rule(self, rule_id: str) -> Rule:
        try:
            return self.theory.rules[rule_id]
        except KeyError:
            raise UnknownError(_unknown("rule", rule_id, self.theory.rules)) from None

    def ladder(self, ladder_id: str) -> Ladder:
        try:
            return self.theory.ladders[ladder_id]
        except KeyError:
            raise UnknownError(_unknown("ladder", ladder_id, self.theory.ladders)) from None

    def ordered_starters(self) -> list[Starter]:
        return sorted(self.starters.values(), key=lambda s: (s.order, s.id))

    def first_starter(self) -> Starter:
        return self.ordered_starters()[0]

    def starter(self, starter_id: str) -> Starter:
        """The starter with this id (or script, `starters/<id>.py`), or a LearnerError that
        suggests the closest ids."""
        found = self.find_starter(starter_id)
        if found is None:
            raise UnknownError(_unknown("starter", starter_id, self.starters))
        return found

    def find_starter(self, ref: str) -> Starter | None:
        """The starter named by an id, `<id>.py` or `starters/<id>.py`; None for anything else."""
        if ref in self.starters:
            return self.starters[ref]
        path = PurePath(ref.replace("\\", "/"))
        if path.suffix == ".py" and path.parent.name in ("", "starters"):
            return self.starters.get(path.stem)
        return None

    def dataset(self, dataset_id: str) -> Dataset:
        try:
            return self.datasets[dataset_id]
        except KeyError:
            raise UnknownError(_unknown("dataset", dataset_id, self.datasets)) from None

    def experiment(self, experiment_id: str) -> Experiment:
        try:
            return self.experiments[experiment_id]
        except KeyError:
            raise UnknownError(_unknown("experiment", experiment_id, self.experiments)) from None

    def probe(self, probe_id: str) -> tuple[Experiment, Probe]:
        """The probe with this id and the experiment it belongs to."""
        probes = {p.id: (e, p) for e in self.experiments.values() for p in e.probes}
        try:
            return probes[probe_id]
        except KeyError:
            raise UnknownError(_unknown("probe", probe_id, probes)) from None

    def ordered_probes(self) -> list[tuple[Experiment, Probe]]:
        """Every probe with its experiment, in the experiments' order."""
        return [(e, p) for e in self.ordered_experiments() for p in e.probes]

    def ordered_experiments(self) -> list[Experiment]:
        return sorted(self.experiments.values(), key=lambda e: (e.order, e.id))

    def concept(self, concept_id: str) -> Concept:
        try:
            return self.concepts[concept_id]
        except KeyError:
            raise UnknownError(_unknown("concept", concept_id, self.concepts)) from None

    def data_file(self, dataset: Dataset) -> Path | None:
        return self.root / "data" / dataset.file if dataset.file else None


def _unknown(kind: str, given: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(given, list(known), n=3, cutoff=0.5)
    lister = {
        "concept card": "invert learn",
        "derivation": "invert learn",
        "rule": "invert rules --all",
        "ladder": "invert ladder",
        "experiment": "invert experiments",
        "drill": "invert drills",
        "algorithm": "invert trace",
        "exercise": "invert rebuild",
        "probe": "invert probe",
    }.get(kind, "invert list")
    hint = f"; did you mean {' or '.join(close)}?" if close else f"; `{lister}` shows the {kind}s"
    return f"unknown {kind} '{given}'{hint}"


@dataclass(frozen=True)
class Concept:
    """An idea a learner can ask about. Issue-4 cards extend this entry of the concept index."""

    id: str
    title: str
    summary: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Knob:
    """The one thing an experiment changes.

    `target` is where the value goes: ``model.<param>`` (an estimator parameter), ``model`` (one
    of `choices`, each an alternative estimator), ``prep.scale``, ``data.train_fraction``,
    ``data.n_features``, ``data.label_noise``, ``data.columns`` (one of `choices`) or ``seed``.
    """

    target: str
    label: str
    values: tuple[float | int | str, ...]
    kind: str  # "int", "float" or "choice"
    low: float | None = None
    high: float | None = None
    log: bool = False
    choices: dict[str, dict[str, object]] = field(default_factory=dict)

    def check(self, value: float | int | str) -> None:
        """Raise LearnerError if `value` is outside what the experiment declares."""
        if self.kind == "choice":
            if value not in self.choices:
                raise LearnerError(
                    f"{self.label} must be one of {', '.join(self.choices)}; got {value!r}"
                )
            return
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise LearnerError(f"{self.label} takes numbers; got {value!r}")
        if self.kind == "int" and value != int(value):
            raise LearnerError(f"{self.label} takes whole numbers; got {value!r}")
        if self.low is not None and self.high is not None and not self.low <= value <= self.high:
            raise LearnerError(
                f"{self.label} = {value:g} is outside the range this experiment allows "
                f"[{self.low:g}, {self.high:g}]"
            )


@dataclass(frozen=True)
class Setting:
    """Something held fixed in an experiment that the learner may change with --set."""

    target: str
    default: float | int | str | bool | None
    kind: str  # "int", "float" or "choice"
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evaluation:
    scheme: str  # "kfold" or "holdout"
    folds: int
    repeats: int
    test_size: float
    metric: str
    also: tuple[str, ...] = ()
    positive: str | None = None  # the positive class for recall, precision, f1 on binary tasks
    seed: int = 0

    @property
    def splits(self) -> int:
        return self.folds * self.repeats if self.scheme == "kfold" else self.repeats


@dataclass(frozen=True)
class Cost:
    """What one fit of the experiment's default sweep costs (see invert.engine.budget)."""

    fit_seconds: float = 0.05  # on one core, measured by `invert dev costs`
    grows_with: tuple[str, ...] = ()  # knob or setting targets the time grows in proportion to


@dataclass(frozen=True)
class Experiment:
    """One knob, turned on one model and one dataset, with the shape it is expected to show."""

    id: str
    title: str
    question: str
    dataset: str
    task: str
    estimator: str
    params: dict[str, object]
    preprocess: str  # "none" or "tabular"
    scale: bool
    columns: tuple[str, ...]
    sample: int | None
    knob: Knob
    evaluation: Evaluation
    expect_shape: str
    expect_gap: str | None
    observation: str
    concepts: tuple[str, ...]
    starter: str | None
    settings: dict[str, Setting] = field(default_factory=dict)
    order: int = 0
    requires: tuple[str, ...] = ()
    cost: Cost = field(default_factory=Cost)
    probes: tuple[Probe, ...] = ()  # the same knob on problems the learner has not run


# --- transfer probes: an experiment's knob on a problem the learner has not run -------------
# (read and checked by invert.kinds.experiments.probes; here because an Experiment holds them)


@dataclass(frozen=True)
class ProbeModel:
    """The model a probe runs, where it differs from its experiment's (None: the experiment's)."""

    estimator: str | None = None
    params: dict[str, object] | None = None
    preprocess: str | None = None
    scale: bool | None = None


@dataclass(frozen=True)
class Probe:
    """One transfer probe of an experiment: what changes, and the shape and gap it shows."""

    id: str
    experiment: str  # the experiment whose knob it turns
    question: str  # what the learner is asked, about the new problem
    expect_shape: str
    expect_gap: str | None
    observation: str  # what the measured curve shows, told after the run
    dataset: str | None = None  # None: the experiment's
    task: str | None = None  # None: the experiment's, or the new dataset's
    columns: tuple[str, ...] | None = None  # None: the experiment's (on its own dataset) or all
    sample: int | None = None
    model: ProbeModel = field(default_factory=ProbeModel)
    values: tuple[float | int | str, ...] | None = None  # None: the experiment's default sweep
    settings: dict[str, float | int | str | bool] | None = None  # replaces the held-fixed ones
    evaluation: dict[str, Any] = field(default_factory=dict)  # fields that differ
    cost: Cost | None = None  # None: the experiment's

    def changes(self, experiment: Experiment) -> list[str]:
        """What differs from the experiment, in words ("dataset diabetes", "model Ridge")."""
        probed = probe_experiment(experiment, self)
        said = []
        if probed.dataset != experiment.dataset:
            said.append(f"dataset {probed.dataset}")
        if probed.estimator != experiment.estimator:
            said.append(f"model {probed.estimator.rsplit('.', 1)[-1]}")
        if probed.evaluation.metric != experiment.evaluation.metric:
            said.append(f"metric {probed.evaluation.metric}")
        return said


def probe_experiment(experiment: Experiment, probe: Probe) -> Experiment:
    """The experiment with the probe's changes put in: same id (the run's subject), same knob;
    the dataset, model, values, held-fixed settings, evaluation, expectation and prose changed."""
    new_data = probe.dataset is not None and probe.dataset != experiment.dataset
    dataset = probe.dataset or experiment.dataset
    columns = (
        probe.columns if probe.columns is not None else (() if new_data else experiment.columns)
    )
    sample = probe.sample if probe.sample is not None or new_data else experiment.sample
    estimator = probe.model.estimator or experiment.estimator
    if probe.model.params is not None:
        params = dict(probe.model.params)
    else:  # another estimator does not take the experiment's parameters
        params = dict(experiment.params) if estimator == experiment.estimator else {}
    evaluation = dict(probe.evaluation)
    if new_data and "positive" not in evaluation:
        evaluation["positive"] = None  # the experiment's positive class is of its own dataset
    knob = experiment.knob
    if probe.values is not None:
        knob = replace(knob, values=probe.values)
    settings = experiment.settings
    if probe.settings is not None:
        settings = {
            target: _held(experiment.settings.get(target), target, value)
            for target, value in probe.settings.items()
        }
    return replace(
        experiment,
        title=f"{experiment.title} (probe {probe.id})",
        question=probe.question,
        dataset=dataset,
        task=probe.task or experiment.task,
        estimator=estimator,
        params=params,
        preprocess=probe.model.preprocess or experiment.preprocess,
        scale=experiment.scale if probe.model.scale is None else probe.model.scale,
        columns=tuple(columns),
        sample=sample,
        knob=knob,
        evaluation=replace(experiment.evaluation, **evaluation),
        expect_shape=probe.expect_shape,
        expect_gap=probe.expect_gap,
        observation=probe.observation,
        settings=settings,
        cost=probe.cost or experiment.cost,
        probes=(),
    )


def _held(declared: Setting | None, target: str, value: float | int | str | bool) -> Setting:
    """A probe's held-fixed value as a Setting (the experiment's range, if it declares one)."""
    if declared is not None:
        return replace(declared, default=value)
    kind = (
        "choice" if isinstance(value, str | bool) else "int" if isinstance(value, int) else "float"
    )
    number = None if kind == "choice" else float(value)
    choices = (str(value),) if isinstance(value, str) else ()
    return Setting(target, value, kind, number, number, choices)
