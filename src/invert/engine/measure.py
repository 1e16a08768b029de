"""Measure a sweep without repeating work: points measured before (by any sweep with the same
model, data and settings) come from the lab's cache; only the values never measured are fitted.

The one place a sweep is measured, in the warm engine's child (invert/engine/server.py) or in the
command's own process (engine off, or Dask): both store the sweep and its points.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from invert.catalog.models import Catalog
from invert.engine.cache import ResultCache
from invert.engine.metrics import greater_is_better
from invert.engine.plan import SweepPlan, point_keys
from invert.engine.result import Point, SweepResult
from invert.engine.versions import library_versions

OnPoint = Callable[[int, Point], None]  # (value index, a point already measured)


def measure(
    catalog: Catalog,
    plan: SweepPlan,
    key: str,
    cache: ResultCache,
    *,
    jobs: int | None = None,
    backend: str = "loky",
    scheduler: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    budget: float | None = None,
    memory_limit: int | None = None,
    on_outcome: Callable[[int, dict[str, Any]], None] | None = None,
    on_point: OnPoint | None = None,
    before_storing: Callable[[SweepResult], None] | None = None,
) -> tuple[SweepResult, list[str]]:
    """The result of `plan` (stored under `key` and point by point) and the warnings seen.

    `before_storing(result)` runs before the result is stored (the engine draws the charts
    there: whoever finds a stored result finds its charts)."""
    from invert.engine.sweep import run_sweep

    keys = point_keys(catalog, plan)
    known: dict[int, Point] = {}
    for index, point_key in enumerate(keys):
        point = cache.point(point_key)
        if point is not None:
            known[index] = point
            if on_point is not None:
                on_point(index, point)
    missing = [i for i in range(len(plan.values)) if i not in known]
    warnings: list[str] = []
    measured: dict[int, Point] = {}
    ran: SweepResult | None = None
    if missing:
        part = replace(plan, values=tuple(plan.values[i] for i in missing))

        def heard(index: int, outcome: dict[str, Any]) -> None:
            if on_outcome is not None:
                on_outcome(missing[index], outcome)

        ran, warnings = run_sweep(
            catalog, part, key, jobs, backend, scheduler, on_progress, budget, memory_limit,
            heard,
        )  # fmt: skip
        measured = dict(zip(missing, ran.points, strict=True))
    experiment = plan.experiment
    how = ran.backend if ran is not None else "no fit"
    if known:
        how += f"; {len(known)} of {len(plan.values)} points measured by earlier sweeps"
    result = SweepResult(
        experiment=experiment.id,
        knob=experiment.knob.label,
        metric=experiment.evaluation.metric,
        greater_is_better=greater_is_better(experiment.evaluation.metric),
        points=[known.get(i) or measured[i] for i in range(len(plan.values))],
        settings=dict(plan.settings),
        cache_key=key,
        versions=library_versions(),
        wall_seconds=ran.wall_seconds if ran is not None else 0.0,
        jobs=ran.jobs if ran is not None else 1,
        backend=how,
    )
    if before_storing is not None:
        before_storing(result)
    cache.put(result)
    cache.put_points([keys[i] for i in missing], [measured[i] for i in missing])
    return result, warnings
