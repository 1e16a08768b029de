"""Commands that take more than a moment show a spinner on a terminal, and nothing when piped."""

from __future__ import annotations

import io
from pathlib import Path

import pexpect
import pytest

from conftest import invert_process, spawn_invert
from invert.lab import Lab

SLOW = [
    (["learn", "least-squares", "--run"], "Running least-squares from scratch"),
    (["drill", "titanic-too-good"], "Copying the drill and its data"),
    (["ladder", "pca"], "Running the rungs of pca"),
]


def in_terminal(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run `invert ARGS` in a pseudo-terminal that can redraw a line (TERM=xterm)."""
    child = spawn_invert(*args, cwd=cwd, timeout=120, env={"TERM": "xterm"})
    child.logfile_read = io.StringIO()
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, child.logfile_read.getvalue()


@pytest.mark.slow
@pytest.mark.parametrize(("args", "says"), SLOW)
def test_a_slow_command_shows_a_spinner_on_a_terminal(
    in_lab: Lab, args: list[str], says: str
) -> None:
    code, printed = in_terminal(args, in_lab.root)
    assert code == 0, printed[-2000:]
    assert says in printed


@pytest.mark.slow
@pytest.mark.parametrize(("args", "says"), SLOW)
def test_piped_or_json_there_is_no_spinner(in_lab: Lab, args: list[str], says: str) -> None:
    done = invert_process(*args, cwd=in_lab.root)
    assert done.returncode == 0, done.stderr
    assert says not in done.stdout + done.stderr and "\x1b[" not in done.stdout + done.stderr
    code, printed = in_terminal([*args, "--json"], in_lab.root)
    assert code == 0 and says not in printed and "\x1b[" not in printed
