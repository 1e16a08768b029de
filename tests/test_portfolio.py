"""The report and the portfolio in a real browser (Playwright driving Debian's Chromium), valid
HTML, working links, nothing fetched from outside; notebooks executed by nbclient."""

from __future__ import annotations

import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest

from conftest import invert_process
from invert.lab import create_lab

pytestmark = pytest.mark.slow
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(
    os.environ.get(
        "INVERT_TEST_ARTIFACTS", Path(__file__).resolve().parent.parent / "test-artifacts"
    )
)


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if key in ("href", "src") and value is not None:
                self.links.append(value)
            if key == "id" and value is not None:
                self.ids.append(value)


def check_html(page: Path) -> list[str]:
    """Parse errors by the WHATWG parser (html5lib, strict), and every link followed."""
    import html5lib

    text = page.read_text(encoding="utf-8")
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)
    parser = Links()
    parser.feed(text)
    assert len(parser.ids) == len(set(parser.ids)), f"{page.name}: duplicate ids"
    targets = []
    for link in parser.links:
        if link.startswith("data:image/png;base64,"):
            continue
        url = urlparse(link)
        assert not url.scheme and not url.netloc, f"{page.name} links outside: {link}"
        if url.path:
            target = (page.parent / unquote(url.path)).resolve()
            assert target.is_file(), f"{page.name}: broken link {link}"
            targets.append(str(target))
    return targets


def browse(pages: list[Path], shots: Path) -> dict[str, Any]:
    """Open each page in headless Chromium; fail on a console error or any non-file request."""
    from playwright.sync_api import sync_playwright

    shots.mkdir(parents=True, exist_ok=True)
    seen: dict[str, Any] = {"errors": [], "outside": [], "titles": {}, "images": {}}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.on(
            "console",
            lambda m: seen["errors"].append(m.text) if m.type in ("error", "warning") else None,
        )
        page.on("pageerror", lambda e: seen["errors"].append(str(e)))
        page.on(
            "request",
            lambda r: (
                None if r.url.startswith(("file://", "data:")) else seen["outside"].append(r.url)
            ),
        )
        for path in pages:
            page.goto(path.as_uri(), wait_until="load")
            seen["titles"][path.name] = page.title()
            # every image decoded and drawn (a broken one has naturalWidth 0)
            widths = page.eval_on_selector_all("img", "els => els.map(e => e.naturalWidth)")
            seen["images"][str(path)] = widths
            name = f"{path.parent.name}-{path.stem}.png"
            page.screenshot(path=str(shots / name), full_page=True)
        browser.close()
    return seen


needs_chromium = pytest.mark.skipif(
    not CHROMIUM.is_file(),
    reason="Debian's Chromium is not installed (apt-get install -y chromium)",
)


@needs_chromium
def test_every_report_renders_in_chromium_with_its_plots(project_lab: dict[str, Any]) -> None:
    root = project_lab["root"]
    reports = sorted((root / "projects").glob("*/report.html"))
    assert len(reports) == 4
    for report in reports:
        check_html(report)
    seen = browse(reports, ARTIFACTS / "screenshots" / "reports")
    assert seen["errors"] == [] and seen["outside"] == []
    for report in reports:
        widths = seen["images"][str(report)]
        assert len(widths) >= 5 and all(w > 300 for w in widths), (report, widths)
        assert seen["titles"]["report.html"]
    assert (ARTIFACTS / "screenshots" / "reports").glob("*.png")


