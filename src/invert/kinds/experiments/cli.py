"""Commands for Phase 2: list the experiments, and try one (predict, run, score, observe, ask)."""

from __future__ import annotations

import sys
from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated, Any

import typer

from invert.cli.output import console, emit_json
from invert.cli.pager import paged
from invert.cli.tables import id_column, print_table
from invert.engine.shapes import SHAPES
from invert.errors import LearnerError
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
    Stream,
    Why,
)

if TYPE_CHECKING:
    from invert.engine.plan import SweepPlan
    from invert.engine.result import Point
    from invert.kinds.experiments.ops import TryOutcome
    from invert.kinds.experiments.predictions import Prediction
    from invert.lab import Lab


def register(app: typer.Typer) -> None:
    app.command("experiments")(list_experiments)
    app.command("try")(try_experiment)


def list_experiments(
    starter: Annotated[
        str | None, typer.Option("--starter", help="Only the experiments that grow from a starter.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the experiments and the question each one explores."""
    from invert.lab import open_lab

    with open_lab() as lab:
        experiments = lab.experiments.ordered(starter)
        tried = lab.experiments.tried()
    if as_json:
        emit_json(
            [
                {
                    "id": e.id,
                    "title": e.title,
                    "question": e.question,
                    "starter": e.starter,
                    "dataset": e.dataset,
                    "knob": e.knob.label,
                    "concepts": list(e.concepts),
                    "tried": e.id in tried,
                }
                for e in experiments
            ]
        )
        return
    from rich.table import Table

    table = Table(title="Experiments: change one thing, predict, then run", title_justify="left")
    id_column(table)
    for column in ("knob", "the question", ""):
        table.add_column(column, overflow="fold")
    for e in experiments:
        table.add_row(e.id, e.knob.label, e.question, "tried" if e.id in tried else "")
    with paged():
        print_table(table)
        console().print("Try one with `invert try ID`.")


def try_experiment(
    experiment: Annotated[str, typer.Argument(help="An experiment id (see `invert experiments`).")],
    predict: Predict = None,
    gap: Gap = None,
    confidence: Confidence = None,
    guess: Guess = None,
    note: Note = None,
    why: Why = None,
    values: Annotated[
        str | None, typer.Option("--values", help="Knob values to sweep, e.g. 1,5,50.")
    ] = None,
    sets: Annotated[
        list[str] | None,
        typer.Option("--set", help="Change something held fixed: name=value (repeatable)."),
    ] = None,
    jobs: Jobs = None,
    backend: Backend = "loky",
    scheduler: Scheduler = None,
    budget: Budget = None,
    plan_only: PlanOnly = False,
    as_json: AsJson = False,
    stream: Stream = False,
) -> None:
    """Change one thing, predict what will happen, run it for real, and see how you did.

    Six steps: the setup; your prediction (shape, optional number, confidence); the sweep;
    a table and charts; the score of your prediction; your observation and any why-question.
    Every prompt has a flag, for scripts.
    """
    from invert.lab import open_lab

    with open_lab() as lab:
        plan = lab.experiments.plan(experiment, values, sets)
        run_try(
            lab, plan, predict, gap, confidence, guess, note, why,
            jobs, backend, scheduler, budget, plan_only, as_json, stream=stream,
        )  # fmt: skip


def run_try(
    lab: Lab,
    plan: SweepPlan,
    predict: str | None,
    gap: str | None,
    confidence: str | None,
    guess: str | None,
    note: str | None,
    why: str | None,
    jobs: int | None,
    backend: str,
    scheduler: str | None,
    budget: float | None,
    plan_only: bool,
    as_json: bool,
    probe: str | None = None,
    stream: bool = False,
) -> None:
    """The six steps of `invert try` for a planned sweep (`invert probe` runs them too, naming
    the probe): setup, prediction, the sweep, table and charts, the score, observation and why."""
    from invert.cli.stopping import NOTHING, keep

    keep(f"{NOTHING}; the sweep did not finish (a prediction is recorded with its run)")
    interactive = not as_json and sys.stdin.isatty()
    if plan_only:
        _show_plan(lab, plan, jobs, budget, predict, confidence, gap, guess, as_json)
        return
    if not as_json:
        _show_setup(plan)
        ahead = lab.experiments.judge_blindness(plan)
        if not ahead.blind:
            from rich.markup import escape

            console().print(
                f"[yellow]Heads-up:[/] {escape(ahead.seen_phrase(plan.experiment.knob.label))}"
                ", so a prediction here is practice: journalled, not counted (a sweep wholly "
                "outside the values you saw, or another held-fixed setting, would count).",
                markup=True,
                highlight=False,
            )
    if stream and not as_json:
        raise LearnerError("--stream goes with --json (the terminal streams by itself)")
    if predict is None:
        if not interactive:
            raise LearnerError("predict before you run: add --predict SHAPE --confidence N")
        # While the learner thinks, the engine measures; nothing of it shows until they have
        # predicted (the run is joined, or read from the cache, once they have).
        if backend == "loky":
            lab.experiments.prepare(plan)
        prediction = _ask_prediction(lab, plan)
    else:
        prediction = lab.experiments.make_prediction(plan, predict, confidence or 0.7, gap, guess)
    outcome = _run(lab, plan, prediction, jobs, backend, scheduler, budget, as_json, probe, stream)
    keep("your prediction and the run are saved in your journal")
    if not as_json:
        _show_outcome(plan, outcome)
        if note is None and interactive:
            note = _ask("What did you observe? (Enter to skip)")
        if why is None and interactive:
            why = _ask("Did a 'why?' come up? (Enter to skip)")
    written: dict[str, Any] = {
        "prediction": outcome.prediction.uid if outcome.prediction else None,
        "run": outcome.run_id,
        "observation": None,
        "question": None,
    }
    if note:
        written["observation"] = lab.journal.observe(plan.experiment.id, note, outcome.run_id)
        keep("your prediction, the run and your observation are saved in your journal")
    if why:
        question = lab.journal.ask_why(why, plan.experiment.id, outcome.run_id)
        written["question"] = question.uid
        if not as_json:
            cards = ", ".join(f"invert learn {c}" for c in question.concepts)
            console().print(
                f"Noted. The cards that answer it: {cards}"
                if cards
                else "Noted. No card answers it yet; it is kept as a request for one."
            )
    if as_json:
        extra = {"probe": probe} if probe else {}
        document = {**outcome.to_json(), **extra, "written": written, "note": note, "why": why}
        if stream:
            emit_json({"event": "done", **document}, compact=True)
        else:
            emit_json(document)
    elif note or why:
        console().print("Saved in your journal (`invert journal`).")


def _show_setup(plan: SweepPlan) -> None:
    e = plan.experiment
    out = console()
    out.rule(f"[bold]{e.title}[/]", align="left")
    out.print(e.question)
    ev = e.evaluation
    scheme = (
        f"{ev.folds}-fold cross-validation"
        + (f", repeated {ev.repeats} times" if ev.repeats > 1 else "")
        if ev.scheme == "kfold"
        else f"{ev.repeats} random hold-out splits ({ev.test_size:.0%} test)"
    )
    fixed = ", ".join(f"{k}={v}" for k, v in plan.settings.items()) or "everything else"
    out.print(
        f"[dim]data:[/] {e.dataset}   [dim]model:[/] {e.estimator.rsplit('.', 1)[-1]}"
        f"   [dim]metric:[/] {ev.metric}   [dim]evaluation:[/] {scheme}"
    )
    out.print(f"[dim]the knob:[/] {e.knob.label} = {', '.join(str(v) for v in plan.values)}")
    out.print(f"[dim]held fixed:[/] {fixed}")


def _ask(question: str, default: str = "") -> str:
    from rich.prompt import Prompt

    return Prompt.ask(question, default=default, show_default=False, console=console()).strip()


def _ask_prediction(lab: Lab, plan: SweepPlan) -> Prediction:
    out = console()
    out.print("\n[bold]Before anything runs: what will the test curve do?[/]")
    for i, shape in enumerate(SHAPES, 1):
        out.print(f"  {i}. {shape}")
    while True:
        try:
            shape = _ask("Your prediction (number or words)")
            gap = _ask(
                "And the gap between train and test: widens, narrows or stays? (Enter to skip)"
            )
            middle = plan.values[len(plan.values) // 2]
            guess = _ask(
                f"A number? e.g. {middle}=0.9 for {plan.experiment.evaluation.metric} "
                f"at {plan.experiment.knob.label}={middle} (Enter to skip)"
            )
            sure = _ask("How sure are you, 50-100%?", default="70")
            return lab.experiments.make_prediction(plan, shape, sure, gap or None, guess or None)
        except LearnerError as exc:
            out.print(f"[yellow]{exc}[/] - try again.")


def _run(
    lab: Lab,
    plan: SweepPlan,
    prediction: Prediction,
    jobs: int | None,
    backend: str,
    scheduler: str | None,
    budget: float | None,
    quiet: bool,
    probe: str | None = None,
    stream: bool = False,
) -> TryOutcome:
    """Run the sweep, showing each fit as it finishes: as JSON lines (`stream`), as a table and
    chart filled in point by point (a terminal), or not at all (--json, or a cached result)."""
    if stream:

        def line(index: int, outcome: dict[str, Any]) -> None:
            emit_json(
                compact=True,
                document={"event": "fit", "value": plan.values[index], **_fit_fields(outcome)},
            )

        def known(index: int, point: Point) -> None:
            emit_json(
                compact=True, document={"event": "point", "measured_before": True, **asdict(point)}
            )

        return lab.experiments.try_(
            plan, prediction, jobs, backend, scheduler, budget=budget, probe=probe,
            on_outcome=line, on_point=known,
        )  # fmt: skip
    if quiet or lab.experiments.cached_result(plan) is not None or not console().is_terminal:
        return lab.experiments.try_(
            plan, prediction, jobs, backend, scheduler, budget=budget, probe=probe
        )
    from rich.live import Live

    from invert.kinds.experiments.streaming import SweepView

    view = SweepView(plan)
    with Live(view, console=console(), transient=True, refresh_per_second=10):
        return lab.experiments.try_(
            plan, prediction, jobs, backend, scheduler, budget=budget, probe=probe,
            on_outcome=view.add, on_point=view.add_point,
        )  # fmt: skip


def _fit_fields(outcome: dict[str, Any]) -> dict[str, Any]:
    return {
        "train": outcome["train"],
        "test": outcome["test"],
        "seed": outcome["seed"],
        "fit_seconds": round(outcome["fit_seconds"], 4),
    }


def _show_plan(
    lab: Lab,
    plan: SweepPlan,
    jobs: int | None,
    budget: float | None,
    predict: str | None,
    confidence: str | None,
    gap: str | None,
    guess: str | None,
    as_json: bool,
) -> None:
    """`invert try --plan`: the sweep, its cost against the budget, and the prediction checked."""
    if predict is not None:
        lab.experiments.make_prediction(plan, predict, confidence or 0.7, gap, guess)
    cost = lab.experiments.estimate(plan, jobs, budget)
    cached = lab.experiments.cached_result(plan) is not None
    ahead = lab.experiments.judge_blindness(plan)
    practice = ahead.reason(plan.experiment.knob.label)
    if as_json:
        emit_json(
            {
                **plan.describe(),
                "cached": cached,
                "estimate": cost.to_json(),
                "blind": ahead.blind,
                "practice": practice or None,
            }
        )
        return
    _show_setup(plan)
    if practice:
        from rich.markup import escape

        console().print(f"[yellow]A prediction here would be {escape(practice)}.[/]")
    if cached:
        console().print("Already measured: running it takes no time (the cache answers).")
    else:
        console().print(
            f"Cost: {cost.fits} fits, about {cost.seconds:.0f} s on {cost.workers} "
            f"{'core' if cost.workers == 1 else 'cores'} (budget {cost.time_budget:.0f} s)."
        )
    if cost.over is not None and not cached:
        console().print(f"[yellow]Over budget:[/] {cost.over}")


def _show_outcome(plan: SweepPlan, outcome: TryOutcome) -> None:
    from rich.table import Table

    from invert.plots import terminal_chart

    out = console()
    result = outcome.result
    source = (
        "from the cache (same inputs as before)"
        if result.cached
        else (f"in {result.wall_seconds:.1f} s ({result.backend})")
    )
    out.rule(f"Measured {source}", align="left")
    table = Table(show_edge=False)
    for column in (result.knob, f"train {result.metric}", f"test {result.metric}", "fit ms"):
        table.add_column(column, justify="right")
    extra = list(plan.experiment.evaluation.also)
    for name in extra:
        table.add_column(f"test {name}", justify="right")
    for p in result.points:
        table.add_row(
            str(p.value),
            f"{p.train_mean:.3f} ± {p.train_std:.3f}",
            f"{p.test_mean:.3f} ± {p.test_std:.3f}",
            f"{p.fit_seconds * 1000:.0f}",
            *(f"{p.also[name]:.3f}" for name in extra),
        )
    print_table(table, out)
    if out.is_terminal or console().width >= 60:
        out.print(terminal_chart(result), markup=False, highlight=False)
    for kind, path in outcome.plots.items():
        out.print(f"[dim]{kind}:[/] {path}")
    if outcome.warnings:
        out.print(f"[dim]warnings while fitting:[/] {'; '.join(outcome.warnings[:3])}")
    out.rule("How did your prediction do?", align="left")
    if outcome.outcome is not None and outcome.prediction is not None:
        o = outcome.outcome
        mark = "[green]✓[/]" if o.hit else ("[yellow]~[/]" if o.near_miss else "[red]✗[/]")
        out.print(f"{mark} {o.verdict}")
        if outcome.practice:
            from rich.markup import escape

            out.print(f"[yellow]Not counted:[/] {escape(outcome.practice)}.", highlight=False)
        out.print(
            f"[dim]confidence {outcome.prediction.confidence:.0%}, Brier score {o.brier:.3f} "
            "(0 is perfect; always saying 50% scores 0.25)[/]"
        )
    out.print(f"[bold]What this shows:[/] {plan.experiment.observation}")
