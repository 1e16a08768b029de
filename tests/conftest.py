"""Shared fixtures: real labs in temporary folders, the real CLI."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import click.testing
import pytest
import typer.main

from invert.catalog.loader import load_catalog
from invert.catalog.models import Catalog
from invert.cli.root import app
from invert.lab import Lab, create_lab

PYTHON = sys.executable

# Set by .ci/run: there a test that needs torch fails when torch is missing, instead of skipping.
REQUIRE_TORCH = os.environ.get("INVERT_REQUIRE_TORCH") == "1"
TORCH_CPU_INSTALL = "pip install torch --index-url https://download.pytorch.org/whl/cpu"


def missing_extras(modules: Iterable[str]) -> list[str]:
    """The optional modules (a content item's `requires`) that cannot be imported here.

    Under INVERT_REQUIRE_TORCH=1 a missing torch fails the calling test: CI never skips it.
    """
    import importlib.util

    def found(module: str) -> bool:
        try:
            return importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):  # a broken install counts as missing, as in invert
            return False

    missing = [m for m in modules if not found(m)]
    if "torch" in missing and REQUIRE_TORCH:
        pytest.fail(f"INVERT_REQUIRE_TORCH=1 but torch is not installed: {TORCH_CPU_INSTALL}")
    return missing


def need(*modules: str) -> None:
    """Skip the calling test, saying why, unless every optional module is installed."""
    missing = missing_extras(modules)
    if missing:
        how = TORCH_CPU_INSTALL if "torch" in missing else f"pip install {' '.join(missing)}"
        pytest.skip(f"needs {', '.join(missing)}, which is not installed ({how})")


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[Lab]:
    with create_lab(tmp_path / "lab") as made:
        yield made


@pytest.fixture
def in_lab(lab: Lab, monkeypatch: pytest.MonkeyPatch) -> Lab:
    """A lab that is also the current folder, as when a learner types commands in it."""
    monkeypatch.chdir(lab.root)
    monkeypatch.delenv("INVERT_LAB", raising=False)
    return lab


# A catalogue of one small item per kind (tests/fixtures/catalog/catalog.toml says what it holds),
# for the tests of invert's code: a drill checks in seconds, not the real ones' tens of seconds.
FIXTURE_CATALOG = Path(__file__).resolve().parent / "fixtures" / "catalog"


@pytest.fixture
def tiny_catalog(monkeypatch: pytest.MonkeyPatch) -> Catalog:
    """The fixture catalogue, made the one invert reads: here, in the in-process CLI and in every
    child process (INVERT_CONTENT, read by invert.catalog.loader.content_dir)."""
    from invert.catalog.loader import CONTENT_ENV

    monkeypatch.setenv(CONTENT_ENV, str(FIXTURE_CATALOG))
    return load_catalog(FIXTURE_CATALOG)


@pytest.fixture
def tiny_lab(
    tiny_catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Lab]:
    """A lab on the fixture catalogue that is also the current folder (as `in_lab`)."""
    with create_lab(tmp_path / "lab") as made:
        assert made.catalog is tiny_catalog
        monkeypatch.chdir(made.root)
        monkeypatch.delenv("INVERT_LAB", raising=False)
        yield made


class Cli:
    """Invoke the real Typer app in-process; `run` returns (exit code, stdout, stderr)."""

    # Typer builds the Click command from the annotations on every call (~85 ms for invert's
    # forty commands); build it once, as a learner's shell process would once per command.
    command = typer.main.get_command(app)

    def __init__(self) -> None:
        self.runner = click.testing.CliRunner()

    def __call__(self, *args: str) -> tuple[int, str, str]:
        result = self.runner.invoke(self.command, list(args), catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    def with_input(self, stdin: str, *args: str) -> tuple[int, str, str]:
        """The same, with `stdin` typed in (not a terminal)."""
        result = self.runner.invoke(self.command, list(args), input=stdin, catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr


# How each fuzzed case ended, by target: printed at the end of the run (tests/test_fuzz.py).
FUZZ_TALLY: Counter[tuple[str, str]] = Counter()


# Test files that use the session's project_lab: on one worker, so it is built once.
SHARED_LAB_FILES = frozenset(
    p.name for p in Path(__file__).parent.glob("test_*.py") if "project_lab:" in p.read_text()
)


# The scopes that take longest (`make test` prints the slowest tests): the project_lab files
# (about 14 min, most of it the four projects run in the fixture), then the drill proofs (7 min).
LONGEST_SCOPES = ("project_lab", "tests/test_drills.py")


def _scope(nodeid: str) -> str:
    """The unit a worker gets whole: a test file, or "project_lab" for the files that share it."""
    path = nodeid.split("::", 1)[0]
    return "project_lab" if Path(path).name in SHARED_LAB_FILES else path


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On an xdist worker, list the longest scopes first, then every file that holds a `content`
    or `slow` test, then the rest (each file's tests in their own order). The scheduler below
    hands out files in this order, so the long ones start early and the many short ones fill in
    at the end, and the two workers finish together."""
    if not hasattr(config, "workerinput"):
        return
    heavy = {_scope(i.nodeid) for i in items if i.get_closest_marker("content")} | {
        _scope(i.nodeid) for i in items if i.get_closest_marker("slow")
    }

    def rank(item: pytest.Item) -> int:
        scope = _scope(item.nodeid)
        if scope in LONGEST_SCOPES:
            return LONGEST_SCOPES.index(scope)
        return len(LONGEST_SCOPES) + (scope not in heavy)

    items.sort(key=rank)  # stable: a file's tests keep their order


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: Any, log: Any) -> Any:
    """With pytest-xdist (`make test` runs `-n 2`), send each test file whole to one worker, so
    that its module fixtures are built once; the files sharing project_lab go together."""
    from xdist.scheduler import LoadScopeScheduling

    class ByFile(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            return _scope(nodeid)

        def _assign_work_unit(self, node: Any) -> None:
            # The longest scopes start first, one on each worker; the rest fill in around them.
            for scope in reversed(LONGEST_SCOPES):
                if scope in self.workqueue:
                    self.workqueue.move_to_end(scope, last=False)
            super()._assign_work_unit(node)

    return ByFile(config, log)


def pytest_configure(config: pytest.Config) -> None:
    import tempfile

    import stray_processes  # nothing a test starts may outlive the run

    stray_processes.pytest_configure(config)
    # invert keeps the shipped content's parsed files in the user's cache folder: the tests' own,
    # never the developer's, and never inside a lab (a spawned CLI's HOME is its lab folder).
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="invert-test-cache-")
    # The labs' warm engines: the run's own, ended when it ends (below), and quick to end
    # themselves when idle, so that a run's many labs do not hold many engines.
    os.environ["INVERT_ENGINE_DIR"] = tempfile.mkdtemp(prefix="invert-test-engines-")
    os.environ.setdefault("INVERT_ENGINE_IDLE", "20")


