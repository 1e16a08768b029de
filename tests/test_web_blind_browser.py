"""The playground's Run in Debian's Chromium: a prediction is locked from the click until its run
ends, a double click records one prediction, and running again after seeing the result is
practice. The real server (`invert serve`) in a fresh lab."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import serving
from invert.lab import create_lab, open_lab
from test_web_browser import CHROMIUM, logged_in

pytestmark = pytest.mark.slow
EXPERIMENT = "knn-k"

if not CHROMIUM.is_file():
    pytest.skip("Debian's Chromium is not installed", allow_module_level=True)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[dict[str, Any]]:
    with create_lab(tmp_path / "lab") as lab:
        root = lab.root
    with serving(root) as url:
        yield {"url": url, "base": url.split("/?")[0], "root": root}


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()


def blindness(root: Path) -> list[int | None]:
    with open_lab(root) as lab:
        return [row.blind for row in lab.store.predictions()]


def test_a_double_click_records_one_prediction_locked_until_the_run_ends(
    browser: Any, server: dict[str, Any]
) -> None:
    from playwright.sync_api import expect

    with logged_in(browser, server) as page:
        page.goto(f"{server['base']}/playground/{EXPERIMENT}")
        page.check("input[name=shape][value='rises then falls']")
        page.fill("input[name=confidence]", "70")
        run = page.locator("#run-button")
        run.dblclick()
        expect(page.locator("#run-area .running")).to_be_visible()
        # While the sweep runs, the prediction cannot change and Run cannot be pressed.
        expect(run).to_be_disabled()
        expect(page.locator("input[name=shape]").first).to_be_disabled()
        expect(page.locator("input[name=confidence]")).to_be_disabled()
        run.click(force=True)  # a third click on the disabled button sends nothing
        expect(page.locator("#verdict")).to_be_visible(timeout=120_000)
        expect(page.locator("#verdict")).to_have_attribute("data-blind", "true")
        assert blindness(server["root"]) == [1]

        # After the result, the form opens again; a changed prediction run again is practice.
        expect(run).to_be_enabled()
        page.check("input[name=shape][value='rises then levels off']")
        run.click()
        expect(page.locator("#verdict")).to_have_attribute("data-blind", "false")
        expect(page.locator("#verdict")).to_contain_text("Practice, not counted")
        expect(page.locator("#verdict")).not_to_contain_text("✓")
        expect(page.locator("#practice-why")).to_contain_text("you saw this experiment")
        assert blindness(server["root"]) == [1, 0]
        with open_lab(server["root"]) as lab:
            assert lab.journal.predictive_power().overall.predictions == 1
