"""The lab's warm engine as the CLI and the web app see it: `lab.engine`.

`lab.engine.sweep(...)` and `lab.engine.run_script(...)` hand work to the lab's engine process
(invert/engine/server.py), starting it when none runs, and stream back what it sends. The
command's own process stays light: it imports none of the numerical libraries.

An engine that is gone (killed, crashed) or wedged (no answer in time) is replaced and the
request sent again; one built from another version of invert, or from other content, answers
`stale` and steps down, and the request goes to a fresh one. Nothing the learner asked for is
lost: a sweep is the same sweep wherever it runs, and the journal is written by the command, never
by the engine.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invert.engine.address import Address, engine_enabled
from invert.engine.link import ATTEMPTS, EngineGone, Link, raise_from, receive
from invert.errors import LearnerError
from invert.kinds.part import Part

if TYPE_CHECKING:
    from invert.engine.plan import SweepPlan
    from invert.engine.result import Point, SweepResult
    from invert.runner.process import ScriptRun


class Engine(Part):
    """The lab's warm engine: hand it sweeps and scripts."""

    @property
    def enabled(self) -> bool:
        return engine_enabled()

    @property
    def link(self) -> Link:
        return Link(self.root)

    @property
    def address(self) -> Address:
        return self.link.address

    # --- the work ---------------------------------------------------------------------------

    def sweep(
        self,
        plan: SweepPlan,
        key: str,
        *,
        jobs: int | None = None,
        budget: float | None = None,
        memory_limit: int | None = None,
        charts: dict[str, Any] | None = None,
        on_outcome: Callable[[int, dict[str, Any]], None] | None = None,
        on_point: Callable[[int, Point], None] | None = None,
    ) -> tuple[SweepResult, list[str], str | None]:
        """Run (or join) the sweep of `plan` in the engine; each fit's outcome is passed to
        `on_outcome` as it finishes, and each point measured by an earlier sweep to `on_point`
        at once. The engine stores the result in the lab's cache and, given `charts` ({png,
        html, title, log, script}), draws them before it answers. Returns the result, the
        warnings seen, and why the charts could not be written (None when they could)."""
        from invert.engine.result import Point, SweepResult

        body = {"plan": plan, "key": key, "jobs": jobs, "budget": budget,
                "memory_limit": memory_limit, "charts": charts}  # fmt: skip
        heard = 0  # outcomes passed on: a replacement engine's first ones are not passed twice
        for attempt in range(ATTEMPTS):
            try:
                conn, _ = self.link.ask("sweep", body)
                with conn:
                    seen = 0
                    while True:
                        kind, payload = receive(conn)
                        if kind == "point":
                            if on_point is not None and heard == 0:  # not again on a retry
                                on_point(payload[0], Point(**payload[1]))
                        elif kind == "outcome":
                            seen += 1
                            if seen > heard:
                                heard = seen
                                if on_outcome is not None:
                                    on_outcome(*payload)
                        elif kind == "done":
                            result = SweepResult.from_json(payload["result"])
                            problem = payload.get("charts_error")
                            return result, list(payload["warnings"]), problem
                        elif kind == "error":
                            raise_from(payload)
            except EngineGone:
                if attempt == ATTEMPTS - 1:
                    raise LearnerError(
                        "invert's engine stopped three times during this sweep; see "
                        f"{self.address.log}, or run with INVERT_ENGINE=0"
                    ) from None
        raise AssertionError("unreachable")

    def prepare(
        self, plan: SweepPlan, key: str, charts: dict[str, Any] | None = None
    ) -> threading.Thread:
        """Start the sweep of `plan` in the background and hear nothing of it: it lands in the
        lab's cache (its charts drawn), or is joined by the `sweep` asked for once the learner
        has predicted."""
        body = {"plan": plan, "key": key, "jobs": None, "charts": charts}

        def send() -> None:
            with contextlib.suppress(EngineGone, OSError, LearnerError):
                conn, _ = self.link.ask("prepare", body)
                conn.close()

        thread = threading.Thread(target=send, name="invert-prepare", daemon=True)
        thread.start()
        return thread

    def run_script(
        self,
        script: Path,
        variables: list[str],
        *,
        cwd: Path,
        timeout: float = 600.0,
        on_output: Callable[[str], None] | None = None,
        journal: Path | None = None,
    ) -> ScriptRun:
        """Run `script` as ``python script`` would, in a child of the engine (its own process
        group, the lab's journal guarded as runner.process.run_script guards it)."""
        from invert.runner.process import MAX_OUTPUT_CHARS, ScriptRun

        body = {
            "script": str(script),
            "variables": list(variables),
            "cwd": str(cwd),
            "timeout": timeout,
            "journal": str(journal) if journal is not None else None,
            "env": {**os.environ, "PYTHONUNBUFFERED": "1"},
        }
        for attempt in range(ATTEMPTS):
            chunks: list[str] = []
            kept = 0
            partial = ""
            start = time.perf_counter()
            try:
                conn, _ = self.link.ask("run", body)
                with conn:
                    while True:
                        kind, payload = receive(conn)
                        if kind == "output":
                            if kept < MAX_OUTPUT_CHARS:
                                chunks.append(payload)
                                kept += len(payload)
                            if on_output is not None:
                                lines = (partial + payload).split("\n")
                                partial = lines.pop()
                                for line in lines:
                                    on_output(line + "\n")
                        elif kind == "done":
                            if partial and on_output is not None:
                                on_output(partial)
                            return ScriptRun(
                                script=script,
                                exit_code=payload["exit_code"],
                                output="".join(chunks)[:MAX_OUTPUT_CHARS],
                                wall_seconds=time.perf_counter() - start,
                                values=payload["values"],
                                error=payload["error"],
                                timed_out=payload["timed_out"],
                                output_truncated=payload["dropped"] > 0 or kept > MAX_OUTPUT_CHARS,
                            )
                        elif kind == "error":
                            raise_from(payload)
            except EngineGone:
                if attempt == ATTEMPTS - 1:
                    raise LearnerError(
                        f"invert's engine stopped three times while running {script.name}; see "
                        f"{self.address.log}, or run with INVERT_ENGINE=0"
                    ) from None
                if on_output is not None:
                    on_output("[invert's engine stopped; running the script again]\n")
        raise AssertionError("unreachable")

    def ping(self) -> dict[str, Any]:
        """The engine's pid and build (starting one if none runs)."""
        conn, answer = self.link.ask("ping", {})
        conn.close()
        return dict(answer)

    def stop(self) -> bool:
        """End the lab's engine if one runs; whether one did."""
        pid = self.address.read_info().get("pid")
        if not isinstance(pid, int):
            return False
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGTERM)
            return True
        return False
