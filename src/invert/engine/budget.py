"""What a sweep will cost, told before it starts: fits, seconds and memory against a budget.

Each experiment states in its manifest how long one fit of its default sweep takes on one core
(`[cost] fit_seconds`, measured by `invert dev costs`) and which knobs and settings the time grows
with in proportion (`grows_with`, e.g. the number of trees). The estimate scales that figure by
the values the learner asked for, multiplies by the splits, and divides by the workers. Memory is
the loaded data times the copies a sweep makes of it (the encoded features, a train and a test
split, and one of each per worker).

The estimates are meant to be right within a small factor (tests/test_experiments.py holds the
stated costs to their default sweeps), enough to stop a 40-value sweep of 2,000 boosted trees
before it ties up the learner's machine for an hour.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Any

from invert.engine.plan import SweepPlan
from invert.errors import LearnerError
from invert.kinds.experiments.model import Experiment

TIME_BUDGET = 300.0  # seconds a sweep may take unless the learner allows more (--budget)
MEMORY_SHARE = 0.5  # of the machine's memory a sweep may use
MEMORY_CAP = 4 * 2**30  # and never more than this
COPIES = 10  # copies of the raw data a sweep holds at its peak, per process (one-hot included)


@dataclass(frozen=True)
class Estimate:
    fits: int
    seconds: float  # wall-clock, with the workers it will use
    memory: int  # bytes at the peak
    workers: int
    time_budget: float
    memory_budget: int

    @property
    def over(self) -> str | None:
        """Why the sweep would break its budget, in one line; None if it fits."""
        if self.memory > self.memory_budget:
            return (
                f"this sweep would need about {_bytes(self.memory)} of memory, over the "
                f"{_bytes(self.memory_budget)} budget; sweep fewer values at once or lower "
                "data.train_fraction"
            )
        if self.seconds > self.time_budget:
            return (
                f"this sweep would take about {_duration(self.seconds)} ({self.fits} fits on "
                f"{self.workers} {'core' if self.workers == 1 else 'cores'}), over the "
                f"{_duration(self.time_budget)} budget; sweep fewer or smaller values, or allow "
                f"it with --budget {math.ceil(self.seconds * 1.5)}"
            )
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "fits": self.fits,
            "seconds": round(self.seconds, 1),
            "memory_bytes": self.memory,
            "workers": self.workers,
            "time_budget": self.time_budget,
            "memory_budget": self.memory_budget,
            "over": self.over,
        }


def memory_budget() -> int:
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # no sysconf (Windows): assume 8 GiB
        total = 8 * 2**30
    return int(min(MEMORY_CAP, total * MEMORY_SHARE))


def fit_seconds(experiment: Experiment, settings: dict[str, Any], value: Any) -> float:
    """One fit's seconds at knob `value` with `settings`, from the experiment's stated cost."""
    cost = experiment.cost
    seconds = cost.fit_seconds
    knob = experiment.knob
    for target in cost.grows_with:
        if target == knob.target and knob.kind != "choice":
            reference = sum(float(v) for v in knob.values) / len(knob.values)
            seconds *= float(value) / reference if reference else 1.0
        elif target in experiment.settings:
            default = experiment.settings[target].default
            current = settings.get(target, default)
            if isinstance(default, int | float) and default and current is not None:
                seconds *= float(current) / float(default)
    return seconds


def estimate(
    plan: SweepPlan,
    data_bytes: int,
    workers: int,
    time_budget: float | None = None,
    memory_limit: int | None = None,
) -> Estimate:
    experiment = plan.experiment
    splits = experiment.evaluation.splits
    fits = len(plan.values) * splits
    one_core = sum(fit_seconds(experiment, plan.settings, v) * splits for v in plan.values)
    workers = max(1, min(workers, fits))
    return Estimate(
        fits=fits,
        seconds=one_core / workers,
        memory=data_bytes * COPIES * (workers + 1),
        workers=workers,
        time_budget=TIME_BUDGET if time_budget is None else time_budget,
        memory_budget=memory_budget() if memory_limit is None else memory_limit,
    )


def check_budget(budget: float | None) -> float | None:
    if budget is not None and not 1 <= budget <= 7 * 24 * 3600:
        raise LearnerError("--budget is in seconds, from 1 to 604800 (a week)")
    return budget


def _duration(seconds: float) -> str:
    """
    >>> _duration(42), _duration(300), _duration(5400)
    ('42 s', '5 min', '1.5 h')
    """
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _bytes(count: int) -> str:
    """
    >>> _bytes(700 * 2**10), _bytes(3 * 2**20), _bytes(5 * 2**30)
    ('700 KiB', '3 MiB', '5.0 GiB')
    """
    if count < 2**20:
        return f"{count / 2**10:.0f} KiB"
    if count < 2**30:
        return f"{count / 2**20:.0f} MiB"
    return f"{count / 2**30:.1f} GiB"
