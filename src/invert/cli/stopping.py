"""Ctrl-C anywhere in a command: one line saying what was kept, exit code 130, no traceback.

A command that writes as it goes says what a stop would leave behind (`keep`), and says it again
after each thing it commits; the entry point (invert.cli) turns a KeyboardInterrupt into that
line. Writes to the journal are transactions, so nothing is ever half-written.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from pathlib import Path
from typing import NoReturn

NOTHING = "nothing was written"
_kept: list[str] = []


def forget() -> None:
    """Start a command with nothing said yet (tests run many commands in one process)."""
    _kept.clear()


def keep(what: str) -> None:
    """Say, in plain words, what a Ctrl-C from now on leaves in the lab ("your prediction was
    saved; the sweep did not finish")."""
    _kept.append(what)


def stop_line() -> str:
    """The line a Ctrl-C prints: what the running command said it keeps."""
    what = _kept[-1] if _kept else "anything saved before is kept; nothing is half-written"
    return f"Stopped: {what}."


def stopped(interrupt: BaseException) -> NoReturn:
    """Print the stop line on stderr and exit with code 130."""
    # A second Ctrl-C while the process winds down (workers shutting down) ends it at once,
    # quietly, instead of printing a traceback from wherever it lands.
    with contextlib.suppress(ValueError):  # only the main thread may set a handler
        signal.signal(signal.SIGINT, lambda _signum, _frame: os._exit(130))
    # At a prompt the terminal echoed ^C after the question: end that line first.
    start = "\n" if sys.stderr.isatty() and _at_prompt(interrupt) else ""
    sys.stderr.write(f"{start}{stop_line()}\n")
    sys.stderr.flush()
    raise SystemExit(130)


def _at_prompt(interrupt: BaseException) -> bool:
    """Whether the Ctrl-C came while the command waited for a typed answer."""
    import traceback

    frames = traceback.extract_tb(interrupt.__traceback__)
    return any(
        frame.name in _READERS and Path(frame.filename).parent.name in ("rich", "_click", "click")
        for frame in frames
    )


# Where Rich's and Click's prompts wait for the learner's line.
_READERS = frozenset({"input", "ask", "get_input", "prompt", "visible_prompt_func"})


def ignore_late_ctrl_c() -> None:
    """Once the command has returned and its workers are down, everything is saved: a Ctrl-C
    while the interpreter winds down has nothing left to stop, and must not kill it by signal
    (Python puts the default handler back at the very end, after any handler of ours)."""
    with contextlib.suppress(ValueError):  # only the main thread may set a handler
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def release_workers() -> None:
    """Shut down joblib's worker processes now, while a Ctrl-C is still ours to catch, rather
    than in the interpreter's exit handlers (where it would print a traceback)."""
    pool = sys.modules.get("joblib.externals.loky.reusable_executor")
    executor = getattr(pool, "_executor", None)
    if executor is not None:
        executor.shutdown(wait=True)
