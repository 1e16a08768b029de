from __future__ import annotations

import pytest

from invert.engine.threads import blas_thread_env, threads_per_process


def test_processes_times_threads_never_exceed_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INVERT_BLAS_THREADS", raising=False)
    for processes in (1, 2, 3, 64):
        assert threads_per_process(processes) >= 1
        assert threads_per_process(processes) * min(processes, 2) <= max(2, processes)


def test_the_environment_can_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INVERT_BLAS_THREADS", "3")
    assert threads_per_process(1) == 3
    assert blas_thread_env(3)["OPENBLAS_NUM_THREADS"] == "3"
