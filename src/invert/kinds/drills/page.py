"""Drills: each broken pipeline's status, its hints one at a time, the check, the solution."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from invert.lab import Lab
from invert.web.context import lab, render

if TYPE_CHECKING:
    from invert.web.jobs import Job

router = APIRouter(include_in_schema=False)  # pages; /api/openapi.json describes the JSON


@router.get("/drills", response_class=HTMLResponse)
async def drills(request: Request, lab: Annotated[Lab, Depends(lab)]) -> HTMLResponse:
    return render(request, "drills.html", active="/drills", drills=lab.drills())


def _drill_page(request: Request, lab: Lab, drill_id: str) -> HTMLResponse:
    status = lab.drill_status(drill_id)
    drill = status.drill
    solution = lab.solution(drill.id) if status.state == "fixed" else None
    return render(
        request,
        "drill.html",
        active="/drills",
        status=status,
        drill=drill,
        script=lab.drill_path(drill).relative_to(lab.root).as_posix(),
        hints=lab.hints_shown(drill.id),
        solution=solution,
        concepts=lab.catalog.concepts,
    )


@router.get("/drills/{drill_id}", response_class=HTMLResponse)
async def drill(request: Request, drill_id: str, lab: Annotated[Lab, Depends(lab)]) -> HTMLResponse:
    return _drill_page(request, lab, drill_id)


@router.post("/drills/{drill_id}/start", response_class=HTMLResponse)
def start(request: Request, drill_id: str, lab: Annotated[Lab, Depends(lab)]) -> HTMLResponse:
    lab.start_drill(drill_id)
    return _drill_page(request, lab, drill_id)


@router.post("/drills/{drill_id}/hint", response_class=HTMLResponse)
def hint(request: Request, drill_id: str, lab: Annotated[Lab, Depends(lab)]) -> HTMLResponse:
    found = lab.next_hint(drill_id)
    return render(request, "_partials/hint.html", hint=found, oob=True)


@router.post("/drills/{drill_id}/check", response_class=HTMLResponse)
def check(request: Request, drill_id: str, lab: Annotated[Lab, Depends(lab)]) -> HTMLResponse:
    drill = lab.catalog.drill(drill_id)
    if not lab.drill_path(drill).is_file():
        lab.check_drill(drill.id)  # raises the CLI's message: start the drill first

    def work(job_lab: Lab, job: Job) -> object:
        return job_lab.check_drill(drill.id, on_output=job.write)

    job = request.app.state.jobs.start("drill", drill.id, work)
    return render(request, "_partials/job.html", job=job)
