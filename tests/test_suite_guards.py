"""What the test suite itself promises a contributor on a fresh clone.

`make test` passes with or without the torch extra: a test that needs torch says why it skipped,
and CI (INVERT_REQUIRE_TORCH=1) never skips one. Nothing a test starts outlives the run. Each
case runs a real pytest in a child process, with this folder's conftest.py.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
TORCH_TEST = (
    "tests/test_content.py::test_starter_runs_and_scores_in_its_declared_range[digits_torch_mlp]"
)


def _pytest(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", *args],
        cwd=cwd,
        # Without hypothesis's and schemathesis's plugins, which take seconds to import.
        env={**env, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _alive(pid: int) -> bool:
    """Running or sleeping: neither gone nor a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_a_test_that_needs_torch_skips_without_it_and_fails_under_ci(tmp_path: Path) -> None:
    # A Python where torch cannot be imported, installed or not: a meta-path finder hides it.
    (tmp_path / "sitecustomize.py").write_text(
        "import sys\n"
        "class HideTorch:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'torch' or name.startswith('torch.'):\n"
        "            raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, HideTorch())\n"
    )
    path = os.pathsep.join([str(tmp_path), *filter(None, [os.environ.get("PYTHONPATH")])])
    env = {**os.environ, "PYTHONPATH": path}
    env.pop("INVERT_REQUIRE_TORCH", None)
    done = _pytest(TORCH_TEST, cwd=REPO, env=env)
    assert done.returncode == 0 and "1 skipped" in done.stdout, done.stdout + done.stderr
    assert (
        "needs torch, which is not installed "
        "(pip install torch --index-url https://download.pytorch.org/whl/cpu)" in done.stdout
    ), done.stdout
    done = _pytest(TORCH_TEST, cwd=REPO, env={**env, "INVERT_REQUIRE_TORCH": "1"})
    assert done.returncode == 1 and "1 failed" in done.stdout, done.stdout + done.stderr
    assert "INVERT_REQUIRE_TORCH=1 but torch is not installed" in done.stdout


def test_a_process_a_test_leaves_running_is_killed_and_fails_the_run(tmp_path: Path) -> None:
    # A run of its own, on one test whose grandchild leaves its process group and sleeps.
    for helper in TESTS.glob("*.py"):
        if not helper.name.startswith("test_"):
            shutil.copy(helper, tmp_path / helper.name)
    pid_file = tmp_path / "escaped.pid"
    (tmp_path / "test_leaves_a_sleeper.py").write_text(
        textwrap.dedent(f"""
        import subprocess, sys

        ESCAPE = '''
        import os, time
        if os.fork() == 0:
            os.setsid()
            open({str(pid_file) + ".tmp"!r}, "w").write(str(os.getpid()))
            os.rename({str(pid_file) + ".tmp"!r}, {str(pid_file)!r})
            time.sleep(600)
        '''

        def test_starts_a_child_that_escapes():
            subprocess.run([sys.executable, "-c", ESCAPE], check=True)
        """)
    )
    try:
        done = _pytest("test_leaves_a_sleeper.py", cwd=tmp_path, env=dict(os.environ))
        assert pid_file.exists(), done.stdout + done.stderr
        pid = int(pid_file.read_text())
        deadline = time.monotonic() + 5
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(pid), f"pid {pid} outlived the run: {done.stdout}"
        assert done.returncode == 1 and "1 passed" in done.stdout, done.stdout + done.stderr
        assert "processes that outlived the tests (killed)" in done.stdout
        assert f"pid {pid}: " in done.stdout and "time.sleep(600)" in done.stdout
    finally:
        if pid_file.exists():  # without the guard: the test stops what it started
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid_file.read_text()), signal.SIGKILL)