@needs_chromium
def test_the_portfolio_builds_renders_offline_and_every_link_works(
    project_lab: dict[str, Any], tmp_path: Path
) -> None:
    root = project_lab["root"]
    out = tmp_path / "site"
    done = invert_process("portfolio", "--out", str(out), "--json", cwd=root)
    assert done.returncode == 0, done.stderr
    site = json.loads(done.stdout)
    assert site["counts"] == {
        "projects": 4,
        "experiments": 1,
        "predictions": 1,
        "questions": 1,
        "drills fixed": 1,
    }
    pages = [out / p for p in site["pages"]]
    assert len(pages) == 10  # six pages and four reports
    followed: set[str] = set()
    for page in pages:
        followed.update(check_html(page))
    assert {str(p.resolve()) for p in pages} <= followed | {str((out / "index.html").resolve())}
    seen = browse(pages, ARTIFACTS / "screenshots" / "portfolio")
    assert seen["errors"] == [] and seen["outside"] == []
    assert all(all(w > 100 for w in widths) for widths in seen["images"].values())
    text = {p.name: p.read_text() for p in pages if p.parent == out}
    assert "Should distances be measured on one scale?" in text["experiments.html"]
    assert "scaling lets every feature count" in text["experiments.html"]
    assert "why does kNN care about units?" in text["questions.html"]
    assert re.search(
        r"<li><strong>[^<]+</strong>: ", text["questions.html"]
    )  # a concept answers it
    assert "titanic" in text["drills.html"].lower()
    assert (
        "100% right of 1" in text["predictions.html"] or "0% right of 1" in text["predictions.html"]
    )
    for name in ("penguins", "titanic", "ames", "adult"):
        assert f'href="projects/{name}/report.html"' in text["projects.html"]
    # building again replaces the site; a folder that is not a portfolio is never overwritten
    again = invert_process("portfolio", "--out", str(out), cwd=root)
    assert again.returncode == 0
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.txt").write_text("precious")
    refused = invert_process("portfolio", "--out", str(tmp_path / "mine"), cwd=root)
    assert refused.returncode == 2 and "is not empty and not an earlier portfolio" in refused.stderr
    assert (tmp_path / "mine" / "thesis.txt").read_text() == "precious"


@needs_chromium
def test_an_empty_lab_has_a_portfolio_too(tmp_path: Path) -> None:
    root = tmp_path / "lab"
    create_lab(root).close()
    done = invert_process("portfolio", cwd=root)
    assert done.returncode == 0, done.stderr
    pages = sorted((root / "portfolio").glob("*.html"))
    assert len(pages) == 6
    for page in pages:
        check_html(page)
    seen = browse(pages, tmp_path / "shots")
    assert seen["errors"] == [] and seen["outside"] == []
    assert "No project yet." in (root / "portfolio" / "projects.html").read_text()


# --- notebooks ------------------------------------------------------------------------------------


def execute(notebook: Path) -> Any:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(notebook.parent)}},
    ).execute()
    return nb


def outputs(nb: Any) -> str:
    return "".join(
        o.get("text", "") + json.dumps(o.get("data", {}))
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
    )


def test_a_starters_notebook_runs_top_to_bottom(tmp_path: Path) -> None:
    root = tmp_path / "lab"
    create_lab(root).close()
    done = invert_process("notebook", "titanic_survival", "--json", cwd=root)
    assert done.returncode == 0, done.stderr
    made = json.loads(done.stdout)
    path = Path(made["path"])
    assert path == root / "starters" / "titanic_survival.ipynb" and made["cells"] >= 5
    nb = execute(path)
    assert nb.cells[0].cell_type == "markdown" and "Titanic" in nb.cells[0].source
    text = outputs(nb)
    assert "WHAT GOES IN" in text and "accuracy" in text.lower()
    # elsewhere, the notebook still finds the script's data
    elsewhere = invert_process(
        "notebook", "wine_knn", "--out", str(tmp_path / "nb" / "w.ipynb"), cwd=root
    )
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert "accuracy" in outputs(execute(tmp_path / "nb" / "w.ipynb")).lower()
    for bad, message in (("nope", "no starter or project named 'nope'"),):
        refused = invert_process("notebook", bad, cwd=root)
        assert refused.returncode == 2 and message in refused.stderr
    refused = invert_process("notebook", "wine_knn", "--out", "w.txt", cwd=root)
    assert refused.returncode == 2 and "must name an .ipynb file" in refused.stderr


def test_a_projects_notebook_runs_its_seven_steps(
    project_lab: dict[str, Any], tmp_path: Path
) -> None:
    root = tmp_path / "lab"
    shutil.copytree(project_lab["root"], root)
    done = invert_process("notebook", "penguins", "--json", cwd=root)
    assert done.returncode == 0, done.stderr
    path = Path(json.loads(done.stdout)["path"])
    assert path == root / "projects" / "penguins" / "penguins.ipynb"
    nb = execute(path)
    headings = [c.source.splitlines()[0] for c in nb.cells if c.cell_type == "markdown"]
    assert headings[1:] == [
        "## 1. Define the problem",
        "## 2. Look at the data",
        "## 3. Prepare it",
        "## 4. A baseline that learns nothing",
        "## 5. Spot-check model families",
        "## 6. Improve the best two",
        "## 7. Present the result",
    ]
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "from step1_define import" not in code  # the notebook defines everything above
    text = outputs(nb)
    assert "[9/9] HistGradientBoostingClassifier" in text and "image/png" in text
    assert "saved the fitted model" in text
