"""A sweep plan: an experiment with its values and settings resolved, validated, and keyed.

Parsing the learner's --values and --set happens here, so that the CLI and the web app reject
the same things with the same one-line messages.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict, dataclass
from typing import Any

from invert.catalog.models import Catalog
from invert.engine.versions import library_versions
from invert.errors import LearnerError
from invert.kinds.experiments.model import Experiment, Setting

ENGINE_VERSION = 2  # bump when a change to the engine changes results

Value = float | int | str


@dataclass(frozen=True)
class SweepPlan:
    experiment: Experiment
    values: tuple[Value, ...]
    settings: dict[str, Value | bool | None]

    def describe(self) -> dict[str, Any]:
        e = self.experiment
        return {
            "experiment": e.id,
            "question": e.question,
            "dataset": e.dataset,
            "model": e.estimator.rsplit(".", 1)[-1],
            "knob": e.knob.label,
            "target": e.knob.target,
            "values": list(self.values),
            "held_fixed": self.settings,
            "evaluation": asdict(e.evaluation),
        }


def _parse(text: str, kind: str, label: str) -> Value:
    text = text.strip()
    if kind == "choice":
        return text
    try:
        number = float(text)
    except ValueError:
        raise LearnerError(f"{label} takes numbers; {text!r} is not one") from None
    if not math.isfinite(number):
        raise LearnerError(f"{label} takes finite numbers; got {text!r}")
    if kind == "int":
        if number != int(number):
            raise LearnerError(f"{label} takes whole numbers; got {text}")
        return int(number)
    return number


def _check_setting(setting: Setting, value: Value) -> None:
    if setting.kind == "choice":
        if value not in setting.choices:
            choices = ", ".join(setting.choices)
            raise LearnerError(f"{setting.target} must be one of {choices}; got {value!r}")
        return
    assert isinstance(value, int | float)
    if setting.low is not None and setting.high is not None:
        if not setting.low <= value <= setting.high:
            raise LearnerError(
                f"{setting.target} = {value:g} is outside the range this experiment allows "
                f"[{setting.low:g}, {setting.high:g}]"
            )


def plan_sweep(
    experiment: Experiment, values: str | None = None, sets: list[str] | None = None
) -> SweepPlan:
    """Resolve `--values 1,5,50` and `--set name=value` against what the experiment declares."""
    knob = experiment.knob
    chosen: tuple[Value, ...] = knob.values
    if values is not None:
        parts = [p for p in values.split(",") if p.strip()]
        if len(parts) < 2:
            raise LearnerError("--values needs at least two values, separated by commas")
        if len(parts) > 40:
            raise LearnerError("--values takes at most 40 values")
        chosen = tuple(_parse(p, knob.kind, knob.label) for p in parts)
        if len(set(chosen)) != len(chosen):
            raise LearnerError("--values lists a value twice")
        for value in chosen:
            knob.check(value)
    settings: dict[str, Value | bool | None] = {
        target: setting.default for target, setting in experiment.settings.items()
    }
    for item in sets or []:
        name, sep, raw = item.partition("=")
        name = name.strip()
        if not sep:
            raise LearnerError(f"--set takes name=value; got {item!r}")
        if name not in experiment.settings:
            allowed = ", ".join(experiment.settings) or "nothing"
            raise LearnerError(f"--set {name}: this experiment lets you set {allowed}")
        setting = experiment.settings[name]
        value = _parse(raw, setting.kind, name)
        _check_setting(setting, value)
        settings[name] = value
    return SweepPlan(experiment=experiment, values=chosen, settings=settings)


_DIGESTS: dict[tuple[str, int, int], str] = {}  # (path, size, mtime) -> its SHA-256


def data_fingerprint(catalog: Catalog, experiment: Experiment) -> str:
    """The data file's SHA-256 (read once per process while the file is unchanged)."""
    dataset = catalog.dataset(experiment.dataset)
    path = catalog.data_file(dataset)
    if path is None:
        return f"sklearn:{dataset.loader}"
    stat = path.stat()
    seen = (str(path), stat.st_size, stat.st_mtime_ns)
    if seen not in _DIGESTS:
        _DIGESTS[seen] = hashlib.sha256(path.read_bytes()).hexdigest()
    return _DIGESTS[seen]


def _spec(experiment: Experiment) -> dict[str, Any]:
    spec = asdict(experiment)
    # Probes are other sweeps, and prose does not change a result.
    for prose in ("title", "question", "observation", "concepts", "starter", "order", "probes"):
        spec.pop(prose, None)
    return spec


def _digest(document: dict[str, Any]) -> str:
    text = json.dumps(document, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def cache_key(catalog: Catalog, plan: SweepPlan) -> str:
    """A key over everything that determines a result: spec, values, settings, data, versions."""
    return _digest(
        {
            "engine": ENGINE_VERSION,
            "spec": _spec(plan.experiment),
            "values": list(plan.values),
            "settings": plan.settings,
            "data": data_fingerprint(catalog, plan.experiment),
            "versions": library_versions(),
        }
    )


def point_keys(catalog: Catalog, plan: SweepPlan) -> list[str]:
    """One key per knob value: what determines that value's point alone.

    A point does not depend on the other values swept with it (each value is fitted on the
    same splits, whatever else is swept; tests/test_lanes.py proves a sweep's points equal to
    separate fits), so a point measured in one sweep answers for it in any other. The
    experiment's expectations, its default values and its stated cost do not enter."""
    spec = _spec(plan.experiment)
    for said in ("expect_shape", "expect_gap", "cost"):
        spec.pop(said, None)
    spec["knob"] = {k: v for k, v in spec["knob"].items() if k != "values"}
    base = {
        "engine": ENGINE_VERSION,
        "spec": spec,
        "settings": plan.settings,
        "data": data_fingerprint(catalog, plan.experiment),
        "versions": library_versions(),
    }
    return [_digest({**base, "value": value}) for value in plan.values]
