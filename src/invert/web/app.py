"""The web app: the same lab in a browser, through the same `Lab` facade as the CLI.

`create_app` builds a FastAPI application for one lab folder. Every page opens the lab's store
for the length of one request, so what the CLI writes shows up on the next page load, and what
a page writes is in the journal before its response is sent.
"""

from __future__ import annotations

import queue
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.exceptions import HTTPException

from invert._version import __version__
from invert.catalog import load_catalog
from invert.errors import LabBusy, LearnerError, UnknownError
from invert.lab import DB_NAME, STATE_DIR, Lab
from invert.store import Store
from invert.web.jobs import Jobs
from invert.web.security import Guard, csrf_token
from invert.web.submissions import Submissions, fresh_token
from invert.web.text import markdown

HERE = Path(__file__).parent
WRITE_WAIT = 5.0  # seconds a page's write waits for another process's before answering 503
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


@cache
def templates() -> Jinja2Templates:
    found = Jinja2Templates(directory=HERE / "templates")
    found.env.filters["markdown"] = markdown
    found.env.globals.update(
        nav=navigation(), version=__version__, concept_link=concept_link, fresh_token=fresh_token
    )
    return found


def navigation() -> tuple[tuple[str, str], ...]:
    """The pages in the navigation bar: the dashboard, each kind's, the journal, the portfolio."""
    from invert.kinds import kinds

    found = [entry for kind in kinds() for entry in kind.nav]
    return (("/", "Dashboard"), *found, ("/journal", "Journal"), ("/portfolio", "Portfolio"))


def concept_link(concept_id: str) -> Markup:
    """A concept's title, linked to its card when it has one."""
    catalog = load_catalog()
    concept = catalog.concepts.get(concept_id)
    title = escape(concept.title if concept else concept_id)
    if concept_id in catalog.theory.cards:
        return Markup('<a href="/cards/{}">{}</a>').format(concept_id, title)
    return Markup(title)


def render(request: Request, name: str, code: int = 200, **context: Any) -> HTMLResponse:
    """A page (or, for htmx, a partial) with what every template needs."""
    if "app" in request.scope:  # not on a refusal, which comes before the app
        context.setdefault("csrf", request.app.state.csrf)
        context.setdefault("lab_root", request.app.state.root)
    return templates().TemplateResponse(request, name, context, status_code=code)


def open_store(root: Path) -> Store:
    """The lab's journal as a page uses it: a write waits WRITE_WAIT seconds for the lock."""
    return Store(root / STATE_DIR / DB_NAME, create=False, timeout=WRITE_WAIT)


async def lab(request: Request) -> AsyncIterator[Lab]:
    """The lab, opened for one request (FastAPI dependency).

    Pages that only read are `async def`: the journal's queries take a millisecond or two, less
    than a hop to a worker thread and back costs under load, and in WAL mode a read never waits
    for a writer. Pages that write are plain `def`, so a write waiting for another process's
    lock holds one worker thread, never the event loop. Whatever takes longer runs in a `Job`.
    """
    state = request.app.state
    try:
        store = state.stores.get_nowait()
    except queue.Empty:
        store = open_store(state.root)
    try:
        yield Lab(state.root, state.catalog, store)
    finally:
        # Open connections are kept for the next request: opening and closing one (the
        # close checkpoints the WAL) cost more than the page's own queries.
        state.stores.put(store)


class PageCache:
    """Rendered pages that depend only on the journal (and the minute, for reviews falling due).

    The key holds the journal's newest event id: anything written, by a page, a job or the CLI
    in another terminal, makes the next load render afresh. A reload with nothing new is
    answered from here.
    """

    SIZE = 64

    def __init__(self) -> None:
        self.pages: OrderedDict[tuple[str, str, int, int], bytes] = OrderedDict()

    @staticmethod
    def key(request: Request, lab: Lab) -> tuple[str, str, int, int]:
        newest = lab.store.conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()
        return (request.url.path, request.url.query, int(newest[0]), int(time.time() // 60))

    def get(self, key: tuple[str, str, int, int]) -> HTMLResponse | None:
        body = self.pages.get(key)
        if body is None:
            return None
        self.pages.move_to_end(key)
        return HTMLResponse(body)

    def put(self, key: tuple[str, str, int, int], response: HTMLResponse) -> HTMLResponse:
        if response.status_code == 200:
            self.pages[key] = bytes(response.body)
            while len(self.pages) > self.SIZE:
                self.pages.popitem(last=False)
        return response


def cached_page(request: Request, lab: Lab, build: Callable[[], HTMLResponse]) -> HTMLResponse:
    """The page from the cache if the journal has not changed since it was rendered."""
    cache: PageCache = request.app.state.pages
    key = cache.key(request, lab)
    return cache.get(key) or cache.put(key, build())


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(request: Request, status: int, message: str) -> Response:
    if wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
    page = "_partials/error.html" if request.headers.get("hx-request") else "error.html"
    return render(request, page, code=status, message=message, status_code=status)


def _no_telemetry() -> dict[str, Any]:
    """FastAPI 0.160+ records OpenTelemetry data and, if an environment variable says so, sends
    it to an exporter: invert never sends anything anywhere."""
    import inspect

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
    pages = [kind.module(name) for kind in kinds() for name in kind.pages]
    for module in (dashboard, *pages, journal, portfolio, api):
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
