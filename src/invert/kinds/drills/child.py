"""The child side of `invert check`: run the learner's drill script, then its declared checks.

Invoked as ``python -m invert.kinds.drills.child SPEC_JSON``. The script runs as ``python SCRIPT``
would (same __name__, sys.argv and sys.path[0]) under the guard (invert/kinds/drills/guard.py); its
errors print as a traceback of the learner's own frames. Then, with the hidden rows loaded, the
checks run on the objects the script left, and the result is written as JSON for the parent.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invert.kinds.drills.guard import Guard
from invert.runner.child import jsonable, run_as_main

if TYPE_CHECKING:
    import pandas as pd

    from invert.kinds.drills.check import Rerun


def main(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    # One script (`invert check`), or several in turn (`invert dev check` proving a corpus:
    # one process, so Python and its libraries are loaded once).
    runs = spec.get("runs") or [{"script": spec["script"], "result": spec["result"]}]
    guard = Guard(
        lab=Path(spec["lab"]),
        scratch=Path(spec["scratch"]),
        hidden=[Path(p) for p in spec["hidden_paths"]],
        protected=[Path(spec_path), *(Path(r["result"]) for r in runs)],
    )
    guard.install()
    for run in runs:
        started = time.perf_counter()
        result = _one(spec, guard, Path(run["script"]).resolve())
        result["seconds"] = time.perf_counter() - started
        guard.protected.remove(os.path.realpath(run["result"]))
        Path(run["result"]).write_text(json.dumps(result, default=str), encoding="utf-8")
        if len(runs) > 1:
            print(SEPARATOR, flush=True)
    return 0


SEPARATOR = "\u241e invert: next script"  # between the outputs of several scripts


def _one(spec: dict[str, Any], guard: Guard, script: Path) -> dict[str, Any]:
    """Run one script under the guard, then its checks; the result for the parent."""
    _unseed()  # as in a fresh process: a script before it may have seeded the generators
    guard.script_running = True
    # The guard's own frame (a refused write) is ours, not the learner's: leave it out.
    namespace, error = run_as_main(script, hide=("guard.py",))
    guard.script_running = False
    sys.stdout.flush()
    sys.stderr.flush()
    result: dict[str, Any] = {"error": error, "values": {}, "checks": []}
    if error is None:
        result["checks"] = _checks(spec, namespace, _rerunner(spec, guard, script))
        result["values"] = {n: jsonable(namespace[n]) for n in spec["variables"] if n in namespace}
    return result


def _checks(spec: dict[str, Any], namespace: dict[str, Any], rerun: Rerun) -> list[dict[str, Any]]:
    from invert.kinds.drills.check import Context
    from invert.kinds.drills.checks import run_checks

    public, hidden, target, task = _rows(spec)
    ctx = Context(
        namespace, public, hidden, target, task, positive=spec.get("positive"), rerun=rerun
    )
    return [r.to_json() for r in run_checks(ctx, spec["checks"])]


def _rows(spec: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame, str, str]:
    """(public, hidden, target, task) of the drill's dataset, read once per process."""
    return _read_rows(json.dumps(spec["rows"], sort_keys=True))


@functools.cache
def _read_rows(rows: str) -> tuple[pd.DataFrame, pd.DataFrame, str, str]:
    from invert.catalog.dataset import Dataset
    from invert.datasets import read_dataset
    from invert.kinds.drills.data import split_frame

    given = json.loads(rows)
    fields = given["dataset"] | {"na_values": tuple(given["dataset"]["na_values"])}
    dataset = Dataset(**fields)
    frame = read_dataset(dataset, Path(given["file"]) if given["file"] else None)
    public, hidden = split_frame(frame, dataset)
    task = "regression" if dataset.task == "regression" else "classification"
    return public, hidden, dataset.target, task


def _rerunner(spec: dict[str, Any], guard: Guard, script: Path) -> Rerun:
    """Run the script again, quietly, with `rows` as its data file: a copy of it, beside a
    `data/` folder of its own, in the run's scratch folder (which is also the working folder, so
    `Path(__file__).parent / "data"` and `drills/data/...` both find the rows). Every rerun starts
    from the same seeds, so two reruns differ only by what they were given."""

    def rerun(rows: pd.DataFrame) -> tuple[dict[str, Any], str | None]:
        import contextlib
        import io
        import os
        import shutil

        root = Path(spec["scratch"]) / "rerun"
        copy = root / script.parent.name / script.name
        data = copy.parent / "data" / f"{spec['dataset']}.csv"
        data.parent.mkdir(parents=True, exist_ok=True)
        rows.to_csv(data, index=False)
        shutil.copyfile(script, copy)
        _seed()
        here = os.getcwd()
        os.chdir(root)
        guard.script_running = True
        quiet = io.StringIO()
        try:
            with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
                namespace, error = run_as_main(copy, hide=("guard.py",))
        finally:
            guard.script_running = False
            os.chdir(here)
        return namespace, (f"{error['type']}: {error['message']}" if error else None)

    return rerun


def _unseed() -> None:
    """Fresh draws from the operating system for the generators a script may use unseeded."""
    import random

    random.seed()
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed()
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.seed()


def _seed() -> None:
    """The same draws for every rerun from the generators a script may use without a seed."""
    import random

    import numpy as np

    random.seed(0)
    np.random.seed(0)
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.manual_seed(0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
