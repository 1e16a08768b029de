"""The web app through Starlette's TestClient: every route, the token, CSRF, the knob ranges,
errors as pages, the journal shared with the CLI, and schemathesis on the JSON endpoints."""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from conftest import Cli, lab_fingerprint
from invert import clock
from invert.lab import Lab, create_lab
from invert.store import Event
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
    if cookie:  # logged in as a browser is: the printed address starts a session
        assert client.get(f"/?token={TOKEN}").status_code == 303
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


def prediction(**extra: Any) -> dict[str, Any]:
    """A run form's fields: a prediction, and a fresh one-time token as each page load has."""
    return {"shape": "rises", "confidence": "70", "once": uuid.uuid4().hex, **extra}


# --- the token, the Host header, CSRF ---------------------------------------------------------


def test_every_request_needs_the_token(lab: Lab) -> None:
    client = client_for(lab.root, cookie=False)
    page = client.get("/")
    assert page.status_code == 403
    assert "holds the token" in page.text and "Traceback" not in page.text
    assert client.get("/api/progress").json() == {
        "error": "open the address `invert serve` printed: it holds the token this lab needs"
    }
    assert client.get("/static/app.js").status_code == 403
    assert client.get("/", headers={"Authorization": "token wrong"}).status_code == 403
    client.cookies.set("invert_session_80", "wrong")
    assert client.get("/").status_code == 403
    client.cookies.set("invert_session_80", TOKEN)  # the token is no session id
    assert client.get("/").status_code == 403


def test_the_refusal_page_has_the_apps_style(lab: Lab) -> None:
    client = client_for(lab.root, cookie=False)
    page = client.get("/")
    assert page.status_code == 403
    sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page.text)
    assert sheets == ["/static/style.css"]
    style = client.get(sheets[0])  # still without the token
    assert style.status_code == 200 and style.headers["content-type"].startswith("text/css")
    assert ".error" in style.text


def test_the_token_in_the_address_becomes_a_cookie_and_leaves_the_address(lab: Lab) -> None:
    client = client_for(lab.root, cookie=False)
    entered = client.get(f"/journal?token={TOKEN}&experiment={EXPERIMENT}")
    assert entered.status_code == 303
    assert entered.headers["location"] == f"/journal?experiment={EXPERIMENT}"
    cookie = entered.headers["set-cookie"]
    # Named after the port (cookies ignore it), holding a session id, never the token.
    name, _, value = cookie.split(";")[0].partition("=")
    assert name == "invert_session_80" and len(value) >= 40 and TOKEN not in cookie
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert client.get(entered.headers["location"]).status_code == 200  # the cookie now serves
    again = client_for(lab.root, cookie=False).get(f"/?token={TOKEN}")
    assert again.headers["set-cookie"].split(";")[0] != cookie.split(";")[0]  # one per login


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
    assert [q.text for q in lab.journal.questions()] == [
        "why does k matter?",
        "why is 1 neighbour noisy?",
    ]


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
    added = re.search(r'hx-post="/cards/bias-variance/toolkit/([\w-]+)"', card.text)
    assert added, "the card offers its rules for the toolkit"
    add = post(web, f"/cards/bias-variance/toolkit/{added.group(1)}")
    monkeypatch.setenv("INVERT_NOW", (clock.now() + timedelta(days=1, minutes=1)).isoformat())
    rule = re.search(r"/review/([\w-]+)", web.get("/review").text)
    assert rule, "a rule added is due for review a day later"
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
        "/playground/{experiment_id}/prepare": post(
            web, f"/playground/{EXPERIMENT}/prepare", {"value": ["2", "6"]}
        ),
        "/playground/{experiment_id}/explore": post(
            web, f"/playground/{EXPERIMENT}/explore", {"value": ["1", "5"]}
        ),
        "/playground/{experiment_id}/observe": post(
            web,
            f"/playground/{EXPERIMENT}/observe",
            {"text": "unscaled, one column ruled the distances", "run": run_id.group(1)},
        ),
        "/journal": web.get("/journal"),
        "/questions": post(web, "/questions", {"text": "why?", "experiment": EXPERIMENT}),
        "/questions/{number}/answer/compare": post(
            web, "/questions/1/answer/compare", {"text": EXPLANATION}
        ),
        "/questions/{number}/answer": post(web, "/questions/1/answer", {"text": EXPLANATION}),
        "/cards": web.get("/cards"),
        "/cards/{card_id}": card,
        "/cards/{card_id}/toolkit/{rule_id}": add,
        "/cards/{card_id}/explain/compare": post(
            web, "/cards/bias-variance/explain/compare", {"text": EXPLANATION}
        ),
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
        expected = 204 if path.endswith("/prepare") else 200  # it answers nothing, by design
        assert response.status_code == expected, (path, response.text[:300])
        if response.headers.get("content-type", "").startswith("text/html"):
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


