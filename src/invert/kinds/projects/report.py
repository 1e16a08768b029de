"""The project report: report.html (self-contained, plots embedded) and report.md.

Both are written from what the steps saved in results/step<N>.json and plots/, so the report
always shows the last run of each step; a step that has not run says how to run it. It also
states how the rows were split and why, every finding of the audit with whether it is addressed,
and, when a random split would have scored the model differently, both scores side by side.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invert import clock
from invert.kinds.projects.steps import STEPS

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from invert.kinds.projects.audit import Finding, Status
    from invert.kinds.projects.settings import ProjectSettings


def audit_rows_json(rows: Sequence[tuple[Finding, Status]]) -> list[dict[str, Any]]:
    """Each finding with its status, as the templates show it."""
    return [
        {
            "kind": finding.kind,
            "message": finding.message,
            "fix": finding.fix,
            "fault": finding.fault,
            "addressed": state.addressed,
            "how": state.how,
        }
        for finding, state in rows
    ]


def split_sentence(settings: ProjectSettings, results: dict[int, dict[str, Any]]) -> str:
    """How project.toml says to split the rows, and why, in one sentence; and the split the
    results were made with when it was another (project.toml changed since the last run)."""
    described = settings.split_description()
    sentence = f"{described[0].upper()}{described[1:]}."
    made = [r["split"] for r in results.values() if isinstance(r.get("split"), dict)]
    if made and made[-1].get("kind") != settings.split:
        sentence += (
            f" The results below were made with {made[-1].get('label')}: run the steps again."
        )
    return sentence


def leak_sentence(
    r7: dict[str, Any], metric_label: str, shown: Callable[[float | None], float | None]
) -> str | None:
    """The naive random split's score beside the honest one, when they differ by more than the
    folds' spread (what the leak would have cost), or whenever the learner turned the honest
    split off. None otherwise."""
    compared = r7.get("naive_vs_honest")
    if not isinstance(compared, dict):
        return None
    turned_off = compared["used"] == "random"  # the learner set split = "random": always say
    pick = compared.get("naive_pick") or {}
    if not compared.get("differ") and not compared.get("pick_differs") and not turned_off:
        return None
    naive, honest = compared["naive"], compared["honest"]
    split = r7.get("split") or {}
    if honest["split"] == "group":
        names = "', '".join(split.get("group") or [])
        how = f"holding out whole groups of '{names}'"
    else:
        how = f"training on the past of '{split.get('time', '')}' and scoring on what follows"

    def score(row: dict[str, Any]) -> str:
        return f"{metric_label} {shown(row['mean']):.4g} ± {row['std']:.2g}"

    gap = abs(float(shown(naive["mean"]) or 0) - float(shown(honest["mean"]) or 0))
    flatters = naive["mean"] > honest["mean"]  # scikit-learn's scores: higher is better
    verdict = "better" if flatters else "worse"
    if turned_off:
        verdict = (
            f"the random split judges the model {gap:.4g} {verdict} than on groups or times it "
            "has not seen"
            if compared.get("differ")
            else "the two agree within the folds' spread"
        )
        return (
            f"You chose a random split: it reports {score(naive)}; {how} (the split you turned "
            f"off) gives {score(honest)}: {verdict}."
        )
    chosen = r7.get("model", "the chosen model")
    if compared.get("pick_differs") and pick.get("name"):
        gap = abs(float(shown(pick["mean"]) or 0) - float(shown(honest["mean"]) or 0))
        return (
            f"A random split would have picked {pick['name']} and reported {score(pick)} "
            f"({chosen} scores {score(naive)} under it); {how}, {chosen} scores "
            f"{score(honest)}: the leak would have made the result look {gap:.4g} better "
            "than it is."
        )
    return (
        f"A random split would have reported {score(naive)} for {chosen}; {how} gives "
        f"{score(honest)}: the leak would have made the model look {gap:.4g} {verdict} than it is."
    )


def report_context(
    folder: Path, settings: ProjectSettings, audit_rows: Sequence[tuple[Finding, Status]]
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
    metric_label = settings.metric.removeprefix("neg_").replace("_", " ")
    r7 = results.get(7, {})
    return {
        "name": settings.name,
        "settings": settings,
        "metric_label": metric_label,
        "lower_is_better": negate,
        "generated": clock.now().astimezone().strftime("%Y-%m-%d %H:%M"),
        "steps": STEPS,
        "results": results,
        "missing": [st for st in STEPS if st.number not in results],
        "findings": audit_rows_json(audit_rows),
        "split": split_sentence(settings, results),
        "leak": leak_sentence(r7, metric_label, shown) if r7 else None,
        "test_warning": (r7.get("test_vs_cv") or {}).get("note")
        if (r7.get("test_vs_cv") or {}).get("beats")
        else None,
        "shown": shown,
        "plots": plots,
        "spot": spot,
    }


def write_report(
    folder: Path, settings: ProjectSettings, audit_rows: Sequence[tuple[Finding, Status]]
) -> tuple[Path, Path]:
    """Write report.html and report.md into `folder`; return their paths.

    `audit_rows` holds the audit's findings, each with its status: (Finding, Status) pairs.
    """
    from invert.templating import data_uri, render

    context = report_context(folder, settings, audit_rows)
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