def stop_engines() -> None:
    """End every engine the run started (tests/stray_processes.py would call them strays)."""
    folder = Path(os.environ.get("INVERT_ENGINE_DIR", ""))
    pids = []
    for info in folder.glob("*.json") if folder.name else []:
        with contextlib.suppress(OSError, ValueError):
            pids.append(int(json.loads(info.read_text())["pid"]))
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 5
    for pid in pids:
        while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
            time.sleep(0.02)


@pytest.hookimpl(hookwrapper=True)
def pytest_sessionfinish(session: Any) -> Any:
    stop_engines()  # before any other plugin's end of session: the stray-process check
    yield
    _hand_tally(session)


def _hand_tally(session: Any) -> None:
    output = getattr(session.config, "workeroutput", None)
    if output is not None:  # an xdist worker: hand the tally to the controller
        output["fuzz_tally"] = [[target, end, n] for (target, end), n in FUZZ_TALLY.items()]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    for target, end, n in getattr(node, "workeroutput", {}).get("fuzz_tally", []):
        FUZZ_TALLY[target, end] += n


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not FUZZ_TALLY:
        return
    terminalreporter.section("hostile input (tests/test_fuzz.py)")
    targets = sorted({target for target, _ in FUZZ_TALLY})
    for target in targets:
        ok, refused = FUZZ_TALLY[target, "succeeded"], FUZZ_TALLY[target, "refused"]
        terminalreporter.write_line(
            f"{target}: {ok + refused} cases survived "
            f"({ok} succeeded, {refused} refused in one line)"
        )


@pytest.fixture
def cli() -> Cli:
    return Cli()


