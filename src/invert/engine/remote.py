"""`invert run ID` in the lab's warm engine: the command's process only relays.

A command is a fresh Python that imports Typer, Rich and the catalogue before it does anything
(a third of a second); the engine has them loaded. For the commands where the learner waits on
a run (see `worth_it`), the `invert` entry point (invert/cli/entry.py) hands its arguments,
folder and environment to the engine, which runs the very same command in a forked child, and
relays its output and exit code. A Ctrl-C is passed on as one. When there is no lab here, the
engine is off, or it cannot be reached, the command runs in this process as always.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def worth_it(argv: list[str]) -> bool:
    """`invert run ID ...` (a starter): the command a learner repeats after every edit."""
    return len(argv) >= 2 and argv[0] == "run" and not {"--help", "-h"} & set(argv)


def lab_root(start: Path) -> Path | None:
    """The lab at or above `start` (invert.lab.find_lab_root, without importing it)."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / ".invert" / "lab.db").is_file():
            return folder
    return None


def run_in_engine(argv: list[str]) -> int | None:
    """The command's exit code, run in the engine; None when it should run here instead."""
    from invert.engine.address import engine_enabled

    if not engine_enabled():
        return None
    root = lab_root(Path(os.environ.get("INVERT_LAB") or Path.cwd()))
    if root is None:
        return None
    from invert.engine.link import EngineGone, Link, receive
    from invert.errors import LearnerError

    tty = sys.stdout.isatty()
    env = dict(os.environ)
    if tty:  # the child writes to a pipe: tell Rich what it is really writing to
        env.setdefault("COLUMNS", str(_columns()))
        if "NO_COLOR" not in env:
            env.setdefault("FORCE_COLOR", "1")
        env.setdefault("TTY_INTERACTIVE", "1")
    body = {"argv": argv, "cwd": os.getcwd(), "env": env}
    try:
        conn, _ = Link(root).ask("command", body)
    except (EngineGone, LearnerError, OSError):
        return None  # nothing ran: the command runs here
    interrupted = False
    with conn:
        while True:
            try:
                try:
                    kind, payload = receive(conn)
                except EngineGone:
                    print(
                        "error: invert's engine stopped during the command; run it again "
                        "(what it recorded before is in your journal)",
                        file=sys.stderr,
                    )
                    return 1
                if kind == "out":
                    sys.stdout.write(payload)
                    sys.stdout.flush()
                elif kind == "err":
                    sys.stderr.write(payload)
                    sys.stderr.flush()
                elif kind == "done":
                    code = payload["exit_code"]
                    return 130 if code is None else int(code)
            except KeyboardInterrupt:
                if interrupted:  # a second Ctrl-C: leave, and the engine ends the command
                    return 130
                interrupted = True
                try:
                    conn.send(("interrupt", None))
                except OSError:
                    return 130


def _columns() -> int:
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns
    except OSError:
        return 80
