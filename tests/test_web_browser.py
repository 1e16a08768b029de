"""The main journeys of `invert serve` in Debian's Chromium (Playwright), against the real server.

The server is `python -m invert serve` in a real lab, on a free loopback port. Every request the
browser makes is checked: one that leaves 127.0.0.1 fails the test, as does any console error.
A full-page screenshot of each main page is kept in test-artifacts/web/.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from conftest import invert_process, serving
from invert.catalog.loader import load_catalog
from invert.lab import create_lab
from test_rebuild import KNN_SOLVED

pytestmark = pytest.mark.slow
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = (
    Path(
        os.environ.get(
            "INVERT_TEST_ARTIFACTS", Path(__file__).resolve().parent.parent / "test-artifacts"
        )
    )
    / "web"
)
EXPERIMENT = "knn-k"
DRILL = "titanic-too-good"

if not CHROMIUM.is_file():
    pytest.skip(
        "Debian's Chromium is not installed (apt-get install -y chromium)", allow_module_level=True
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """`invert serve --no-browser` in a fresh lab; yields its address, token and lab."""
    with create_lab(tmp_path_factory.mktemp("web") / "lab") as lab:
        root = lab.root
    with serving(root) as url:
        yield {"url": url, "base": url.split("/?")[0], "root": root}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()


@contextlib.contextmanager
def logged_in(browser: Any, server: dict[str, Any]) -> Iterator[Any]:
    """A page logged in by the printed address; fails the test on console errors or on any
    request that leaves 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    opened = context.new_page()
    problems: list[str] = []
    host = urlparse(server["base"]).netloc

    def guard(route: Any) -> None:
        if urlparse(route.request.url).netloc != host:
            problems.append(f"request left the machine: {route.request.url}")
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    opened.on(
        "console",
        lambda m: (
            problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning")
            else None
        ),
    )
    opened.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    opened.goto(server["url"])
    assert opened.url == server["base"] + "/"  # the token left the address bar
    yield opened
    context.close()
    assert problems == []


@pytest.fixture
def page(browser: Any, server: dict[str, Any]) -> Iterator[Any]:
    with logged_in(browser, server) as opened:
        yield opened


def shoot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_first_run(page: Any) -> None:
    """A new learner: the dashboard says to run a starter; the run streams its output."""
    from playwright.sync_api import expect

    expect(page.locator("#standing")).to_contain_text("no starter run yet")
    expect(page.locator("#next-step h2")).to_contain_text("Run your first starter")
    shoot(page, "dashboard-new")
    page.click("#next-step a.button")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("#goes-in table.sample")).to_be_visible()
    shoot(page, "starter")
    page.click("#run-starter")
    expect(page.locator("#run-output .running, #run-output pre.output").first).to_be_visible()
    expect(page.locator("#starter-score")).to_contain_text("within the expected", timeout=120_000)
    expect(page.locator("#run-output pre.output")).not_to_be_empty()
    page.goto(page.url.split("/starters")[0] + "/")
    expect(page.locator("#figures")).to_contain_text("Starters run")
    expect(page.locator("#next-step h2")).not_to_contain_text("Run your first starter")