def invert_process(
    *args: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    timeout: float = 300,
    python_flags: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[str]:
    """Run `python -m invert ARGS` as a separate process, as a learner's shell would."""
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", **(env or {})}
    full_env.pop("INVERT_LAB", None)
    return subprocess.run(
        [PYTHON, *python_flags, "-m", "invert", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def spawn_invert(
    *args: str,
    cwd: Path,
    timeout: float = 60,
    env: dict[str, str] | None = None,
    rows: int = 50,
) -> Any:
    """`python -m invert ARGS` in a real pseudo-terminal (pexpect), `rows` by 100 columns; `env`
    adds to (or overrides) its small environment."""
    import pexpect

    return pexpect.spawn(
        PYTHON,
        ["-m", "invert", *args],
        cwd=str(cwd),
        env={
            "NO_COLOR": "1",
            "COLUMNS": "100",
            "PATH": "/usr/bin:/bin",
            "TERM": "dumb",
            "HOME": str(cwd),
            "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"],  # set for the run: pytest_configure
            "INVERT_ENGINE_DIR": os.environ["INVERT_ENGINE_DIR"],  # likewise
            "INVERT_ENGINE_IDLE": os.environ["INVERT_ENGINE_IDLE"],
            # tests/stray_processes.py finds what a test left running by this mark.
            "INVERT_TEST_SESSION": os.environ.get("INVERT_TEST_SESSION", ""),
            # A worktree's tests set PYTHONPATH to its src/: the child must import the same code.
            **({"PYTHONPATH": os.environ["PYTHONPATH"]} if "PYTHONPATH" in os.environ else {}),
            **(env or {}),
        },
        encoding="utf-8",
        timeout=timeout,
        dimensions=(rows, 100),
        # Started as from a shell: Ctrl-C reaches it even when this test process ignores
        # SIGINT (an ignored signal stays ignored across exec; a learner's shell never does that).
        preexec_fn=_default_signals,
    )


def _default_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)


@contextlib.contextmanager
def serving(root: Path, prefix: tuple[str, ...] = ()) -> Iterator[str]:
    """The real `invert serve --no-browser` in the lab at `root`, on a free loopback port; yields
    the address it printed (with its token). Stopped with Ctrl-C after; it must not have failed.
    `prefix` runs it through another command (tests/test_lab_file.py: without root's powers)."""
    import re
    import signal
    import socket
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    env.pop("INVERT_LAB", None)
    log = root.parent / "serve.log"  # a file, not a pipe: a full pipe would block the server
    with log.open("w") as out:
        process = subprocess.Popen(
            [*prefix, PYTHON, "-m", "invert", "serve", "--no-browser", "--port", str(port)],
            cwd=root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = None
    deadline = time.monotonic() + 60
    while url is None and time.monotonic() < deadline and process.poll() is None:
        found = re.search(r"Open: (\S+)", log.read_text())
        url = found.group(1) if found else time.sleep(0.1)
    try:
        assert url is not None, f"invert serve printed no address: {log.read_text()}"
        assert url.startswith(f"http://127.0.0.1:{port}/?token=")
        yield url
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert "Traceback" not in log.read_text(), log.read_text()
    # Ctrl-C, the one way to stop it: one line saying what was kept, and 130, as every command.
    if process.returncode != -signal.SIGKILL:
        assert process.returncode == 130, log.read_text()
        assert (
            log.read_text()
            .rstrip()
            .endswith("Stopped: the server is down; everything it saved is in your lab.")
        ), log.read_text()


def lab_fingerprint(root: Path) -> dict[str, str]:
    """Hashes of every file in a lab, the journal's content included, to prove nothing changed."""
    import sqlite3

    prints = {}
    for path in sorted(root.rglob("*")):
        if (
            path.is_file()
            and path.suffix not in (".db", ".db-wal", ".db-shm")
            and "-wal" not in path.name
        ):
            prints[path.relative_to(root).as_posix()] = hashlib.sha256(
                path.read_bytes()
            ).hexdigest()
    db = root / ".invert" / "lab.db"
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT uid, at, kind, subject, payload FROM events ORDER BY id"
        ).fetchall()
        progress = conn.execute("SELECT * FROM starter_progress ORDER BY starter").fetchall()
    prints["journal"] = hashlib.sha256(repr((rows, progress)).encode()).hexdigest()
    return prints


# --- a lab with a project on every bundled dataset, run end to end (shared: minutes of work) --

BUNDLED_PROJECTS = {
    # name: (data file, target, expected task)
    "penguins": ("penguins.csv", "species", "classification"),
    "titanic": ("titanic3.csv", "survived", "classification"),
    "ames": ("ames_housing.csv.gz", "SalePrice", "regression"),
    "adult": ("adult.csv.gz", "income", "classification"),
}


@pytest.fixture(scope="session")
def project_lab(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One lab, `invert project new` and `invert project run` on each bundled dataset, with an
    experiment tried, a why-question asked and a drill fixed: what a portfolio is made of."""
    import shutil
    from concurrent.futures import ThreadPoolExecutor

    data = Path(__file__).resolve().parent.parent / "src" / "invert" / "content" / "data"
    root = tmp_path_factory.mktemp("projects") / "lab"
    create_lab(root).close()
    made: dict[str, Any] = {"root": root, "new": {}, "run": {}, "output": {}}
    for name, (file, target, _) in BUNDLED_PROJECTS.items():
        done = invert_process(
            "project",
            "new",
            str(data / file),
            "--target",
            target,
            "--name",
            name,
            "--json",
            cwd=root,
        )
        assert done.returncode == 0, done.stderr
        made["new"][name] = json.loads(done.stdout)

    def run(name: str) -> subprocess.CompletedProcess[str]:
        return invert_process("project", "run", name, cwd=root, timeout=900)

    # Two projects at a time: steps 1-3 and 7 use one core, the cross-validation two.
    with ThreadPoolExecutor(2) as pool:
        for name, done in zip(BUNDLED_PROJECTS, pool.map(run, BUNDLED_PROJECTS), strict=True):
            assert done.returncode == 0, done.stdout[-3000:] + done.stderr
            made["output"][name] = done.stdout
    for args in (
        [
            "try",
            "feature-scaling-knn",
            "--predict",
            "rises",
            "--confidence",
            "0.8",
            "--note",
            "scaling lets every feature count",
            "--why",
            "why does kNN care about units?",
        ],
        ["drill", "titanic-too-good"],
    ):
        done = invert_process(*args, cwd=root)
        assert done.returncode == 0, done.stderr
    drill = load_catalog().drill("titanic-too-good")
    shutil.copyfile(drill.solution, root / "drills" / drill.filename)
    done = invert_process("check", "titanic-too-good", cwd=root, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return made
