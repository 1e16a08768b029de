"""How a command reaches its lab's warm engine: connect, start one when none answers, replace
one that is gone or wedged, and step around one of another build.

Light on purpose (no lab, no numerical library): `invert run` reaches the engine through it before
anything else is imported (invert/engine/remote.py); `lab.engine` (invert/engine/client.py) uses it
for everything else.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from invert.engine.address import Address, fingerprint
from invert.engine.wire import Wire
from invert.errors import LearnerError

ATTEMPTS = 3  # engines started for one request before giving up on it
START_SECONDS = 120.0  # for a new engine to import its libraries and answer (a busy machine)
ANSWER_SECONDS = 10.0  # for a running, ready engine to acknowledge a request
SILENCE = 30.0  # without a word (it beats every 5 s while it works): the engine is wedged


class EngineGone(Exception):
    """The engine went away or stopped answering: replace it and send the request again."""


class Link:
    """The connection logic to one lab's engine, with no lab opened (`invert run` reaches the
    engine through it before anything else is imported: invert/engine/remote.py)."""

    _build: str | None = None

    def __init__(self, root: Path) -> None:
        self.root = root
        self.address = Address.of(root)

    def build(self) -> str:
        if Link._build is None:
            Link._build = fingerprint()
        return Link._build

    def ask(self, op: str, body: dict[str, Any]) -> tuple[Wire, Any]:
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
            raise_from(payload)
        raise EngineGone

    def _connect(self) -> tuple[Wire, bool]:
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
        import subprocess

        from invert.engine.threads import blas_thread_env, threads_per_process
        from invert.runner.process import INVERT_HOME

        log = self.address.log
        log.parent.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            **blas_thread_env(threads_per_process(1)),
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(INVERT_HOME), os.environ.get("PYTHONPATH")) if p
            ),
        }
        with open(log, "ab") as errors:
            engine = subprocess.Popen(
                [sys.executable, "-m", "invert.cli.engine_main", str(self.root)],
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


def _dial(path: Path) -> Wire:
    return Wire.dial(path)


def receive(conn: Wire, silence: float = SILENCE) -> tuple[str, Any]:
    """The engine's next message (its heartbeats skipped); EngineGone if it hung up, or said
    nothing at all for `silence` seconds while it should beat every few (wedged)."""
    while True:
        try:
            if not conn.poll(silence):
                raise EngineGone
            kind, payload = conn.recv()
        except (EOFError, OSError) as exc:
            raise EngineGone from exc
        if kind != "beat":
            return str(kind), payload


def raise_from(payload: dict[str, Any]) -> None:
    if payload.get("learner"):
        raise LearnerError(str(payload["message"]))
    raise RuntimeError(f"invert's engine failed: {payload.get('message')}")