def test_predict_run_and_observe_in_the_playground(page: Any, server: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    page.goto(f"{server['base']}/playground")
    page.click(f"a[href='/playground/{EXPERIMENT}']")
    run = page.locator("#run-button")
    expect(run).to_be_disabled()
    page.check("input[name=shape][value='rises then falls']")
    expect(run).to_be_disabled()  # a shape alone is not a prediction: how sure?
    page.fill("input[name=confidence]", "70")
    expect(run).to_be_enabled()
    values = page.locator("#knob input[name=value]")
    assert values.count() == 7
    assert values.first.get_attribute("min") == "1.0"
    assert values.first.get_attribute("max") == "200.0"
    shoot(page, "playground-predicted")
    run.click()  # measured ahead while the form was filled in, or running now
    expect(page.locator("#run-area .running, #verdict").first).to_be_visible()
    expect(page.locator("#verdict")).to_be_visible(timeout=120_000)
    expect(page.locator("#result .chart .main-svg").first).to_be_visible()  # Plotly drew it
    assert page.locator("#result .chart .scatterlayer .trace").count() == 2  # train and test
    shoot(page, "playground-result")
    page.fill("#result textarea[name=text]", "test accuracy peaks at a middle k, then falls")
    page.click("#result button:has-text('Save observation')")
    expect(page.locator("#result .saved").first).to_contain_text("Observation saved")
    page.fill("#result input[name=text]", "why does a large k underfit?")
    page.click("#result button:has-text('Ask')")
    expect(page.locator("#result .saved").last).to_contain_text("Question saved")
    page.goto(f"{server['base']}/journal")
    expect(page.locator("#entries")).to_contain_text("test accuracy peaks at a middle k")
    expect(page.locator("#questions")).to_contain_text("why does a large k underfit?")
    shoot(page, "journal")
    page.goto(f"{server['base']}/")
    expect(page.locator("#power-chart .main-svg").first).to_be_visible()
    shoot(page, "dashboard")


def test_a_slider_after_the_result_runs_again_when_let_go(
    page: Any, server: dict[str, Any]
) -> None:
    """Before the prediction a changed knob is measured unseen; after the result, a held-fixed
    setting is a slider that runs the sweep again on release, points streaming in."""
    from playwright.sync_api import expect

    page.goto(f"{server['base']}/playground/{EXPERIMENT}")
    with page.expect_response(lambda r: r.url.endswith("/prepare")) as prepared:
        page.locator("#knob input[name=value]").first.fill("2")
        page.locator("#knob input[name=value]").first.dispatch_event("change")
    assert prepared.value.status == 204  # and empty (tests/test_web_stream.py)
    expect(page.locator("#run-area")).to_be_empty()  # nothing shown before the prediction
    page.check("input[name=shape][value='rises then falls']")
    page.fill("input[name=confidence]", "60")
    page.click("#run-button")
    expect(page.locator("#verdict")).to_be_visible(timeout=120_000)
    page.click("#explore summary")
    slider = page.locator("#explore input[type=range]").first
    expect(slider).to_be_visible()
    # About half the training rows (a step of the slider's): k up to 125 still has neighbours.
    moved = slider.evaluate(
        "el => { el.value = (+el.min) + 50 * (+el.step);"
        " el.dispatchEvent(new Event('input', {bubbles: true}));"
        " el.dispatchEvent(new Event('change', {bubbles: true})); return el.value; }"
    )
    expect(page.locator("#run-area .running, #result").first).to_be_visible()
    expect(page.locator("#result")).to_be_visible(timeout=120_000)
    page.click("#explore summary")
    expect(page.locator("#explore input[type=range]").first).to_have_value(moved)
    assert "#verdict" not in page.content()  # a run with no prediction: nothing to score
    shoot(page, "playground-explored")


def test_reading_a_card_with_math(page: Any, server: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    page.goto(f"{server['base']}/cards")
    page.locator("a[href='/cards/bias-variance']").first.click()
    formula = page.locator("#formula math")
    expect(formula).to_be_visible()
    box = formula.bounding_box()
    assert box is not None and box["width"] > 50 and box["height"] > 10  # laid out as math
    assert page.locator("math").count() >= 4  # the formula, and the derivation's steps
    text = page.locator("main").inner_text()
    assert "$" not in text and not re.search(r"\\[a-z]+\{", text)  # no LaTeX left raw
    assert page.locator("#formula-to-code tbody tr").count() >= 3
    shoot(page, "card")
    # Reading it put no rule up for review; one click puts one in the toolkit.
    first = page.locator(".card-rules li").first
    first.locator("button:has-text('Add to my toolkit')").click()
    expect(first.locator("[role=status]")).to_contain_text("added to your toolkit")
    page.reload()
    expect(page.locator(".card-rules li").first).to_contain_text("in your toolkit")
    assert page.locator(".card-rules button").count() == page.locator(".card-rules li").count() - 1


def test_a_drill_check(page: Any, server: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    page.goto(f"{server['base']}/drills")
    page.click(f"a[href='/drills/{DRILL}']")
    page.click("#start-drill")
    expect(page.locator("#check-drill")).to_be_visible()
    page.click("#check-drill")
    # an unchanged copy is "not attempted" (learntools' three states)
    expect(page.locator("#drill-verdict")).to_contain_text("Not attempted", timeout=120_000)
    page.click("#next-hint")
    expect(page.locator("#hints .hint-text")).to_contain_text("Hint 1 of")
    expect(page.locator("#hint-count")).to_contain_text("1 of")
    shoot(page, "drill-broken")
    drill = load_catalog().drill(DRILL)
    shutil.copyfile(drill.solution, server["root"] / "drills" / drill.filename)
    page.click("#check-drill")
    expect(page.locator("#drill-verdict")).to_contain_text("Fixed", timeout=120_000)
    page.reload()
    expect(page.locator("#drill-state")).to_have_text("fixed")
    expect(page.locator("#solution")).to_be_visible()
    shoot(page, "drill-fixed")


def test_a_rebuild_check(page: Any, server: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    page.goto(f"{server['base']}/rebuild")
    page.click("a[href='/rebuild/knn']")
    page.click("#start-rebuild")
    expect(page.locator("#check-rebuild")).to_be_visible()
    page.click("#check-rebuild")
    # the skeleton as copied: nothing written yet
    expect(page.locator("#rebuild-verdict")).to_contain_text("Not attempted", timeout=120_000)
    expect(page.locator("#verdict .checks")).to_contain_text("NotImplementedError")
    page.click("#next-hint")
    expect(page.locator("#hints .hint-text")).to_contain_text("Hint 1 of")
    expect(page.locator("#hint-count")).to_contain_text("1 of")
    shoot(page, "rebuild-unsolved")
    exercise = load_catalog().rebuild("knn")
    (server["root"] / "rebuild" / exercise.filename).write_text(
        textwrap.dedent(KNN_SOLVED), encoding="utf-8"
    )  # written with NumPy, as a learner would
    page.click("#check-rebuild")
    expect(page.locator("#rebuild-verdict")).to_contain_text("Passed: 1 of 1", timeout=120_000)
    page.reload()
    expect(page.locator("#rebuild-state")).to_have_text("passed")
    expect(page.locator("#solution")).to_contain_text("KNeighborsClassifierScratch")
    shoot(page, "rebuild-passed")


def test_screenshots_of_the_other_pages(page: Any, server: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    for path, name in (
        ("/starters", "starters"),
        ("/playground", "playground"),
        ("/cards", "cards"),
        ("/drills", "drills"),
        ("/rebuild", "rebuilds"),
        ("/review", "review"),
        ("/portfolio", "portfolio"),
    ):
        page.goto(server["base"] + path)
        expect(page.locator("h1")).to_be_visible()
        shoot(page, name)
    frame = page.frame_locator("iframe.preview")
    expect(frame.locator("h1").first).to_be_visible()


# --- a failed job shows the CLI's own line ------------------------------------------------


@pytest.fixture(scope="module")
def second(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A second lab and its server, for runs that fail."""
    with create_lab(tmp_path_factory.mktemp("failing") / "lab") as lab:
        root = lab.root
    with serving(root) as url:
        yield {"url": url, "base": url.split("/?")[0], "root": root}


def cli_error(root: Path, *args: str) -> str:
    """The one line `invert ARGS` prints on stderr when it fails, without its `error: `."""
    done = invert_process(*args, cwd=root)
    assert done.returncode == 2, done
    (line,) = done.stderr.splitlines()
    assert line.startswith("error: ")
    return line.removeprefix("error: ")


def test_a_starter_that_fails_shows_the_cli_line(browser: Any, second: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    script = second["root"] / "starters" / "wine_knn.py"
    script.parent.mkdir(exist_ok=True)
    shutil.copyfile(load_catalog().starter("wine_knn").script, script)
    with script.open("a", encoding="utf-8") as f:
        f.write("\nprint(1 / 0)\n")
    expected = cli_error(second["root"], "run", "wine_knn")
    assert "ZeroDivisionError" in expected
    with logged_in(browser, second) as page:
        page.goto(f"{second['base']}/starters/wine_knn")
        page.click("#run-starter")
        box = page.locator("#run-output [role=alert]")
        expect(box).to_have_text(expected, timeout=120_000)
        shoot(page, "starter-failed")


def test_a_sweep_that_fails_shows_the_cli_line(browser: Any, second: dict[str, Any]) -> None:
    """The sweep runs, but a file where its charts' folder goes stops it: the learner's doing."""
    from playwright.sync_api import expect

    (second["root"] / "experiments").mkdir(exist_ok=True)
    (second["root"] / "experiments" / EXPERIMENT).write_text("in the way\n", encoding="utf-8")
    with logged_in(browser, second) as page:
        page.goto(f"{second['base']}/playground/{EXPERIMENT}")
        page.check("input[name=shape][value='rises then falls']")
        page.fill("input[name=confidence]", "60")
        page.click("#run-button")
        expect(page.locator("#run-area .job[data-state=done]")).to_be_visible(timeout=120_000)
        shown = page.locator("#run-area [role=alert]").inner_text()
        shoot(page, "sweep-failed")
    # The same sweep from the CLI (now from the cache) fails with the same line.
    args = ("--predict", "rises then falls", "--confidence", "60", "--json")
    assert shown == cli_error(second["root"], "try", EXPERIMENT, *args)
    assert "charts cannot be written" in shown


def test_a_drill_check_that_fails_shows_the_cli_line(browser: Any, second: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    drill = load_catalog().drill(DRILL)
    with logged_in(browser, second) as page:
        page.goto(f"{second['base']}/drills/{DRILL}")
        page.click("#start-drill")
        expect(page.locator("#check-drill")).to_be_visible()
        script = second["root"] / "drills" / drill.filename
        script.write_text("import pandas\nraise RuntimeError('half-edited')\n", encoding="utf-8")
        done = invert_process("check", DRILL, "--json", cwd=second["root"])
        expected = json.loads(done.stdout)["problem"]
        assert "RuntimeError: half-edited" in expected
        page.click("#check-drill")
        expect(page.locator("#verdict [role=alert]")).to_have_text(expected, timeout=120_000)
        shoot(page, "drill-failed")


def test_a_rebuild_check_that_fails_shows_the_cli_line(
    browser: Any, second: dict[str, Any]
) -> None:
    from playwright.sync_api import expect

    exercise = load_catalog().rebuild("knn")
    with logged_in(browser, second) as page:
        page.goto(f"{second['base']}/rebuild/knn")
        page.click("#start-rebuild")
        expect(page.locator("#check-rebuild")).to_be_visible()
        script = second["root"] / "rebuild" / exercise.filename
        script.write_text("import numpy as np\nnp.load('no-such-file.npy')\n", encoding="utf-8")
        done = invert_process("check", "knn", "--json", cwd=second["root"])
        expected = json.loads(done.stdout)["problem"]
        assert "FileNotFoundError" in expected
        page.click("#check-rebuild")
        expect(page.locator("#verdict [role=alert]")).to_have_text(expected, timeout=120_000)
        shoot(page, "rebuild-failed")


def test_a_runs_chart_is_small_and_draws_offline(
    browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Each chart loads the lab's one copy of Plotly by a relative path, not 4.7 MB of its own."""
    from playwright.sync_api import expect

    with create_lab(tmp_path_factory.mktemp("charts") / "lab") as lab:
        root = lab.root
    args = ("--predict", "rises then falls", "--confidence", "60", "--json")
    done = invert_process("try", EXPERIMENT, *args, cwd=root)
    assert done.returncode == 0, done.stderr
    chart = root / json.loads(done.stdout)["plots"]["html"]
    assert chart.stat().st_size < 200_000
    assert 'src="../plotly.min.js"' in chart.read_text(encoding="utf-8")
    assert (root / "experiments" / "plotly.min.js").stat().st_size > 1_000_000
    context = browser.new_context()
    outside: list[str] = []
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith("file://")
            else (outside.append(route.request.url), route.abort())
        ),
    )
    page = context.new_page()
    page.goto(chart.as_uri())
    expect(page.locator(".plotly-graph-div .main-svg").first).to_be_visible()
    assert page.locator(".scatterlayer .trace").count() == 2  # train and test
    context.close()
    assert outside == []


def test_two_labs_served_at_once_keep_their_own_sessions(
    browser: Any, server: dict[str, Any], second: dict[str, Any]
) -> None:
    """Cookies ignore the port: logging into the second lab must not log the first one out."""
    from playwright.sync_api import expect

    context = browser.new_context()
    page = context.new_page()
    for lab in (server, second):
        page.goto(lab["url"])
        assert page.url == lab["base"] + "/"
    for _ in range(2):
        for lab in (server, second, server):
            page.goto(lab["base"] + "/journal")
            expect(page.locator("h1")).to_have_text("Journal")
            expect(page.locator("footer code")).to_have_text(str(lab["root"]))
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    ports = [urlparse(lab["base"]).port for lab in (server, second)]
    assert sorted(cookies) == sorted(f"invert_session_{port}" for port in ports)
    tokens = [parse_qs(urlparse(lab["url"]).query)["token"][0] for lab in (server, second)]
    assert not set(cookies.values()) & set(tokens)  # a session id, never the token
    context.close()
