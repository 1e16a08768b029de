"""The web app through Starlette's TestClient: every route, the token, CSRF, the knob ranges,
errors as pages, the journal shared with the CLI, and schemathesis on the JSON endpoints."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from conftest import Cli, lab_fingerprint
from invert.lab import Lab, create_lab
from invert.web.app import create_app
from invert.web.security import csrf_token

TOKEN = "test-token-0123456789"
HOST = "testserver"
EXPERIMENT = "knn-k"  # titanic, k from 1 to 200 (whole numbers): a sweep of seconds
STARTER = "wine_knn"
DRILL = "titanic-too-good"


def client_for(root: Path, cookie: bool = True) -> TestClient:
    client = TestClient(
        create_app(root, TOKEN, {HOST}), raise_server_exceptions=False, follow_redirects=False
    )
    if cookie:
        client.cookies.set("invert_token", TOKEN)
    return client


@pytest.fixture
def web(lab: Lab) -> Iterator[TestClient]:
    with client_for(lab.root) as client:
        yield client


def post(client: TestClient, path: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(path, data={"csrf": csrf_token(TOKEN), **(data or {})})


def wait_for_job(client: TestClient, html: str, limit: float = 180) -> str:
    """Follow a job partial's polling until the job is done; return the final partial."""
    match = re.search(r'hx-get="(/jobs/[\w-]+)"', html)
    assert match, html[:500]
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        response = client.get(match.group(1))
        assert response.status_code == 200
        if 'data-state="done"' in response.text:
            return response.text
        time.sleep(0.2)
    raise AssertionError(f"job {match.group(1)} not done in {limit} s")


def valid_html(text: str, where: str) -> None:
    """Valid for the WHATWG parser (html5lib, strict): a page, or a partial htmx swaps in."""
    import html5lib

    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        if text.lstrip().lower().startswith("<!doctype"):
            parser.parse(text)
        else:
            parser.parseFragment(text)
    except html5lib.html5parser.ParseError as exc:
        raise AssertionError(f"{where}: {exc}") from None
    ids = re.findall(r'\sid="([^"]+)"', text)
    assert len(ids) == len(set(ids)), f"{where}: duplicate ids"


EXPLANATION = (
    "Error on new data is bias squared plus variance plus noise; a simple model misses the "
    "pattern, a flexible one chases the noise."
)


def prediction(**extra: str) -> dict[str, Any]:
    return {"shape": "rises", "confidence": "70", **extra}


# --- the token, the Host header, CSRF ---------------------------------------------------------


def test_every_request_needs_the_token(lab: Lab) -> None:
    client = client_for(lab.root, cookie=False)
    page = client.get("/")
    assert page.status_code == 403
    assert "holds the token" in page.text and "Traceback" not in page.text
    assert client.get("/api/progress").json() == {
        "error": "open the address `invert serve` printed: it holds the token this lab needs"
    }
    assert client.get("/static/style.css").status_code == 403
    assert client.get("/", headers={"Authorization": "token wrong"}).status_code == 403
    client.cookies.set("invert_token", "wrong")
    assert client.get("/").status_code == 403


def test_the_token_in_the_address_becomes_a_cookie_and_leaves_the_address(lab: Lab) -> None:
    client = client_for(lab.root, cookie=False)
    entered = client.get(f"/journal?token={TOKEN}&experiment={EXPERIMENT}")
    assert entered.status_code == 303
    assert entered.headers["location"] == f"/journal?experiment={EXPERIMENT}"
    cookie = entered.headers["set-cookie"]
    assert (
        f"invert_token={TOKEN}" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    )
    assert client.get(entered.headers["location"]).status_code == 200  # the cookie now serves


def test_a_script_may_send_the_token_in_a_header(lab: Lab) -> None:
    client = client_for(lab.root, cookie=False)
    headers = {"Authorization": f"token {TOKEN}"}
    assert client.get("/api/progress", headers=headers).json()["phase"] == "run"
    # No browser adds this header by itself, so a POST with it needs no CSRF token.
    asked = client.post("/questions", data={"text": "why scale?"}, headers=headers)
    assert asked.status_code == 200 and "Question saved" in asked.text


