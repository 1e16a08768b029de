"""What the warm engine's children do (invert/engine/server.py forks them): measure a sweep,
run a learner's script or an invert command as a fresh process would, and, in a spare child
waiting for work, warm up. Also what the engine loads before it serves.

Each `*_child` function runs in a forked child and returns its exit code.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import sys
import traceback
import warnings
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from invert.engine.server import Server

PRELOADED = ("sklearn", "pandas", "numpy", "scipy")  # what a script's imports may load here


def scripts_imports(catalog: Any) -> list[str]:
    """The modules the catalogue's starters import from the libraries in PRELOADED: loaded
    once here, a learner's run of a starter finds them loaded (a fifth of a second of
    scikit-learn's datasets, metrics and estimators). Never the learner's own modules, never
    torch (a second and a third of a gigabyte for one starter), never pyplot (it would fix the
    plotting backend for every script)."""
    import ast

    found: set[str] = set()
    for starter in catalog.starters.values():
        try:
            tree = ast.parse(Path(starter.script).read_text(encoding="utf-8"))
        except (OSError, SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module)
    return sorted(m for m in found if m.partition(".")[0] in PRELOADED)


def touch(control: int) -> None:
    """What most scripts do, done small, in a spare child before it is given one: the pages of
    pandas, NumPy and scikit-learn they touch are copied now, not while the learner waits. It
    stops as soon as work arrives on `control`."""
    import select

    def arrived() -> bool:
        return bool(select.select([control], [], [], 0)[0])

    with contextlib.suppress(Exception), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import numpy as np
        import pandas as pd
        from sklearn.ensemble import RandomForestClassifier
        from sklearn.linear_model import LogisticRegression
        from sklearn.metrics import accuracy_score
        from sklearn.model_selection import train_test_split

        rng = np.random.default_rng(0)
        X = pd.DataFrame(rng.normal(size=(60, 4)), columns=list("abcd"))
        y = pd.Series(rng.integers(0, 3, 60)).map({0: "x", 1: "y", 2: "z"})
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        if arrived():
            return
        X.describe().to_string()
        y.value_counts().to_string()
        for model in (RandomForestClassifier(n_estimators=5, random_state=0), LogisticRegression()):
            if arrived():
                return
            accuracy_score(y_test, model.fit(X_train, y_train).predict(X_test))


def draw_once() -> None:
    """Draw a chart of each kind to nowhere: the first drawing loads fonts and Plotly's
    templates (half a second), which the learner's first sweep would otherwise wait for."""
    import plotly.graph_objects as go
    import plotly.io
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(2, 2))
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    axes.errorbar([1, 2], [1, 2], yerr=[0.1, 0.1], label="test")
    axes.legend()
    figure.tight_layout()
    figure.savefig(io.BytesIO(), format="png")
    page = go.Figure(data=[{"x": [1, 2], "y": [1, 2]}])
    page.update_layout(template="plotly_white")
    plotly.io.to_html(page, include_plotlyjs=False)


def sweep_child(server: Server, body: dict[str, Any], writer: Connection) -> int:
    from dataclasses import asdict

    from invert.engine.cache import ResultCache
    from invert.engine.measure import measure
    from invert.errors import LearnerError

    plan, key = body["plan"], body["key"]
    charts = body.get("charts")
    problems: list[str] = []

    def draw(result: Any) -> None:
        if not charts:
            return
        from invert.plots import write_html, write_png

        try:
            title, log = charts["title"], charts["log"]
            write_html(result, Path(charts["html"]), title, log, Path(charts["script"]))
            write_png(result, Path(charts["png"]), title, log)
        except OSError as exc:
            problems.append(exc.strerror or str(exc))

    try:
        result, warnings = measure(
            server.catalog,
            plan,
            key,
            ResultCache(server.address.root / ".invert" / "cache" / "sweeps"),
            jobs=body.get("jobs"),
            budget=body.get("budget"),
            memory_limit=body.get("memory_limit"),
            on_outcome=lambda index, outcome: writer.send(("outcome", (index, outcome))),
            on_point=lambda index, point: writer.send(("point", (index, asdict(point)))),
            before_storing=draw,
        )
        done: dict[str, Any] = {"result": result.to_json(), "warnings": warnings}
        if problems:
            done["charts_error"] = problems[0]
        writer.send(("done", done))
        return 0
    except LearnerError as exc:
        writer.send(("error", {"learner": True, "message": str(exc)}))
        return 0
    except Exception as exc:
        traceback.print_exc()
        writer.send(("error", {"learner": False, "message": f"{type(exc).__name__}: {exc}"}))
        return 1


def become(body: dict[str, Any], out: int, err: int) -> None:
    """Make this forked child look like a fresh process started by the client: its output to
    the relay pipes, no input, the client's folder and environment, fresh random seeds."""
    import random

    os.dup2(out, 1)
    os.dup2(err, 2)
    for pipe in {out, err}:
        os.close(pipe)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.chdir(body["cwd"])
    if "env" in body:
        os.environ.clear()
        os.environ.update(body["env"])
    # A fresh interpreter seeds its random generators from the system; a forked one would
    # repeat its parent's numbers on every run.
    random.seed()
    with contextlib.suppress(ImportError):
        import numpy

        numpy.random.seed()
    sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.stdout = open(1, "w", encoding="utf-8", errors="replace", closefd=False, buffering=1)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False, buffering=1)  # noqa: SIM115


def command_child(server: Server, body: dict[str, Any], writer: Connection) -> int:
    """Run an invert command (`invert run ID`) as the client's terminal would have: the same
    arguments, folder and environment, its output relayed, a Ctrl-C passed on as SIGINT."""
    writer.close()
    out, err = body["pipes"]
    become(body, out, err)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if server.run_command is None:
        print("error: this engine runs no commands", file=sys.stderr)
        return 1
    sys.argv = ["invert", *body["argv"]]
    try:
        server.run_command()
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 1
    return 0


def script_child(server: Server, body: dict[str, Any], writer: Connection) -> int:
    """Run the learner's script as ``python script`` would, output into the relay pipe."""
    from invert.runner import child

    writer.close()  # a script's report is its exit and its result file
    # (Its process group, made in _fork, is killed as one at the time limit.)
    (out,) = body["pipes"]
    become(body, out, out)
    journal = body.get("journal")
    if journal:
        child.protect(journal)
    return child.main([body["result"], body["script"], *body["variables"]])
