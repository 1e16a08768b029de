"""The dashboard: where the learner stands, the next step, predictive power over time."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from invert.lab import Lab
from invert.web.app import cached_page, lab, render

if TYPE_CHECKING:
    from invert.predictions import PowerReport

router = APIRouter(include_in_schema=False)  # pages; /api/openapi.json describes the JSON


def power_chart(power: PowerReport) -> dict[str, Any] | None:
    """Predictive power at each scored prediction's time: over the last five, and overall."""
    if not power.times:
        return None
    text = [
        f"{e}: {'hit' if hit else 'miss'}"
        for e, hit in zip(power.experiments, power.hits, strict=True)
    ]
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": power.times,
                "y": power.rolling,
                "name": "last 5",
                "text": text,
            },
            {
                "type": "scatter",
                "mode": "lines",
                "x": power.times,
                "y": power.running,
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
        power = lab.predictive_power()
        return render(
            request,
            "dashboard.html",
            active="/",
            standing=standing(lab, evidence),
            step=next_step(lab, evidence),
            power=power,
            chart=power_chart(power),
            questions=evidence.open_questions,
            due=evidence.due,
        )

    return cached_page(request, lab, build)
