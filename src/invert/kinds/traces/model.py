"""The traces part of the catalogue: which from-scratch algorithms `invert trace` can step through.

`content/traces.toml` names, for each algorithm, the estimator in `invert.scratch`, small
parameters that keep a trace readable, the task (which datasets suit it), a default dataset and
a guide of what to watch. Its `[features]` table picks a few readable numeric columns of the
bundled datasets that have many; the others use all their numeric columns.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TRACE_TASKS = ("regression", "classification", "clustering", "projection")
# Which datasets' own tasks suit a trace's task: a classifier needs labels (penguins has species).
SUITS = {
    "regression": ("regression",),
    "classification": ("classification", "clustering"),
    "clustering": ("regression", "classification", "clustering"),
    "projection": ("regression", "classification", "clustering"),
}


@dataclass(frozen=True)
class TraceSpec:
    """One traceable algorithm: the estimator, its parameters, its data and what to watch."""

    id: str
    title: str
    order: int
    estimator: str  # "module.Class" under invert.scratch
    task: str
    dataset: str
    rows: int
    look: str
    card: str | None = None
    predict_rows: int = 0  # also trace predict (or transform) on this many new rows
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Traces:
    """The traces part of the catalogue: the algorithms, and each dataset's chosen features."""

    specs: dict[str, TraceSpec] = field(default_factory=dict)
    features: dict[str, tuple[str, ...]] = field(default_factory=dict)


def load(root: Path, problems: list[str]) -> Traces:
    """The registry's loader: `load_traces` as one object."""
    return Traces(*load_traces(root, problems))


def load_traces(root: Path, problems: list[str]) -> tuple[dict[str, TraceSpec], dict[str, Any]]:
    """The trace specs and the per-dataset feature choices from `content/traces.toml`."""
    path = root / "traces.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        problems.append(f"traces.toml: {exc}")
        return {}, {}
    specs: dict[str, TraceSpec] = {}
    required = {"id", "title", "order", "estimator", "task", "dataset", "rows", "look"}
    optional = {"card", "predict_rows", "params"}
    for entry in data.get("trace", []):
        where = f"traces.toml [[trace]] {entry.get('id', '?')}"
        missing = required - set(entry)
        unknown = set(entry) - required - optional
        if missing or unknown:
            problems.append(f"{where}: missing {sorted(missing)}, unknown {sorted(unknown)}")
            continue
        spec = TraceSpec(**entry)
        if spec.id in specs:
            problems.append(f"{where}: id used twice")
        if spec.task not in TRACE_TASKS:
            problems.append(f"{where}: task '{spec.task}' is not one of {', '.join(TRACE_TASKS)}")
        if not 10 <= spec.rows <= 2000:
            problems.append(f"{where}: rows {spec.rows} is outside 10-2000")
        specs[spec.id] = spec
    features = data.get("features", {})
    return specs, {k: tuple(v) for k, v in features.items()}


def cross_check_traces(
    specs: dict[str, TraceSpec],
    features: dict[str, tuple[str, ...]],
    dataset_tasks: dict[str, str],
    cards: set[str],
    problems: list[str],
) -> None:
    """References: datasets exist and suit the task, cards exist; at least 8 algorithms."""
    for spec in specs.values():
        where = f"traces.toml [[trace]] {spec.id}"
        task = dataset_tasks.get(spec.dataset)
        if task is None:
            problems.append(f"{where}: unknown dataset '{spec.dataset}'")
        elif task not in SUITS.get(spec.task, ()):
            problems.append(f"{where}: dataset '{spec.dataset}' does not suit a {spec.task} trace")
        if spec.card is not None and spec.card not in cards:
            problems.append(f"{where}: unknown card '{spec.card}'")
    for dataset in features:
        if dataset not in dataset_tasks:
            problems.append(f"traces.toml [features]: unknown dataset '{dataset}'")
    if len(specs) < 8:
        problems.append(f"traces.toml: {len(specs)} algorithms; invert traces at least 8")
