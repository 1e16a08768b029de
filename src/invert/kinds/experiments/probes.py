"""Transfer probes: an experiment's knob turned on a dataset or model the learner never ran.

A learner who understands what a knob does can say what it will do on a problem they have not
seen. Each experiment's manifest declares at least one `[[probe]]`: the same knob, with the
dataset and/or the model changed, and the shape (and gap) that change shows. `probe_experiment`
puts the probe's changes into the experiment, so the one engine runs it like any experiment.

Read with the rest of the catalogue: no heavy import here (`invert list` reads it). The
`Probe` itself is part of the experiment's model, in kinds/experiments/model.py.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, cast

from invert.engine.metrics import METRICS
from invert.engine.shapes import GAPS, SHAPES
from invert.kinds.experiments.model import Cost, Experiment, Probe, ProbeModel, probe_experiment

REGRESSION_METRICS = ("r2", "mae", "rmse")
PROBE_TASKS = ("classification", "regression")
EVALUATION_FIELDS = (
    "scheme",
    "folds",
    "repeats",
    "test_size",
    "metric",
    "also",
    "positive",
    "seed",
)


# --- reading and checking [[probe]] tables ------------------------------------------------------


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def read_probe(
    table: Any, experiment: Experiment, datasets: dict[str, str], problems: list[str]
) -> Probe | None:
    """One `[[probe]]` table of `experiment`'s manifest; every problem is appended, with where.

    `datasets` maps each known dataset id to its task.
    """
    where = f"experiments/{experiment.id}.toml [[probe]]"
    if not isinstance(table, dict):
        problems.append(f"{where}: should be a table")
        return None
    before = len(problems)

    def get(key: str, kind: type | tuple[type, ...], required: bool = False) -> Any:
        if key not in table:
            if required:
                problems.append(f"{where}: missing field '{key}'")
            return None
        value = table[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            name = (
                kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            )
            problems.append(f"{where}: '{key}' should be {name}")
            return None
        return value

    known = {"id", "question", "dataset", "task", "columns", "sample", "values", "settings"}
    known |= {"model", "evaluation", "expect", "cost"}
    for key in table:
        if key not in known:
            problems.append(
                f"{where}: unknown field '{key}' (a probe takes {', '.join(sorted(known))})"
            )
    probe_id = get("id", str, required=True) or "?"
    where = f"experiments/{experiment.id}.toml probe '{probe_id}'"
    if probe_id != "?" and not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", probe_id):
        problems.append(f"{where}: an id is lower-case words joined by hyphens")
    question = get("question", str, required=True) or ""
    dataset = get("dataset", str)
    if dataset is not None and dataset not in datasets:
        problems.append(f"{where}: unknown dataset '{dataset}' (see datasets.toml)")
    task = get("task", str)
    if task is None and dataset is not None and dataset != experiment.dataset:
        task = datasets.get(dataset, experiment.task)
    if task is not None and task not in PROBE_TASKS:
        problems.append(
            f"{where}: task '{task}' is not classification or regression (give task = ...)"
        )
    columns = get("columns", list)
    if columns is not None and not all(isinstance(c, str) for c in columns):
        problems.append(f"{where}: 'columns' should be a list of strings")
        columns = None
    sample = get("sample", int)
    if sample is not None and sample < 20:
        problems.append(f"{where}: 'sample' must keep at least 20 rows")
    model = _probe_model(get("model", dict) or {}, where, problems)
    values = _values(get("values", list), experiment, where, problems)
    settings = _settings(get("settings", dict), experiment, where, problems)
    evaluation = _evaluation(get("evaluation", dict) or {}, where, problems)
    expect = get("expect", dict, required=True) or {}
    shape, gap = expect.get("shape"), expect.get("gap")
    observation = expect.get("observation")
    if shape not in SHAPES:
        problems.append(f"{where} [expect]: shape {shape!r} is not one of {', '.join(SHAPES)}")
    if gap is not None and gap not in GAPS:
        problems.append(f"{where} [expect]: gap {gap!r} is not one of {', '.join(GAPS)}")
    if not isinstance(observation, str) or not observation.strip():
        problems.append(f"{where} [expect]: needs an observation (what the curve shows)")
    for key in expect:
        if key not in ("shape", "gap", "observation"):
            problems.append(f"{where} [expect]: unknown field '{key}'")
    cost = None
    if "cost" in table:
        raw = get("cost", dict) or {}
        seconds = _number(raw.get("fit_seconds"))
        grows = raw.get("grows_with", list(experiment.cost.grows_with))
        if seconds is None or not 0 < seconds < 3600:
            problems.append(f"{where} [cost]: needs fit_seconds (measure it: `invert dev costs`)")
        elif not isinstance(grows, list) or not all(isinstance(g, str) for g in grows):
            problems.append(f"{where} [cost]: 'grows_with' should be a list of strings")
        else:
            cost = Cost(fit_seconds=seconds, grows_with=tuple(grows))
    probe = Probe(
        id=probe_id,
        experiment=experiment.id,
        question=question,
        expect_shape=str(shape),
        expect_gap=gap if isinstance(gap, str) else None,
        observation=observation if isinstance(observation, str) else "",
        dataset=dataset,
        task=task,
        columns=None if columns is None else tuple(columns),
        sample=sample,
        model=model,
        values=values,
        settings=settings,
        evaluation=evaluation,
        cost=cost,
    )
    if len(problems) == before:
        _check_whole(probe, experiment, where, problems)
    return probe if len(problems) == before else None


def _probe_model(table: dict[str, Any], where: str, problems: list[str]) -> ProbeModel:
    where = f"{where} [model]"
    for key in table:
        if key not in ("estimator", "params", "preprocess", "scale"):
            problems.append(f"{where}: unknown field '{key}'")
    estimator = table.get("estimator")
    if estimator is not None and (
        not isinstance(estimator, str) or not estimator_exists(estimator)
    ):
        problems.append(
            f"{where}: unknown estimator {estimator!r} (a class of scikit-learn or "
            "invert.scratch, by its dotted path, e.g. sklearn.tree.DecisionTreeRegressor)"
        )
        estimator = None
    params = table.get("params")
    if params is not None and not isinstance(params, dict):
        problems.append(f"{where}: 'params' should be a table")
        params = None
    preprocess = table.get("preprocess")
    if preprocess is not None and preprocess not in ("none", "tabular"):
        problems.append(f"{where}: preprocess must be 'none' or 'tabular'")
        preprocess = None
    scale = table.get("scale")
    if scale is not None and not isinstance(scale, bool):
        problems.append(f"{where}: 'scale' should be true or false")
        scale = None
    return ProbeModel(estimator, params, preprocess, scale)


def _values(
    values: list[Any] | None, experiment: Experiment, where: str, problems: list[str]
) -> tuple[float | int | str, ...] | None:
    if values is None:
        return None
    knob = experiment.knob
    if len(values) < 2 or len(set(map(str, values))) != len(values):
        problems.append(f"{where}: 'values' needs at least two different values")
        return None
    for value in values:
        if knob.kind == "choice":
            if value not in knob.choices:
                problems.append(f"{where}: value {value!r} is not one of the knob's choices")
            continue
        number = _number(value)
        if number is None or (
            knob.low is not None and knob.high is not None and not knob.low <= number <= knob.high
        ):
            problems.append(f"{where}: value {value!r} is outside the knob's range")
        elif knob.kind == "int" and number != int(number):
            problems.append(f"{where}: value {value!r} is not a whole number")
    return tuple(values)


def _settings(
    table: dict[str, Any] | None, experiment: Experiment, where: str, problems: list[str]
) -> dict[str, float | int | str | bool] | None:
    if table is None:
        return None
    data_targets = ("prep.scale", "data.train_fraction", "data.n_features", "data.label_noise")
    settings = {}
    for target, value in table.items():
        if target == experiment.knob.target:
            problems.append(f"{where} settings: '{target}' is the knob itself")
            continue
        if not (target.startswith("model.") or target in data_targets):
            problems.append(f"{where} settings: '{target}' is not a model parameter or data target")
            continue
        if not isinstance(value, int | float | str | bool):
            problems.append(f"{where} settings: '{target}' should be a number, word or boolean")
            continue
        declared = experiment.settings.get(target)
        number = _number(value)
        if declared is not None and declared.kind != "choice" and number is not None:
            if declared.low is not None and declared.high is not None:
                if not declared.low <= number <= declared.high:
                    problems.append(
                        f"{where} settings: {target} = {value} is outside the experiment's range "
                        f"[{declared.low:g}, {declared.high:g}]"
                    )
        if declared is not None and declared.kind == "choice" and value not in declared.choices:
            problems.append(f"{where} settings: {target} must be one of {declared.choices}")
        settings[target] = value
    return settings


def _evaluation(table: dict[str, Any], where: str, problems: list[str]) -> dict[str, Any]:
    where = f"{where} [evaluation]"
    kinds: dict[str, type | tuple[type, ...]] = {
        "scheme": str,
        "folds": int,
        "repeats": int,
        "test_size": (float, int),
        "metric": str,
        "also": list,
        "positive": str,
        "seed": int,
    }
    chosen: dict[str, Any] = {}
    value: Any
    for key, value in table.items():
        if key not in kinds:
            problems.append(f"{where}: unknown field '{key}' (one of {', '.join(kinds)})")
        elif not isinstance(value, kinds[key]) or isinstance(value, bool):
            problems.append(f"{where}: '{key}' has the wrong type")
        else:
            chosen[key] = tuple(cast("list[Any]", value)) if key == "also" else value
    if "scheme" in chosen and chosen["scheme"] not in ("kfold", "holdout"):
        problems.append(f"{where}: scheme must be kfold or holdout")
    for key in ("folds", "repeats"):
        if key in chosen and not 1 <= chosen[key] <= 20:
            problems.append(f"{where}: {key} must be from 1 to 20")
    if "folds" in chosen and chosen["folds"] < 2:
        problems.append(f"{where}: folds must be at least 2")
    if "test_size" in chosen and not 0 < chosen["test_size"] < 1:
        problems.append(f"{where}: test_size must be between 0 and 1")
    for metric in (chosen.get("metric"), *chosen.get("also", ())):
        if metric is not None and metric not in METRICS:
            problems.append(f"{where}: unknown metric {metric!r} (one of {', '.join(METRICS)})")
    return chosen


def _check_whole(probe: Probe, experiment: Experiment, where: str, problems: list[str]) -> None:
    """What only the probe's experiment as a whole can tell: it changes the problem, and its
    metric suits its task."""
    probed = probe_experiment(experiment, probe)
    # A knob that swaps the model leaves only the data to change.
    same_model = experiment.knob.target == "model" or probed.estimator == experiment.estimator
    if probed.dataset == experiment.dataset and same_model:
        problems.append(
            f"{where}: changes neither the dataset nor the model; a probe is a problem the "
            "learner has not run"
        )
    task = probed.task
    for metric in (probed.evaluation.metric, *probed.evaluation.also):
        if (metric in REGRESSION_METRICS) != (task == "regression"):
            problems.append(f"{where}: metric '{metric}' does not suit a {task} task")
    if (
        probed.evaluation.metric in ("recall", "precision", "f1")
        and probed.evaluation.positive is None
    ):
        problems.append(f"{where}: metric '{probed.evaluation.metric}' needs evaluation.positive")
    estimators = [probed.estimator] if experiment.knob.target != "model" else []
    estimators += [
        str(c["estimator"]) for c in experiment.knob.choices.values() if "estimator" in c
    ]
    for estimator in estimators:
        name = estimator.rsplit(".", 1)[-1]
        if (task == "regression" and name.endswith("Classifier")) or (
            task == "classification" and name.endswith("Regressor")
        ):
            problems.append(f"{where}: {name} does not suit a {task} task")


# --- does an estimator exist? Read from the source, never imported (the catalogue stays light) --

_found: dict[str, bool] = {}


def estimator_exists(dotted: str) -> bool:
    """Whether `dotted` (sklearn.x.Name or invert.scratch.x.Name) names a class its package
    defines or exports, judged from the module's source text without importing it."""
    if dotted in _found:
        return _found[dotted]
    module, _, name = dotted.rpartition(".")
    found = False
    if module.startswith(("sklearn.", "invert.scratch.")) and name.isidentifier():
        source = _module_source(module)
        found = source is not None and re.search(rf"\b{re.escape(name)}\b", source) is not None
        found = found and name[:1].isupper()
    _found[dotted] = found
    return found


def _module_source(module: str) -> str | None:
    parts = module.split(".")
    for entry in sys.path:
        base = Path(entry or ".").joinpath(*parts)
        for path in (base / "__init__.py", base.with_suffix(".py")):
            try:
                return path.read_text(encoding="utf-8")
            except OSError:
                continue
    return None


# Probe, ProbeModel and probe_experiment are the Experiment's own model (catalog/models.py);
# named here too, where the probes are read.
__all__ = [
    "EVALUATION_FIELDS",
    "PROBE_TASKS",
    "REGRESSION_METRICS",
    "Probe",
    "ProbeModel",
    "estimator_exists",
    "probe_experiment",
    "read_probe",
]
