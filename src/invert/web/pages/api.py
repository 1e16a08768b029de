"""The JSON endpoints, described in /api/openapi.json: the lab's state for scripts and tests,
and a dry check of a sweep's settings. Nothing here writes to the journal or runs code."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from invert.lab import Lab
from invert.web.context import lab

if TYPE_CHECKING:
    from invert.kinds.experiments.model import Experiment

router = APIRouter(prefix="/api", tags=["api"])
Id = Annotated[str, Query(max_length=100)]


class PlanRequest(BaseModel):
    """A sweep to check, as `invert try ID --values ... --set name=value` would take it."""

    values: list[int | float | str] | None = Field(default=None, max_length=40)
    set: dict[str, int | float | str] = Field(default_factory=dict, max_length=20)


def _experiment(e: Experiment) -> dict[str, Any]:
    k = e.knob
    return {
        "id": e.id,
        "title": e.title,
        "question": e.question,
        "dataset": e.dataset,
        "starter": e.starter,
        "concepts": list(e.concepts),
        "knob": {
            "label": k.label,
            "target": k.target,
            "kind": k.kind,
            "values": list(k.values),
            "low": k.low,
            "high": k.high,
            "choices": list(k.choices),
        },
        "settings": {
            name: {
                "kind": s.kind,
                "default": s.default,
                "low": s.low,
                "high": s.high,
                "choices": list(s.choices),
            }
            for name, s in e.settings.items()
        },
    }


@router.get("/progress")
async def progress(lab: Annotated[Lab, Depends(lab)]) -> dict[str, Any]:
    """Where the learner stands: the phase, the figures, the checklist, the weeks, the next step
    (what `invert progress --json` prints)."""
    return lab.progress.report().to_json()


@router.get("/starters")
async def starters(lab: Annotated[Lab, Depends(lab)]) -> list[dict[str, Any]]:
    return [s.to_json() for s in lab.starters.statuses()]


@router.get("/experiments")
async def experiments(lab: Annotated[Lab, Depends(lab)]) -> list[dict[str, Any]]:
    return [_experiment(e) for e in lab.experiments.ordered()]


@router.get("/experiments/{experiment_id}")
async def experiment(experiment_id: str, lab: Annotated[Lab, Depends(lab)]) -> dict[str, Any]:
    return _experiment(lab.catalog.experiment(experiment_id))


@router.post("/experiments/{experiment_id}/plan")
def plan(
    experiment_id: str, body: PlanRequest, lab: Annotated[Lab, Depends(lab)]
) -> dict[str, Any]:
    """Check knob values and settings against the experiment's declared ranges; run nothing.
    `blind` says whether a prediction on this sweep made now would count (see `practice`)."""
    values = None if body.values is None else ",".join(str(v) for v in body.values)
    sets = [f"{name}={value}" for name, value in body.set.items()]
    found = lab.experiments.plan(experiment_id, values, sets)
    ahead = lab.experiments.judge_blindness(found)
    return {
        **found.describe(),
        "cached": lab.experiments.cached_result(found) is not None,
        "blind": ahead.blind,
        "practice": ahead.reason(found.experiment.knob.label) or None,
    }


@router.get("/journal")
async def journal(
    lab: Annotated[Lab, Depends(lab)],
    experiment: Id | None = None,
    concept: Id | None = None,
    newest: Annotated[int | None, Query(ge=1, le=100_000)] = None,
) -> list[dict[str, Any]]:
    """The journal, oldest first; only the `newest` entries if given."""
    return [e.to_json() for e in lab.journal.entries(experiment, concept, newest)]


@router.get("/questions")
async def questions(
    lab: Annotated[Lab, Depends(lab)], open_only: bool = False
) -> list[dict[str, Any]]:
    return [dict(q.__dict__) for q in lab.journal.questions(open_only=open_only)]


@router.get("/power")
async def power(
    lab: Annotated[Lab, Depends(lab)], window: Annotated[int, Query(ge=1, le=100)] = 10
) -> dict[str, Any]:
    """Predictive power overall, per concept and as a trend."""
    return lab.journal.predictive_power(window).to_json()


@router.get("/drills")
async def drills(lab: Annotated[Lab, Depends(lab)]) -> list[dict[str, Any]]:
    return [d.to_json() for d in lab.drills.statuses()]


@router.get("/rebuilds")
async def rebuilds(lab: Annotated[Lab, Depends(lab)]) -> list[dict[str, Any]]:
    return [r.to_json() for r in lab.rebuild.statuses()]


@router.get("/toolkit")
async def toolkit(lab: Annotated[Lab, Depends(lab)]) -> list[dict[str, Any]]:
    return [
        {
            "rule": e.rule.id,
            "name": e.rule.name,
            "due": e.row.due,
            "due_now": e.due_now,
            "reviews": e.row.reviews,
            "recall": e.recall,
        }
        for e in lab.theory.toolkit()
    ]


@router.get("/jobs/{job_id}")
async def job(job_id: str, request: Request) -> dict[str, Any]:
    """A run started from a page: done or not, progress, the learner's error if any."""
    found = request.app.state.jobs.get(job_id)
    if found is None:
        raise HTTPException(404)
    return {
        "id": found.id,
        "kind": found.kind,
        "subject": found.subject,
        "done": found.done,
        "seconds": round(found.seconds, 3),
        "progress": [found.done_steps, found.total_steps],
        "error": found.error,
    }
