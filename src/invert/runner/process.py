"""The parent side: start the child, stream and cap its output, enforce a time limit."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from invert.engine.threads import blas_thread_env, threads_per_process

CHILD = Path(__file__).with_name("child.py")
# The folder holding this invert package, so that a child imports this very copy of it.
INVERT_HOME = Path(__file__).resolve().parents[2]
MAX_OUTPUT_CHARS = 1_000_000


@dataclass
class ScriptRun:
    """What happened when a script ran: its output, exit status and the globals asked for."""

    script: Path
    exit_code: int
    output: str
    wall_seconds: float
    values: dict[str, Any] = field(default_factory=dict)
    error: dict[str, Any] | None = None
    timed_out: bool = False
    output_truncated: bool = False

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out and self.error is None


@dataclass
class ProcessRun:
    """A finished child process: its capped output, exit status and wall time."""

    exit_code: int
    output: str
    wall_seconds: float
    timed_out: bool
    output_truncated: bool


def run_process(
    command: list[str],
    *,
    cwd: Path,
    timeout: float,
    env: dict[str, str] | None = None,
    on_output: Callable[[str], None] | None = None,
) -> ProcessRun:
    """Run `command` in its own process group; stream, cap and return its output.

    Output (stdout and stderr, interleaved) is passed line by line to `on_output` as it comes and
    kept up to MAX_OUTPUT_CHARS; the rest is read and dropped, so a chatty child never blocks. A
    run past `timeout` seconds is killed with its whole process group.
    """
    base = {**os.environ, **blas_thread_env(threads_per_process(1)), "PYTHONUNBUFFERED": "1"}
    chunks: list[str] = []
    kept = 0
    truncated = False
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env={**base, **(env or {})},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        start_new_session=True,
    )
    timed_out = threading.Event()

    def kill() -> None:
        timed_out.set()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)

    def pump() -> None:
        nonlocal kept, truncated
        assert process.stdout is not None
        # A Ctrl-C is the main thread's to act on: the kernel may hand SIGINT to any thread
        # that does not block it, and one landing here would leave the main thread waiting.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        for line in process.stdout:
            if kept < MAX_OUTPUT_CHARS:
                chunks.append(line)
                kept += len(line)
                if on_output is not None:
                    on_output(line)
            else:
                truncated = True

    timer = threading.Timer(timeout, kill)
    timer.daemon = True  # never what keeps invert from exiting after a Ctrl-C
    reader = threading.Thread(target=pump, daemon=True)
    try:
        timer.start()
        reader.start()
        exit_code = _wait(process)
        reader.join(timeout=1.0)
    finally:
        timer.cancel()
        if process.poll() is None:
            kill()
            with contextlib.suppress(subprocess.TimeoutExpired):  # SIGKILL: gone at once
                process.wait(timeout=10)
        # Whatever the script started and left behind (holding the pipe open, or not) goes with
        # its process group, so that invert never waits on it.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        # A process that left the group (setsid) may hold the pipe for ever: stop waiting for
        # it. Its reader thread is a daemon; the pipe is closed when invert exits.
        reader.join(timeout=2.0)
        if process.stdout is not None and not reader.is_alive():
            process.stdout.close()
    return ProcessRun(
        exit_code=exit_code,
        output="".join(chunks),
        wall_seconds=time.perf_counter() - start,
        timed_out=timed_out.is_set(),
        output_truncated=truncated,
    )


def _wait(process: subprocess.Popen[str]) -> int:
    """The child's exit code, waited for in short slices: a Ctrl-C that another thread of
    invert's received (Rich's refresh, the timer) is acted on between two slices, where a plain
    wait would sit in the kernel until the child ended on its own."""
    while (code := process.poll()) is None:
        time.sleep(0.01)  # at most 10 ms late, at no cost worth counting
    return code


class ChildFolder:
    """The scratch folder of one child Python running one of invert's modules (a drill's
    check, a rebuild's, a trace): its request, its results and its temporary files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def run(
        self,
        module: str,
        request: dict[str, Any],
        *,
        cwd: Path,
        timeout: float,
        on_output: Callable[[str], None] | None = None,
        args: tuple[str, ...] = (),
    ) -> ProcessRun:
        """Run ``python -m MODULE REQUEST_JSON [ARGS]`` with `request` written to the folder.

        The child keeps its temporary files and Matplotlib's cache in the folder, draws
        without a screen, writes no bytecode, and imports this very invert, wherever it was
        imported from.
        """
        request_path = self.folder / "request.json"
        request_path.write_text(json.dumps(request), encoding="utf-8")
        env = {
            "TMPDIR": str(self.folder),
            "MPLCONFIGDIR": str(self.folder / "matplotlib"),
            "MPLBACKEND": "Agg",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(INVERT_HOME), os.environ.get("PYTHONPATH")) if p
            ),
        }
        command = [sys.executable, "-m", module, str(request_path), *args]
        return run_process(command, cwd=cwd, timeout=timeout, env=env, on_output=on_output)

    def read(self, name: str) -> dict[str, Any]:
        """The JSON a child wrote to `name` in the folder; {} if it wrote none or half of it."""
        try:
            found = json.loads((self.folder / name).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return {}
        return found if isinstance(found, dict) else {}


@contextlib.contextmanager
def child_folder(prefix: str) -> Iterator[ChildFolder]:
    """A `ChildFolder` for the length of the block; removed with all it holds afterwards."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield ChildFolder(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_script(
    script: Path,
    variables: list[str],
    *,
    cwd: Path,
    timeout: float = 600.0,
    on_output: Callable[[str], None] | None = None,
    journal: Path | None = None,
) -> ScriptRun:
    """Run `script` with this interpreter as ``python script`` would, and read back `variables`.

    With `journal` (the lab's `.invert/` folder), the script may not change it (runner/child.py).
    """
    fd, result_name = tempfile.mkstemp(prefix="invert-run-", suffix=".json")
    os.close(fd)
    result_path = Path(result_name)
    command = [sys.executable, str(CHILD), str(result_path), str(script), *variables]
    env = {"INVERT_JOURNAL": str(journal)} if journal is not None else None
    run = run_process(command, cwd=cwd, timeout=timeout, on_output=on_output, env=env)
    try:
        result = json.loads(result_path.read_text(encoding="utf-8") or "{}")
    except (OSError, json.JSONDecodeError):
        result = {}
    finally:
        result_path.unlink(missing_ok=True)
    return ScriptRun(
        script=script,
        exit_code=run.exit_code,
        output=run.output,
        wall_seconds=run.wall_seconds,
        values=result.get("values", {}),
        error=result.get("error"),
        timed_out=run.timed_out,
        output_truncated=run.output_truncated,
    )


def check_syntax(script: Path, rel: str, undo: str) -> None:
    """A LearnerError naming the line of a learner's syntax error; `undo` says how to recover.

    `rel` is the script as the learner knows it; the message reads "fix it, or <undo>".
    """
    from invert.errors import LearnerError

    try:
        compile(script.read_bytes(), str(script), "exec")
    except SyntaxError as exc:
        raise LearnerError(
            f"{rel}, line {exc.lineno}: syntax error ({exc.msg}); fix it, or {undo}"
        ) from None
    except ValueError as exc:  # e.g. a NUL byte in the file
        raise LearnerError(f"{rel} cannot be compiled: {exc}") from None
