"""A review session: the rules due, one at a time: the pattern, recall, reveal, rate."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse

from invert.lab import Lab
from invert.web.context import lab, render

router = APIRouter(include_in_schema=False)  # pages; /api/openapi.json describes the JSON


def _session(request: Request, lab: Lab, page: str, rated: str | None = None) -> HTMLResponse:
    from invert.kinds.theory.toolkit import RATINGS
    from invert.progress.review_plan import DAILY_REVIEWS

    due = lab.theory.due_rules()
    plan = lab.progress.review_plan()
    # One session a day, as `invert next` plans it: the rest of a backlog waits for its day.
    left = max(0, DAILY_REVIEWS - plan.reviewed_today)
    return render(
        request,
        page,
        active="/review",
        entry=due[0] if due and left else None,
        remaining=min(len(due), left),
        due=len(due),
        plan=plan.summary() if due and not left else None,
        ratings=RATINGS,
        soonest=None if due else lab.theory.next_review(),
        rated=rated,
    )


@router.get("/review", response_class=HTMLResponse)
async def review(request: Request, lab: Annotated[Lab, Depends(lab)]) -> HTMLResponse:
    return _session(request, lab, "review.html")


@router.post("/review/{rule_id}", response_class=HTMLResponse)
def rate(
    request: Request,
    rule_id: str,
    lab: Annotated[Lab, Depends(lab)],
    rating: Annotated[str, Form(max_length=10)] = "",
) -> HTMLResponse:
    updated = lab.theory.review_rule(rule_id, rating)
    note = f"{updated.rule.name}: next review {updated.row.due[:16].replace('T', ' ')} UTC"
    return _session(request, lab, "_partials/review_item.html", rated=note)
