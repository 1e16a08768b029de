"""Commands for projects on your own data: project new, run, list, reset; portfolio; notebook."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from invert.cli.output import console, echo_raw, emit_json

if TYPE_CHECKING:
    from invert.kinds.projects.ops import NewProject, ProjectAudit, ProjectRun
    from invert.kinds.projects.steps import Step

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of text.")]
ProjectName = Annotated[
    str | None,
    typer.Argument(help="The project (default: the one you are in, or the only one)."),
]

app = typer.Typer(
    help="Your own data: one fixed workflow in seven numbered scripts, from a CSV to a report.",
    no_args_is_help=True,
)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="project")
    root.command("portfolio")(portfolio)
    root.command("notebook")(notebook)


@app.command("new")
def new(
    data: Annotated[
        Path, typer.Argument(help="Your data: a CSV file (also .gz, .bz2, .xz, .zip).")
    ],
    target: Annotated[str, typer.Option("--target", help="The column to predict.")],
    name: Annotated[
        str | None, typer.Option("--name", help="The project's name (default: from the file's).")
    ] = None,
    task: Annotated[
        str | None,
        typer.Option(
            "--task", help="classification or regression (default: decided from the target)."
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Lay out projects/NAME/: your data, project.toml and seven numbered scripts you own.

    Reads the file (finding its delimiter and encoding), decides the task and says why, and
    warns about leakage before any model is fitted.
    """
    from invert.lab import open_lab

    with open_lab() as lab:
        made = lab.projects.new(data, target, name=name, task=task)
    if as_json:
        emit_json(made.to_json())
        return
    _print_new(made)


def _print_new(made: NewProject) -> None:
    out = console()
    s, table = made.settings, made.table
    out.print(f"[bold]projects/{s.name}[/]: predicting [cyan]{s.target}[/]")
    delimiter = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "bar"}.get(
        table.delimiter, table.delimiter
    )
    read = f"{table.rows} rows x {table.columns} columns, {table.encoding}, {delimiter}-separated"
    if table.na_values:
        read += f"; {', '.join(repr(v) for v in table.na_values)} read as missing"
    out.print(f"  read {table.path.name}: {read}")
    out.print(f"  task: {s.task} ({s.task_reason})")
    out.print(f"  metric: {s.metric} (change it in project.toml)")
    faults = [f for f in made.findings if f.fault]
    notes = [f for f in made.findings if not f.fault]
    if faults:
        out.print(f"  [yellow]audit[/]: {_count(len(faults), 'thing')} to fix before any score:")
        for finding in faults:
            out.print(f"    - {finding.message}")
            out.print(f"      fix taken: {finding.fix}" if finding.fix else "      fix: yours")
    else:
        out.print("  audit: no leakage or sanity problem found")
    for finding in notes:
        out.print(f"  note: {finding.message}")
    out.print(f"  split: {s.split_description()}")
    if s.drop:
        out.print(
            "  left out of the features (the drop list in project.toml; remove a name to keep it):"
        )
        for column in s.drop:
            out.print(f"    {column}: {s.drop_reasons.get(column, '')}")
    out.print("  scripts: " + ", ".join(st.filename for st in _steps()))
    out.print(
        f"Next: [bold]invert project run {s.name}[/] (all seven steps), "
        "or read step1_define.py first."
    )


def _steps() -> tuple[Step, ...]:
    from invert.kinds.projects.steps import STEPS

    return STEPS


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _print_audit(audit: ProjectAudit) -> None:
    """Each finding with its status: what the settings and scripts do about it now."""
    out = console()
    out.print(f"  split: {audit.settings.split_description()}")
    if not audit.rows:
        out.print("  no leakage or sanity problem found")
        return
    for finding, state in audit.rows:
        if not finding.fault:
            out.print(f"  note: {finding.message}")
            continue
        mark = "[green]addressed[/]" if state.addressed else "[red]open[/]"
        out.print(f"  {mark}: {finding.message}")
        out.print(f"    {state.how}", markup=False, highlight=False)
    opened = audit.open
    if opened:
        out.print(
            f"  [yellow]{_count(len(opened), 'finding')} left open[/]: scores may flatter the "
            "model; fix them in project.toml or the script, then run the steps again"
        )


