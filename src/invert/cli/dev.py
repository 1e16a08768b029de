"""Commands for people who write invert's content."""

from __future__ import annotations

from typing import Annotated

import typer

from invert.cli.output import console, emit_json
from invert.kinds import parts

_PARTS = parts()

app = typer.Typer(help="Tools for content authors: validate the catalogue.", no_args_is_help=True)


@app.command("check")
def check(
    run: Annotated[
        bool, typer.Option("--run/--no-run", help="Run every piece of content, not just read it.")
    ] = True,
    only: Annotated[
        str | None,
        typer.Option(
            "--only",
            help=f"Check one part only: {', '.join(_PARTS[:-1])} or {_PARTS[-1]}.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Validate the whole catalogue and run its content; exit 1 listing every problem."""
    from invert.catalog.check import check_catalog

    if only is not None and only not in parts():
        from invert.errors import LearnerError

        raise LearnerError(f"--only takes {', '.join(parts())}; got {only!r}")

    out = console(stderr=True)
    progress = None if as_json else (lambda what: out.print(f"[dim]checking {what}[/]"))
    report = check_catalog(run=run, on_progress=progress, only=only)
    if as_json:
        emit_json(report.__dict__ | {"ok": report.ok})
    else:
        for line in report.skipped:
            out.print(f"[yellow]skipped[/] {line}")
        for line in report.problems:
            out.print(f"[red]problem[/] {line}")
        verdict = "[green]ok[/]" if report.ok else f"[red]{len(report.problems)} problem(s)[/]"
        out.print(
            f"catalogue: {verdict}, {len(report.checked)} checked, {len(report.skipped)} skipped"
        )
    if not report.ok:
        raise typer.Exit(1)


@app.command("costs")
def costs(
    experiments: Annotated[
        list[str] | None, typer.Argument(help="Experiment ids (default: every experiment).")
    ] = None,
) -> None:
    """Measure each experiment's seconds per fit on one core, for its manifest's [cost] table,
    and each of its probes', for their [probe.cost] tables.

    Runs every default sweep in this process (minutes); compare with the stated fit_seconds.
    """
    from invert.catalog.loader import load_catalog
    from invert.engine.sweep import measure_fit_seconds
    from invert.kinds.experiments.model import probe_experiment

    catalog = load_catalog()
    chosen = (
        [catalog.experiment(e) for e in experiments]
        if experiments
        else catalog.ordered_experiments()
    )
    for experiment in chosen:
        measured = measure_fit_seconds(catalog, experiment)
        stated = experiment.cost.fit_seconds
        typer.echo(f"{experiment.id}: fit_seconds = {measured:.3g} (stated {stated:.3g})")
        for probe in experiment.probes:
            probed = probe_experiment(experiment, probe)
            measured = measure_fit_seconds(catalog, probed)
            stated = probed.cost.fit_seconds
            typer.echo(f"  probe {probe.id}: fit_seconds = {measured:.3g} (stated {stated:.3g})")
