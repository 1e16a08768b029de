"""Name the mistake a learner's failing stage shows, by its behaviour.

Runs in the check's child, after scikit-learn is blocked. When a stage fails on a case, the
known wrong files of the exercise (its corpus's pool, `catalog.toml`'s [[exercise.wrong]]) that
fail that stage are judged on the same case. The learner's file shows a wrong file's
misconception when, on that case, it gives the same outputs (within `match_atol`), or, failing
that, when the judge's diagnosis of the two differences is the same (a `signature` such as
"the predictions differ only on tied votes"). The file's name and text play no part.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from invert.kinds.rebuild.judge import JUDGES, Mismatch
from invert.kinds.rebuild.reference import Data

Loader = Callable[[Path], tuple[types.ModuleType, dict[str, Any] | None]]


def same_outputs(mine: dict[str, Any], theirs: dict[str, Any], atol: float, rtol: float) -> bool:
    """Every output both gave is the same, within the tolerance (and there is at least one)."""
    import numpy as np  # the child process has it loaded already

    shared = set(mine) & set(theirs)
    if not shared:
        return False
    for name in shared:
        a, b = np.asarray(mine[name]), np.asarray(theirs[name])
        if a.shape != b.shape:
            return False
        if a.dtype.kind in "fc" or b.dtype.kind in "fc":
            try:
                if not np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True):
                    return False
            except TypeError:
                return False
        elif not np.array_equal(a, b):
            return False
    return True


class Matcher:
    """The known wrong files of one exercise, judged lazily and remembered per (stage, case)."""

    def __init__(
        self, pool: list[dict[str, Any]], prepared: dict[str, list[Data]], load: Loader
    ) -> None:
        self.pool = pool  # each: script, misconception, message, fails
        self.prepared = prepared
        self.load = load
        self.modules: dict[str, types.ModuleType | None] = {}
        self.found: dict[tuple[str, str, int], Mismatch | None] = {}

    def _module(self, script: str) -> types.ModuleType | None:
        if script not in self.modules:
            module, error = self.load(Path(script))
            self.modules[script] = module if error is None else None
        return self.modules[script]

    def _judged(self, entry: dict[str, Any], stage: dict[str, Any], case: int) -> Mismatch | None:
        """How a known wrong file fails this stage on this case (None: it passes or crashes)."""
        key = (entry["script"], stage["id"], case)
        if key not in self.found:
            module = self._module(entry["script"])
            outcome = None
            if module is not None:
                try:
                    JUDGES[stage["kind"]](stage, [self.prepared[stage["id"]][case]], module)
                except Mismatch as exc:
                    outcome = exc
                except Exception:  # a wrong file that crashes here shows nothing to compare
                    outcome = None
            self.found[key] = outcome
        return self.found[key]

    def match(self, stage: dict[str, Any], failure: BaseException) -> dict[str, str] | None:
        """The misconception (id and message) whose wrong file fails like `failure`, or None."""
        if not isinstance(failure, Mismatch) or failure.case is None:
            return None
        candidates = [e for e in self.pool if stage["id"] in e["fails"]]
        atol = float(stage.get("match_atol", 1e-9))
        rtol = float(stage.get("match_rtol", 1e-6))
        judged = [(e, self._judged(e, stage, failure.case)) for e in candidates]
        for entry, theirs in judged:
            if theirs is not None and failure.outputs and theirs.outputs:
                if same_outputs(failure.outputs, theirs.outputs, atol, rtol):
                    return {"id": entry["misconception"], "message": entry["message"]}
        for entry, theirs in judged:
            if theirs is not None and failure.signature and failure.signature == theirs.signature:
                return {"id": entry["misconception"], "message": entry["message"]}
        return None
