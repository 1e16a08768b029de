"""The child side of `invert check`: run the learner's drill script, then its declared checks.

Invoked as ``python -m invert.kinds.drills.child SPEC_JSON``. The script runs as ``python SCRIPT``
would (same __name__, sys.argv and sys.path[0]) under the guard (invert/kinds/drills/guard.py); its
errors print as a traceback of the learner's own frames. Then, with the hidden rows loaded, the
checks run on the objects the script left, and the result is written as JSON for the parent.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from invert.kinds.drills.guard import Guard
from invert.runner.child import jsonable, run_as_main


def main(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    script = Path(spec["script"]).resolve()
    result_path = Path(spec["result"])
    guard = Guard(
        lab=Path(spec["lab"]),
        scratch=Path(spec["scratch"]),
        hidden=[Path(p) for p in spec["hidden_paths"]],
        protected=[result_path, Path(spec_path)],
    )
    guard.install()
    guard.script_running = True
    # The guard's own frame (a refused write) is ours, not the learner's: leave it out.
    namespace, error = run_as_main(script, hide=("guard.py",))
    guard.script_running = False
    sys.stdout.flush()
    sys.stderr.flush()
    result: dict[str, Any] = {"error": error, "values": {}, "checks": []}
    if error is None:
        result["checks"] = _checks(spec, namespace)
        result["values"] = {n: jsonable(namespace[n]) for n in spec["variables"] if n in namespace}
    guard.protected = []
    result_path.write_text(json.dumps(result, default=str), encoding="utf-8")
    return 0


def _checks(spec: dict[str, Any], namespace: dict[str, Any]) -> list[dict[str, Any]]:
    from invert.catalog.loader import load_catalog
    from invert.kinds.drills.check import Context, run_checks
    from invert.kinds.drills.data import split_rows

    catalog = load_catalog()
    dataset = catalog.dataset(spec["dataset"])
    public, hidden = split_rows(catalog, dataset)
    task = "regression" if dataset.task == "regression" else "classification"
    ctx = Context(namespace, public, hidden, dataset.target, task)
    return [r.to_json() for r in run_checks(ctx, spec["checks"])]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