@app.command("run")
def run(
    name: ProjectName = None,
    step: Annotated[
        int | None, typer.Option("--step", help="Run only this step (1 to 7).", min=None)
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Run the steps in order, record their results, and write report.html and report.md."""
    from invert.cli.stopping import keep
    from invert.lab import open_lab

    keep("the steps that finished are recorded; the one running did not finish")
    with open_lab() as lab:
        project = lab.projects.named(name)
        if as_json:
            emit_json(lab.projects.run(project, only=step).to_json())
            return
        progress = _Progress()
        try:
            result = lab.projects.run(
                project,
                only=step,
                on_warnings=progress.warnings,
                on_step=progress.step,
                on_output=progress.output,
            )
            progress.finish()
        finally:
            progress.stop()
    _print_run(result)


@app.command("audit")
def audit(name: ProjectName = None, as_json: JsonFlag = False) -> None:
    """Audit a project as it stands: its data against project.toml, and the scripts you edited.

    Lists every finding (identifiers, rows of one entity, time order, dates, duplicates, a
    column that gives the target away) with what the settings do about it now, and exits 1
    while one is left open.
    """
    from invert.lab import open_lab

    with open_lab() as lab:
        result = lab.projects.audit(lab.projects.named(name))
    if as_json:
        emit_json(result.to_json())
    else:
        console().print(f"[bold]projects/{result.name}[/]: the audit")
        _print_audit(result)
        if not result.open:
            console().print("  nothing left open")
    if result.open:
        raise typer.Exit(1)


class _Progress:
    """What a learner sees while steps run: each step's title, its own output, its time.

    On a terminal a status line under the output counts the seconds of the current step, so a
    long spot-check visibly runs; piped output gets the same lines without it.
    """

    def __init__(self) -> None:
        self.out = console()
        self.started = time.perf_counter()
        self.step_started = self.started
        self.current: Step | None = None
        self.status = self.out.status("") if self.out.is_terminal else None
        self._ticker: threading.Thread | None = None
        self._done = threading.Event()

    def warnings(self, audit: ProjectAudit) -> None:
        self.out.print("[bold]Before modelling: the audit[/]")
        _print_audit(audit)

    def step(self, step: Step) -> None:
        self._finish_step()
        self.current = step
        self.step_started = time.perf_counter()
        self.out.print(f"[bold]Step {step.number}/7: {step.title}[/] ({step.filename})")
        if self.status is not None:
            self.status.start()
            if self._ticker is None:
                self._ticker = threading.Thread(target=self._tick, daemon=True)
                self._ticker.start()

    def output(self, line: str) -> None:
        if self.status is not None:
            self.out.print("  " + line.rstrip("\n"), markup=False, highlight=False)
        else:
            echo_raw("  " + line)

    def _tick(self) -> None:
        while not self._done.wait(0.5):
            if self.status is not None and self.current is not None:
                seconds = time.perf_counter() - self.step_started
                self.status.update(f"step {self.current.number}/7 running: {seconds:.0f} s")

    def _finish_step(self) -> None:
        if self.current is not None:
            seconds = time.perf_counter() - self.step_started
            self.out.print(f"  [green]done[/] in {seconds:.1f} s")

    def stop(self) -> None:
        self._done.set()
        if self.status is not None:
            self.status.stop()

    def finish(self) -> None:
        self._finish_step()


def _print_run(result: ProjectRun) -> None:
    out = console()
    for done in result.steps:
        if done.note:
            out.print(f"  note: {done.note}")
    total = sum(s.wall_seconds for s in result.steps)
    out.print(
        f"Ran {len(result.steps)} step(s) in {total:.1f} s. "
        f"Report: {result.report['html']} and {result.report['md']}"
    )


@app.command("list")
def list_projects(as_json: JsonFlag = False) -> None:
    """List the projects in this lab, with the steps that have results."""
    from invert.lab import open_lab

    with open_lab() as lab:
        rows = [p.to_json() for p in lab.projects.statuses()]
    if as_json:
        emit_json({"projects": rows})
        return
    out = console()
    if not rows:
        out.print("No projects yet: invert project new DATA.csv --target COLUMN")
    for row in rows:
        done = ", ".join(map(str, row["steps_done"])) or "none"
        what = row["problem"] or f"{row['target']} ({row['task']}, {row['metric']})"
        out.print(f"{row['name']}: {what}; steps with results: {done}")


@app.command("reset")
def reset(
    name: Annotated[str, typer.Argument(help="The project.")],
    step: Annotated[
        int, typer.Option("--step", help="The step whose script to put back (1 to 7).")
    ],
) -> None:
    """Put a step's original script back; your version is kept in .invert/backups/."""
    from invert.lab import open_lab

    with open_lab() as lab:
        path, backup = lab.projects.reset_step(name, step)
        out = console()
        out.print(f"restored {path.relative_to(lab.root)}")
        if backup is not None:
            out.print(f"your version is kept at {backup.relative_to(lab.root)}")


def portfolio(
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Where to write the site (default: portfolio/ in the lab)."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Build a static site of your work: projects, experiments, predictions, questions, drills.

    Every page works offline and from a plain folder: open index.html, or publish the folder.
    """
    from invert.lab import open_lab

    with open_lab() as lab:
        site = lab.exports.build_portfolio(out_dir)
    if as_json:
        emit_json(site.to_json())
        return
    console().print(
        f"Wrote {len(site.pages)} pages to {site.folder}: open {site.folder / 'index.html'}"
    )


def notebook(
    what: Annotated[str, typer.Argument(help="A starter id or a project name.")],
    out: Annotated[Path | None, typer.Option("--out", help="The .ipynb to write.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Export a starter or a project as a Jupyter notebook (.ipynb) that runs top to bottom."""
    from invert.lab import open_lab

    with open_lab() as lab:
        if lab.catalog.find_starter(what) is not None:
            from invert.kinds.starters.cli import ensure_copied

            what = ensure_copied(lab, what, as_json).id  # copied first, like `invert run`
        exported = lab.exports.notebook(what, out)
    if as_json:
        emit_json(exported.to_json())
        return
    console().print(
        f"Wrote {exported.path} ({exported.cells} cells). Open it with Jupyter from {exported.cwd}."
    )