ODD_SEGMENTS = (
    "%00",
    "x%00y",
    "%2e%2e",
    "..%2f..%2f.invert%2flab.db",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "a" * 5000,
    "%ff%fe",
    "%c0%af",
    "%ed%a0%80",
    "%0a%0d",
    "%25",
    "-1",
    "99999999999999999999999",
)


def test_odd_bytes_in_any_path_are_never_a_server_error(web: TestClient) -> None:
    """Every route's path parameters, filled with null bytes, dot-dots, 5,000 characters and
    invalid UTF-8: a 4xx answer each time, never a 500 (nor a file from outside the lab)."""
    web.get("/portfolio")  # builds the preview whose files /portfolio/site/ serves
    tried = 0
    for route in web.app.app.routes:
        router = getattr(route, "original_router", None)
        for inner in router.routes if router is not None else [route]:
            params = re.findall(r"\{(\w+)(?::path)?\}", inner.path)
            if not params:
                continue
            for method in sorted(getattr(inner, "methods", None) or {"GET"}):
                for odd in ODD_SEGMENTS:
                    path = re.sub(r"\{\w+(?::path)?\}", odd, inner.path)
                    if method == "GET":
                        answer = web.get(path)
                    else:
                        answer = web.request(method, path, data={"csrf": csrf_token(TOKEN)})
                    tried += 1
                    assert 400 <= answer.status_code < 500, (method, path[:80], answer.text[:300])
                    assert "Traceback" not in answer.text
    assert tried >= 20 * len(ODD_SEGMENTS)  # 20-odd routes take a path parameter
    for escape in ("..%2f..%2f.invert%2flab.db", "%2e%2e/%2e%2e/.invert/lab.db"):
        assert web.get(f"/portfolio/site/{escape}").status_code == 404


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


