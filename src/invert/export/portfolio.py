"""The portfolio: a static site of the learner's work, built from the lab and its journal.

Pages: an index, one per project (its report, copied whole: it is self-contained), the
experiments with their plots, predictions and predictive power, why-questions with the concepts
that answer them, and the drills fixed. Every link is relative and every asset is a file of the
site, so it works from a folder, offline, and on any static host.
"""

from __future__ import annotations

import json
import shutil
import threading
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invert import clock
from invert.errors import LearnerError

if TYPE_CHECKING:
    from invert.kinds.part import LabCore

SWAPPING = threading.Lock()  # held while a build replaces the last (the web app reads under it)

PAGES = (
    ("index.html", "Overview"),
    ("projects.html", "Projects"),
    ("experiments.html", "Experiments"),
    ("predictions.html", "Predictions"),
    ("questions.html", "Questions"),
    ("drills.html", "Drills"),
)


@dataclass
class Site:
    """A portfolio written to `folder`: its pages, relative to it."""

    folder: Path
    pages: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"folder": str(self.folder), "pages": self.pages, "counts": self.counts}


def build_portfolio(lab: LabCore, out: Path | None = None) -> Site:
    """Write the site to `out` (default: portfolio/ in the lab), replacing an earlier build."""
    folder = (out or lab.root / "portfolio").expanduser().resolve()
    with SWAPPING:  # not while another build swaps the folder
        earlier = not folder.exists() or (folder / ".invert-portfolio").is_file()
        foreign = not earlier and any(folder.iterdir())
    if foreign:
        raise LearnerError(
            f"{folder} is not empty and not an earlier portfolio; choose another --out"
        )
    if folder == lab.root or lab.root.is_relative_to(folder):
        raise LearnerError(f"{folder} holds the lab; choose another --out")
    # Each build stages in a folder of its own: builds at once (the web app's preview loaded in
    # several tabs) must not write into, or delete, each other's.
    staging = folder.with_name(f".{folder.name}.partial-{uuid.uuid4().hex[:12]}")
    try:
        staging.mkdir(parents=True)
        site = _write_site(lab, staging)
        (staging / ".invert-portfolio").write_text("built by invert portfolio\n", encoding="utf-8")
        old = staging.with_name(f"{staging.name}.old")
        with SWAPPING:
            if folder.exists():
                folder.rename(old)
            staging.rename(folder)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise LearnerError(f"cannot write the portfolio to {folder}: {exc.strerror}") from None
    site.folder = folder
    return site


def _write_site(lab: LabCore, folder: Path) -> Site:
    from markupsafe import Markup

    from invert.progress.calibration import reliability_svg
    from invert.templating import TEMPLATES, render

    site = Site(folder)
    projects = _projects(lab, folder)
    experiments = _experiments(lab, folder)
    power = lab.part("journal").predictive_power()
    predictions = [
        {
            "experiment": _title(lab, row.experiment),
            "at": row.at[:10],
            "shape": row.shape,
            "confidence": row.confidence,
            "measured": row.measured_shape,
            "hit": row.hit,
            "counted": (
                "yes"
                if row.counted
                else "practice"
                if row.blind == 0
                else "unknown"
                if row.scored
                else "-"
            ),
        }
        for row in lab.store.predictions()
    ]
    concepts = lab.catalog.concepts
    questions = [
        {
            "text": q.text,
            "at": q.at[:10],
            "experiment": _title(lab, q.experiment) if q.experiment else None,
            "answered": q.answered_at is not None,
            "concepts": [
                {"title": concepts[c].title, "summary": concepts[c].summary}
                for c in q.concepts
                if c in concepts
            ],
        }
        for q in lab.part("journal").questions(open_only=False)
    ]
    drills = [
        {
            "title": d.drill.title,
            "symptom": d.drill.symptom,
            "fixed_at": (d.fixed_at or "")[:10],
            "hints": d.hints_when_fixed,
        }
        for d in lab.part("drills").statuses()
        if d.state == "fixed"
    ]
    site.counts = {
        "projects": len(projects),
        "experiments": len(experiments),
        "predictions": len(predictions),
        "questions": len(questions),
        "drills fixed": len(drills),
    }
    common = {
        "pages": PAGES,
        "generated": clock.now().astimezone().strftime("%Y-%m-%d"),
        "lab_name": lab.root.name,
    }
    context: dict[str, dict[str, Any]] = {
        "index.html": {"counts": site.counts, "power": power, "projects": projects},
        "projects.html": {"projects": projects},
        "experiments.html": {"experiments": experiments},
        "predictions.html": {
            "power": power,
            "predictions": predictions,
            "reliability": Markup(reliability_svg(power.calibration)),
        },
        "questions.html": {"questions": questions},
        "drills.html": {"drills": drills},
    }
    shutil.copyfile(TEMPLATES / "style.css", folder / "style.css")
    for page, title in PAGES:
        html = render(f"portfolio/{page}", page=page, title=title, **common, **context[page])
        (folder / page).write_text(html, encoding="utf-8")
        site.pages.append(page)
    site.pages += [p["report"] for p in projects if p["report"]]
    return site


