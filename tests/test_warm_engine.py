"""The warm engine under stress: killed mid-sweep, left over from another build, wedged, shared by
two terminals at once, never shared by two labs. In every case the command finishes with the
right answer, its prediction and run are in the journal once, and the answer comes from an engine
of the command's own build."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import PYTHON
from invert.engine.address import Address
from invert.lab import Lab, create_lab
from invert.store import Store

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the engine needs fork()")

QUICK = "knn-k"  # Titanic, 35 fits: under a second
LONGER = "forest-n-estimators"  # long enough to be killed halfway


def start_try(
    root: Path, experiment: str, *extra: str, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [PYTHON, "-m", "invert", "try", experiment, "--predict", "rises", "--confidence", "0.7",
         "--json", "--stream", *extra],
        cwd=root,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def finish(process: subprocess.Popen[str], timeout: float = 180) -> dict[str, Any]:
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines[-1]["event"] == "done"
    return dict(lines[-1])


def engine_pid(root: Path) -> int:
    return int(Address.of(root).read_info()["pid"])


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat")
    return not (state.exists() and state.read_text().rsplit(")", 1)[1].split()[0] == "Z")


def journal_counts(root: Path) -> tuple[int, int]:
    store = Store(root / ".invert" / "lab.db", create=False)
    try:
        return len(store.events("prediction_made")), len(store.events("experiment_run"))
    finally:
        store.close()


def in_process_numbers(root: Path, experiment: str) -> list[float]:
    """The same sweep measured in the command's own process (INVERT_ENGINE=0), in a fresh lab."""
    other = create_lab(root.parent / f"{root.name}-in-process")
    other.close()
    done = finish(start_try(other.root, experiment, env={"INVERT_ENGINE": "0"}))
    assert done["result"]["backend"] in ("in-process", "2 forked lanes", "1 forked lanes")
    return [p["test_mean"] for p in done["result"]["points"]]


@pytest.fixture
def root(lab: Lab) -> Path:
    return lab.root


def test_a_sweep_runs_in_the_engine_and_matches_the_commands_own_process(root: Path) -> None:
    done = finish(start_try(root, QUICK))
    pid = engine_pid(root)
    assert alive(pid) and pid != os.getpid()
    assert [p["test_mean"] for p in done["result"]["points"]] == in_process_numbers(root, QUICK)
    assert (root / done["plots"]["png"]).stat().st_size > 10_000  # drawn by the engine
    again = finish(start_try(root, QUICK, "--values", "1,2"))  # a second command: the same one
    assert engine_pid(root) == pid and again["result"]["points"]


def test_a_killed_engine_is_replaced_and_the_sweep_finishes(root: Path) -> None:
    finish(start_try(root, QUICK))  # the engine is warm
    first = engine_pid(root)
    running = start_try(root, LONGER)
    assert running.stdout is not None
    line = json.loads(running.stdout.readline())  # the first fit has arrived: mid-sweep
    assert line["event"] == "fit"
    os.kill(first, signal.SIGKILL)
    done = finish(running)
    assert engine_pid(root) != first and not alive(first)
    assert len(done["result"]["points"]) == 7 and done["outcome"] is not None
    assert journal_counts(root) == (2, 2)  # each command's prediction and run, once
    assert [p["test_mean"] for p in done["result"]["points"]] == in_process_numbers(root, LONGER)


def test_an_engine_of_another_build_steps_down_and_never_answers(root: Path) -> None:
    finish(start_try(root, QUICK, env={"INVERT_ENGINE_BUILD": "an older invert"}))
    old = engine_pid(root)
    done = finish(start_try(root, QUICK, "--values", "1,3"))
    new = engine_pid(root)
    assert new != old
    deadline = time.monotonic() + 10
    while alive(old) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(old)  # it stepped down: nothing of the old build answers any more
    assert done["result"]["versions"]["invert"]  # measured, by the new engine
    assert journal_counts(root) == (2, 2)


def test_a_wedged_engine_is_replaced(root: Path) -> None:
    finish(start_try(root, QUICK))
    wedged = engine_pid(root)
    os.kill(wedged, signal.SIGSTOP)
    try:
        started = time.monotonic()
        done = finish(start_try(root, QUICK, "--values", "1,4"))
        assert engine_pid(root) != wedged
        assert time.monotonic() - started < 60
        assert done["outcome"] is not None
        assert not alive(wedged)  # ended by the command that found it wedged
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(wedged, signal.SIGKILL)


