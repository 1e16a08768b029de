"""Starters: what goes in and what comes out, and a run button with the script's live output."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from invert.lab import Lab
from invert.web.context import lab, render

if TYPE_CHECKING:
    from invert.web.jobs import Job

router = APIRouter(include_in_schema=False)  # pages; /api/openapi.json describes the JSON


@router.get("/starters", response_class=HTMLResponse)
async def starters(request: Request, lab: Annotated[Lab, Depends(lab)]) -> HTMLResponse:
    return render(request, "starters.html", active="/starters", starters=lab.starters.statuses())


@router.get("/starters/{starter_id}", response_class=HTMLResponse)  # pandas: in a thread
def starter(request: Request, starter_id: str, lab: Annotated[Lab, Depends(lab)]) -> HTMLResponse:
    view = lab.starters.describe(starter_id)
    return render(
        request,
        "starter.html",
        active="/starters",
        view=view,
        script=lab.starters.path(view.status.starter).relative_to(lab.root).as_posix(),
        experiments=lab.experiments.ordered(view.status.starter.id),
    )


@router.post("/starters/{starter_id}/run", response_class=HTMLResponse)
def run(request: Request, starter_id: str, lab: Annotated[Lab, Depends(lab)]) -> HTMLResponse:
    """Start the learner's copy in a job; the page polls /jobs/ID for its output."""
    starter = lab.catalog.starter(starter_id)
    lab.starters.check_requirements(starter)

    def work(job_lab: Lab, job: Job) -> object:
        return job_lab.starters.run(starter.id, on_output=job.write)

    job = request.app.state.jobs.start("starter", starter.id, work)
    return render(request, "_partials/job.html", job=job)
