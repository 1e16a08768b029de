"""BLAS/OpenMP thread counts, set deliberately.

On small data, BLAS threads cost more than they give: on a 2-core machine a logistic regression
on digits took 0.10 s with one thread and 4-6 s with two (bench/threads.py). So every process
invert starts runs its numerical libraries with cores // processes threads, and at most
MAX_THREADS_PER_PROCESS, unless INVERT_BLAS_THREADS says otherwise.
"""

from __future__ import annotations

import os

MAX_THREADS_PER_PROCESS = 1


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no affinity call
        return os.cpu_count() or 1


def threads_per_process(processes: int) -> int:
    """BLAS threads for each of `processes` workers, so that workers x threads <= cores.

    >>> threads_per_process(64)
    1
    """
    override = os.environ.get("INVERT_BLAS_THREADS")
    if override and override.isdigit() and int(override) > 0:
        return int(override)
    per_process = max(1, available_cores() // max(1, processes))
    return min(per_process, MAX_THREADS_PER_PROCESS)


BLAS_ENV_VARS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


def blas_thread_env(threads: int) -> dict[str, str]:
    """Environment that fixes thread pools in a child process before any library loads them.

    (threadpoolctl only reaches libraries already loaded; a fresh child has none yet.)
    """
    return dict.fromkeys(BLAS_ENV_VARS, str(threads))
