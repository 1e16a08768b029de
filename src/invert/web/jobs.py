"""Runs that take seconds (a starter, a sweep, a drill check) happen in a thread of the server;
the page polls the job for its output and progress until it is done.

Each job opens its own `Lab` (its own SQLite connection) in its thread, so what it records goes
through the same facade and the same transactions as the CLI.
"""

from __future__ import annotations

import itertools
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invert.errors import LearnerError

if TYPE_CHECKING:
    from invert.lab import Lab

MAX_OUTPUT = 200_000  # characters kept of a run's output; the rest is summarised
KEEP_JOBS = 50


@dataclass
class Job:
    id: str
    kind: str  # "starter", "experiment", "drill", "rebuild"
    subject: str
    started: float = field(default_factory=time.perf_counter)
    output: list[str] = field(default_factory=list)
    size: int = 0
    done_steps: int = 0
    total_steps: int = 0
    finished: float | None = None
    result: Any = None
    error: str | None = None  # a learner's mistake, in one line
    crashed: bool = False  # our bug: the traceback went to the server's console
    # What the job has produced so far, for its page to show while it runs (an experiment's
    # fits as they finish); written by the job's thread under `lock`, read by pages under it.
    data: dict[str, Any] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def write(self, text: str) -> None:
        if self.size < MAX_OUTPUT:
            self.output.append(text[: MAX_OUTPUT - self.size])
            self.size += len(text)

    def progress(self, done: int, total: int) -> None:
        self.done_steps, self.total_steps = done, total

    @property
    def done(self) -> bool:
        return self.finished is not None

    @property
    def seconds(self) -> float:
        return (self.finished or time.perf_counter()) - self.started

    @property
    def text(self) -> str:
        out = "".join(self.output)
        if self.size > MAX_OUTPUT:
            out += f"\n[... {self.size - MAX_OUTPUT} more characters not shown]\n"
        return out


class Jobs:
    """The server's running and recent jobs."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._jobs: dict[str, Job] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def start(self, kind: str, subject: str, work: Callable[[Lab, Job], Any]) -> Job:
        job = Job(id=f"{kind}-{next(self._ids)}", kind=kind, subject=subject)
        with self._lock:
            self._jobs[job.id] = job
            for old in list(self._jobs)[:-KEEP_JOBS]:
                del self._jobs[old]
        threading.Thread(target=self._run, args=(job, work), daemon=True).start()
        return job

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def _run(self, job: Job, work: Callable[[Lab, Job], Any]) -> None:
        from invert.lab import Lab

        try:
            with Lab(self.root) as lab:
                job.result = work(lab, job)
        except LearnerError as exc:
            job.error = str(exc)
        except Exception:
            traceback.print_exc()
            job.crashed = True
            job.error = "invert hit a bug in this run; the details are in the terminal running it"
        finally:
            job.finished = time.perf_counter()