def test_starter_runs_are_in_the_journal_in_time_order(
    web: TestClient, lab: Lab, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`invert run` says "Recorded in your journal": `invert journal` (text and JSON) and the
    journal page list each run, with its starter, score and whether the copy was edited."""
    monkeypatch.chdir(lab.root)
    code, out, _ = cli("run", "iris_forest")
    assert code == 0 and "Recorded in your journal" in out
    assert cli("why", "why is iris so easy to classify?")[0] == 0
    script = lab.root / "starters" / "iris_forest.py"
    script.write_text(script.read_text().replace("test_size=0.2", "test_size=0.5"))
    assert cli("run", "iris_forest", "--json")[0] == 0
    code, out, _ = cli("journal", "--json")
    assert code == 0
    entries = json.loads(out)
    assert [(e["kind"], e["starter"], e["edited"]) for e in entries] == [
        ("starter", "iris_forest", False),
        ("question", None, None),
        ("starter", "iris_forest", True),
    ]
    runs = {e.uid: e.payload["score"] for e in lab.store.events(kind="starter_run")}
    assert [e["score"] for e in entries if e["kind"] == "starter"] == list(runs.values())
    assert entries[0]["at"] < entries[1]["at"] < entries[2]["at"]
    code, text, _ = cli("journal")
    assert code == 0 and text.count("iris_forest") == 2 and "ran your edited copy" in text
    page = web.get("/journal").text
    assert page.count('href="/starters/iris_forest"') == 2 and "ran the original" in page


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
    for number in ("nan", "inf", "-inf", "1e999"):  # a guessed score must be a finite number
        data = prediction(value=["1", "3"], guess_value="3", guess_number=number)
        response = post(web, f"/playground/{EXPERIMENT}/run", data)
        assert response.status_code == 400 and "finite" in response.text, number
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


@pytest.mark.slow
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


def this_machines_address() -> str:
    """An address of this machine's own (not loopback), as another machine would name it in its
    Host header: read from the machine's name; a documentation address when it has none."""
    import socket

    try:
        address = socket.gethostbyname(socket.gethostname())
    except OSError:
        address = "127.0.0.1"
    return "192.0.2.1" if address.startswith("127.") else address


def test_serve_on_every_address_lets_other_machines_in_with_the_token(lab: Lab) -> None:
    """--host 0.0.0.0: a warning first, then requests naming this machine by its network
    address (or its name) are served with the token and refused without it."""
    import http.client
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
    address = this_machines_address()

    def get(path: str, host: str, **headers: str) -> http.client.HTTPResponse:
        # The traffic stays on this machine: a second loopback address reaches only a server
        # bound to every address, and the Host header is what another machine would send.
        connection = http.client.HTTPConnection("127.0.0.2", port, timeout=30)
        connection.request("GET", path, headers={"Host": host, **headers})
        answer = connection.getresponse()
        answer.read()
        connection.close()
        return answer

    try:
        assert process.stderr is not None and process.stdout is not None
        warning = process.stderr.readline()
        opened = ""
        while "Open:" not in opened:
            opened = process.stdout.readline()
        other = process.stdout.readline()
        token = opened.split("token=", 1)[1].strip()
        here = f"{address}:{port}"
        assert get("/", here).status == 403  # no token
        assert get(f"/?token={'x' * len(token)}", here).status == 403
        entered = get(f"/?token={token}", here)
        assert entered.status == 303
        session = entered.getheader("set-cookie", "").split(";")[0]
        assert session.startswith(f"invert_session_{port}=") and token not in session
        assert get("/journal", here, Cookie=session).status == 200
        assert get("/api/progress", here, Authorization=f"token {token}").status == 200
        name = f"{socket.gethostname()}:{port}"
        assert get("/api/progress", name, Authorization=f"token {token}").status == 200
        evil = get("/api/progress", f"evil.example:{port}", Authorization=f"token {token}")
        assert evil.status == 403  # DNS rebinding still refused
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    assert warning.startswith("warning: listening on 0.0.0.0, not only this machine")
    assert "anyone on your network who has the token can use your lab" in warning
    assert f"http://0.0.0.0:{port}/?token=" in opened
    assert other.startswith(f"From another machine: http://{socket.gethostname()}:{port}/?token=")
    assert process.returncode == 130 and "Traceback" not in err  # stopped by Ctrl-C


def test_a_reload_is_not_a_second_reading(web: TestClient, lab: Lab) -> None:
    assert web.get("/cards/bias-variance").status_code == 200
    assert web.get("/cards/bias-variance").status_code == 200
    assert len(lab.store.events("card_opened", "bias-variance")) == 1


def test_reading_every_card_adds_no_rule_and_no_review(web: TestClient, lab: Lab) -> None:
    lab.store.append(Event("starter_run", subject=lab.catalog.first_starter().id))
    pages = [web.get(f"/cards/{card}") for card in lab.catalog.theory.cards]
    assert all(page.status_code == 200 for page in pages)
    assert lab.store.count("card_opened") == len(lab.catalog.theory.cards)
    assert lab.theory.toolkit() == [] and lab.theory.due_rules() == []
    assert all("Add to my toolkit" in page.text for page in pages)
    dashboard = web.get("/")
    assert 'data-kind="review"' not in dashboard.text
    assert 'data-due="0"' in dashboard.text and "Nothing is due for review" in dashboard.text


def test_a_rule_is_added_from_its_card(web: TestClient, lab: Lab) -> None:
    page = web.get("/cards/gradient-descent")
    rules = re.findall(r'hx-post="/cards/gradient-descent/toolkit/([\w-]+)"', page.text)
    assert rules and 'name="csrf"' in page.text
    before = lab_fingerprint(lab.root)
    refused = web.post(f"/cards/gradient-descent/toolkit/{rules[0]}")  # no CSRF token
    assert refused.status_code == 403 and lab_fingerprint(lab.root) == before
    unknown = post(web, "/cards/gradient-descent/toolkit/no-such-rule")
    assert unknown.status_code == 404 and "unknown rule" in unknown.text
    assert lab_fingerprint(lab.root) == before
    added = post(web, f"/cards/gradient-descent/toolkit/{rules[0]}")
    assert added.status_code == 200 and "added to your toolkit" in added.text
    valid_html(added.text, "the add-to-toolkit partial")
    assert [e.rule.id for e in lab.theory.toolkit()] == [rules[0]]
    assert lab.theory.toolkit()[0].row.via == "card:gradient-descent"
    again = post(web, f"/cards/gradient-descent/toolkit/{rules[0]}")
    assert "already in your toolkit" in again.text and lab.store.count("rule_added") == 1
    page = web.get("/cards/gradient-descent")
    assert f'hx-post="/cards/gradient-descent/toolkit/{rules[0]}"' not in page.text
    assert page.text.count("in your toolkit</span>") == 1


def test_a_starter_page_shows_a_missing_value_as_nan(web: TestClient) -> None:
    page = web.get("/starters/titanic_survival")
    assert page.status_code == 200
    cells = re.findall(r"<td>([^<]*)</td>", page.text)
    assert "NaN" in cells and "None" not in cells


def test_a_derivative_of_a_sum_or_product_is_shown_in_brackets() -> None:
    """d/dz (1 - sigmoid(z)), not d/dz 1 - sigmoid(z): on every derivation step in the
    catalogue where a derivative is taken of a sum, a product or a Sum."""
    import sympy
    from sympy.printing.mathml import mathml as sympy_mathml

    from invert.catalog.loader import load_catalog
    from invert.kinds.theory.sym import Equation, ExpressionError, _as_written, mathml, parse

    found = 0
    for derivation in load_catalog().theory.derivations.values():
        for text in (derivation.start, *(step.expr for step in derivation.steps)):
            try:
                value = parse(text, derivation.context, mode="display")
            except ExpressionError:  # matrix expressions shown as text: no Derivative in them
                continue
            value = _as_written(text, derivation.context) or value  # what the page shows
            parts = [value.left, value.right] if isinstance(value, Equation) else [value]
            rendered = mathml(text, derivation.context)
            for part in parts:
                for derivative in sympy.sympify(part).find(sympy.Derivative):
                    if not isinstance(derivative.expr, sympy.Add | sympy.Mul | sympy.Sum):
                        continue
                    inner = sympy_mathml(derivative.expr, printer="presentation", order="none")
                    bracketed = f"</mfrac><mrow><mo>(</mo>{inner}<mo>)</mo></mrow>"
                    assert bracketed in rendered, (derivation.id, text)
                    found += 1
    assert found >= 10


def test_the_review_page_is_one_session_a_day_not_the_whole_backlog(
    web: TestClient, lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fifteen rules due after a fortnight away: the page reviews the ten most overdue, then
    says the rest wait for their day, as `invert next` plans it."""
    from invert.progress.review_plan import DAILY_REVIEWS

    rules = sorted(lab.catalog.theory.rules)[:15]
    lab.store.append(
        *(
            Event("rule_reviewed", subject=rule, payload={"rating": "good", "via": "derive:x"})
            for rule in rules
        )
    )
    monkeypatch.setenv("INVERT_NOW", (clock.now() + timedelta(days=14)).isoformat())
    page = web.get("/review").text
    assert f"{DAILY_REVIEWS} left in today's session" in page and "of 15 rules due" in page
    for left in range(DAILY_REVIEWS, 0, -1):
        rule = re.search(r'hx-post="/review/([\w-]+)"', page)
        assert rule, f"{left} rules should be left in the session"
        page = post(web, f"/review/{rule.group(1)}", {"rating": "good"}).text
    assert 'hx-post="/review/' not in page and 'id="session-done"' in page
    assert "the 5 still due wait for tomorrow" in page
    assert 'hx-post="/review/' not in web.get("/review").text


def test_the_cards_page_keeps_unanswered_questions_as_requests_and_cards_show_the_graph(
    lab: Lab, web: TestClient
) -> None:
    lab.journal.ask_why("why is the sky blue?")
    lab.journal.ask_why("why does my tree do worse on new rows when it gets deeper?")
    page = web.get("/cards")
    assert page.status_code == 200
    assert 'id="requests"' in page.text and "why is the sky blue?" in page.text
    assert 'href="/cards/overfitting"' in page.text  # the answerable one's card is suggested
    card = next(c for c in lab.catalog.theory.cards.values() if c.builds_on)
    shown = web.get(f"/cards/{card.id}").text
    assert 'id="builds-on"' in shown and f'href="/cards/{card.builds_on[0]}"' in shown
    assert "not met yet" in shown
