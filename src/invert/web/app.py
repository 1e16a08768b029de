"""The web app: the same lab in a browser, through the same `Lab` parts as the CLI.

`create_app` builds a FastAPI application for one lab folder from the pages of invert/web/pages/
and of each registered kind. Every page opens the lab's store for the length of one request, so
what the CLI writes shows up on the next page load, and what a page writes is in the journal
before its response is sent. What the pages share is in invert/web/context.py.
"""

from __future__ import annotations

import inspect
import queue
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from invert._version import __version__
from invert.catalog.loader import load_catalog
from invert.errors import LabBusy, LearnerError, UnknownError
from invert.web.context import (
    HERE,
    PageCache,
    error_response,
    render,
    templates,
    wants_json,
)
from invert.web.jobs import Jobs
from invert.web.security import Guard, csrf_token
from invert.web.submissions import Submissions

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; "
    "form-action 'self'; base-uri 'none'; object-src 'none'"
)


HEADERS = (
    ("content-security-policy", CSP),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
)


def _no_telemetry() -> dict[str, Any]:
    """FastAPI 0.160+ records OpenTelemetry data and, if an environment variable says so, sends
    it to an exporter: invert never sends anything anywhere."""
    if "telemetry" not in inspect.signature(FastAPI).parameters:
        return {}
    off = ("tracing", "metrics", "logs", "operation_spans", "auto_configure")
    return {"telemetry": dict.fromkeys(off, False)}


def create_app(
    root: Path, token: str, hosts: set[str] | None = None, any_ip_port: int | None = None
) -> Any:
    """The app for the lab at `root`; requests must carry `token` and name one of `hosts` (or,
    bound to every address, any IP address with the port `any_ip_port`).

    Returns the app wrapped in its `Guard` (an ASGI application).
    """
    from invert.kinds import kinds
    from invert.web.pages import api, dashboard, journal, portfolio

    app = FastAPI(
        **_no_telemetry(),
        title="invert",
        version=__version__,
        description="The JSON side of `invert serve`: the lab's state, read-only but for "
        "checking a sweep's settings.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.root = root
    app.state.catalog = load_catalog()
    app.state.csrf = csrf_token(token)
    app.state.jobs = Jobs(root)
    app.state.submissions = Submissions()
    app.state.stores = queue.SimpleQueue()
    app.state.pages = PageCache()
    # The templates (each kind's folder) and the navigation follow the registry as it is when
    # the app is made.
    templates.cache_clear()
    app.include_router(dashboard.router)
    for kind in kinds():
        for name in kind.pages:
            app.include_router(kind.module(name).router)
        if kind.exercise and not kind.pages:  # a kind with no pages of its own: the shared ones
            from invert.kinds.exercise_page import exercise_router

            app.include_router(exercise_router(kind))
    for module in (journal, portfolio, api):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        """Plotly's JavaScript, from the installed plotly package: never a CDN."""
        from invert.plots import plotly_js

        return FileResponse(plotly_js(), headers={"cache-control": "max-age=86400"})

    @app.exception_handler(LearnerError)
    def learner_error(request: Request, exc: LearnerError) -> Response:
        status = 404 if isinstance(exc, UnknownError) else 503 if isinstance(exc, LabBusy) else 400
        return error_response(request, status, str(exc))

    @app.exception_handler(HTTPException)
    def http_error(request: Request, exc: HTTPException) -> Response:
        messages = {404: "there is no such page in this lab", 405: "that page cannot do this"}
        detail = exc.detail if isinstance(exc.detail, str) and exc.status_code != 404 else None
        return error_response(
            request, exc.status_code, detail or messages.get(exc.status_code, "refused")
        )

    @app.exception_handler(RequestValidationError)
    def invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query"))
        message = f"{where}: {first.get('msg', 'invalid value')}".lstrip(": ")
        return error_response(request, 422, message)

    @app.exception_handler(Exception)
    def crashed(request: Request, exc: Exception) -> Response:
        # Starlette re-raises after this page is sent, so the server's console gets the traceback.
        return error_response(
            request, 500, "invert hit a bug here; the details are in the terminal running it"
        )

    async def forbidden(scope: Any, receive: Any, send: Any) -> None:
        request = Request(scope, receive)
        reason = scope.get("state", {}).get("refusal", "refused")
        if wants_json(request):
            response: Response = JSONResponse({"error": reason}, status_code=403)
        else:
            response = render(request, "forbidden.html", code=403, message=reason)
        await response(scope, receive, send)

    allowed = hosts or set()
    return Guard(app, token, allowed, forbidden, HEADERS, any_ip_port)