def test_two_terminals_share_one_engine_and_both_are_answered(root: Path) -> None:
    one = start_try(root, QUICK)
    two = start_try(root, LONGER, "--values", "1,5,10")  # at once, before any engine is up
    first, second = finish(one), finish(two)
    assert first["result"]["experiment"] == QUICK and second["result"]["experiment"] == LONGER
    assert journal_counts(root) == (2, 2)
    engines = [json.loads(p.read_text()) for p in Address.of(root).info.parent.glob("*.json")]
    assert [e["root"] for e in engines].count(str(root)) == 1


def test_the_same_sweep_asked_twice_at_once_is_measured_once(root: Path) -> None:
    """The second request joins the first (as a prediction joins the sweep started while the
    learner thought): both get every fit, and one result is stored."""
    finish(start_try(root, QUICK, "--values", "1,2"))  # warm
    one, two = start_try(root, LONGER), start_try(root, LONGER)
    first, second = finish(one), finish(two)
    assert first["result"]["points"] == second["result"]["points"]
    assert first["result"]["wall_seconds"] == second["result"]["wall_seconds"]  # one sweep
    assert len(list((root / ".invert" / "cache" / "sweeps").glob("*.json"))) == 2


def test_two_labs_never_share_an_engine(tmp_path: Path) -> None:
    labs = [create_lab(tmp_path / name) for name in ("a", "b")]
    for made in labs:
        made.close()
    runs = [start_try(made.root, QUICK) for made in labs]
    for run in runs:
        finish(run)
    a, b = (Address.of(made.root) for made in labs)
    assert a.socket != b.socket and engine_pid(labs[0].root) != engine_pid(labs[1].root)
    assert (a.socket.parent.stat().st_mode & 0o777) == 0o700  # no other user can connect


def test_the_command_itself_stays_light(root: Path) -> None:
    """The command hands the sweep over: it imports none of the numerical libraries."""
    finish(start_try(root, QUICK))  # warm
    probe = (
        f"import sys, runpy; sys.argv = ['invert', 'try', {QUICK!r}, '--values', '1,5', "
        "'--predict', 'rises', '--confidence', '0.7', '--json']\n"
        "try:\n    runpy.run_module('invert', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "heavy = [m for m in ('sklearn', 'pandas', 'scipy', 'matplotlib') if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, timeout=120
    )
    assert "HEAVY []" in found.stderr, found.stderr[-2000:]


@pytest.mark.slow
def test_the_terminal_measures_while_the_learner_thinks_and_shows_nothing_before(
    lab: Lab,
) -> None:
    """In a real terminal: at the prediction prompt the sweep is measured in the background, yet
    nothing of it is on the screen; once predicted, the result is there at once, and the
    prediction counts as blind."""
    import pexpect

    from conftest import spawn_invert
    from invert.engine.plan import cache_key

    plan = lab.experiments.plan(QUICK)
    cached = lab.experiments.cache.path(cache_key(lab.catalog, plan))
    child = spawn_invert("try", QUICK, cwd=lab.root, timeout=180)
    child.expect("Your prediction")
    deadline = time.monotonic() + 120
    while not cached.exists():  # the learner thinks; the engine measures
        assert time.monotonic() < deadline, "nothing was measured while the learner thought"
        time.sleep(0.1)
    time.sleep(0.3)
    with contextlib.suppress(pexpect.TIMEOUT):
        child.expect("NEVER PRINTED", timeout=0.5)  # read whatever the screen shows now
    screen = child.before
    assert "test accuracy" not in screen and "Measured" not in screen
    assert not re.search(r"\b0\.\d{3}\b", screen)  # not a score on the screen
    child.sendline("3")
    child.expect("gap between train and test")
    child.sendline("")
    child.expect("A number")
    child.sendline("")
    child.expect("How sure")
    child.sendline("70")
    started = time.monotonic()
    child.expect("How did your prediction do")
    assert time.monotonic() - started < 5  # answered from what was measured ahead
    child.expect("What did you observe")
    child.sendline("")
    child.expect("why")
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    [row] = Lab(lab.root).store.predictions()
    assert row.counted  # predicted before anything was shown: blind
