"""The child side of a trace: record one algorithm or script, write the trace as JSON.

Invoked as ``python -m invert.kinds.traces.child REQUEST_JSON RESULT_JSON``. A learner's script
runs as
``python SCRIPT`` would (module __main__, its folder first on sys.path); what it prints is kept
with the steps instead of reaching the terminal, where the viewer will be.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

from invert.kinds.traces.recorder import Recorder, TraceStopped
from invert.kinds.traces.steps import Trace


class _Printed(io.TextIOBase):
    """sys.stdout for the traced program: hands every write to the recorder."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder
        self.parts: list[str] = []

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.recorder.printed(text)
        self.parts.append(text)
        return len(text)


def record_algorithm(request: dict[str, Any]) -> Trace:
    from invert.catalog.loader import load_catalog
    from invert.kinds.traces.algorithms import prepare

    catalog = load_catalog()
    spec = catalog.trace(request["algorithm"])
    prepared = prepare(catalog, spec, request.get("dataset"))
    recorder = _recorder([prepared.source], request)
    recorder.run(prepared.calls)  # BLAS threads are set by the parent (run_process)
    subject = {
        "kind": "algorithm",
        "id": spec.id,
        "dataset": prepared.dataset,
        "rows": len(prepared.X),
        "features": prepared.features,
        "target": prepared.target,
        "estimator": repr(prepared.estimator),
        "calls": ["fit", *([prepared.method] if prepared.method else [])],
        "card": spec.card,
    }
    title = f"{spec.title} · {prepared.description}"
    return recorder.trace(title, subject, guide=spec.look.strip())


def record_script(request: dict[str, Any]) -> Trace:
    from invert.runner.child import run_as_main

    script = Path(request["script"]).resolve()
    recorder = _recorder([script], request)
    printed = _Printed(recorder)
    stdout, sys.stdout = sys.stdout, printed
    try:
        _, error = recorder.run(run_as_main, script, (), (TraceStopped,)) or ({}, None)
    finally:
        sys.stdout = stdout
    subject = {"kind": "script", "path": request["display"]}
    trace = recorder.trace(request["display"], subject)
    trace.error = error
    trace.output = "".join(printed.parts)
    return trace


def _recorder(files: list[Path], request: dict[str, Any]) -> Recorder:
    return Recorder(
        files,
        max_steps=request["max_steps"],
        full_iterations=request["full_iterations"],
        time_limit=request["time_limit"],
    )


def main(argv: list[str]) -> int:
    request_path, result_path = argv
    request = json.loads(Path(request_path).read_text(encoding="utf-8"))
    trace = record_algorithm(request) if "algorithm" in request else record_script(request)
    trace.save(Path(result_path))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
