"""The script runner: a real child process, its output, its values, its limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from invert.runner import process as process_module
from invert.runner import run_script


def write(tmp_path: Path, source: str) -> Path:
    script = tmp_path / "script.py"
    script.write_text(source, encoding="utf-8")
    return script


def test_reads_back_the_variables_asked_for_and_streams_output(tmp_path: Path) -> None:
    script = write(
        tmp_path,
        "import numpy as np\n"
        "print('hello', __name__)\n"
        "score = np.float64(0.75)\n"
        "y = np.arange(100)\n"
        "labels = ['a', 'b']\n",
    )
    lines: list[str] = []
    run = run_script(
        script, ["score", "y", "labels", "absent"], cwd=tmp_path, on_output=lines.append
    )
    assert run.ok
    assert lines == ["hello __main__\n"]
    assert run.values["score"] == 0.75
    assert run.values["y"]["length"] == 100
    assert run.values["y"]["head"][:3] == [0, 1, 2]
    assert run.values["labels"] == ["a", "b"]
    assert "absent" not in run.values


def test_runs_like_plain_python_from_the_script_folder(tmp_path: Path) -> None:
    (tmp_path / "helper.py").write_text("VALUE = 42\n")
    script = write(
        tmp_path, "import sys, helper\nprint(sys.argv[0].endswith('script.py'), helper.VALUE)\n"
    )
    run = run_script(script, [], cwd=tmp_path)
    assert run.output == "True 42\n"


def test_caps_blas_threads_in_the_child(tmp_path: Path) -> None:
    script = write(
        tmp_path,
        "import numpy\nfrom threadpoolctl import threadpool_info\n"
        "threads = max(i['num_threads'] for i in threadpool_info())\n",
    )
    run = run_script(script, ["threads"], cwd=tmp_path)
    assert run.values["threads"] == 1


def test_an_error_in_the_script_is_reported_with_its_line_and_only_its_frames(
    tmp_path: Path,
) -> None:
    script = write(tmp_path, "x = 1\ny = x / 0\n")
    run = run_script(script, ["x"], cwd=tmp_path)
    assert not run.ok
    assert run.error == {"type": "ZeroDivisionError", "message": "division by zero", "line": 2}
    assert "ZeroDivisionError" in run.output
    assert "runpy" not in run.output and "child.py" not in run.output


def test_sys_exit_zero_is_success_and_nonzero_is_failure(tmp_path: Path) -> None:
    assert run_script(write(tmp_path, "import sys\nsys.exit(0)\n"), [], cwd=tmp_path).ok
    failed = run_script(write(tmp_path, "import sys\nsys.exit(3)\n"), [], cwd=tmp_path)
    assert not failed.ok and failed.error and failed.error["type"] == "SystemExit"


def test_a_script_that_hangs_is_killed_at_the_time_limit(tmp_path: Path) -> None:
    script = write(tmp_path, "import time\nprint('waiting', flush=True)\ntime.sleep(60)\n")
    run = run_script(script, [], cwd=tmp_path, timeout=1.5)
    assert run.timed_out and not run.ok
    assert run.wall_seconds < 10
    assert run.output == "waiting\n"


def test_output_beyond_the_cap_is_dropped_not_buffered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(process_module, "MAX_OUTPUT_CHARS", 10_000)
    script = write(tmp_path, "for i in range(200_000):\n    print('x' * 50)\ndone = True\n")
    run = run_script(script, ["done"], cwd=tmp_path)
    assert run.ok and run.values["done"] is True
    assert run.output_truncated
    assert len(run.output) < 11_000
