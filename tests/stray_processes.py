"""A pytest plugin (registered by conftest.py): nothing the test suite starts may outlive it.

Every process a test starts inherits the mark `INVERT_TEST_SESSION=<pid of the pytest process
that ran the test>` in its environment, even one that left its process group or lost its parent.
When that pytest process ends its session, any process still alive with its mark, or still its
descendant, has escaped the test that started it: it is killed and the run fails, naming it.
Linux only (it reads /proc); elsewhere it does nothing.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import pytest

MARK = "INVERT_TEST_SESSION"
PROC = Path("/proc")
# Helpers of multiprocessing and loky that end with the pytest process itself: each reads a
# pipe that pytest holds until it closes.
ENDS_WITH_PYTEST = ("resource_tracker import main", "forkserver import main")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:  # gone, or not ours to read
        return b""


def _parents() -> dict[int, int]:
    """Every visible process and its parent's pid, from /proc/PID/stat."""
    parents = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            stat = _read(entry / "stat")
            if stat:  # "pid (name) state ppid ...": the name may hold spaces or parentheses
                parents[int(entry.name)] = int(stat.rsplit(b")", 1)[1].split()[1])
    return parents


def describe(pid: int) -> str:
    """`pid N: its command line (in its current folder)`, as far as /proc still shows it."""
    command = _read(PROC / str(pid) / "cmdline").replace(b"\0", b" ").decode(errors="replace")
    try:
        cwd = os.readlink(PROC / str(pid) / "cwd")
    except OSError:
        cwd = "?"
    return f"pid {pid}: {command.strip() or '?'} (in {cwd})"


def started_by(owner: int) -> list[int]:
    """The live processes that pytest process `owner` started: its mark, or its descendants."""
    parents = _parents()
    mark = f"{MARK}={owner}".encode()
    found = set()
    for pid in parents:
        if pid != owner and mark in _read(PROC / str(pid) / "environ").split(b"\0"):
            found.add(pid)
    for pid in parents:
        ancestor = parents.get(pid, 0)
        while ancestor > 1 and ancestor != owner:
            ancestor = parents.get(ancestor, 0)
        if ancestor == owner:
            found.add(pid)
    ours = []
    for pid in sorted(found):
        command = _read(PROC / str(pid) / "cmdline")
        state = _read(PROC / str(pid) / "stat").rsplit(b")", 1)[-1].split()[:1]
        if state and state != [b"Z"] and not any(h.encode() in command for h in ENDS_WITH_PYTEST):
            ours.append(pid)
    return ours


def kill_strays(owner: int, grace: float = 10.0) -> list[str]:
    """Kill what `owner` started that is still alive after `grace` seconds; describe each."""
    # The workers of joblib's reusable pool, if a test started it in this process.
    pool = sys.modules.get("joblib.externals.loky.reusable_executor")
    if getattr(pool, "_executor", None) is not None:
        pool._executor.shutdown(wait=True, kill_workers=True)  # type: ignore[union-attr]
    deadline = time.monotonic() + grace
    while (alive := started_by(owner)) and time.monotonic() < deadline:
        time.sleep(0.1)
    strays = [describe(pid) for pid in alive]
    for pid in alive:
        with contextlib.suppress(OSError):  # it ended meanwhile
            os.kill(pid, signal.SIGKILL)
    return strays


def pytest_configure(config: pytest.Config) -> None:
    """Register the plugin (conftest.py calls this; `pytest -p stray_processes` does too)."""
    config.pluginmanager.register(StrayProcesses(config), "stray-processes")


class StrayProcesses:
    """The plugin: marks this process's children; at the session's end, kills and reports."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.strays: list[str] = []
        os.environ[MARK] = str(os.getpid())

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        # The xdist controller runs no test: its workers, marked with its pid, are not strays.
        controller = self.config.pluginmanager.hasplugin("dsession")
        if PROC.is_dir() and not controller:
            self.strays += kill_strays(os.getpid())
        output = getattr(self.config, "workeroutput", None)
        if output is not None:  # an xdist worker: the controller reports them
            output["stray_processes"] = self.strays
        elif self.strays:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        self.strays += getattr(node, "workeroutput", {}).get("stray_processes", [])

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.strays:
            terminalreporter.section("processes that outlived the tests (killed)", red=True)
            for line in self.strays:
                terminalreporter.write_line(line)
