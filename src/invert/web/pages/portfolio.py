"""The portfolio preview: the static site `invert portfolio` writes, built into the lab's state
folder and shown here as it will look once published."""

from __future__ import annotations

import mimetypes
import tempfile
import threading
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

from invert.lab import Lab
from invert.store.health import writable
from invert.web.context import lab, render

router = APIRouter(include_in_schema=False)  # pages; /api/openapi.json describes the JSON
PREVIEW = Path(".invert") / "portfolio-preview"
_CHOOSING = threading.Lock()


def preview_folder(request: Request) -> Path:
    """Where the preview is built: in the lab's state folder, or for a lab this server may
    only read, a temporary folder of its own."""
    state = request.app.state
    with _CHOOSING:
        if getattr(state, "preview", None) is None:
            folder = state.root / PREVIEW
            if not writable(folder):
                folder = Path(tempfile.mkdtemp(prefix="invert-portfolio-")) / "preview"
            state.preview = folder
        return Path(state.preview)


@router.get("/portfolio", response_class=HTMLResponse)
def portfolio(request: Request, lab: Annotated[Lab, Depends(lab)]) -> HTMLResponse:
    site = lab.exports.build_portfolio(preview_folder(request))
    return render(request, "portfolio.html", active="/portfolio", site=site)


@router.get("/portfolio/site/{path:path}", include_in_schema=False)
def site_file(request: Request, path: str) -> Response:
    from invert.export.portfolio import SWAPPING

    folder = preview_folder(request).resolve()
    try:
        target = (folder / path).resolve()
        found = target.is_relative_to(folder)
    except (ValueError, OSError):  # a null byte, a name too long: no such file either
        found = False
    if not found:
        raise HTTPException(404)
    # Read whole, under the lock another tab's build holds while it swaps the folder.
    with SWAPPING:
        try:
            body = target.read_bytes()
        except (OSError, ValueError):  # no such file (or a name no file can have)
            raise HTTPException(404) from None
    kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    return Response(body, media_type=kind)
