"""The dashboard: where the learner stands, the next step, predictive power over time."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from invert.lab import Lab
from invert.web.context import cached_page, lab, render

if TYPE_CHECKING:
    from invert.kinds.experiments.predictions import PowerReport

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


def heatmap(calendar: dict[str, int], today: str, weeks: int) -> list[list[dict[str, Any]]]:
    """The last `weeks` weeks as columns of seven days (Monday first), each with its count and a
    shade from 0 (nothing done) to 4."""
    from datetime import date, timedelta

    end = date.fromisoformat(today)
    first = end - timedelta(days=end.weekday()) - timedelta(weeks=weeks - 1)
    columns = []
    for w in range(weeks):
        column = []
        for d in range(7):
            day = first + timedelta(weeks=w, days=d)
            n = calendar.get(day.isoformat(), 0)
            level = 0 if n == 0 else 1 if n <= 2 else 2 if n <= 5 else 3 if n <= 9 else 4
            column.append(
                {"date": day.isoformat(), "count": n, "level": level, "future": day > end}
            )
        columns.append(column)
    return columns


@router.get("/", response_class=HTMLResponse)
async def dashboard(request: Request, lab: Annotated[Lab, Depends(lab)]) -> HTMLResponse:
    from invert.progress.summary import CALENDAR_WEEKS

    def build() -> HTMLResponse:
        from markupsafe import Markup

        from invert.progress.calibration import reliability_svg

        evidence = lab.progress.evidence()
        report = lab.progress.report(evidence)
        return render(
            request,
            "dashboard.html",
            active="/",
            progress=report,
            step=report.next,
            chart=power_chart(report.power),
            reliability=Markup(reliability_svg(report.power.calibration)),
            heatmap=heatmap(report.calendar, report.today, CALENDAR_WEEKS),
            questions=evidence.open_questions,
            reviews=report.reviews,
        )

    return cached_page(request, lab, build)
