"""What every page of the web app shares: the templates, `render`, the lab a request opens,
the page cache and error pages.

The pages (invert/web/pages/ and each kind's page modules) import from here, and
invert/web/app.py puts them together; nothing here imports a page.
"""

from __future__ import annotations

import queue
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from invert._version import __version__
from invert.catalog.loader import load_catalog
from invert.kinds.part import STATE_DIR
from invert.lab import DB_NAME, Lab
from invert.store import Store
from invert.web.submissions import fresh_token
from invert.web.text import markdown

HERE = Path(__file__).parent
WRITE_WAIT = 5.0  # seconds a page's write waits for another process's before answering 503


@cache
def templates() -> Jinja2Templates:
    """The pages' templates: the shared ones (web/templates), then each kind's own (its
    package's templates/ folder), searched in that order."""
    found = Jinja2Templates(directory=[HERE / "templates", *kind_templates()])
    found.env.filters["markdown"] = markdown
    found.env.globals.update(
        nav=navigation(), version=__version__, concept_link=concept_link, fresh_token=fresh_token
    )
    return found


def kind_templates() -> list[Path]:
    """Every registered kind's templates/ folder that exists."""
    import importlib.util

    from invert.kinds import kinds

    folders = []
    for kind in kinds():
        spec = importlib.util.find_spec(kind.package)
        if spec is not None and spec.origin is not None:
            folder = Path(spec.origin).parent / "templates"
            if folder.is_dir():
                folders.append(folder)
    return folders


def navigation() -> tuple[tuple[str, str], ...]:
    """The pages in the navigation bar: the dashboard, each kind's, the journal, the portfolio."""
    from invert.kinds import kinds

    found: list[tuple[str, str]] = []
    for kind in kinds():
        if kind.nav:
            found.extend(kind.nav)
        elif kind.exercise and not kind.pages:  # the shared exercise pages, at /<name>
            found.append((f"/{kind.name}", kind.title))
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
