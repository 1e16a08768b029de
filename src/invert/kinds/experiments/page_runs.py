"""A running job as the page polls it: output so far, progress, then the result."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from starlette.exceptions import HTTPException

from invert.kinds.experiments.page import progress_context, result_context
from invert.lab import Lab
from invert.web.context import lab, render

router = APIRouter(include_in_schema=False)  # pages; /api/openapi.json describes the JSON


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
async def job(request: Request, job_id: str, lab: Annotated[Lab, Depends(lab)]) -> HTMLResponse:
    found = request.app.state.jobs.get(job_id)
    if found is None:
        raise HTTPException(404)
    extra = {}
    if found.done and found.error is None and found.kind == "experiment":
        extra = result_context(lab, found.result)
    elif not found.done and found.kind == "experiment":
        extra = progress_context(found)
    return render(request, "_partials/job.html", job=found, **extra)
