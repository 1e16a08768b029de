"""The project report: report.html (self-contained, plots embedded) and report.md.

Both are written from what the steps saved in results/step<N>.json and plots/, so the report
always shows the last run of each step; a step that has not run says how to run it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invert import clock
from invert.project.steps import STEPS

if TYPE_CHECKING:
    from invert.project.sanity import Finding
    from invert.project.settings import ProjectSettings


def report_context(
    folder: Path, settings: ProjectSettings, findings: list[Finding]
) -> dict[str, Any]:
    """Everything the report templates show, read from the project's results."""
    results: dict[int, dict[str, Any]] = {}
    for st in STEPS:
        path = folder / "results" / f"step{st.number}.json"
        if path.is_file():
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
            except ValueError:
                continue
            if isinstance(loaded, dict):
                results[st.number] = loaded
    negate = settings.metric.startswith("neg_")

    def shown(score: float | None) -> float | None:
        return None if score is None else (-score if negate else score)

    plots: dict[str, Path] = {}
    for number in (2, 5, 7):
        for key, rel in (results.get(number, {}).get("plots") or {}).items():
            path = folder / str(rel)
            if (
                path.is_file()
                and path.suffix == ".png"
                and path.resolve().is_relative_to(folder.resolve())
            ):
                plots[key] = path
    spot = results.get(5, {}).get("results", [])
    for row in spot:
        row["shown_mean"] = shown(row.get("mean"))
    return {
        "name": settings.name,
        "settings": settings,
        "metric_label": settings.metric.removeprefix("neg_").replace("_", " "),
        "lower_is_better": negate,
        "generated": clock.now().astimezone().strftime("%Y-%m-%d %H:%M"),
        "steps": STEPS,
        "results": results,
        "missing": [st for st in STEPS if st.number not in results],
        "findings": findings,
        "shown": shown,
        "plots": plots,
        "spot": spot,
    }


def write_report(
    folder: Path, settings: ProjectSettings, findings: list[Finding]
) -> tuple[Path, Path]:
    """Write report.html and report.md into `folder`; return their paths."""
    from invert.templating import data_uri, render

    context = report_context(folder, settings, findings)
    html = folder / "report.html"
    md = folder / "report.md"
    images = {key: data_uri(path) for key, path in context["plots"].items()}
    links = {key: path.relative_to(folder).as_posix() for key, path in context["plots"].items()}
    _write(html, render("report/report.html", images=images, **context))
    _write(md, render("report/report.md", images=links, **context))
    return html, md


def _write(path: Path, text: str) -> None:
    """Write through a temporary file and a rename: a reader never sees half a report."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)
