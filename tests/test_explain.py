"""Explanations and answers compared with the cards' key points, and "Can explain" judged from it.

Every card lists the 3 to 5 ideas an explanation of its concept must make. `invert explain` and
`invert answer` (and their web forms) show the learner's words beside those points and record
which ones the learner says their words made; the checklist's "Can explain" counts a concept only
when its latest explanation made every point and was rated 4/5 or better. The CLI runs for real
(in process through the conftest helper, and in a pseudo-terminal for the interactive prompt),
the web app through FastAPI's TestClient, the journal is a real SQLite file.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Cli, lab_fingerprint, spawn_invert
from invert.catalog.check import check_catalog
from invert.catalog.loader import CONTENT_DIR, load_catalog, read_catalog
from invert.lab import Lab
from invert.store import Event
from invert.store.payloads import payload_problem
from invert.web.app import create_app
from invert.web.security import csrf_token

CATALOG = load_catalog()
WORDS = {
    "decision-trees": "A tree asks yes or no questions about one feature and a threshold at each "
    "node, keeping the split that lowers the Gini impurity most, and a leaf votes by majority.",
    "bias-variance": "Test error is noise plus squared bias plus variance: a simple model misses "
    "the pattern the same way every time, a flexible one scatters with each training sample.",
    "feature-scaling": "A distance adds raw differences column by column, so the column with "
    "the biggest numbers decides it unless each is standardised on the training rows first.",
    "nearest-neighbours": "To label a new row, find the k training rows nearest to it by "
    "distance over every feature and let them vote; small k copies noise, large k blurs.",
}
CARDED = ("decision-trees", "bias-variance", "feature-scaling")


def checklist(cli: Cli) -> dict[str, Any]:
    code, out, err = cli("progress", "--json")
    assert code == 0, err
    return {c["id"]: c for c in json.loads(out)["checklist"]}


def explain(cli: Cli, concept: str, rating: int, covered: str) -> dict[str, Any]:
    code, out, err = cli(
        "explain", concept, WORDS[concept], "--rating", str(rating), "--covered", covered, "--json"
    )
    assert code == 0, err
    return dict(json.loads(out))


# --- the content ------------------------------------------------------------------------------


@pytest.mark.content
def test_every_card_lists_three_to_five_short_key_points() -> None:
    assert set(CATALOG.theory.cards) == set(CATALOG.concepts)  # every concept has its card
    for card in CATALOG.theory.cards.values():
        assert 3 <= len(card.key_points) <= 5, card.id
        for point in card.key_points:
            assert point.strip() == point and 20 <= len(point) < 200, (card.id, point)
        assert len(set(card.key_points)) == len(card.key_points), card.id


def test_a_card_without_key_points_fails_the_dev_check(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root, ignore=shutil.ignore_patterns("data", "__pycache__"))
    shutil.copytree(CONTENT_DIR / "data", root / "data")  # datasets.toml names its files
    assert read_catalog(root)[1] == []  # the copy is valid as it stands
    card = root / "cards" / "bagging.toml"
    text = card.read_text(encoding="utf-8")
    start = text.index("key_points = [")
    card.write_text(text[:start] + text[text.index("]\n", start) + 2 :], encoding="utf-8")
    pca = root / "cards" / "pca.toml"
    pca.write_text(
        pca.read_text(encoding="utf-8").replace(
            "key_points = [\n", 'key_points = [\n    "' + "far too long " * 20 + '",\n', 1
        ),
        encoding="utf-8",
    )
    problems = check_catalog(root, run=False, only="theory").problems
    assert any(p.startswith("cards/bagging.toml: list 3 to 5 key_points") for p in problems), (
        problems
    )
    assert any("cards/pca.toml: list 3 to 5 key_points" in p and "has 6" in p for p in problems)


# --- "Can explain" from the comparison ----------------------------------------------------------


def test_every_key_point_made_and_rated_four_ticks_can_explain(in_lab: Lab, cli: Cli) -> None:
    explain(cli, "decision-trees", 4, "all")
    saved = explain(cli, "bias-variance", 5, "1,2 3 4, 5")
    assert saved["key_points"] == list(CATALOG.card("bias-variance").key_points)
    assert saved["covered"] == [0, 1, 2, 3, 4]
    assert not checklist(cli)["explain"]["met"]  # two concepts of three
    explain(cli, "feature-scaling", 4, "all")
    check = checklist(cli)["explain"]
    assert check["met"], check
    assert check["evidence"] == (
        "3 concepts explained; 3 made every key point and rated 4/5 or better"
    )
    assert "every one of them" in check["needs"] and "4/5 or better" in check["needs"]
    assert check["self_checked"] == "self-checked against the card's key points"
    events = in_lab.store.events("explanation_written")
    assert [e.payload["covered"] for e in events] == [[0, 1, 2, 3, 4]] * 3


def test_a_five_star_rating_without_the_key_points_does_not_tick_it(in_lab: Lab, cli: Cli) -> None:
    for concept in CARDED:
        explain(cli, concept, 5, "1 2")  # rated 5/5, but two points made of five
    explain(cli, "nearest-neighbours", 3, "all")  # every point, but rated 3/5
    check = checklist(cli)["explain"]
    assert not check["met"], check
    assert check["evidence"].startswith("4 concepts explained; 0 made every key point")
    assert (
        "decision-trees: 2 of 5 key points made (missed 3, 4, 5), 5/5 (31 words)" in check["items"]
    )
    assert any(
        i.startswith("nearest-neighbours: 4 of 4 key points made, 3/5") for i in check["items"]
    )
    # The latest explanation is what counts: all made, then rewritten with one missed.
    for concept in CARDED:
        explain(cli, concept, 4, "all")
    assert checklist(cli)["explain"]["met"]
    explain(cli, "feature-scaling", 5, "1,2,3,4")
    assert not checklist(cli)["explain"]["met"]


def test_an_explanation_written_before_key_points_does_not_count(in_lab: Lab, cli: Cli) -> None:
    # What an older invert wrote: the words and a 5/5 self-rating, no comparison.
    for concept in CARDED:
        in_lab.store.append(
            Event(
                "explanation_written",
                subject=concept,
                payload={"text": WORDS[concept], "rating": 5},
            )
        )
    check = checklist(cli)["explain"]
    assert not check["met"], check
    assert "0 made every key point" in check["evidence"]
    assert "3 not compared with the card's key points" in check["evidence"]
    assert "`invert explain decision-trees` again" in check["evidence"]
    assert any(
        i.startswith("bias-variance: not compared, 5/5")
        and "`invert explain bias-variance` again" in i
        for i in check["items"]
    ), check["items"]
    for concept in CARDED:  # compared now: they count
        explain(cli, concept, 5, "all")
    assert checklist(cli)["explain"]["met"]


# --- learner mistakes ---------------------------------------------------------------------------


def test_bad_covered_is_one_line_exit_two_and_nothing_written(in_lab: Lab, cli: Cli) -> None:
    cli("why", "why does a deeper tree stop helping?", "--experiment", "tree-max-depth")
    before = lab_fingerprint(in_lab.root)
    words = WORDS["decision-trees"]
    cases = [
        (("1,x",), "'x' is not a key point's number: give numbers from 1 to 5"),
        (("0",), "there is no key point 0: give numbers from 1 to 5"),
        (("6",), "there is no key point 6: give numbers from 1 to 5"),
        (("",), "say which key points your words made"),
        (("none 2",), "'none' is not a key point's number"),
        ((), "give --covered with the numbers of those your words made"),
    ]
    for covered, message in cases:
        flag = ("--covered", *covered) if covered else ()
        code, out, err = cli("explain", "decision-trees", words, "--rating", "5", *flag)
        assert code == 2 and len(err.strip().splitlines()) == 1, (covered, err)
        assert message in err and "Traceback" not in out + err, (covered, err)
    # The question's points are those of every card that answers it, one after another.
    asked = json.loads(cli("why", "--json")[1])[0]["concepts"]
    points = sum(len(in_lab.catalog.theory.cards[c].key_points) for c in asked)
    assert len(asked) >= 2, asked
    code, _, err = cli("answer", "1", words, "--covered", str(points + 1))
    wanted = f"there is no key point {points + 1}: give numbers from 1 to {points}"
    assert code == 2 and wanted in err, err
    assert lab_fingerprint(in_lab.root) == before


def test_without_covered_and_no_terminal_the_points_are_shown_then_asked_for(
    in_lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # each key point on one line of the table
    cli = Cli()
    code, out, err = cli(
        "explain", "nearest-neighbours", WORDS["nearest-neighbours"], "--rating", "4"
    )
    assert code == 2 and "--covered" in err
    flat = " ".join(out.split())
    assert "Your words" in flat and " ".join(WORDS["nearest-neighbours"].split()[:6]) in flat
    for n, point in enumerate(CATALOG.card("nearest-neighbours").key_points, start=1):
        assert f"{n}. {' '.join(point.split()[:6])}" in flat, (point, flat)


def test_explain_asks_in_a_terminal_after_showing_the_points(in_lab: Lab) -> None:
    child = spawn_invert("explain", "nearest-neighbours", cwd=in_lab.root, timeout=120)
    child.logfile_read = io.StringIO()
    child.expect("in your own words")
    child.sendline(WORDS["nearest-neighbours"])
    child.expect("Which did your words make")
    child.sendline("2 x")  # a mistake is said, and asked again
    child.expect("'x' is not a key point's number")
    child.expect("Which did your words make")
    child.sendline("1 2")
    child.expect("1 to 5")
    child.sendline("5")
    child.expect(__import__("pexpect").EOF)
    child.close()
    printed = child.logfile_read.getvalue()
    assert child.exitstatus == 0, printed
    points = CATALOG.card("nearest-neighbours").key_points
    flat = " ".join(printed.split())
    assert all(" ".join(p.split()[:5]) in flat for p in points), flat
    assert "By your comparison it made 2 of 4 key points." in flat
    assert "Not made: 3. " in flat
    [event] = in_lab.store.events("explanation_written")
    assert event.payload["covered"] == [0, 1] and event.payload["rating"] == 5
    assert event.payload["key_points"] == list(points)


# --- answers ----------------------------------------------------------------------------------


def test_an_answer_is_compared_with_the_key_points_of_its_questions_concepts(
    in_lab: Lab, cli: Cli
) -> None:
    cli("why", "why does a deeper tree stop helping?", "--experiment", "tree-max-depth")
    [question] = in_lab.store.questions()
    assert question.concepts[0] == "overfitting" and len(question.concepts) == 3
    code, out, err = cli("answer", "1", WORDS["decision-trees"], "--covered", "3 6,7", "--json")
    assert code == 0, err
    # Every answering card's points, card after card, in the order the cards answer it.
    shown = [p for c in question.concepts for p in CATALOG.card(c).key_points]
    assert json.loads(out)["key_points"] == shown
    [event] = in_lab.store.events("question_answered")
    assert event.payload["key_points"] == shown
    assert event.payload["covered"] == [2, 5, 6]
    owners = [c for c in question.concepts for _ in CATALOG.card(c).key_points]
    assert event.payload["key_point_concepts"] == owners
    assert not checklist(cli)["explain"]["items"]  # an answer is not an explanation


def test_a_comparison_that_names_no_point_shown_is_refused_on_import() -> None:
    good = {"text": "x", "rating": 4, "key_points": ["a", "b", "c"], "covered": [0, 2]}
    assert payload_problem("explanation_written", "pca", good) is None
    assert payload_problem("explanation_written", "pca", {"text": "x", "rating": 4}) is None
    bad = {**good, "covered": [0, 3]}
    assert payload_problem("explanation_written", "pca", bad) == (
        "'covered' holds 3, but only 3 key points were shown"
    )
    lone = {"text": "x", "covered": [0]}
    assert payload_problem("question_answered", "q", lone) == (
        "has 'key_points' and 'covered' only together"
    )


# --- the web app ------------------------------------------------------------------------------

TOKEN = "test-token-0123456789"


@pytest.fixture
def web(lab: Lab) -> TestClient:
    client = TestClient(
        create_app(lab.root, TOKEN, {"testserver"}),
        raise_server_exceptions=False,
        follow_redirects=False,
    )
    assert client.get(f"/?token={TOKEN}").status_code == 303
    return client


def post(client: TestClient, path: str, data: dict[str, Any]) -> Any:
    return client.post(path, data={"csrf": csrf_token(TOKEN), **data})


def test_the_web_explain_form_compares_then_records(lab: Lab, web: TestClient) -> None:
    words = WORDS["bias-variance"]
    points = CATALOG.card("bias-variance").key_points
    page = web.get("/cards/bias-variance")
    assert 'hx-post="/cards/bias-variance/explain/compare"' in page.text
    assert points[0] not in page.text  # the points show only after the words are written
    compared = post(web, "/cards/bias-variance/explain/compare", {"text": words})
    assert compared.status_code == 200, compared.text
    assert words in compared.text and 'hx-post="/cards/bias-variance/explain"' in compared.text
    for n, point in enumerate(points, start=1):
        assert f'name="covered" value="{n}"> {n}. {point}' in compared.text.replace("&#39;", "'")
    assert not lab.store.events("explanation_written")  # comparing writes nothing
    before = lab_fingerprint(lab.root)
    for covered in (["1", "6"], ["x"], ["0"]):
        bad = post(
            web, "/cards/bias-variance/explain", {"text": words, "rating": "5", "covered": covered}
        )
        assert bad.status_code == 400, (covered, bad.text[:200])
    assert (
        post(web, "/cards/bias-variance/explain/compare", {"text": "too short"}).status_code == 400
    )
    assert lab_fingerprint(lab.root) == before
    saved = post(
        web,
        "/cards/bias-variance/explain",
        {"text": words, "rating": "5", "covered": ["1", "2", "4"]},
    )
    assert saved.status_code == 200 and "3 of 5 key points made" in saved.text, saved.text
    [event] = lab.store.events("explanation_written")
    assert event.payload["key_points"] == list(points) and event.payload["covered"] == [0, 1, 3]
    assert event.payload["rating"] == 5
    dashboard = web.get("/").text
    assert "self-checked against the card&#39;s key points" in dashboard


def test_the_web_answer_form_compares_with_the_questions_concepts(
    lab: Lab, web: TestClient, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(lab.root)
    monkeypatch.delenv("INVERT_LAB", raising=False)
    cli("why", "why does a deeper tree stop helping?", "--experiment", "tree-max-depth")
    words = WORDS["decision-trees"]
    assert 'hx-post="/questions/1/answer/compare"' in web.get("/journal").text
    compared = post(web, "/questions/1/answer/compare", {"text": words})
    assert compared.status_code == 200
    text = compared.text.replace("&#39;", "'")
    [question] = lab.journal.questions()
    points = [p for c in question.concepts for p in CATALOG.card(c).key_points]
    assert all(f'href="/cards/{c}"' in text for c in question.concepts), text
    last = len(points)
    assert f'value="{last}"> {last}. ' + points[-1] in text
    over = str(last + 1)
    assert post(web, "/questions/1/answer", {"text": words, "covered": [over]}).status_code == 400
    assert not lab.store.events("question_answered")
    saved = post(web, "/questions/1/answer", {"text": words, "covered": ["6", "7"]})
    assert saved.status_code == 200 and f"2 of {last} key points made" in saved.text
    [event] = lab.store.events("question_answered")
    assert event.payload["covered"] == [5, 6]
    assert event.payload["key_point_concepts"][5] == "decision-trees"


@pytest.mark.slow
def test_the_explain_form_in_a_real_browser(lab: Lab) -> None:
    """The two steps through htmx in Chromium: the words, then the words beside a box per key
    point and the rating; the boxes ticked are what the journal records."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.is_file():
        pytest.skip("Debian's Chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    from conftest import serving

    words = WORDS["decision-trees"]
    points = CATALOG.card("decision-trees").key_points
    with serving(lab.root) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(url)
            page.goto(url.split("/?")[0] + "/cards/decision-trees#explain")
            page.fill("form.explain textarea[name=text]", words)
            page.click("form.explain button[type=submit]")
            page.wait_for_selector("form.compare")
            assert page.inner_text("form.compare blockquote.mine") == words
            labels = page.locator("form.compare label.point").all_inner_texts()
            assert [" ".join(t.split()) for t in labels] == [
                f"{n}. {point}" for n, point in enumerate(points, start=1)
            ]
            page.check("form.compare input[name=covered][value='1']")
            page.check("form.compare input[name=covered][value='2']")
            page.select_option("form.compare select[name=rating]", "5")
            page.click("form.compare button[type=submit]")
            page.wait_for_selector("#explained p.saved")
            assert "2 of 5 key points made" in page.inner_text("#explained p.saved")
        finally:
            browser.close()
    [event] = lab.store.events("explanation_written")
    assert event.payload["covered"] == [0, 1] and event.payload["rating"] == 5


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=40), count=st.integers(min_value=0, max_value=6))
def test_whatever_is_typed_for_covered_is_points_shown_or_one_clear_refusal(
    text: str, count: int
) -> None:
    from invert.errors import LearnerError
    from invert.progress.key_points import parse_covered

    try:
        covered = parse_covered(text, count)
    except LearnerError as exc:
        assert "\n" not in str(exc) and str(exc)
        return
    assert list(covered) == sorted(set(covered)) and all(0 <= i < count for i in covered)