def test_a_foreign_host_header_is_refused(lab: Lab) -> None:
    """DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends Host: evil.example."""
    client = client_for(lab.root)
    assert client.get("/", headers={"Host": "evil.example:8765"}).status_code == 403


def test_posts_need_the_csrf_token_and_the_same_origin(web: TestClient, lab: Lab) -> None:
    before = lab_fingerprint(lab.root)
    refused = web.post("/questions", data={"text": "why does k matter?"})
    assert refused.status_code == 403 and "CSRF" in refused.text
    wrong = web.post("/questions", data={"text": "why?", "csrf": "0" * 64})
    assert wrong.status_code == 403
    other_site = web.post(
        "/questions",
        data={"text": "why does k matter?", "csrf": csrf_token(TOKEN)},
        headers={"Origin": "http://evil.example"},
    )
    assert other_site.status_code == 403
    assert lab_fingerprint(lab.root) == before
    by_header = web.post(
        "/questions",
        data={"text": "why does k matter?"},
        headers={"X-CSRF-Token": csrf_token(TOKEN), "Origin": f"http://{HOST}"},
    )
    assert by_header.status_code == 200
    assert post(web, "/questions", {"text": "why is 1 neighbour noisy?"}).status_code == 200
    assert [q.text for q in lab.questions()] == ["why does k matter?", "why is 1 neighbour noisy?"]


def test_pages_forbid_foreign_scripts_and_frames(web: TestClient) -> None:
    page = web.get("/")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'self'" in csp
    assert page.headers["cache-control"] == "no-store"
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", page.text)


# --- every route --------------------------------------------------------------------------


def route_paths(app: Any) -> set[str]:
    """Every path the app answers, routers included (the Guard wraps the FastAPI app)."""
    paths = set()
    for route in app.app.routes:
        router = getattr(route, "original_router", None)
        inner = router.routes if router is not None else [route]
        paths |= {r.path for r in inner}
    return paths


