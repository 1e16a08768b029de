"""A learner's own script, run by `invert run`, cannot harm the lab's journal or hang invert.

Real scripts in a real lab through the real CLI, each in its own process: one that deletes files
(its own, outside the lab: allowed; the journal: refused), one that forks a child which leaves
its process group and sleeps for ever, holding invert's pipe, and one that sleeps for ever
(the runner's time limit, with a short limit). The drills' checker has the same cases in
tests/test_drills.py; the scripts a project runs go through the same runner.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from pathlib import Path

from conftest import invert_process, lab_fingerprint
from invert.lab import Lab
from invert.runner import run_script

STARTER = "iris_forest"


def _journal(root: Path) -> list[tuple[str, ...]]:
    with sqlite3.connect(root / ".invert" / "lab.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return conn.execute("SELECT uid, kind FROM events ORDER BY id").fetchall()


def _run_as_learner(lab: Lab, source: str, timeout: float = 120) -> tuple[int, str, float]:
    script = lab.starters.copy(STARTER)
    script.write_text(source)
    started = time.perf_counter()
    done = invert_process("run", STARTER, cwd=lab.root, timeout=timeout)
    return done.returncode, done.stdout + done.stderr, time.perf_counter() - started


def test_a_script_may_delete_its_own_files_but_not_the_journal(lab: Lab, tmp_path: Path) -> None:
    own = tmp_path / "outside" / "scratch.txt"
    own.parent.mkdir()
    own.write_text("the learner's own file")
    lab.starters.copy(STARTER)
    events = _journal(lab.root)
    attacks = {
        "delete the journal": "os.remove('.invert/lab.db')",
        "delete the lab": "shutil.rmtree('.')",
        "move the journal away": "os.rename('.invert', 'elsewhere')",
        "overwrite the journal": "open('.invert/lab.db', 'wb').write(b'gone')",
        "write into the journal folder": "open('.invert/extra.db', 'w').write('x')",
        "open it with sqlite3": "sqlite3.connect('.invert/lab.db').execute('DELETE FROM events')",
    }
    for attack, line in attacks.items():
        before = {k: v for k, v in lab_fingerprint(lab.root).items() if not k.startswith("star")}
        code, output, _ = _run_as_learner(
            lab, f"import os, shutil, sqlite3\nos.remove({str(own)!r})\n{line}\n"
        )
        assert code == 2, (attack, output)
        assert "PermissionError" in output and "journal" in output, (attack, output)
        assert "Traceback" not in output.split("PermissionError")[-1], (attack, output)
        assert not own.exists()  # their own file, outside the lab: theirs to delete
        own.write_text("the learner's own file")
        after = {k: v for k, v in lab_fingerprint(lab.root).items() if not k.startswith("star")}
        assert after == before, attack
        assert _journal(lab.root) == events, attack  # a failed run records nothing


def test_a_child_that_escapes_and_sleeps_for_ever_does_not_hang_invert(lab: Lab) -> None:
    pid_file = lab.root / "escaped.pid"
    escape = (
        "import os, time\n"
        "if os.fork() == 0:\n"
        "    os.setsid()  # out of the process group invert stops\n"
        "    open('escaped.tmp', 'w').write(str(os.getpid()))\n"
        "    os.rename('escaped.tmp', 'escaped.pid')  # whole, for the test to stop it\n"
        "    time.sleep(3600)\n"
        "if os.fork() == 0:\n"
        "    time.sleep(3600)  # still in the group: killed with it\n"
        "print('parent done')\n"
        "raise SystemExit('stopping here')\n"
    )
    try:
        code, output, seconds = _run_as_learner(lab, escape, timeout=60)
        assert code == 2 and "stopping here" in output, output
        assert seconds < 30
    finally:
        # invert is not asked to stop what left its group; the test stops what it started.
        deadline = time.monotonic() + 10
        while not pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(int(pid_file.read_text()), signal.SIGKILL)


def test_a_script_that_sleeps_for_ever_is_stopped_at_the_limit(lab: Lab) -> None:
    script = lab.root / "sleeper.py"
    script.write_text("import time\nprint('going to sleep', flush=True)\ntime.sleep(3600)\n")
    started = time.perf_counter()
    run = run_script(script, [], cwd=lab.root, timeout=3, journal=lab.root / ".invert")
    assert run.timed_out and "going to sleep" in run.output
    assert time.perf_counter() - started < 15
    assert _journal(lab.root)  # untouched, still readable
