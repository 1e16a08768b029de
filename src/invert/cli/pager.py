"""Long output through a pager, as git does: only on a terminal, never for --json or a pipe.

The pager is INVERT_PAGER, else PAGER, else `less -FRX` (LESS=FRX is set when LESS is unset, so
that a plain `less` also quits on a short page and keeps the colours). An empty value or `cat`,
or `invert --no-pager`, turns it off.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator

from invert.cli.output import console

DEFAULT = "less -FRX"
_enabled = True


def enable(on: bool) -> None:
    """Turn paging on or off for this process (`invert --no-pager` turns it off)."""
    global _enabled
    _enabled = on


def pager_command() -> str | None:
    """The shell command to page through, or None when output must go straight out."""
    if not _enabled or not sys.stdout.isatty():
        return None
    command = os.environ.get("INVERT_PAGER", os.environ.get("PAGER", DEFAULT)).strip()
    return None if command in ("", "cat") else command


@contextlib.contextmanager
def paged() -> Iterator[None]:
    """Send what the console prints inside to the pager when it is longer than the terminal."""
    command = pager_command()
    if command is None:
        yield
        return
    out = console()
    captured = out.capture()
    try:
        with captured:
            yield
    except BaseException:  # a failure part-way: what was printed still goes out
        sys.stdout.write(captured.get())
        raise
    text = captured.get()
    if text.count("\n") < out.height:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    env = {**os.environ, "LESS": os.environ.get("LESS", "FRX")}
    try:
        done = subprocess.run(command, shell=True, input=text, text=True, env=env, check=False)
    except OSError:
        done = None
    if done is None or done.returncode == 127:  # the shell found no such pager: print it plainly
        sys.stdout.write(text)
