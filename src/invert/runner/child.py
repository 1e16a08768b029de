"""The child side of run_script: run one script as __main__, then report chosen globals as JSON.

Invoked as ``python child.py RESULT_JSON SCRIPT [NAME ...]`` (by path, so that the invert
package is not imported). The script runs exactly as ``python SCRIPT`` would: same __name__,
sys.argv and sys.path[0]; the parent caps BLAS threads through the environment. Tracebacks show
the learner's own frames only.
"""

from __future__ import annotations

import json
import math
import os
import sys
import traceback
import types
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


def enter_as_main(script: Path, argv0: str | None = None) -> None:
    """Set sys.argv and sys.path[0] as ``python script`` would (argv0: the path as typed)."""
    sys.argv = [argv0 or str(script)]
    sys.path[0] = str(script.parent)


def run_as_main(
    script: Path,
    hide: tuple[str, ...] = (),
    passthrough: tuple[type[BaseException], ...] = (),
    argv0: str | None = None,
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """(globals, error) of running `script` as ``python script`` would, as module __main__.

    An exception prints as a traceback of the learner's own frames (Python's and ours before
    their first frame dropped, and frames from files named in `hide`); a syntax error prints its
    file, line and caret. The globals survive an error or sys.exit(), so a caller can say what
    is there. Exceptions of the `passthrough` types (a tracer's stop) are raised on.
    """
    enter_as_main(script, argv0)
    module = types.ModuleType("__main__")
    module.__file__ = str(script)
    sys.modules["__main__"] = module
    try:
        exec(compile(script.read_bytes(), str(script), "exec"), module.__dict__)
    except passthrough:
        raise
    except SystemExit as exc:
        if exc.code not in (None, 0):
            return module.__dict__, {"type": "SystemExit", "message": str(exc.code), "line": None}
    except BaseException as exc:
        error = report_error(exc, script, hide)
        del error["function"]
        return module.__dict__, error
    return module.__dict__, None


_DESTRUCTIVE = {
    # audit event: positions of its path arguments
    "os.remove": (0,),
    "os.rmdir": (0,),
    "os.rename": (0, 1),
    "os.truncate": (0,),
    "os.chmod": (0,),
    "os.link": (1,),
    "os.symlink": (1,),
    "shutil.rmtree": (0,),
    "shutil.move": (0, 1),
}


def protect(folder: str) -> None:
    """Refuse, as a PermissionError in the learner's traceback, anything that would change
    `folder` (the lab's journal): writing, deleting or renaming in it, deleting or moving a
    folder that holds it, or opening it with sqlite3.

    An accident guard (PEP 578 audit hook), not a sandbox: a script set on harm can still reach
    the operating system some other way.
    """
    import os

    root = os.path.realpath(folder)
    writes = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC

    def real(path: Any) -> str | None:
        if isinstance(path, int):
            return None
        try:
            return os.path.realpath(os.fsdecode(path))
        except (TypeError, ValueError, OSError):
            return None

    def inside(path: str, parent: str) -> bool:
        return path == parent or path.startswith(parent.rstrip(os.sep) + os.sep)

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == "open" and args:
            path, mode, flags = [*args, None, None][:3]
            writing = (isinstance(flags, int) and flags & writes) or (
                isinstance(mode, str) and any(c in mode for c in "wax+")
            )
            where = real(path)
            if writing and where is not None and inside(where, root):
                raise PermissionError(f"invert: a script may not write to the journal ({where})")
        elif event in _DESTRUCTIVE:
            for position in _DESTRUCTIVE[event]:
                where = real(args[position]) if position < len(args) else None
                if where is not None and (inside(where, root) or inside(root, where)):
                    raise PermissionError(
                        f"invert: a script may not delete or move the lab's journal ({where})"
                    )
        elif event == "sqlite3.connect" and args:
            where = real(args[0])
            if where is not None and inside(where, root):
                raise PermissionError("invert: a script may not open the lab's journal")

    sys.addaudithook(hook)


def report_error(
    exc: BaseException, script: Path, hide: tuple[str, ...] = (), show: bool = True
) -> dict[str, Any]:
    """Print `exc` as a traceback of the learner's own frames; return its type, message, line.

    Frames before the first one in `script` are dropped (Python's and ours), as are frames from
    files named in `hide`; a syntax error prints its file, line and caret. With `show` False
    nothing is printed.
    """
    tb = exc.__traceback__
    while tb is not None and Path(tb.tb_frame.f_code.co_filename).resolve() != script:
        tb = tb.tb_next
    if isinstance(exc, SyntaxError):
        tb = None  # Python prints the file, line and caret itself
    report = traceback.TracebackException(type(exc), exc, tb)
    report.stack = traceback.StackSummary.from_list(
        [f for f in report.stack if Path(f.filename).name not in hide]
    )
    if show:
        print("".join(report.format()), end="", file=sys.stderr)
    line = exc.lineno if isinstance(exc, SyntaxError) else None
    function = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename).resolve() == script:
            line, function = frame.lineno, frame.name
    message = str(exc).splitlines()[0] if str(exc) else ""
    name = type(exc).__name__
    return {"type": name, "message": message[:300], "line": line, "function": function}


def main(argv: list[str]) -> int:
    result_path, script_arg, *names = argv
    script = Path(script_arg).resolve()
    if os.environ.get("INVERT_JOURNAL"):
        protect(os.environ.pop("INVERT_JOURNAL"))
    namespace, error = run_as_main(script, argv0=script_arg)
    sys.stdout.flush()
    sys.stderr.flush()
    values = (
        {} if error else {name: jsonable(namespace[name]) for name in names if name in namespace}
    )
    Path(result_path).write_text(json.dumps({"error": error, "values": values}), encoding="utf-8")
    return 1 if error else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
