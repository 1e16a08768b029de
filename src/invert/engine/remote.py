"""`invert run ID` (and `invert try ID --json`) in the lab's warm engine: the command's process
only relays.

A command is a fresh Python that imports Typer, Rich and the catalogue before it does anything
(a third of a second); the engine has them loaded. For the commands where the learner waits on
a run (see `worth_it`), the `invert` entry point (invert/cli/entry.py) hands its arguments,
folder and environment to the engine, which runs the very same command in a forked child, and
relays its output and exit code. A Ctrl-C is passed on as one. When there is no lab here, the
engine is off, or it cannot be reached, the command runs in this process as always.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path


def worth_it(argv: list[str]) -> bool:
    """`invert run ID` (a starter: the command a learner repeats after every edit) and
    `invert try ID ... --json` (a sweep asked by a script, which asks nothing back)."""
    if len(argv) < 2 or {"--help", "-h"} & set(argv):
        return False
    return argv[0] == "run" or (argv[0] == "try" and "--json" in argv)


def run_in_engine(argv: list[str]) -> int | None:
    """The command's exit code, run in the engine; None when it should run here instead."""
    from invert.engine.address import engine_enabled

    if not engine_enabled():
        return None
    from invert.kinds.part import find_lab_root

    root = find_lab_root(Path(os.environ.get("INVERT_LAB") or Path.cwd()))
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
    before = _newest_event(root)
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
                    # Its children died with it. If the command recorded nothing, it runs again
                    # here, from the start; if it did, running it again would record it twice.
                    if _newest_event(root) == before:
                        print(
                            "[invert's engine stopped; running the command here]", file=sys.stderr
                        )
                        return None
                    print(
                        "error: invert's engine stopped as the command finished; what it "
                        "recorded is in your journal (`invert journal`)",
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


def _newest_event(root: Path) -> int | None:
    """The id of the journal's newest event, read without writing anything."""
    import sqlite3

    try:
        uri = (root / ".invert" / "lab.db").resolve().as_uri() + "?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=5)) as db:
            row = db.execute("SELECT max(id) FROM events").fetchone()
    except sqlite3.Error:
        return None
    return None if row is None else row[0]


def _columns() -> int:
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns
    except OSError:
        return 80
