"""`invert probe`: the transfer probes on offer, and answering one (predict, run, score)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from invert.cli.output import console, emit_json
from invert.cli.pager import paged
from invert.cli.tables import id_column, print_table
from invert.kinds.experiments.cli_options import (
    AsJson,
    Backend,
    Budget,
    Confidence,
    Gap,
    Guess,
    Jobs,
    Note,
    PlanOnly,
    Predict,
    Scheduler,
    Why,
)

if TYPE_CHECKING:
    from invert.kinds.experiments.offers import ProbeOffer


def register(app: typer.Typer) -> None:
    app.command("probe")(probe)


def probe(
    probe_id: Annotated[
        str | None,
        typer.Argument(metavar="[PROBE]", help="A probe id; without one, the probes on offer."),
    ] = None,
    predict: Predict = None,
    gap: Gap = None,
    confidence: Confidence = None,
    guess: Guess = None,
    note: Note = None,
    why: Why = None,
    jobs: Jobs = None,
    backend: Backend = "loky",
    scheduler: Scheduler = None,
    budget: Budget = None,
    plan_only: PlanOnly = False,
    as_json: AsJson = False,
) -> None:
    """Predict what a knob you have practised does on a problem you have not run.

    Without an id: the probes, each the knob of an experiment turned on another dataset or model,
    and whether it is on offer (it is once you have made a scored prediction on its experiment, or
    on another experiment sharing one of its concepts). With one: the same steps as `invert try`
    (prediction first, then the real run and its score); your first answer to a probe is blind,
    and it is what "predicts on problems not seen before" in `invert progress` counts.
    """
    from invert.lab import open_lab

    with open_lab() as lab:
        if probe_id is None:
            _list(lab.experiments.probe_offers(), as_json)
            return
        from invert.kinds.experiments.cli import run_try

        plan = lab.experiments.plan_probe(probe_id)
        run_try(
            lab, plan, predict, gap, confidence, guess, note, why,
            jobs, backend, scheduler, budget, plan_only, as_json, probe=probe_id,
        )  # fmt: skip


def _list(offers: list[ProbeOffer], as_json: bool) -> None:
    if as_json:
        emit_json([offer.to_json() for offer in offers])
        return
    from rich.table import Table

    table = Table(
        title="Probes: a knob you have practised, on a problem you have not run",
        title_justify="left",
    )
    id_column(table)
    for column in ("experiment", "the question", "status"):
        table.add_column(column, overflow="fold")
    # Those on offer first (unanswered before answered), then the rest, each in catalogue order.
    for offer in sorted(offers, key=lambda o: (not o.offered, bool(o.answers))):
        status = offer.status if offer.offered else f"not yet: {offer.reason}"
        table.add_row(offer.probe.id, offer.experiment.id, offer.probe.question, status)
    offered = sum(offer.offered for offer in offers)
    with paged():
        print_table(table)
        console().print(
            f"{offered} of {len(offers)} on offer. Answer one with "
            "`invert probe ID --predict SHAPE --confidence N`; your first answer is blind."
        )
