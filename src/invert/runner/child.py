"""The child side of run_script: run one script as __main__, then report chosen globals as JSON.

Invoked as ``python child.py RESULT_JSON SCRIPT [NAME ...]`` (by path, so that the invert
package is not imported). The script runs exactly as ``python SCRIPT`` would: same __name__,
sys.argv and sys.path[0]; the parent caps BLAS threads through the environment. Tracebacks show
the learner's own frames only.
"""

from __future__ import annotations

import json
import math
import runpy
import sys
import traceback
from pathlib import Path
from typing import Any

PREVIEW = 50  # how many items of an array-like to report


def jsonable(value: Any) -> Any:
    """A JSON-friendly summary of a script's variable: numbers, strings, short lists."""
    if hasattr(value, "item") and getattr(value, "ndim", None) == 0:
        value = value.item()
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if hasattr(value, "tolist"):
        items = value.tolist()
        size = len(items) if isinstance(items, list) else 1
        return {
            "length": size,
            "head": jsonable(items[:PREVIEW] if isinstance(items, list) else items),
        }
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value[:PREVIEW]]
    return repr(value)[:200]


def _error_report(exc: BaseException, script: Path) -> dict[str, Any]:
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename).resolve() == script:
            line = frame.lineno
    return {
        "type": type(exc).__name__,
        "message": str(exc).splitlines()[0] if str(exc) else "",
        "line": line,
    }


def main(argv: list[str]) -> int:
    result_path, script_arg, *names = argv
    script = Path(script_arg).resolve()
    sys.argv = [script_arg]
    sys.path[0] = str(script.parent)
    result: dict[str, Any] = {"error": None, "values": {}}
    try:
        namespace = runpy.run_path(str(script), run_name="__main__")
    except SystemExit as exc:
        if exc.code not in (None, 0):
            result["error"] = {"type": "SystemExit", "message": str(exc.code), "line": None}
        namespace = {}
    except BaseException as exc:
        # Show the learner their own frames only: drop runpy's and ours from the traceback.
        tb = exc.__traceback__
        while tb is not None and Path(tb.tb_frame.f_code.co_filename).resolve() != script:
            tb = tb.tb_next
        traceback.print_exception(type(exc), exc, tb or exc.__traceback__)
        result["error"] = _error_report(exc, script)
        namespace = {}
    sys.stdout.flush()
    result["values"] = {name: jsonable(namespace[name]) for name in names if name in namespace}
    Path(result_path).write_text(json.dumps(result), encoding="utf-8")
    return 1 if result["error"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
