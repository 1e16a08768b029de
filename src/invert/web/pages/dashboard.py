"""The dashboard: where the learner stands, the next step, predictive power over time."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from invert.lab import Lab
from invert.web.app import cached_page, lab, render

if TYPE_CHECKING:
    from invert.store.sqlite import PredictionRow

router = APIRouter(include_in_schema=False)  # pages; /api/openapi.json describes the JSON


def power_chart(rows: list[PredictionRow]) -> dict[str, Any] | None:
    """Hit rate over the last five predictions and overall, at each scored prediction's time."""
    scored = [r for r in rows if r.scored]
    if not scored:
        return None
    times = [r.scored_at or r.at for r in scored]
    hits = [bool(r.hit) for r in scored]
    rolling = [
        sum(hits[max(0, i - 4) : i + 1]) / len(hits[max(0, i - 4) : i + 1])
        for i in range(len(hits))
    ]
    overall = [sum(hits[: i + 1]) / (i + 1) for i in range(len(hits))]
    text = [f"{r.experiment}: {'hit' if r.hit else 'miss'}" for r in scored]
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": times,
                "y": rolling,
                "name": "last 5",
                "text": text,
            },
            {
                "type": "scatter",
                "mode": "lines",
                "x": times,
                "y": overall,
                "name": "overall",
                "line": {"dash": "dot"},
            },
        ],
        "layout": {
            "title": {"text": "Predictive power: share of curve shapes predicted right"},
            "yaxis": {"range": [0, 1.05], "tickformat": ".0%"},
            "xaxis": {"title": {"text": "when the prediction was scored"}},
            "margin": {"t": 50, "r": 20},
            "height": 320,
        },
    }


@router.get("/", response_class=HTMLResponse)
async def dashboard(request: Request, lab: Annotated[Lab, Depends(lab)]) -> HTMLResponse:
    from invert.standing import Evidence, next_step, standing

    def build() -> HTMLResponse:
        evidence = Evidence.read(lab)
        return render(
            request,
            "dashboard.html",
            active="/",
            standing=standing(lab, evidence),
            step=next_step(lab, evidence),
            power=lab.predictive_power(),
            chart=power_chart(lab.store.predictions()),
            questions=evidence.open_questions,
            due=evidence.due,
        )

    return cached_page(request, lab, build)
