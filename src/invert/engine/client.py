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
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invert.engine.address import Address, engine_enabled, fingerprint
from invert.errors import LearnerError
from invert.kinds.part import Part

if TYPE_CHECKING:
    from invert.engine.plan import SweepPlan
    from invert.engine.result import SweepResult
    from invert.runner.process import ScriptRun

ATTEMPTS = 3  # engines started for one request before giving up on it
START_SECONDS = 120.0  # for a new engine to import its libraries and answer (a busy machine)
ANSWER_SECONDS = 10.0  # for a running, ready engine to acknowledge a request


class EngineGone(Exception):
    """The engine went away or stopped answering: replace it and send the request again."""


class Engine(Part):
    """The lab's warm engine: hand it sweeps and scripts."""

    _build: str | None = None

    @property
    def enabled(self) -> bool:
        return engine_enabled()

    @property
    def address(self) -> Address:
        return Address.of(self.root)

    def build(self) -> str:
        if Engine._build is None:
            Engine._build = fingerprint()
        return Engine._build

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
    ) -> tuple[SweepResult, list[str], str | None]:
        """Run (or join) the sweep of `plan` in the engine; each fit's outcome is passed to
        `on_outcome` as it finishes. The engine stores the result in the lab's cache and, given
        `charts` ({png, html, title, log, script}), draws them: the HTML before it answers, the
        PNG just after. Returns the result, the warnings seen, and why the charts could not be
        written (None when they could)."""
        from invert.engine.result import SweepResult

        body = {"plan": plan, "key": key, "jobs": jobs, "budget": budget,
                "memory_limit": memory_limit, "charts": charts}  # fmt: skip
        heard = 0  # outcomes passed on: a replacement engine's first ones are not passed twice
        for attempt in range(ATTEMPTS):
            try:
                conn, _ = self._ask("sweep", body)
                with conn:
                    seen = 0
                    while True:
                        kind, payload = _receive(conn)
                        if kind == "outcome":
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
                            _raise(payload)
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
                conn, _ = self._ask("prepare", body)
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
                conn, _ = self._ask("run", body)
                with conn:
                    while True:
                        kind, payload = _receive(conn, timeout + 30)
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
                            _raise(payload)
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
        conn, answer = self._ask("ping", {})
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

    # --- talking to the engine -----------------------------------------------------------------

    def _ask(self, op: str, body: dict[str, Any]) -> tuple[Connection, Any]:
        """A connection on which the engine accepted `op`, and its first answer (a ping's is
        the engine's pid and build)."""
        request = (op, {**body, "version": self.build()})
        for _ in range(ATTEMPTS):
            conn, started = self._connect()
            info = self.address.read_info()
            wait = START_SECONDS if started or not info.get("ready") else ANSWER_SECONDS
            try:
                conn.send(request)
                if not conn.poll(wait):
                    raise TimeoutError
                kind, payload = conn.recv()
            except TimeoutError:
                conn.close()
                self._replace(info)  # wedged: it accepted but never answered
                continue
            except (EOFError, OSError):
                conn.close()
                continue  # it went away as we spoke: connect again (maybe a new one)
            if kind == "stale":
                conn.close()
                self._wait_stepped_down()
                continue
            if kind in ("accepted", "pong"):
                return conn, payload
            conn.close()
            _raise(payload)
        raise EngineGone

    def _connect(self) -> tuple[Connection, bool]:
        """A connection to the lab's engine, and whether this call started it."""
        with contextlib.suppress(OSError):
            return _dial(self.address.socket), False
        import fcntl

        self.address.lock.touch(exist_ok=True)
        with open(self.address.lock, "rb") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one terminal starts it; the other waits
            with contextlib.suppress(OSError):
                return _dial(self.address.socket), False
            self._start()
            deadline = time.monotonic() + START_SECONDS
            while True:
                try:
                    return _dial(self.address.socket), True
                except OSError:
                    if time.monotonic() > deadline:
                        raise LearnerError(
                            "invert's engine did not start; see "
                            f"{self.address.log}, or run with INVERT_ENGINE=0"
                        ) from None
                    time.sleep(0.005)

    def _start(self) -> None:
        from invert.engine.threads import blas_thread_env, threads_per_process
        from invert.runner.process import INVERT_HOME

        log = self.address.log
        log.parent.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            **blas_thread_env(threads_per_process(1)),
            "MPLBACKEND": os.environ.get("MPLBACKEND", "Agg"),
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(INVERT_HOME), os.environ.get("PYTHONPATH")) if p
            ),
        }
        with open(log, "ab") as errors:
            engine = subprocess.Popen(
                [sys.executable, "-m", "invert.engine.server", str(self.root)],
                cwd=self.root,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                start_new_session=True,  # a Ctrl-C in the learner's terminal is not its
            )
        # Reaped when it ends, if this process (the web app) lives that long; a command that
        # ends first leaves it to the system, as a shell's background job.
        threading.Thread(target=engine.wait, name="invert-engine-reaper", daemon=True).start()

    def _replace(self, info: dict[str, Any]) -> None:
        """End a wedged engine so that the next connection starts a fresh one."""
        pid = info.get("pid")
        if isinstance(pid, int):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(FileNotFoundError):
            self.address.socket.unlink()
        with contextlib.suppress(FileNotFoundError):
            self.address.info.unlink()

    def _wait_stepped_down(self) -> None:
        """A stale engine removes its socket as it steps down; wait for that (briefly)."""
        deadline = time.monotonic() + 5.0
        while self.address.socket.exists() and time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                _dial(self.address.socket).close()
                time.sleep(0.01)
                continue
            break  # nobody listens: the next connection starts a fresh engine


def _dial(path: Path) -> Connection:
    raw = socket.socket(socket.AF_UNIX)
    try:
        raw.connect(str(path))
    except OSError:
        raw.close()
        raise
    return Connection(raw.detach())


def _receive(conn: Connection, timeout: float | None = None) -> tuple[str, Any]:
    """The engine's next message; EngineGone if it hung up (or said nothing for `timeout`)."""
    try:
        if timeout is not None and not conn.poll(timeout):
            raise EngineGone
        kind, payload = conn.recv()
    except (EOFError, OSError) as exc:
        raise EngineGone from exc
    return str(kind), payload


def _raise(payload: dict[str, Any]) -> None:
    if payload.get("learner"):
        raise LearnerError(str(payload["message"]))
    raise RuntimeError(f"invert's engine failed: {payload.get('message')}")
