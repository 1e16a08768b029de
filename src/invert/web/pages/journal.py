"""The journal and the why-questions: everything predicted, measured, observed and asked."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse

from invert.lab import Lab
from invert.web.app import lab, render

router = APIRouter(include_in_schema=False)  # pages; /api/openapi.json describes the JSON
SHOWN = 200  # the newest entries; `invert journal` and the export hold them all


@router.get("/journal", response_class=HTMLResponse)
async def journal(
    request: Request,
    lab: Annotated[Lab, Depends(lab)],
    experiment: str | None = None,
    concept: str | None = None,
) -> HTMLResponse:
    entries = lab.journal(experiment=experiment or None, concept=concept or None)
    return render(
        request,
        "journal.html",
        active="/journal",
        entries=list(reversed(entries[-SHOWN:])),
        total=len(entries),
        questions=lab.questions(open_only=False),
        concepts=lab.catalog.concepts,
        experiment=experiment,
        concept=concept,
    )


@router.post("/questions", response_class=HTMLResponse)
async def ask(
    request: Request,
    lab: Annotated[Lab, Depends(lab)],
    text: Annotated[str, Form(max_length=2000)] = "",
    experiment: Annotated[str, Form(max_length=100)] = "",
    run: Annotated[str, Form(max_length=64)] = "",
) -> HTMLResponse:
    question = lab.ask_why(text, experiment or None, run or None)
    return render(request, "_partials/question.html", question=question)
