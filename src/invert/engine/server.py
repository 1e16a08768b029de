"""The warm engine: one long-lived process per lab that keeps scikit-learn, pandas, Matplotlib and
the lab's datasets loaded, and forks a child for each piece of work handed to it.

A fresh Python pays about a second importing those libraries before its first fit; a child forked
from this process starts with them loaded. The CLI and the web app hand work here through
invert.engine.client, which starts the engine on first need (`python -m invert.cli.engine_main
LAB`); it ends itself after a quiet period (address.idle_seconds).

The process is single-threaded: one loop accepts connections, reads requests, forks children and
relays what they send back. Work never runs in the loop itself, so the engine answers at once
while sweeps run. Three kinds of work:

- a sweep (`sweep`, or `prepare` to start one and answer nothing): a child runs the engine's
  lanes, sends each fit's outcome as it finishes, stores the result in the lab's cache and draws
  its charts. A second request for a sweep already running joins it (it is sent what was
  measured so far, then the rest): computing ahead while the learner predicts is just that.
- a script (`run`): a child runs the learner's script as ``python script`` would
  (invert/runner/child.py), in its own process group, its output streamed back, killed with its
  group at the time limit or when the client goes away.
- `ping`: the engine's pid and build.

What the children do is in invert/engine/children.py; two children are kept forked ahead and
warmed for the next script or command (Server._spare_up).

A request whose build (address.fingerprint) or sweep key differs from this engine's is answered
`stale`, and the engine steps down: it stops listening, finishes what it runs, and ends.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import selectors
import signal
import socket
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, NoReturn

from invert.engine.address import Address, fingerprint, idle_seconds
from invert.engine.children import (
    command_child,
    draw_once,
    script_child,
    scripts_imports,
    sweep_child,
    touch,
)

MAX_OUTPUT_CHARS = 1_000_000  # of a script's output relayed; the rest is dropped and counted
BEAT = 5.0  # seconds between the "still here" each waiting client hears while its work runs
TRACE = os.environ.get("INVERT_ENGINE_TRACE") == "1"
SPARES = 2  # children kept forked ahead (Server._spare_up)
PIPE_GRACE = 1.0  # seconds a child's output may stay open after it exited (held by an escapee)


@dataclass
class Task:
    """A forked child at work, and the connections that hear from it."""

    pid: int
    reader: Connection  # what the child sends: ("outcome", ...), ("done", ...), ("error", ...)
    key: str | None = None  # a sweep's cache key: a second request for it joins this task
    messages: list[tuple[str, Any]] = field(default_factory=list)  # replayed to who joins late
    listeners: list[Connection] = field(default_factory=list)
    reader_open: bool = True
    kind: str = "sweep"  # "sweep", "script" (a learner's), "command" (an invert command)
    pipes: dict[int, str] = field(default_factory=dict)  # open output pipes -> message kind
    relayed: int = 0
    dropped: int = 0
    deadline: float | None = None
    timed_out: bool = False
    result_path: Path | None = None
    exit_code: int | None = None
    exited: float = 0.0  # when its exit was seen (monotonic)
    started: float = field(default_factory=time.monotonic)
    finished: bool = False  # the child said done (or failed); waiting for it to exit


@dataclass
class Spare:
    """A child forked ahead for the next script or command (see Server._spare_up)."""

    pid: int
    reader: Connection
    control: int  # its work is written here
    out: int
    err: int

    def close(self) -> None:
        for end in (self.control, self.out, self.err):
            with contextlib.suppress(OSError):
                os.close(end)
        with contextlib.suppress(OSError):
            self.reader.close()


class Server:
    def __init__(self, address: Address) -> None:
        self.address = address
        self.build = fingerprint()
        self.selector = selectors.DefaultSelector()
        self.tasks: list[Task] = []
        self.clients: set[Connection] = set()
        self.listening: socket.socket | None = None
        self.last_active = time.monotonic()
        self.catalog: Any = None
        # Set by the program that runs the engine (invert/cli/engine_main.py), so that the
        # engine, below the CLI, never imports it: how to load the commands it runs, and how to
        # run one (given sys.argv).
        self.warm_commands: Callable[[], None] | None = None
        self.run_command: Callable[[], None] | None = None
        self.wake: tuple[int, ...] = ()  # the pipe a child's exit writes to (see serve)
        # Children forked ahead for the next scripts or commands: two, as `invert run` asks for a
        # command, which asks for a script.
        self.spares: list[Spare] = []

    # --- life -----------------------------------------------------------------------------

    def bind(self) -> bool:
        """Listen on the lab's socket; False if another engine already does."""
        path = str(self.address.socket)
        with contextlib.suppress(FileNotFoundError):
            probe = socket.socket(socket.AF_UNIX)
            try:
                probe.connect(path)
                return False  # a live engine answers there
            except OSError:
                os.unlink(path)  # a dead engine's socket
            finally:
                probe.close()
        self.listening = socket.socket(socket.AF_UNIX)
        self.listening.bind(path)
        self.listening.listen(64)
        self.listening.setblocking(False)
        self.selector.register(self.listening, selectors.EVENT_READ, ("accept", None))
        self._write_info(ready=False)
        return True

    def warm_up(self) -> None:
        """Load what every piece of work needs, once: the libraries, the catalogue, its data."""
        import importlib

        import numpy  # noqa: F401
        import pandas  # noqa: F401
        import scipy.stats  # type: ignore[import-untyped]  # noqa: F401
        import sklearn.compose
        import sklearn.impute
        import sklearn.metrics
        import sklearn.model_selection
        import sklearn.pipeline
        import sklearn.preprocessing  # noqa: F401
        import threadpoolctl  # noqa: F401
        from matplotlib.backends import backend_agg  # noqa: F401
        from matplotlib.figure import Figure  # noqa: F401

        from invert.catalog.loader import load_catalog
        from invert.engine import lanes, sweep  # noqa: F401

        importlib.import_module("invert.runner.process")
        if self.warm_commands is not None:  # the CLI's side: invert/cli/engine_main.py
            self.warm_commands()
        self.catalog = load_catalog()
        from invert.engine.link import Link

        Link._build = self.build  # a child's own requests (a command's script) carry it
        for module in scripts_imports(self.catalog):
            with contextlib.suppress(Exception):  # a script that needs it says so itself
                importlib.import_module(module)
        draw_once()
        for experiment in self.catalog.experiments.values():
            with contextlib.suppress(ImportError):
                importlib.import_module(experiment.estimator.rpartition(".")[0])
            with contextlib.suppress(Exception):  # a dataset that fails fails in the sweep
                sweep.load_xy(self.catalog, experiment)
        self._write_info(ready=True)

    def _write_info(self, ready: bool) -> None:
        info = {"pid": os.getpid(), "fingerprint": self.build, "root": str(self.address.root)}
        tmp = self.address.info.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({**info, "ready": ready}), encoding="utf-8")
        os.replace(tmp, self.address.info)

    def step_down(self) -> None:
        """Stop taking new work (the files go to the engine that replaces this one)."""
        self._end_spares()
        if self.listening is None:
            return
        self.selector.unregister(self.listening)
        self.listening.close()
        self.listening = None
        if self.address.read_info().get("pid") == os.getpid():
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.address.socket)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.address.info)

    def serve(self) -> None:
        idle = idle_seconds()
        # A child's exit wakes the loop at once (its exit code finishes a script's or a
        # command's task): the signal writes a byte to this pipe, which the loop watches.
        wake_read, wake_write = self.wake = os.pipe()
        for end in (wake_read, wake_write):
            os.set_blocking(end, False)
        signal.set_wakeup_fd(wake_write)
        signal.signal(signal.SIGCHLD, lambda signum, frame: None)
        self.selector.register(wake_read, selectors.EVENT_READ, ("wake", None))
        beaten = time.monotonic()
        self._spare_up()
        while True:
            busy = bool(self.tasks or self.clients)
            if busy:
                self.last_active = time.monotonic()
            elif self.listening is None or time.monotonic() - self.last_active > idle:
                break
            for selected, _ in self.selector.select(0.5):
                what, task = selected.data
                if what == "wake":
                    with contextlib.suppress(BlockingIOError):
                        os.read(wake_read, 512)
                elif what == "accept":
                    self._accept()
                elif what == "client":
                    self._request(selected.fileobj)  # type: ignore[arg-type]
                elif what == "listener":
                    self._listener_left(selected.fileobj, task)  # type: ignore[arg-type]
                elif what == "child":
                    self._from_child(task)
                elif what == "output":
                    self._output(*task)
            self._reap()
            if time.monotonic() - beaten >= BEAT:
                beaten = time.monotonic()
                for task in self.tasks:
                    self._tell(task, ("beat", None))
        self.step_down()

    # --- requests ---------------------------------------------------------------------------

    def _accept(self) -> None:
        assert self.listening is not None
        try:
            raw, _ = self.listening.accept()
        except BlockingIOError:
            return
        raw.setblocking(True)
        conn = Connection(raw.detach())
        self.clients.add(conn)
        self.selector.register(conn, selectors.EVENT_READ, ("client", None))

    def _drop(self, conn: Connection) -> None:
        self.clients.discard(conn)
        with contextlib.suppress(KeyError, ValueError, OSError):
            self.selector.unregister(conn)
        conn.close()

    def _listen(self, conn: Connection, task: Task) -> None:
        """`conn` hears from `task` from now on; its closing is noticed at once."""
        self.clients.discard(conn)
        with contextlib.suppress(KeyError, ValueError):
            self.selector.unregister(conn)
        task.listeners.append(conn)
        self.selector.register(conn, selectors.EVENT_READ, ("listener", task))

    def _listener_left(self, conn: Connection, task: Task) -> None:
        """A listener hung up, or (a command's) asks to interrupt it: a Ctrl-C in the learner's
        terminal, passed on as one, so that the command stops as it would in that terminal."""
        try:
            message = conn.recv()
        except (EOFError, OSError, ValueError):
            self._unlisten(task, conn)
            return
        if task.kind == "command" and message == ("interrupt", None):
            with contextlib.suppress(ProcessLookupError):
                os.kill(task.pid, signal.SIGINT)
        else:
            self._unlisten(task, conn)

    def _unlisten(self, task: Task, conn: Connection) -> None:
        if conn in task.listeners:
            task.listeners.remove(conn)
        with contextlib.suppress(KeyError, ValueError, OSError):
            self.selector.unregister(conn)
        conn.close()
        if task.kind != "sweep" and not task.listeners and task.exit_code is None:
            kill_group(task.pid)  # a script nobody waits for: the learner stopped it

    def _request(self, conn: Connection) -> None:
        try:
            op, body = conn.recv()
            if not isinstance(body, dict):
                raise TypeError("a request is (op, body)")
        except Exception:  # hung up, or sent something that is no request: only it is dropped
            self._drop(conn)
            return
        self.last_active = time.monotonic()
        try:
            self._answer(conn, op, body)
        except Exception as exc:  # our bug, in one request: it is told, and the loop goes on
            traceback.print_exc()
            self._send(
                conn, ("error", {"learner": False, "message": f"{type(exc).__name__}: {exc}"})
            )
            self._drop(conn)

    def _answer(self, conn: Connection, op: str, body: dict[str, Any]) -> None:
        if body.get("version") != self.build:
            self._send(conn, ("stale", "invert was updated since this engine started"))
            self._drop(conn)
            self.step_down()
            return
        if op == "ping":
            self._send(conn, ("pong", {"pid": os.getpid(), "fingerprint": self.build}))
            self._drop(conn)
        elif op in ("sweep", "prepare"):
            self._sweep(conn, body, detach=op == "prepare")
        elif op == "run":
            self._run(conn, body)
        elif op == "command":
            self._command(conn, body)
        else:
            self._send(conn, ("error", {"learner": False, "message": f"unknown request {op!r}"}))
            self._drop(conn)

    def _send(self, conn: Connection, message: tuple[str, Any]) -> bool:
        try:
            conn.send(message)
            return True
        except (OSError, ValueError):
            return False

    def _sweep(self, conn: Connection, body: dict[str, Any], detach: bool) -> None:
        from invert.engine.cache import ResultCache
        from invert.engine.plan import cache_key

        plan, key = body["plan"], body["key"]
        try:
            mine = cache_key(self.catalog, plan)
        except Exception:  # the plan names something this catalogue lacks
            mine = None
        if mine != key:
            self._send(conn, ("stale", "the lab's content or data changed since it started"))
            self._drop(conn)
            self.step_down()
            return
        self._send(conn, ("accepted", None))
        self._drop_from_clients(conn)
        running = next((t for t in self.tasks if t.key == key), None)
        if running is None:
            cached = ResultCache(self.address.root / ".invert" / "cache" / "sweeps").get(key)
            if cached is not None and not detach:
                self._send(conn, ("done", {"result": cached.to_json(), "warnings": []}))
            if cached is not None:
                conn.close()
                return
            running = self._fork(key, sweep_child, body)
        if detach:
            conn.close()
            return
        for message in running.messages:
            if not self._send(conn, message):
                conn.close()
                return
        self._listen(conn, running)

    def _drop_from_clients(self, conn: Connection) -> None:
        self.clients.discard(conn)
        with contextlib.suppress(KeyError, ValueError):
            self.selector.unregister(conn)

    def _run(self, conn: Connection, body: dict[str, Any]) -> None:
        fd, result = tempfile.mkstemp(prefix="invert-run-", suffix=".json")
        os.close(fd)
        task = self._piped(conn, "script", script_child, {**body, "result": result}, ("output",))
        task.result_path = Path(result)
        task.deadline = time.monotonic() + float(body["timeout"])

    def _command(self, conn: Connection, body: dict[str, Any]) -> None:
        self._piped(conn, "command", command_child, body, ("out", "err"))

    def _piped(
        self, conn: Connection, kind: str, work: Any, body: dict[str, Any], streams: tuple[str, ...]
    ) -> Task:
        """Fork `work` with its output in pipes (one per stream) relayed to `conn`."""
        self._send(conn, ("accepted", None))
        self._drop_from_clients(conn)
        spare = self._take_spare()
        if spare is not None:
            task = Task(pid=spare.pid, reader=spare.reader)
            self.tasks.append(task)
            self.selector.register(spare.reader, selectors.EVENT_READ, ("child", task))
            reads = [spare.out] if len(streams) == 1 else [spare.out, spare.err]
            if len(streams) == 1:
                os.close(spare.err)
            data = pickle.dumps((kind, body))
            with contextlib.suppress(BrokenPipeError):  # it died after all: its exit says so
                os.write(spare.control, data)
            os.close(spare.control)
        else:
            pipes = [os.pipe() for _ in streams]
            task = self._fork(None, work, {**body, "pipes": [w for _, w in pipes]})
            for _, write in pipes:
                os.close(write)
            reads = [r for r, _ in pipes]
        task.kind = kind
        for read, stream in zip(reads, streams, strict=True):
            os.set_blocking(read, False)
            task.pipes[read] = stream
            self.selector.register(read, selectors.EVENT_READ, ("output", (task, read)))
        self._listen(conn, task)
        self._spare_up()  # the next one
        return task

    def _in_child(self, reader: Connection) -> None:
        """In a child just forked: a process group of its own, none of the loop's files, and
        an end with the engine's (a killed engine leaves no work running that nobody hears)."""
        engine = os.getppid()
        _end_with_parent()
        if os.getppid() != engine:  # it ended before the line above
            os._exit(1)
        os.setpgid(0, 0)  # with its lanes or what the script starts: ended as one
        reader.close()
        self.selector.close()
        if self.listening is not None:
            self.listening.close()
        for client in self.clients:
            client.close()
        for other in self.tasks:
            with contextlib.suppress(OSError):
                other.reader.close()
            for pipe in other.pipes:
                os.close(pipe)
            for conn in other.listeners:
                conn.close()
        for spare in self.spares:
            spare.close()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.set_wakeup_fd(-1)
        for end in self.wake:
            os.close(end)

    def _spare_up(self) -> None:
        """Fork the child for the next script or command now, while nothing waits for it.

        It warms itself (`_touch`) and waits for its work on a pipe. A child forked from this
        process shares its memory until it writes to it, and the first run of a script in a
        fresh child spends a fifth of its time copying the pages it touches (Python writes a
        reference count into every object it uses); the spare has copied them before the
        learner asks, and the fork itself is done too.
        """
        while len(self.spares) < SPARES and self.listening is not None:
            self.spares.append(self._spare())

    def _spare(self) -> Spare:
        control_read, control = os.pipe()
        out_read, out = os.pipe()
        err_read, err = os.pipe()
        reader, writer = _pipe()
        pid = os.fork()
        if pid == 0:

            def wait_for_work() -> int:
                self._in_child(reader)
                for end in (control, out_read, err_read):
                    os.close(end)
                touch(control_read)
                data = b""
                while chunk := os.read(control_read, 1 << 16):
                    data += chunk
                if not data:  # not needed after all: the engine is ending
                    return 0
                kind, body = pickle.loads(data)
                if kind == "script":
                    os.close(err)
                    return script_child(self, {**body, "pipes": [out]}, writer)
                return command_child(self, {**body, "pipes": [out, err]}, writer)

            _child_life(wait_for_work)
        for end in (control_read, out, err):
            os.close(end)
        writer.close()
        return Spare(pid, reader, control, out_read, err_read)

    def _take_spare(self) -> Spare | None:
        """The oldest spare child still alive (a spare is not in `tasks` until taken)."""
        while self.spares:
            spare = self.spares.pop(0)
            try:
                gone = os.waitpid(spare.pid, os.WNOHANG)[0] != 0
            except ChildProcessError:
                gone = True
            if not gone:
                return spare
            spare.close()
        return None

    def _end_spares(self) -> None:
        spares, self.spares = self.spares, []
        for spare in spares:
            spare.close()  # it reads the end of its pipe, and leaves
            kill_group(spare.pid)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(spare.pid, 0)

    def _fork(self, key: str | None, work: Any, body: dict[str, Any]) -> Task:
        reader, writer = _pipe()
        pid = os.fork()
        if pid == 0:  # the child: do the work, report, and never return into the loop

            def do_work() -> int:
                self._in_child(reader)
                return int(work(self, body, writer))

            _child_life(do_work)
        writer.close()
        task = Task(pid=pid, reader=reader, key=key)
        self.tasks.append(task)
        self.selector.register(reader, selectors.EVENT_READ, ("child", task))
        return task

    # --- what children send -----------------------------------------------------------------

    def _from_child(self, task: Task) -> None:
        try:
            message = task.reader.recv()
        except (EOFError, OSError):
            self.selector.unregister(task.reader)
            task.reader.close()
            task.reader_open = False
            if not task.finished and task.kind == "sweep":
                # A sweep child that died without a word (killed, out of memory).
                self._tell(task, ("error", {"learner": False, "message": "the sweep's process "
                                            "ended before it finished"}))  # fmt: skip
                task.finished = True
            return
        if task.key is not None:
            task.messages.append(message)
        if message[0] in ("done", "error"):
            task.finished = True
        self._tell(task, message)

    def _tell(self, task: Task, message: tuple[str, Any]) -> None:
        for conn in list(task.listeners):
            if not self._send(conn, message):
                self._unlisten(task, conn)

    def _output(self, task: Task, pipe: int) -> None:
        try:
            chunk = os.read(pipe, 65536)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        if not chunk:
            self.selector.unregister(pipe)
            os.close(pipe)
            del task.pipes[pipe]  # once all are closed, the child's exit finishes the task
            return
        text = chunk.decode("utf-8", errors="replace")
        room = MAX_OUTPUT_CHARS - task.relayed
        if room > 0:
            self._tell(task, (task.pipes[pipe], text[:room]))
        task.relayed += min(len(text), max(room, 0))
        task.dropped += max(0, len(text) - max(room, 0))

    def _reap(self) -> None:
        now = time.monotonic()
        for task in list(self.tasks):
            if task.deadline is not None and now > task.deadline and not task.timed_out:
                task.timed_out = True
                kill_group(task.pid)
            if task.exit_code is None:
                try:
                    pid, status = os.waitpid(task.pid, os.WNOHANG)
                except ChildProcessError:
                    pid, status = task.pid, 0
                if pid == 0:
                    continue
                task.exit_code = os.waitstatus_to_exitcode(status)
                task.exited = now
            if task.pipes and task.exit_code is not None and now - task.exited > PIPE_GRACE:
                # Something it started holds the output open (in its group, or one that left
                # it): stop waiting for it.
                for pipe in list(task.pipes):
                    self.selector.unregister(pipe)
                    os.close(pipe)
                task.pipes.clear()
            if task.pipes or task.reader_open:
                continue  # it has more to say
            if task.kind != "sweep":
                # Whatever it started and left in its group goes with it, once its output is
                # read or the grace is over (not at its exit: a child it forked a moment before
                # may not have left the group yet, as `python script` would let it).
                kill_group(task.pid)
            if task.kind == "script":  # its output is read and it has exited
                self._tell(task, ("done", self._script_report(task)))
            elif task.kind == "command":
                self._tell(task, ("done", {"exit_code": task.exit_code}))
            for conn in list(task.listeners):
                self._unlisten(task, conn)
            self.tasks.remove(task)
            self.last_active = now
            if TRACE:  # INVERT_ENGINE_TRACE=1: each task's kind and time, in the engine's log
                took = task.exited - task.started
                print(f"{task.kind} {task.pid}: {took:.3f} s", file=sys.stderr, flush=True)

    def _script_report(self, task: Task) -> dict[str, Any]:
        assert task.result_path is not None
        try:
            found = json.loads(task.result_path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            found = {}
        finally:
            task.result_path.unlink(missing_ok=True)
        return {
            "exit_code": task.exit_code if task.exit_code is not None else -9,
            "values": found.get("values", {}),
            "error": found.get("error"),
            "timed_out": task.timed_out,
            "dropped": task.dropped,
        }


def _pipe() -> tuple[Connection, Connection]:
    import multiprocessing

    reader, writer = multiprocessing.Pipe(duplex=False)
    return reader, writer


def _child_life(work: Callable[[], int]) -> NoReturn:
    """A forked child's whole life: `work`, its exit code, and the exit itself (never a return
    into the engine's loop, whatever happens)."""
    code = 1
    try:
        code = work()
    except BaseException:
        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def _end_with_parent() -> None:
    """Linux: this process is killed when the engine that forked it dies (PR_SET_PDEATHSIG)."""
    import ctypes
    import ctypes.util

    with contextlib.suppress(OSError, AttributeError, TypeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
