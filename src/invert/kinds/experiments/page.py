"""The playground: pick an experiment, predict, run with progress, see the chart, then observe.

The knobs are form controls limited to the ranges the experiment declares, and the same
`lab.experiments.plan` checks them again on the server: a value outside the range is refused
with the CLI's own message.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from invert.errors import LearnerError
from invert.lab import Lab
from invert.web.context import cached_page, lab, open_store, render
from invert.web.submissions import fresh_token

ONCE = re.compile(rb'(name="once" id="once" value=")[\w-]+')  # the run form's one-time token

if TYPE_CHECKING:
    from starlette.datastructures import FormData

    from invert.engine.plan import SweepPlan
    from invert.engine.result import Point
    from invert.kinds.experiments.model import Experiment
    from invert.kinds.experiments.ops import TryOutcome
    from invert.lab import Lab
    from invert.web.jobs import Job

router = APIRouter(include_in_schema=False)  # pages; /api/openapi.json describes the JSON


def knob_step(experiment: Experiment) -> str:
    return "1" if experiment.knob.kind == "int" else "any"


def stream_into(job: Job, plan: SweepPlan, known: dict[int, Point]) -> tuple[Any, Any]:
    """The sweep's callbacks that keep what it has measured so far on `job`, for its page."""
    with job.lock:
        job.data.update(plan=plan, outcomes={}, known=dict(known))

    def outcome(index: int, measured: dict[str, Any]) -> None:
        with job.lock:
            job.data["outcomes"].setdefault(index, []).append(measured)

    def point(index: int, found: Point) -> None:
        with job.lock:
            job.data["known"][index] = found

    return outcome, point


def progress_context(job: Job) -> dict[str, Any]:
    """A running sweep's page: every value measured so far (all its splits, or some of them),
    as a table and a chart. Only ever shown after the prediction was recorded."""
    from invert.engine.sweep import partial_result
    from invert.plots import plotly_spec

    with job.lock:
        if "plan" not in job.data:
            return {}
        plan: SweepPlan = job.data["plan"]
        outcomes = {i: list(v) for i, v in job.data["outcomes"].items()}
        known: dict[int, Point] = dict(job.data["known"])
    experiment = plan.experiment
    partial = partial_result(plan, outcomes, known, job.seconds)
    return {
        "progress": {
            "rows": [(v, partial.point(v)) for v in plan.values],
            "splits": experiment.evaluation.splits,
            "knob": experiment.knob.label,
            "metric": experiment.evaluation.metric,
            "spec": plotly_spec(partial, experiment.title, experiment.knob.log),
        }
    }


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
    default = lab.experiments.plan(found.id)  # the form's sweep
    # Measured while the learner predicts; nothing of it reaches this page until they have.
    lab.experiments.prepare(default)

    def build() -> HTMLResponse:
        ahead = lab.experiments.judge_blindness(default)
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

    # Built again only when the journal changed; each load gets a one-time token of its own
    # (the one the page was built with is replaced).
    page = cached_page(request, lab, build)
    token = fresh_token().encode()
    body = ONCE.sub(lambda found: found.group(1) + token, bytes(page.body), count=1)
    return HTMLResponse(body, status_code=page.status_code)


def _plan(lab: Lab, experiment_id: str, form: FormData) -> SweepPlan:
    """The sweep the form's knob and held-fixed settings ask for."""
    experiment = lab.catalog.experiment(experiment_id)
    values = [str(v).strip() for v in form.getlist("value") if str(v).strip()]
    sets = [
        f"{target}={form[f'set.{target}']}"
        for target in experiment.settings
        if str(form.get(f"set.{target}", "")).strip()
    ]
    return lab.experiments.plan(experiment.id, ",".join(values) if values else None, sets)


def _plan_and_prediction(lab: Lab, experiment_id: str, form: FormData) -> tuple[Any, Any]:
    plan = _plan(lab, experiment_id, form)
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


