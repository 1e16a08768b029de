"""The portfolio preview: the static site `invert portfolio` writes, built into the lab's state
folder and shown here as it will look once published."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse
from starlette.exceptions import HTTPException

from invert.lab import Lab
from invert.web.app import lab, render

router = APIRouter(include_in_schema=False)  # pages; /api/openapi.json describes the JSON
PREVIEW = Path(".invert") / "portfolio-preview"


@router.get("/portfolio", response_class=HTMLResponse)
def portfolio(request: Request, lab: Annotated[Lab, Depends(lab)]) -> HTMLResponse:
    site = lab.build_portfolio(lab.root / PREVIEW)
    return render(request, "portfolio.html", active="/portfolio", site=site)


@router.get("/portfolio/site/{path:path}", include_in_schema=False)
def site_file(request: Request, path: str) -> FileResponse:
    folder = (request.app.state.root / PREVIEW).resolve()
    try:
        target = (folder / path).resolve()
        found = target.is_relative_to(folder) and target.is_file()
    except (ValueError, OSError):  # a null byte, a name too long: no such file either
        found = False
    if not found:
        raise HTTPException(404)
    return FileResponse(target)