def _title(lab: LabCore, experiment_id: str) -> str:
    found = lab.catalog.experiments.get(experiment_id)
    return found.title if found else experiment_id


def _projects(lab: LabCore, folder: Path) -> list[dict[str, Any]]:
    rows = []
    for project in lab.part("projects").statuses():
        if project.settings is None:
            continue
        result = _read_json(project.folder / "results" / "step7.json")
        report = None
        if project.report is not None:
            report = f"projects/{project.name}/report.html"
            (folder / "projects" / project.name).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(project.report, folder / report)
        negate = project.settings.metric.startswith("neg_")
        summary = None
        if result is not None and isinstance(result.get("test_score"), float):
            sign = -1 if negate else 1
            split = result.get("split")
            summary = {
                "model": result.get("model"),
                "test": sign * result["test_score"],
                "baseline": sign * result.get("baseline_test_score", 0.0),
                "split": _split_words(split if isinstance(split, dict) else {}),
            }
        rows.append(
            {
                "name": project.name,
                "target": project.settings.target,
                "task": project.settings.task,
                "metric": project.settings.metric.removeprefix("neg_").replace("_", " "),
                "steps_done": len(project.steps_done),
                "summary": summary,
                "report": report,
            }
        )
    return rows


def _split_words(split: dict[str, Any]) -> str:
    """How the held-out rows were chosen, as step 7 recorded it."""
    kind = split.get("kind")
    if kind == "group":
        return f"whole groups of {', '.join(map(str, split.get('group') or []))} held out"
    if kind == "time":
        return f"the latest rows by {split.get('time')} held out"
    if kind == "random":
        return "rows held out at random"
    return "held-out rows chosen before the split was recorded"


def _experiments(lab: LabCore, folder: Path) -> list[dict[str, Any]]:
    observations: dict[str, list[str]] = defaultdict(list)
    for event in lab.store.events(kind="observation_written"):
        observations[str(event.subject)].append(event.payload["text"])
    runs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in lab.store.events(kind="experiment_run"):
        p = event.payload
        plot = None
        png = (p.get("plots") or {}).get("png")
        if png and (lab.root / png).is_file():
            plot = f"experiments/{Path(png).parent.name}/{Path(png).name}"
            (folder / plot).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(lab.root / png, folder / plot)
        outcome = p.get("outcome") or {}
        runs[str(event.subject)].append(
            {
                "at": event.at[:10],
                "measured": p["measured"]["shape"],
                "verdict": outcome.get("verdict"),
                "plot": plot,
                "values": p.get("values", []),
            }
        )
    rows = []
    for experiment_id, experiment_runs in runs.items():
        experiment = lab.catalog.experiments.get(experiment_id)
        rows.append(
            {
                "id": experiment_id,
                "title": experiment.title if experiment else experiment_id,
                "knob": experiment.knob.label if experiment else "",
                "runs": experiment_runs,
                "observations": observations.get(experiment_id, []),
            }
        )
    return rows


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return loaded if isinstance(loaded, dict) else None