@router.post("/playground/{experiment_id}/prepare")
async def prepare(request: Request, experiment_id: str) -> Response:
    """Start measuring the sweep the form now asks for (a knob changed before the prediction).
    The answer is empty (204) whatever is measured: nothing of a result reaches the page before
    a prediction is recorded. Values the experiment does not allow are refused (400)."""
    from starlette.concurrency import run_in_threadpool

    form = await request.form()

    def start() -> None:
        root, catalog = request.app.state.root, request.app.state.catalog
        store = open_store(root)
        try:
            opened = Lab(root, catalog, store)
            opened.experiments.prepare(_plan(opened, experiment_id, form))
        finally:
            store.close()

    await run_in_threadpool(start)
    return Response(status_code=204)


@router.post("/playground/{experiment_id}/explore", response_class=HTMLResponse)
async def explore(request: Request, experiment_id: str) -> HTMLResponse:
    """After a result: run the sweep the explore controls ask for, with no prediction (it is
    journalled as a run, and what it shows counts as seen). Points measured before show at once,
    the rest as they are fitted."""
    from starlette.concurrency import run_in_threadpool

    form = await request.form()
    return await run_in_threadpool(_start_run, request, experiment_id, form, False)


@router.post("/playground/{experiment_id}/run", response_class=HTMLResponse)
async def run(request: Request, experiment_id: str) -> HTMLResponse:
    """Validate knobs and prediction; answer a cached sweep at once, else start a job."""
    from starlette.concurrency import run_in_threadpool

    form = await request.form()
    return await run_in_threadpool(_run, request, experiment_id, form)


def _run(request: Request, experiment_id: str, form: FormData) -> HTMLResponse:
    return _start_run(request, experiment_id, form, True)


def _start_run(
    request: Request, experiment_id: str, form: FormData, predicted: bool
) -> HTMLResponse:
    """Record one prediction per form token: a token sent again is refused with 409.

    Why a refusal rather than the first run's result: the first submission may still be
    validating, running, or have failed, so there is no one result to show; the refusal records
    nothing, and `HX-Reswap: none` leaves the page showing the first submission's job.

    A sweep whose every point was measured before is answered at once; otherwise a job runs it,
    and its page shows the points measured before at once and the rest as they are fitted.
    Without `predicted` (the explore controls), there is no prediction and no token.
    """
    from invert.web.submissions import TOKEN_FIELD

    root, catalog = request.app.state.root, request.app.state.catalog
    submissions = request.app.state.submissions
    store = open_store(root)
    token = ""
    try:
        opened = Lab(root, catalog, store)
        if predicted:
            plan, prediction = _plan_and_prediction(opened, experiment_id, form)  # records nothing
            token = str(form.get(TOKEN_FIELD, "")).strip()
            if not 8 <= len(token) <= 64:
                raise LearnerError(
                    "this form has no submission token; reload the page and try again"
                )
            if not submissions.claim(token):
                response = render(
                    request,
                    "_partials/error.html",
                    code=409,
                    message="This prediction was already sent (the form was submitted twice); "
                    "it is recorded once, with the run it started.",
                )
                response.headers["HX-Reswap"] = "none"
                return response
        else:
            plan, prediction = _plan(opened, experiment_id, form), None
        try:
            known = opened.experiments.known_points(plan)
            if len(known) == len(plan.values):  # nothing to fit: answered now
                outcome = opened.experiments.try_(plan, prediction, jobs=1)
                return render(request, "_partials/result.html", **result_context(opened, outcome))
        except BaseException:
            if token:
                submissions.release(token)  # nothing was recorded: the same form may be sent again
            raise
    finally:
        store.close()

    def work(job_lab: Lab, job: Job) -> object:
        outcome, point = stream_into(job, plan, known)
        try:
            return job_lab.experiments.try_(
                plan, prediction, on_progress=job.progress, on_outcome=outcome, on_point=point
            )
        except BaseException:
            if token:
                submissions.release(token)  # the run failed, so nothing was shown or recorded
            raise

    job = request.app.state.jobs.start("experiment", plan.experiment.id, work)
    with job.lock:  # the first answer shows the points measured before at once
        job.data.setdefault("plan", plan)
        job.data.setdefault("outcomes", {})
        job.data.setdefault("known", dict(known))
    return render(request, "_partials/job.html", job=job, **progress_context(job))


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
