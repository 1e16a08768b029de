"""The real `invert serve` under load: every page loaded by many clients at once, and another
process holding the lab's write lock (static files and reads never wait; a write says it is
busy, writes nothing, and works once the lock is free)."""

from __future__ import annotations

import http.client
import re
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

import pytest

from conftest import serving
from invert.lab import create_lab
from invert.web.app import create_app

pytestmark = pytest.mark.slow  # a real server under many clients at once: tens of seconds

CONCURRENT = 12


class Client:
    """One connection per request to the real server, authenticated as scripts are."""

    def __init__(self, url: str) -> None:
        base, self.token = url.split("/?token=")
        self.netloc = urlparse(base).netloc

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None, timeout: float = 120
    ) -> tuple[int, str, float]:
        """(status, body, seconds taken)."""
        headers = {"Authorization": f"token {self.token}"}
        body = None
        if form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urlencode(form)
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.netloc, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        return response.status, text, time.perf_counter() - started


def get_pages(job_id: str) -> dict[str, str]:
    """A real address for every GET route of the app."""
    return {
        "/": "/",
        "/starters": "/starters",
        "/starters/{starter_id}": "/starters/wine_knn",
        "/jobs/{job_id}": f"/jobs/{job_id}",
        "/playground": "/playground",
        "/playground/{experiment_id}": "/playground/knn-k",
        "/journal": "/journal",
        "/cards": "/cards",
        "/cards/{card_id}": "/cards/bias-variance",
        "/drills": "/drills",
        "/drills/{drill_id}": "/drills/titanic-too-good",
        "/rebuild": "/rebuild",
        "/rebuild/{exercise_id}": "/rebuild/knn",
        "/review": "/review",
        "/portfolio": "/portfolio",
        "/portfolio/site/{path:path}": "/portfolio/site/index.html",
        "/vendor/plotly.min.js": "/vendor/plotly.min.js",
        "/static": "/static/style.css",
        "/api/openapi.json": "/api/openapi.json",
        "/api/progress": "/api/progress",
        "/api/starters": "/api/starters",
        "/api/experiments": "/api/experiments",
        "/api/experiments/{experiment_id}": "/api/experiments/knn-k",
        "/api/journal": "/api/journal",
        "/api/questions": "/api/questions",
        "/api/power": "/api/power",
        "/api/drills": "/api/drills",
        "/api/rebuilds": "/api/rebuilds",
        "/api/toolkit": "/api/toolkit",
        "/api/jobs/{job_id}": f"/api/jobs/{job_id}",
    }


def get_routes(root: Path) -> set[str]:
    """Every path of the app that answers GET (the static mount included)."""
    paths = set()
    for route in create_app(root, "unused").app.routes:
        router = getattr(route, "original_router", None)
        for inner in router.routes if router is not None else [route]:
            if "GET" in (getattr(inner, "methods", None) or {"GET"}):
                paths.add(inner.path)
    return paths


def started_job(client: Client) -> str:
    """Start a starter's run from the web (a job whose page can be loaded); its id."""
    status, body, _ = client.request("POST", "/starters/wine_knn/run", {})
    found = re.search(r'hx-get="/jobs/([\w-]+)"', body)
    assert status == 200 and found, body[:300]
    return found.group(1)


def test_every_page_loads_many_times_at_once(tmp_path: Path) -> None:
    with create_lab(tmp_path / "lab") as lab:
        root = lab.root
    with serving(root) as url:
        client = Client(url)
        pages = get_pages(started_job(client))
        assert set(pages) == get_routes(root), "a GET route is missing here"
        client.request("GET", "/portfolio")  # the site's files exist before they are fetched
        loads = [path for path in pages.values() for _ in range(CONCURRENT)]
        with ThreadPoolExecutor(max_workers=CONCURRENT * 2) as pool:
            answers = list(pool.map(lambda path: (path, *client.request("GET", path)), loads))
    failed = [(path, status, body[:200]) for path, status, body, _ in answers if status != 200]
    assert not failed, failed


def test_the_portfolio_builds_at_once_in_many_tabs(tmp_path: Path) -> None:
    with create_lab(tmp_path / "lab") as lab:
        root = lab.root
    with serving(root) as url:
        client = Client(url)
        with ThreadPoolExecutor(max_workers=24) as pool:
            answers = list(pool.map(lambda _: client.request("GET", "/portfolio"), range(24)))
        assert [status for status, _, _ in answers] == [200] * 24, [
            body[:300] for status, body, _ in answers if status != 200
        ]
        assert client.request("GET", "/portfolio/site/index.html")[0] == 200
    preview = root / ".invert"
    assert sorted(p.name for p in preview.iterdir() if "portfolio" in p.name) == [
        "portfolio-preview"
    ], "a build left its staging folder behind"


def _hold_the_write_lock(db: Path, held: threading.Event, release: threading.Event) -> None:
    """Another writer (a connection of its own, as another process would be) in a long write."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO meta (key, value) VALUES ('held', 'by another writer')")
        held.set()
        release.wait(60)
        conn.execute("COMMIT")
    finally:
        conn.close()


def test_a_held_write_lock_freezes_nothing_and_loses_nothing(tmp_path: Path) -> None:
    with create_lab(tmp_path / "lab") as lab:
        root = lab.root
    db = root / ".invert" / "lab.db"
    with serving(root) as url:
        client = Client(url)
        job = started_job(client)
        pages = get_pages(job)
        for path in pages.values():  # warm: first renders import things
            assert client.request("GET", path)[0] == 200, path
        client.request("GET", f"/api/jobs/{job}")  # let the starter's run finish
        deadline = time.monotonic() + 60
        while '"done":true' not in client.request("GET", f"/api/jobs/{job}")[1]:
            assert time.monotonic() < deadline, "the starter's run did not finish"
            time.sleep(0.2)
        held, release = threading.Event(), threading.Event()
        holder = threading.Thread(target=_hold_the_write_lock, args=(db, held, release))
        holder.start()
        try:
            assert held.wait(10)
            with ThreadPoolExecutor(max_workers=4) as pool:
                writing = pool.submit(
                    client.request, "POST", "/questions", {"text": "why is it busy?"}
                )
                time.sleep(0.5)  # the write is now waiting for the lock
                reads: list[Any] = [(path, *client.request("GET", path)) for path in pages.values()]
                status, body, seconds = writing.result(timeout=60)
        finally:
            release.set()
            holder.join(10)
        slow = [
            (path, status, seconds)
            for path, status, _, seconds in reads
            if status != 200 or seconds > 1
        ]
        assert not slow, slow  # every page answered at once, none waited on the lock
        assert status == 503 and seconds < 10, (status, seconds)
        assert "the lab is busy" in body and "Traceback" not in body
        status, body, _ = client.request("POST", "/questions", {"text": "why is it free now?"})
        assert status == 200 and "free now" in body, body[:3000]
    with sqlite3.connect(db) as conn:
        questions = conn.execute(
            "SELECT payload FROM events WHERE kind = 'question_asked'"
        ).fetchall()
        other = conn.execute("SELECT value FROM meta WHERE key = 'held'").fetchone()
    assert len(questions) == 1 and "free now" in questions[0][0]
    assert other == ("by another writer",)  # the other writer's work is there too
