"""Run a ladder: one method from the library call down to a loop by hand, rung by rung.

Each rung is a function in the ladder's module (content/ladders/ID.py) that takes X and y and
returns the same named quantities. A rung holds when every quantity is within the rung's stated
tolerance of the rung above it.
"""

from __future__ import annotations

import importlib.util
import inspect
import time
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from invert.kinds.theory.model import Ladder, Rung


@dataclass(frozen=True)
class RungResult:
    rung: Rung
    source: str
    values: dict[str, Any]
    differences: dict[str, float]  # per quantity, against the rung above (empty for the first)
    seconds: float

    @property
    def largest(self) -> float:
        return max(self.differences.values(), default=0.0)

    @property
    def within(self) -> bool:
        return self.largest <= self.rung.tolerance


def load_module(ladder: Ladder) -> ModuleType:
    path = ladder.path.parent / f"{ladder.module}.py"
    spec = importlib.util.spec_from_file_location(f"invert_ladder_{ladder.module}", path)
    if spec is None or spec.loader is None:  # pragma: no cover - the loader checked the file
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ladder_data(ladder: Ladder) -> tuple[Any, Any]:
    from invert.kinds.theory.compare import load_arrays

    X, y = load_arrays(ladder.dataset)
    if ladder.scale:
        from sklearn.preprocessing import StandardScaler

        X = StandardScaler().fit_transform(X)
    return X, y


def run_ladder(ladder: Ladder) -> list[RungResult]:
    """Every rung in order, each compared with the one above."""
    import numpy as np
    from threadpoolctl import threadpool_limits

    from invert.engine.threads import threads_per_process

    module = load_module(ladder)
    X, y = ladder_data(ladder)
    results: list[RungResult] = []
    with threadpool_limits(limits=threads_per_process(1)):
        for rung in ladder.rungs:
            function = getattr(module, rung.function)
            started = time.perf_counter()
            values = function(X.copy(), y.copy())
            seconds = time.perf_counter() - started
            differences: dict[str, float] = {}
            if results:
                above = results[-1].values
                for name, value in values.items():
                    a = np.asarray(value, dtype=float)
                    b = np.asarray(above[name], dtype=float)
                    differences[name] = (
                        float("inf") if a.shape != b.shape else float(np.max(np.abs(a - b)))
                    )
            results.append(
                RungResult(rung, rung_source(module, function), values, differences, seconds)
            )
    return results


def rung_source(module: ModuleType, function: Any) -> str:
    """The rung's code, followed by the module's helpers and constants it uses."""
    import re

    source = inspect.getsource(function)
    used = set(re.findall(r"\b([A-Za-z_]\w*)\b", source))
    extras = []
    for name, value in vars(module).items():
        if name not in used or name == function.__name__:
            continue
        if inspect.isfunction(value) and value.__module__ == module.__name__:
            extras.append(inspect.getsource(value))
        elif name.isupper() and isinstance(value, int | float | str | list | tuple):
            extras.append(f"{name} = {value!r}\n")
    return "\n".join([source, *extras])


def ladder_problems(ladder: Ladder) -> list[str]:
    """What `invert dev check` reports: rungs that do not reproduce the rung above."""
    problems = []
    for result in run_ladder(ladder):
        if not result.within:
            worst = max(result.differences, key=lambda k: result.differences[k])
            problems.append(
                f"ladders/{ladder.id}.toml rung {result.rung.title!r}: {worst} differs by "
                f"{result.largest:.3g} from the rung above (tolerance {result.rung.tolerance:g})"
            )
    return problems
