"""The child side of a rebuild check: scikit-learn's answers first, then the learner's class.

Invoked as ``python -m invert.kinds.rebuild.child SPEC_JSON``. Phase one computes the hidden data
and
scikit-learn's answers (reference.py) as plain arrays. Then scikit-learn leaves `sys.modules`
and is blocked: a meta-path finder refuses to import it (``import``, ``importlib.import_module``
and ``__import__`` all go through it) and an audit hook refuses to execute its source by other
routes. Only then is the learner's file imported and each stage judged (judge.py). The result is
rewritten after every stage, so the stages passed before a hang or a crash still count. A stage
that fails is matched by behaviour with the exercise's known wrong files (matcher.py), to name
the misconception it shows.
"""

from __future__ import annotations

import importlib.abc
import json
import os
import sys
import traceback
import types
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from invert.kinds.drills.guard import Guard
from invert.runner.child import report_error

BLOCK_MESSAGE = "invert check: a rebuild may not use {name}; write the algorithm with NumPy"


class LibraryBlocker(importlib.abc.MetaPathFinder):
    """Refuses to import the named packages, and remembers every attempt."""

    def __init__(self, packages: tuple[str, ...]) -> None:
        self.packages = packages
        self.attempts: list[str] = []

    def blocked(self, name: str) -> bool:
        return any(name == p or name.startswith(p + ".") for p in self.packages)

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> None:
        if self.blocked(fullname):
            self.attempts.append(fullname)
            raise ImportError(BLOCK_MESSAGE.format(name=fullname), name=fullname)
        return None

    def audit(self, event: str, args: tuple[Any, ...]) -> None:
        """Refuse to run the blocked packages' code loaded some other way (exec of their files)."""
        if event == "exec" and args and isinstance(args[0], types.CodeType):
            parts = Path(args[0].co_filename).parts
            for package in self.packages:
                top = package.split(".")
                if any(list(parts[i : i + len(top)]) == top for i in range(len(parts))):
                    self.attempts.append(package)
                    raise ImportError(BLOCK_MESSAGE.format(name=package), name=package)

    def block(self, packages: tuple[str, ...]) -> None:
        """Block these packages from now on (forgetting earlier attempts); unload them."""
        self.packages = packages
        self.attempts = []
        for name in list(sys.modules):
            if self.blocked(name):
                del sys.modules[name]

    def install(self) -> None:
        self.block(self.packages)
        sys.meta_path.insert(0, self)
        sys.addaudithook(self.audit)


def load_learner(path: Path) -> tuple[types.ModuleType, dict[str, Any] | None]:
    """Import the learner's file as a module named after it; (module, error or None)."""
    sys.path.insert(0, str(path.parent))
    module = types.ModuleType(path.stem)
    module.__file__ = str(path)
    sys.modules[path.stem] = module
    try:
        exec(compile(path.read_bytes(), str(path), "exec"), module.__dict__)
    except BaseException as exc:
        return module, report_error(exc, path, hide=("guard.py", "child.py"))
    return module, None


def unload_learner(path: Path) -> None:
    """Forget a learner's file, so the next one loads afresh (dev check runs several)."""
    sys.modules.pop(path.stem, None)
    if sys.path and sys.path[0] == str(path.parent):
        del sys.path[0]


def load_known(path: Path) -> tuple[types.ModuleType, dict[str, Any] | None]:
    """Load one of invert's known wrong files for the matcher, leaving no trace in sys.path."""
    loaded = load_learner(path)
    unload_learner(path)
    return loaded


def _stage_failure(exc: BaseException, path: Path) -> str:
    """A stage that raised, in one line: where in the learner's code, and what."""
    from invert.kinds.rebuild.judge import Mismatch

    if isinstance(exc, Mismatch):
        return str(exc)
    # A stage still raising the skeleton's NotImplementedError is not written yet, not a bug of
    # the learner's: its traceback would only bury the summary.
    unwritten = isinstance(exc, NotImplementedError)
    error = report_error(exc, path, hide=("guard.py", "child.py", "judge.py"), show=not unwritten)
    where = f" at line {error['line']}" if error["line"] else ""
    inside = f" in `{error['function']}`" if error["function"] not in (None, "<module>") else ""
    if unwritten:
        return f"not written yet: NotImplementedError{inside}{where}"
    if isinstance(exc, SystemExit):
        return f"the code called sys.exit({exc.code!r}){inside}{where}"
    what = f"{error['type']}: {error['message']}".rstrip(": ")
    if error["line"] is None:  # raised outside the learner's file, e.g. in the comparison
        return f"{what} (in invert's comparison; {traceback.format_exc(limit=-1).strip()})"[:400]
    return f"{what}{inside}{where}"


def main(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    runs = spec["runs"]  # one learner file; `invert dev check` passes several
    guard = Guard(
        lab=Path(spec["lab"]),
        scratch=Path(spec["scratch"]),
        hidden=[],
        protected=[Path(run["result"]) for run in runs] + [Path(spec_path)],
    )
    guard.install()
    protected = guard.protected

    def save(result: dict[str, Any], path: Path) -> None:
        guard.protected = []
        sys.stdout.flush()
        sys.stderr.flush()
        partial = path.with_suffix(".part")
        partial.write_text(json.dumps(result, default=str), encoding="utf-8")
        os.replace(partial, path)
        guard.protected = protected

    from invert.kinds.rebuild.reference import PREPARE

    prepared = {stage["id"]: PREPARE[stage["kind"]](stage) for stage in spec["stages"]}
    blocker = LibraryBlocker(("sklearn",))
    blocker.install()

    from invert.kinds.rebuild.judge import JUDGES
    from invert.kinds.rebuild.matcher import Matcher

    matcher = Matcher(spec.get("pool", []), prepared, load_known)
    for run in runs:
        script, result_path = Path(run["script"]).resolve(), Path(run["result"])
        # A learner's file may not lean on invert's own reference code either.
        blocker.block(("sklearn",) if run["trusted"] else ("sklearn", "invert.scratch"))
        result: dict[str, Any] = {"error": None, "stages": [], "blocked": [], "finished": False}
        save(result, result_path)
        module, error = load_learner(script)
        result["error"] = error
        if error is None:
            for stage in spec["stages"]:
                shown = None
                try:
                    passed, observed = JUDGES[stage["kind"]](stage, prepared[stage["id"]], module)
                except BaseException as exc:
                    passed, observed = False, _stage_failure(exc, script)
                    shown = matcher.match(stage, exc)
                result["stages"].append(
                    {"id": stage["id"], "passed": passed, "observed": observed, "shows": shown}
                )
                result["blocked"] = sorted(set(blocker.attempts))
                save(result, result_path)
        result["blocked"] = sorted(set(blocker.attempts))
        result["finished"] = True
        save(result, result_path)
        unload_learner(script)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
