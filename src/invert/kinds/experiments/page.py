"""The playground: pick an experiment, predict, run with progress, see the chart, then observe.

The knobs are form controls limited to the ranges the experiment declares, and the same
`lab.experiments.plan` checks them again on the server: a value outside the range is refused
with the CLI's own message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse

from invert.errors import LearnerError
from invert.lab import Lab
from invert.web.context import lab, open_store, render

if TYPE_CHECKING:
    from starlette.datastructures import FormData

    from invert.kinds.experiments.model import Experiment
    from invert.kinds.experiments.ops import TryOutcome
    from invert.lab import Lab
    from invert.web.jobs import Job

router = APIRouter(include_in_schema=False)  # pages; /api/openapi.json describes the JSON


def knob_step(experiment: Experiment) -> str:
    return "1" if experiment.knob.kind == "int" else "any"


def result_context(lab: Lab, outcome: TryOutcome) -> dict[str, Any]:
    from invert.plots import plotly_spec

    experiment = outcome.plan.experiment
    return {
        "outcome": outcome,
        "experiment": experiment,
        "spec": plotly_spec(outcome.result, experiment.title, experiment.knob.log),
    }


@router.get("/playground", response_class=HTMLResponse)
async def experiments(request: Request, lab: Annotated[Lab, Depends(lab)]) -> HTMLResponse:
    tried: dict[str, list[bool]] = {}  # the counted predictions' hits, per experiment
    practice: dict[str, int] = {}
    for row in lab.store.predictions():
        if row.counted:
            tried.setdefault(row.experiment, []).append(bool(row.hit))
        elif row.scored:
            practice[row.experiment] = practice.get(row.experiment, 0) + 1
    return render(
        request,
        "playground.html",
        active="/playground",
        experiments=lab.experiments.ordered(),
        tried=tried,
        practice=practice,
        starters=lab.catalog.starters,
    )


@router.get("/playground/{experiment_id}", response_class=HTMLResponse)
async def experiment(
    request: Request, experiment_id: str, lab: Annotated[Lab, Depends(lab)]
) -> HTMLResponse:
    from invert.engine.shapes import GAPS, SHAPES

    found = lab.catalog.experiment(experiment_id)
    ahead = lab.experiments.judge_blindness(
        lab.experiments.plan(found.id)
    )  # the form's default sweep
    return render(
        request,
        "experiment.html",
        seen=ahead.seen_phrase(found.knob.label),
        active="/playground",
        experiment=found,
        step=knob_step(found),
        shapes=SHAPES,
        gaps=GAPS,
        history=lab.journal.entries(experiment=found.id, newest=6),
    )


def _plan_and_prediction(lab: Lab, experiment_id: str, form: FormData) -> tuple[Any, Any]:
    experiment = lab.catalog.experiment(experiment_id)
    values = [str(v).strip() for v in form.getlist("value") if str(v).strip()]
    sets = [
        f"{target}={form[f'set.{target}']}"
        for target in experiment.settings
        if str(form.get(f"set.{target}", "")).strip()
    ]
    plan = lab.experiments.plan(experiment.id, ",".join(values) if values else None, sets)
    shape = str(form.get("shape", "")).strip()
    confidence = str(form.get("confidence", "")).strip()
    if not shape or not confidence:
        raise LearnerError("predict first: choose the curve's shape and how sure you are")
    guess = None
    if str(form.get("guess_number", "")).strip():
        guess = f"{form.get('guess_value', '')}={form['guess_number']}"
    prediction = lab.experiments.make_prediction(
        plan, shape, confidence, str(form.get("gap", "")) or None, guess
    )
    return plan, prediction


@router.post("/playground/{experiment_id}/run", response_class=HTMLResponse)
async def run(request: Request, experiment_id: str) -> HTMLResponse:
    """Validate knobs and prediction; answer a cached sweep at once, else start a job."""
    from starlette.concurrency import run_in_threadpool

    form = await request.form()
    return await run_in_threadpool(_run, request, experiment_id, form)


def _run(request: Request, experiment_id: str, form: FormData) -> HTMLResponse:
    """Record one prediction per form token: a token sent again is refused with 409.

    Why a refusal rather than the first run's result: the first submission may still be
    validating, running, or have failed, so there is no one result to show; the refusal records
    nothing, and `HX-Reswap: none` leaves the page showing the first submission's job.
    """
    from invert.web.submissions import TOKEN_FIELD

    root, catalog = request.app.state.root, request.app.state.catalog
    submissions = request.app.state.submissions
    store = open_store(root)
    try:
        opened = Lab(root, catalog, store)
        plan, prediction = _plan_and_prediction(opened, experiment_id, form)  # records nothing
        token = str(form.get(TOKEN_FIELD, "")).strip()
        if not 8 <= len(token) <= 64:
            raise LearnerError("this form has no submission token; reload the page and try again")
        if not submissions.claim(token):
            response = render(
                request,
                "_partials/error.html",
                code=409,
                message="This prediction was already sent (the form was submitted twice); it "
                "is recorded once, with the run it started.",
            )
            response.headers["HX-Reswap"] = "none"
            return response
        try:
            if opened.experiments.cached_result(plan) is not None:
                outcome = opened.experiments.try_(plan, prediction, jobs=1)
                return render(request, "_partials/result.html", **result_context(opened, outcome))
        except BaseException:
            submissions.release(token)  # nothing was recorded: the same form may be sent again
            raise
    finally:
        store.close()

    def work(job_lab: Lab, job: Job) -> object:
        try:
            return job_lab.experiments.try_(plan, prediction, on_progress=job.progress)
        except BaseException:
            submissions.release(token)  # the run failed, so nothing was shown or recorded
            raise

    job = request.app.state.jobs.start("experiment", plan.experiment.id, work)
    return render(request, "_partials/job.html", job=job)


@router.post("/playground/{experiment_id}/observe", response_class=HTMLResponse)
def observe(
    request: Request,
    experiment_id: str,
    lab: Annotated[Lab, Depends(lab)],
    text: Annotated[str, Form(max_length=5000)] = "",
    run: Annotated[str, Form(max_length=64)] = "",
) -> HTMLResponse:
    lab.journal.observe(experiment_id, text, run or None)
    return render(request, "_partials/saved.html", what="Observation", text=text.strip())
