"""README.md's "A short tour", run in its own order as one test: a newcomer's first hour.

The commands are read from the README itself, so the test follows the README when it changes.
A fresh lab is made as `make start` makes it (`invert start invert-lab`); each command then runs
through the real CLI in that lab. The few a test cannot type as written (an editor, an answer in
the learner's own words, a prompt, a server) are replaced in SUBSTITUTES, in plain sight; every
other line runs exactly as the README prints it and must exit 0.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import PYTHON, Cli, serving
from invert.catalog.loader import load_catalog

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
STILL_BROKEN = 1  # `invert check` before the fix: "exits 0 when fixed or passed and 1 otherwise"
OWN_WORDS = (
    "a single tree overfits the noise in its sample, and averaging many trees grown on "
    "bootstrap resamples cancels much of that variance while keeping the bias low"
)


def tour_commands() -> list[list[str]]:
    """The commands of the README's tour block, in order, as the shell splits them."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## A short tour", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    return [shlex.split(line, comments=True) for line in block.splitlines() if line.strip()]


@dataclass
class Newcomer:
    """Types the tour's commands: in-process through the real CLI, in the lab once inside it."""

    cli: Cli
    home: Path
    monkeypatch: pytest.MonkeyPatch
    lab: Path | None = None
    said: dict[str, str] = field(default_factory=dict)  # each command's output, by command

    def invert(self, *args: str, stdin: str | None = None, exit_code: int = 0) -> str:
        if stdin is None:
            code, out, err = self.cli(*args)
        else:
            code, out, err = self.cli.with_input(stdin, *args)
        assert code == exit_code, f"invert {shlex.join(args)} exited {code}:\n{out}\n{err}"
        self.said[shlex.join(args)] = out + err
        return out + err

    def process(self, *args: str, stdin: str) -> str:
        """`invert ARGS` as its own process, for the commands that hand the terminal over."""
        env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
        env.pop("INVERT_LAB", None)
        done = subprocess.run(
            [PYTHON, "-m", "invert", *args],
            cwd=self.lab,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, f"invert {shlex.join(args)}:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def enter(self, folder: str) -> None:
        self.lab = self.home / folder
        self.monkeypatch.chdir(self.lab)


def untouched(why: str) -> Callable[[Newcomer], object]:
    def nothing(_: Newcomer) -> None:
        pass

    nothing.__doc__ = why
    return nothing


def make_the_suggested_edit(me: Newcomer) -> None:
    """`$EDITOR`: the learner makes the one change `Next:` suggested after the first run."""
    assert me.lab is not None
    starter = load_catalog().starter("iris_forest")
    assert starter.edit is not None
    script = me.lab / "starters" / starter.filename
    script.write_text(starter.edit.apply(script.read_text()))


def fix_the_drill_then_watch(me: Newcomer) -> None:
    """`invert watch` waits for saves; the learner's fix (the reference one) is saved first."""
    assert me.lab is not None
    drill = load_catalog().drill("titanic-too-good")
    shutil.copyfile(drill.solution, me.lab / "drills" / drill.filename)
    me.invert("watch")


def new_project_on_churn(me: Newcomer) -> None:
    """`~/data/churn.csv`: a small churn table of the learner's own (120 rows)."""
    import random

    rng = random.Random(0)
    rows = ["tenure_months,monthly_charge,support_calls,contract,churned"]
    for _ in range(120):
        contract = rng.choice(["monthly", "yearly", "two-year"])
        calls = rng.randint(0, 6)
        risk = 0.6 if contract == "monthly" and calls > 2 else 0.15
        churned = "yes" if rng.random() < risk else "no"
        rows.append(f"{rng.randint(1, 72)},{rng.uniform(20, 110):.2f},{calls},{contract},{churned}")
    data = me.home / "data" / "churn.csv"
    data.parent.mkdir()
    data.write_text("\n".join(rows) + "\n")
    me.invert("project", "new", str(data), "--target", "churned")


def run_project_smaller(me: Newcomer) -> None:
    """All seven steps, as written, with two folds instead of five (edited in project.toml, as a
    learner may): the same work, a third of the fits, on a shared machine."""
    assert me.lab is not None
    settings = me.lab / "projects" / "churn" / "project.toml"
    text = settings.read_text()
    assert "folds = 5" in text and "jobs = 1" in text  # one process: workers cost more here
    settings.write_text(text.replace("folds = 5", "folds = 2", 1))
    out = me.invert("project", "run", "churn")
    assert "Ran 7 step(s)" in " ".join(out.split())


def tour_the_debugger(me: Newcomer) -> None:
    """pdb takes the terminal: its own process; `c` runs the starter to the end."""
    out = me.process("tour", "wine_knn", stdin="c\n")
    assert "Tour of starters/wine_knn.py in pdb" in out


def serve_and_open(me: Newcomer) -> None:
    """The server runs until Ctrl-C: started, opened as a browser opens it (the printed address,
    then its cookie), the dashboard and the journal fetched, then stopped."""
    assert me.lab is not None
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    with serving(me.lab) as url:
        with browser.open(url, timeout=60) as page:
            assert page.status == 200
        with browser.open(url.split("?")[0] + "journal", timeout=60) as page:
            assert 'href="/starters/iris_forest"' in page.read().decode()


# Every README line a test cannot type as written, and what it does instead.
SUBSTITUTES: dict[str, Callable[[Newcomer], object]] = {
    "source .venv/bin/activate": untouched("the test already runs this checkout's invert"),
    "cd invert-lab": lambda me: me.enter("invert-lab"),
    "$EDITOR starters/iris_forest.py": make_the_suggested_edit,
    "invert try tree-max-depth": lambda me: me.invert(
        "try",
        "tree-max-depth",
        "--predict",
        "rises then levels off",
        "--confidence",
        "0.7",
        "--note",
        "deeper trees help, then stop helping",
        "--why",
        "why does a deeper tree stop helping?",
        "--values",  # three depths of the ten, on one process: the same six steps, fewer fits
        "1,3,10",
        "--jobs",
        "1",
    ),
    "invert answer 1 ...": lambda me: me.invert("answer", "1", OWN_WORDS, "--covered", "none"),
    "invert explain bagging ... --rating 4": lambda me: me.invert(
        "explain", "bagging", OWN_WORDS, "--rating", "4", "--covered", "none"
    ),
    "invert derive bagging": lambda me: me.invert("derive", "bagging", stdin="show\nquit\n"),
    "invert review": lambda me: me.invert("review", stdin="\n3\n" * 40),
    "invert check": lambda me: me.invert("check", exit_code=STILL_BROKEN),
    "invert watch": fix_the_drill_then_watch,
    "invert check decision-tree": lambda me: me.invert(
        "check", "decision-tree", exit_code=STILL_BROKEN
    ),
    "invert tour wine_knn": tour_the_debugger,
    "invert project new ~/data/churn.csv --target churned": new_project_on_churn,
    "invert project run churn": run_project_smaller,
    "invert serve": serve_and_open,
}


def test_every_substitute_names_a_line_of_the_tour() -> None:
    """A substitute for a line the README no longer has would hide that the tour changed."""
    commands = [" ".join(argv) for argv in tour_commands()]
    assert len(commands) > 30
    assert [c for c in SUBSTITUTES if c not in commands] == []


@pytest.mark.slow
def test_the_readme_tour_runs_in_order(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INVERT_LAB", raising=False)
    monkeypatch.chdir(tmp_path)
    me = Newcomer(cli, tmp_path, monkeypatch)
    me.invert("start", "invert-lab")  # what `make start` does
    for argv in tour_commands():
        command = " ".join(argv)
        started = time.perf_counter()
        if command in SUBSTITUTES:
            SUBSTITUTES[command](me)
        else:
            assert argv[0] == "invert", f"a README command the test cannot run: {command}"
            me.invert(*argv[1:])
        print(f"{time.perf_counter() - started:6.1f} s  {command}")
    assert me.lab is not None
    # The tour's promises, where they are easy to miss.
    iris = load_catalog().starter("iris_forest")
    edited_run = me.said["run iris_forest"]
    assert "(your edited copy)" in edited_run and iris.next_step not in " ".join(edited_run.split())
    assert "Copied starters/wine_knn.py" in me.said["trace starters/wine_knn.py"]
    journal = me.said["journal"]
    assert "titanic_survival" in journal and "iris_forest" in journal
    assert (me.lab / "journal.json").is_file()
