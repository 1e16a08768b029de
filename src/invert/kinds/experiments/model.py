"""Experiments: one knob turned over a range on a starter's model and data, with the curve it
is expected to draw; and the transfer probes that put the knob on another dataset or model.

`load_experiments` reads `content/experiments/<id>.toml` (with its `[[probe]]` tables),
collecting every problem; the catalogue's loader calls it right after the starters, since the
other kinds name experiments.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invert.catalog.toml import Reader, read_toml
from invert.engine.shapes import GAPS, SHAPES
from invert.errors import LearnerError

if TYPE_CHECKING:
    from collections.abc import Callable

    from invert.catalog.dataset import Dataset

    # (table, experiment, dataset tasks, problems) -> the probe, or None when it is not valid
    ProbeReader = Callable[[Any, "Experiment", dict[str, str], list[str]], "Probe | None"]

KNOB_TARGETS = (
    "model",
    "prep.scale",
    "data.train_fraction",
    "data.n_features",
    "data.label_noise",
    "data.columns",
    "seed",
)
SCHEMES = ("kfold", "holdout")
ESTIMATOR_PREFIXES = ("sklearn.", "invert.scratch.")


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


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _knob(r: Reader, where: str, problems: list[str]) -> Knob:
    target = r.get("target", str)
    if target not in KNOB_TARGETS and not target.startswith("model."):
        problems.append(f"{where}: knob target '{target}' is not one of {', '.join(KNOB_TARGETS)}")
    choices = r.get("choices", dict, {})
    kind = r.get("kind", str, "choice" if choices else "float")
    values = tuple(r.get("values", list))
    bounds = r.get("range", list, [])
    low = high = None
    if kind == "choice":
        for value in values:
            if value not in choices:
                problems.append(f"{where}: value {value!r} has no entry in [knob.choices]")
    elif kind in ("int", "float"):
        if len(bounds) != 2 or _number(bounds[0]) is None or _number(bounds[1]) is None:
            problems.append(f"{where}: a numeric knob needs range = [low, high]")
        else:
            low, high = _number(bounds[0]), _number(bounds[1])
        for value in values:
            number = _number(value)
            if number is None or (
                low is not None and high is not None and not low <= number <= high
            ):
                problems.append(f"{where}: value {value!r} is outside the knob's range")
            elif kind == "int" and number != int(number):
                problems.append(f"{where}: value {value!r} is not a whole number")
    else:
        problems.append(f"{where}: knob kind '{kind}' is not int, float or choice")
    if len(values) < 2:
        problems.append(f"{where}: a knob needs at least two values")
    return Knob(
        target=target,
        label=r.get("label", str, target.split(".")[-1]),
        values=values,
        kind=kind,
        low=low,
        high=high,
        log=r.get("log", bool, False),
        choices={str(k): dict(v) for k, v in choices.items() if isinstance(v, dict)},
    )


def _settings(table: dict[str, Any], where: str, problems: list[str]) -> dict[str, Setting]:
    settings = {}
    for target, raw in table.items():
        r = Reader(raw if isinstance(raw, dict) else {}, f"{where} [settings] {target}", problems)
        default = r.get("default", object)
        kind = r.get(
            "kind",
            str,
            "choice"
            if "choices" in r.table
            else "int"
            if isinstance(default, int) and not isinstance(default, bool)
            else "float",
        )
        bounds = r.get("range", list, [])
        low = _number(bounds[0]) if len(bounds) == 2 else None
        high = _number(bounds[1]) if len(bounds) == 2 else None
        if kind != "choice" and (low is None or high is None):
            problems.append(f"{where} [settings] {target}: needs range = [low, high]")
        settings[target] = Setting(
            target=target,
            default=default,
            kind=kind,
            low=low,
            high=high,
            choices=r.strings("choices"),
        )
    return settings


def _cost(r: Reader, problems: list[str]) -> Cost:
    seconds = r.get("fit_seconds", float, None)
    if seconds is None or not 0 < seconds < 3600:
        problems.append(f"{r.where}: needs fit_seconds (measure it with `invert dev costs`)")
        seconds = Cost.fit_seconds
    return Cost(fit_seconds=seconds, grows_with=r.strings("grows_with"))


def _load_experiment(manifest: Path, problems: list[str]) -> Experiment:
    where = f"experiments/{manifest.name}"
    r = Reader(read_toml(manifest, problems), where, problems)
    model = Reader(r.get("model", dict), f"{where} [model]", problems)
    evaluation = Reader(r.get("evaluation", dict), f"{where} [evaluation]", problems)
    expect = Reader(r.get("expect", dict), f"{where} [expect]", problems)
    knob = _knob(
        Reader(r.get("knob", dict), f"{where} [knob]", problems), f"{where} [knob]", problems
    )
    experiment = Experiment(
        id=r.get("id", str),
        title=r.get("title", str),
        question=r.get("question", str),
        dataset=r.get("dataset", str),
        task=r.get("task", str),
        estimator=model.get("estimator", str),
        params=dict(model.get("params", dict, {})),
        preprocess=model.get("preprocess", str, "none"),
        scale=model.get("scale", bool, False),
        columns=r.strings("columns"),
        sample=r.get("sample", int, None),
        knob=knob,
        evaluation=Evaluation(
            scheme=evaluation.get("scheme", str),
            folds=evaluation.get("folds", int, 5),
            repeats=evaluation.get("repeats", int, 1),
            test_size=evaluation.get("test_size", float, 0.25),
            metric=evaluation.get("metric", str),
            also=evaluation.strings("also"),
            positive=evaluation.get("positive", str, None),
            seed=evaluation.get("seed", int, 0),
        ),
        expect_shape=expect.get("shape", str),
        expect_gap=expect.get("gap", str, None),
        observation=expect.get("observation", str),
        concepts=r.strings("concepts"),
        starter=r.get("starter", str, None),
        settings=_settings(r.get("settings", dict, {}), where, problems),
        order=r.get("order", int, 0),
        requires=r.strings("requires"),
        cost=_cost(Reader(r.get("cost", dict, {}), f"{where} [cost]", problems), problems),
    )
    for target in experiment.cost.grows_with:
        if target != experiment.knob.target and target not in experiment.settings:
            problems.append(f"{where} [cost]: grows_with names '{target}', not a knob or setting")
    if experiment.id != manifest.stem:
        problems.append(f"{where}: id '{experiment.id}' should match the file name")
    if experiment.expect_shape not in SHAPES:
        problems.append(
            f"{where}: expected shape '{experiment.expect_shape}' is not in the vocabulary"
        )
    if experiment.expect_gap is not None and experiment.expect_gap not in GAPS:
        problems.append(f"{where}: expected gap '{experiment.expect_gap}' is not in the vocabulary")
    for target in experiment.settings:
        if target == knob.target:
            problems.append(f"{where}: [settings] cannot hold the knob's own target '{target}'")
    if experiment.evaluation.scheme not in SCHEMES:
        problems.append(f"{where}: evaluation scheme must be one of {', '.join(SCHEMES)}")
    if experiment.preprocess not in ("none", "tabular"):
        problems.append(f"{where}: preprocess must be 'none' or 'tabular'")
    estimators = [experiment.estimator] + [
        str(choice.get("estimator")) for choice in knob.choices.values() if "estimator" in choice
    ]
    for estimator in estimators:
        if not estimator.startswith(ESTIMATOR_PREFIXES):
            problems.append(f"{where}: estimator '{estimator}' is not from scikit-learn or invert")
    return experiment


def load_experiments(
    root: Path, datasets: dict[str, Dataset], problems: list[str], read_probe: ProbeReader
) -> dict[str, Experiment]:
    """Every experiment under `root`/experiments, each with its `[[probe]]` tables read by
    `read_probe` (invert.kinds.experiments.probes, which builds on this module's models)."""
    experiments: dict[str, Experiment] = {}
    tasks = {d.id: d.task for d in datasets.values()}
    probe_ids: set[str] = set()
    for manifest in sorted((root / "experiments").glob("*.toml")):
        experiment = _load_experiment(manifest, problems)
        if experiment.id in experiments:
            problems.append(f"experiments/{manifest.name}: id '{experiment.id}' is used twice")
        experiment = with_probes(experiment, manifest, tasks, probe_ids, problems, read_probe)
        experiments[experiment.id] = experiment
    for probe_id in probe_ids & set(experiments):
        problems.append(f"probe id '{probe_id}' is also an experiment's id")
    return experiments


def with_probes(
    experiment: Experiment,
    manifest: Path,
    tasks: dict[str, str],
    seen: set[str],
    problems: list[str],
    read_probe: ProbeReader,
) -> Experiment:
    """The experiment with its `[[probe]]` tables read, each checked by `read_probe`."""
    tables = read_toml(manifest, []).get("probe", [])  # a bad file is reported once already
    if not isinstance(tables, list):
        problems.append(f"experiments/{manifest.name}: 'probe' should be [[probe]] tables")
        return experiment
    probes = []
    for table in tables:
        probe = read_probe(table, experiment, tasks, problems)
        if probe is None:
            continue
        if probe.id in seen:
            problems.append(f"experiments/{manifest.name}: probe id '{probe.id}' is used twice")
            continue
        seen.add(probe.id)
        probes.append(probe)
    return replace(experiment, probes=tuple(probes))
