"""Build it yourself: each exercise's stages, the copy, the check, hints, then the reference."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from invert.lab import Lab
from invert.web.context import lab, render

if TYPE_CHECKING:
    from invert.web.jobs import Job

router = APIRouter(include_in_schema=False)  # pages; /api/openapi.json describes the JSON


@router.get("/rebuild", response_class=HTMLResponse)
async def rebuilds(request: Request, lab: Annotated[Lab, Depends(lab)]) -> HTMLResponse:
    return render(request, "rebuilds.html", active="/rebuild", rebuilds=lab.rebuilds())


def _rebuild_page(request: Request, lab: Lab, exercise_id: str) -> HTMLResponse:
    status = lab.rebuild_status(exercise_id)
    exercise = status.exercise
    return render(
        request,
        "rebuild.html",
        active="/rebuild",
        status=status,
        exercise=exercise,
        script=lab.rebuild_path(exercise).relative_to(lab.root).as_posix(),
        hints=lab.rebuild_hints_shown(exercise.id),
        solution=lab.rebuild_solution(exercise.id) if status.state == "passed" else None,
    )


@router.get("/rebuild/{exercise_id}", response_class=HTMLResponse)
async def rebuild(
    request: Request, exercise_id: str, lab: Annotated[Lab, Depends(lab)]
) -> HTMLResponse:
    return _rebuild_page(request, lab, exercise_id)


@router.post("/rebuild/{exercise_id}/start", response_class=HTMLResponse)
def start(request: Request, exercise_id: str, lab: Annotated[Lab, Depends(lab)]) -> HTMLResponse:
    lab.start_rebuild(exercise_id)
    return _rebuild_page(request, lab, exercise_id)


@router.post("/rebuild/{exercise_id}/hint", response_class=HTMLResponse)
def hint(request: Request, exercise_id: str, lab: Annotated[Lab, Depends(lab)]) -> HTMLResponse:
    found = lab.next_rebuild_hint(exercise_id)
    return render(request, "_partials/hint.html", hint=found, oob=True)


@router.post("/rebuild/{exercise_id}/check", response_class=HTMLResponse)
def check(request: Request, exercise_id: str, lab: Annotated[Lab, Depends(lab)]) -> HTMLResponse:
    exercise = lab.catalog.rebuild(exercise_id)
    if not lab.rebuild_path(exercise).is_file():
        lab.check_rebuild(exercise.id)  # raises the CLI's message: copy the skeleton first

    def work(job_lab: Lab, job: Job) -> object:
        return job_lab.check_rebuild(exercise.id, on_output=job.write)

    job = request.app.state.jobs.start("rebuild", exercise.id, work)
    return render(request, "_partials/job.html", job=job)