def test_every_route_answers(lab: Lab, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each route of the app is requested here with valid input: no route goes untested."""
    monkeypatch.chdir(lab.root)
    cli("why", "why does scaling change kNN?")
    web = client_for(lab.root)
    started = post(web, f"/drills/{DRILL}/start")
    rebuild_started = post(web, "/rebuild/knn/start")
    card = web.get("/cards/bias-variance")
    rule = re.search(r"/review/([\w-]+)", web.get("/review").text)
    assert rule, "opening a card puts its rules in the toolkit, due at once"
    run = post(web, f"/starters/{STARTER}/run")
    job_id = re.search(r'hx-get="/jobs/([\w-]+)"', run.text)
    assert job_id
    wait_for_job(web, run.text)
    tried = post(web, f"/playground/{EXPERIMENT}/run", prediction())
    result = wait_for_job(web, tried.text)
    run_id = re.search(r'name="run" value="(\w+)"', result)
    assert run_id
    web.get("/portfolio")
    requests = {
        "/": web.get("/"),
        "/starters": web.get("/starters"),
        "/starters/{starter_id}": web.get(f"/starters/{STARTER}"),
        "/starters/{starter_id}/run": run,
        "/jobs/{job_id}": web.get(f"/jobs/{job_id.group(1)}"),
        "/playground": web.get("/playground"),
        "/playground/{experiment_id}": web.get(f"/playground/{EXPERIMENT}"),
        "/playground/{experiment_id}/run": tried,
        "/playground/{experiment_id}/observe": post(
            web,
            f"/playground/{EXPERIMENT}/observe",
            {"text": "unscaled, one column ruled the distances", "run": run_id.group(1)},
        ),
        "/journal": web.get("/journal"),
        "/questions": post(web, "/questions", {"text": "why?", "experiment": EXPERIMENT}),
        "/questions/{number}/answer": post(web, "/questions/1/answer", {"text": EXPLANATION}),
        "/cards": web.get("/cards"),
        "/cards/{card_id}": card,
        "/cards/{card_id}/explain": post(
            web,
            "/cards/bias-variance/explain",
            {"text": EXPLANATION, "rating": "4"},
        ),
        "/drills": web.get("/drills"),
        "/drills/{drill_id}": web.get(f"/drills/{DRILL}"),
        "/drills/{drill_id}/start": started,
        "/drills/{drill_id}/hint": post(web, f"/drills/{DRILL}/hint"),
        "/drills/{drill_id}/check": post(web, f"/drills/{DRILL}/check"),
        "/rebuild": web.get("/rebuild"),
        "/rebuild/{exercise_id}": web.get("/rebuild/knn"),
        "/rebuild/{exercise_id}/start": rebuild_started,
        "/rebuild/{exercise_id}/hint": post(web, "/rebuild/knn/hint"),
        "/rebuild/{exercise_id}/check": post(web, "/rebuild/knn/check"),
        "/review": web.get("/review"),
        "/review/{rule_id}": post(web, f"/review/{rule.group(1)}", {"rating": "good"}),
        "/portfolio": web.get("/portfolio"),
        "/portfolio/site/{path:path}": web.get("/portfolio/site/index.html"),
        "/vendor/plotly.min.js": web.get("/vendor/plotly.min.js"),
        "/static": web.get("/static/htmx.min.js"),
        "/api/openapi.json": web.get("/api/openapi.json"),
        "/api/progress": web.get("/api/progress"),
        "/api/starters": web.get("/api/starters"),
        "/api/experiments": web.get("/api/experiments"),
        "/api/experiments/{experiment_id}": web.get(f"/api/experiments/{EXPERIMENT}"),
        "/api/experiments/{experiment_id}/plan": web.post(
            f"/api/experiments/{EXPERIMENT}/plan",
            json={"values": [1, 5, 9]},
            headers={"X-CSRF-Token": csrf_token(TOKEN)},
        ),
        "/api/journal": web.get("/api/journal"),
        "/api/questions": web.get("/api/questions"),
        "/api/power": web.get("/api/power"),
        "/api/drills": web.get("/api/drills"),
        "/api/rebuilds": web.get("/api/rebuilds"),
        "/api/toolkit": web.get("/api/toolkit"),
        "/api/jobs/{job_id}": web.get(f"/api/jobs/{job_id.group(1)}"),
    }
    assert set(requests) == route_paths(web.app)
    for path, response in requests.items():
        assert response.status_code == 200, (path, response.text[:300])
        if response.headers["content-type"].startswith("text/html"):
            valid_html(response.text, path)
    assert "javascript" in requests["/vendor/plotly.min.js"].headers["content-type"]
    assert requests["/api/experiments/{experiment_id}/plan"].json()["values"] == [1, 5, 9]
    assert requests["/api/jobs/{job_id}"].json()["done"] is True
    checked = wait_for_job(web, requests["/rebuild/{exercise_id}/check"].text)
    valid_html(checked, "the rebuild check's verdict")
    assert 'id="rebuild-verdict"' in checked and "Not attempted: 0 of 1 stages" in checked
    assert [r["state"] for r in requests["/api/rebuilds"].json()][:2] == [
        "not attempted",
        "not attempted",
    ]
    dashboard = requests["/"].text
    assert '<dd data-figure="experiments_tried">1 of 16</dd>' in dashboard
    assert '<dd data-figure="questions">1 open, 0 answered</dd>' in dashboard
    assert "why does scaling change kNN?" in requests["/journal"].text


# --- what the CLI does shows up here, and the other way round --------------------------------


def test_the_cli_and_the_web_share_one_journal(
    web: TestClient, lab: Lab, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(lab.root)
    before = web.get("/journal").text  # rendered, and kept while the journal is unchanged
    assert web.get("/journal").text == before
    assert "Open why-questions (0)" in web.get("/").text
    code, _, _ = cli("why", "why do unscaled columns dominate distances?")
    assert code == 0
    assert "why do unscaled columns dominate distances?" in web.get("/journal").text
    assert "Open why-questions (1)" in web.get("/").text
    assert post(web, "/questions", {"text": "why does the forest not care?"}).status_code == 200
    code, out, _ = cli("journal", "--json")
    assert code == 0 and "why does the forest not care?" in out


# --- the playground ------------------------------------------------------------------------


def test_knob_values_are_checked_on_the_server(web: TestClient, lab: Lab) -> None:
    """A value outside the declared range (a crafted request, past the form's min and max)."""
    before = lab_fingerprint(lab.root)
    cases = {
        ("value", "0"): "outside the range",
        ("value", "201"): "outside the range",
        ("value", "1.5"): "whole numbers",
        ("value", "abc"): "takes numbers",
        ("set.data.train_fraction", "5"): "outside the range",
        ("set.model.weights", "heavy"): "must be one of",
    }
    for (field, value), message in cases.items():
        data = prediction(value=["1", value] if field == "value" else ["1", "3"])
        if field != "value":
            data[field] = value
        response = post(web, f"/playground/{EXPERIMENT}/run", data)
        assert response.status_code == 400, (field, value)
        assert message in response.text and "Traceback" not in response.text
    assert post(web, f"/playground/{EXPERIMENT}/run", {"value": ["1", "3"]}).status_code == 400
    api = web.post(
        f"/api/experiments/{EXPERIMENT}/plan",
        json={"values": [1, 10_000]},
        headers={"X-CSRF-Token": csrf_token(TOKEN)},
    )
    assert api.status_code == 400 and "outside the range" in api.json()["error"]
    assert lab_fingerprint(lab.root) == before


def test_run_is_disabled_until_a_prediction_is_made(web: TestClient) -> None:
    page = web.get(f"/playground/{EXPERIMENT}").text
    assert re.search(r'<button type="submit" id="run-button" disabled>', page)
    refused = post(web, f"/playground/{EXPERIMENT}/run", {"confidence": "70"})
    assert refused.status_code == 400 and "predict first" in refused.text


def test_a_cached_rerun_answers_at_once(web: TestClient, lab: Lab) -> None:
    first = post(web, f"/playground/{EXPERIMENT}/run", prediction(value=["1", "9"]))
    assert "hx-get" in first.text
    wait_for_job(web, first.text)
    again = post(web, f"/playground/{EXPERIMENT}/run", prediction(value=["1", "9"]))
    assert again.status_code == 200 and 'id="result"' in again.text
    assert "from the cache" in again.text
    assert len(lab.store.predictions()) == 2  # each run recorded its own prediction


# --- errors are pages ----------------------------------------------------------------------


def test_errors_are_pages_not_tracebacks(web: TestClient) -> None:
    for path, status in (
        ("/no-such-page", 404),
        ("/cards/no-such-card", 404),
        ("/playground/no-such-experiment", 404),
        ("/drills/no-such-drill", 404),
        ("/rebuild/no-such-exercise", 404),
        ("/portfolio/site/../../.invert/lab.db", 404),
        ("/api/power?window=0", 422),
    ):
        response = web.get(path)
        assert response.status_code == status, path
        assert "Traceback" not in response.text
    unknown = web.get("/cards/bias-varianse")
    assert "bias-variance" in unknown.text  # the did-you-mean of the CLI's message
    assert post(web, "/drills/no-such-drill/check").status_code == 404
    assert web.get("/api/experiments/nope").json()["error"].startswith("unknown experiment")
    htmx = post(web, f"/drills/{DRILL}/check")  # not started: the CLI's message, as a partial
    assert htmx.status_code == 400 and "invert drill" in htmx.text
    assert post(web, "/rebuild/no-such-exercise/check").status_code == 404
    htmx = post(web, "/rebuild/pca/check")
    assert htmx.status_code == 400 and "`invert rebuild pca` copies the skeleton" in htmx.text


def test_an_unreadable_journal_is_a_page(lab: Lab) -> None:
    """A lab whose journal file was replaced by garbage: the page says so in one line."""
    client = client_for(lab.root)
    lab.close()
    for leftover in (lab.root / ".invert").glob("lab.db-*"):
        leftover.unlink()
    (lab.root / ".invert" / "lab.db").write_bytes(b"not a database" * 100)
    response = client.get("/journal")
    assert response.status_code == 400
    assert "lab.db is damaged" in response.text and "invert import" in response.text
    assert "Traceback" not in response.text


# --- schemathesis on the JSON endpoints ---------------------------------------------------


def test_schemathesis_finds_no_server_error(tmp_path: Path) -> None:
    import hypothesis
    import schemathesis

    with create_lab(tmp_path / "lab") as made:
        root = made.root
    app = create_app(root, TOKEN, {HOST})
    headers = {"Authorization": f"token {TOKEN}"}
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app, headers=headers)
    operations = [op.ok() for op in schema.get_all_operations()]
    assert len(operations) >= 10
    failures: list[str] = []
    statuses: dict[int, int] = {}
    real = sorted(made.catalog.experiments)
    tried = 0
    cases = [(op, mode) for op in operations for mode in schemathesis.GenerationMode]
    for operation, mode in cases:

        @hypothesis.settings(
            max_examples=40,
            deadline=None,
            database=None,
            suppress_health_check=list(hypothesis.HealthCheck),
            phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        )
        @hypothesis.given(case=operation.as_strategy(mode))
        def check(case: Any) -> None:
            nonlocal tried
            tried += 1
            # Every other case names a real experiment, so its body reaches the range checks
            # instead of stopping at "unknown experiment".
            if "experiment_id" in (case.path_parameters or {}) and tried % 2:
                case.path_parameters["experiment_id"] = real[tried % len(real)]
            response = case.call(headers=headers)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.status_code}")

        try:
            check()
        except hypothesis.errors.Unsatisfiable:  # no parameters: nothing can be made invalid
            assert mode == schemathesis.GenerationMode.NEGATIVE
    assert tried >= 300
    assert failures == []
    assert {200, 400, 404, 422} <= set(statuses), statuses  # it reached every kind of answer
    print(f"schemathesis: {tried} cases over {len(operations)} operations: {statuses}")


