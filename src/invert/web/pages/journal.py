"""The journal and the why-questions: everything predicted, measured, observed and asked."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse

from invert.lab import Lab
from invert.web.context import cached_page, lab, render

router = APIRouter(include_in_schema=False)  # pages; /api/openapi.json describes the JSON
SHOWN = 50  # the newest entries first; "show more" adds MORE; `invert journal` has them all
MORE = 200


@router.get("/journal", response_class=HTMLResponse)
async def journal(
    request: Request,
    lab: Annotated[Lab, Depends(lab)],
    experiment: Annotated[str | None, Query(max_length=100)] = None,
    concept: Annotated[str | None, Query(max_length=100)] = None,
    show: Annotated[int, Query(ge=1, le=100_000)] = SHOWN,
) -> HTMLResponse:
    def build() -> HTMLResponse:
        if concept:  # filtered by concept in Python: read them all
            every = lab.journal.entries(experiment or None, concept)
            entries, total = every[-show:], len(every)
        else:
            entries = lab.journal.entries(experiment or None, newest=show)
            total = lab.journal.size(experiment or None)
        return render(
            request,
            "journal.html",
            active="/journal",
            entries=list(reversed(entries)),
            total=total,
            questions=list(enumerate(lab.journal.questions(open_only=False), start=1)),
            experiment=experiment,
            concept=concept,
            more=urlencode(
                {k: v for k, v in (("experiment", experiment), ("concept", concept)) if v}
                | {"show": show + MORE}
            ),
        )

    return cached_page(request, lab, build)


@router.post("/questions", response_class=HTMLResponse)
def ask(
    request: Request,
    lab: Annotated[Lab, Depends(lab)],
    text: Annotated[str, Form(max_length=2000)] = "",
    experiment: Annotated[str, Form(max_length=100)] = "",
    run: Annotated[str, Form(max_length=64)] = "",
) -> HTMLResponse:
    question = lab.journal.ask_why(text, experiment or None, run or None)
    return render(request, "_partials/question.html", question=question)


@router.post("/questions/{number}/answer/compare", response_class=HTMLResponse)
async def compare_answer(
    request: Request,
    number: int,
    lab: Annotated[Lab, Depends(lab)],
    text: Annotated[str, Form(max_length=5000)] = "",
) -> HTMLResponse:
    """The learner's answer beside the key points of the question's concepts, a box to tick for
    each; nothing is written until that form is sent."""
    from invert.journal.ops import own_words

    question = lab.journal.question(str(number))
    points = lab.journal.question_key_points(question)
    return render(
        request,
        "_partials/compare.html",
        action=f"/questions/{number}/answer",
        target=f"#answered-{number}",
        words=own_words(text, "an answer"),
        points=points,
        several=len({p.concept for p in points}) > 1,
        rating=False,
    )


@router.post("/questions/{number}/answer", response_class=HTMLResponse)
def answer(
    request: Request,
    number: int,
    lab: Annotated[Lab, Depends(lab)],
    text: Annotated[str, Form(max_length=5000)] = "",
    covered: Annotated[list[str] | None, Form()] = None,
) -> HTMLResponse:
    """Record the answer with the key points the learner ticked (none ticked: none made)."""
    from invert.progress.key_points import parse_covered

    points = lab.journal.question_key_points(lab.journal.question(str(number)))
    made = parse_covered(" ".join(covered or ()) or "none", len(points)) if points else None
    question = lab.journal.answer_question(str(number), text, made)
    what = "Your answer"
    if made is not None:
        what += f" ({len(made)} of {len(points)} key points made by your comparison)"
    return render(request, "_partials/saved.html", what=what, text=question.answer)