# --- invert serve on the command line ----------------------------------------------------------


def test_serve_refuses_a_port_in_use_in_one_line(lab: Lab) -> None:
    import socket

    from conftest import invert_process

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = invert_process("serve", "--no-browser", "--port", str(port), cwd=lab.root)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"error: port {port} is already in use (another invert serve?); try --port {port + 1}"
    )
    outside = invert_process("serve", "--no-browser", cwd=lab.root.parent)
    assert outside.returncode == 2 and "no invert lab" in outside.stderr
    assert "Traceback" not in done.stderr + outside.stderr


def test_serve_warns_when_bound_beyond_this_machine(lab: Lab) -> None:
    import signal
    import socket
    import subprocess
    import sys

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "invert",
            "serve",
            "--no-browser",
            "--host",
            "0.0.0.0",
            "--port",
            str(port),
        ],
        cwd=lab.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"},
    )
    try:
        assert process.stderr is not None and process.stdout is not None
        warning = process.stderr.readline()
        opened = ""
        while "Open:" not in opened:
            opened = process.stdout.readline()
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    assert warning.startswith("warning: listening on 0.0.0.0, not only this machine")
    assert f"http://0.0.0.0:{port}/?token=" in opened
    assert process.returncode in (0, 130) and "Traceback" not in err  # 130: stopped by Ctrl-C


def test_a_reload_is_not_a_second_reading(web: TestClient, lab: Lab) -> None:
    assert web.get("/cards/bias-variance").status_code == 200
    assert web.get("/cards/bias-variance").status_code == 200
    assert len(lab.store.events("card_opened", "bias-variance")) == 1
    assert lab.toolkit(), "the card's rules joined the toolkit"
