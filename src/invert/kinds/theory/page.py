"""Concept cards with their math as MathML (rendered on the server: no raw LaTeX ever shows)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from invert.catalog.loader import load_catalog
from invert.lab import Lab
from invert.web.context import cached_page, lab, render
from invert.web.text import math

router = APIRouter(include_in_schema=False)  # pages; /api/openapi.json describes the JSON
READ_AGAIN_MINUTES = 30  # a reload within this is not recorded as another reading


_rendered: dict[str, dict[str, Any]] = {}


async def card_math(card_id: str) -> dict[str, Any]:
    """A card's rendered parts, from a worker thread the first time (SymPy takes a second)."""
    if card_id not in _rendered:
        _rendered[card_id] = await run_in_threadpool(render_card_math, card_id)
    return _rendered[card_id]


def render_card_math(card_id: str) -> dict[str, Any]:
    """A card's formula, its derivation's steps and its scratch code, as HTML."""
    from invert.kinds.theory.verify import scratch_source

    catalog = load_catalog()
    card = catalog.card(card_id)
    derivation = catalog.theory.derivations[card.derivation]
    rules = catalog.theory.rules
    return {
        "formula": math(card.formula.expr, card.formula.context),
        "derivation": derivation,
        "start": math(derivation.start, derivation.context),
        "steps": [
            (
                " and ".join(rules[r].name for r in step.rules if r in rules),
                step.note,
                math(step.expr, derivation.context),
            )
            for step in derivation.steps
        ],
        "further": [(d, catalog.theory.derivations[d].title) for d in card.further],
        "source": scratch_source(card).rstrip(),
    }


@router.get("/cards", response_class=HTMLResponse)
async def cards(request: Request, lab: Annotated[Lab, Depends(lab)]) -> HTMLResponse:
    return render(
        request,
        "cards.html",
        active="/cards",
        overview=lab.theory.overview(),
        concepts=lab.catalog.concepts,
        opened=lab.theory.cards_read(),
    )


@router.get("/cards/{card_id}", response_class=HTMLResponse)
async def card(request: Request, card_id: str, lab: Annotated[Lab, Depends(lab)]) -> HTMLResponse:
    parts = await card_math(lab.catalog.card(card_id).id)
    # Recorded first (a write changes the page's key); the page itself is built only when the
    # journal changed since it was last built: a reload under load costs a lookup.
    lab.theory.note_read(card_id, quiet_minutes=READ_AGAIN_MINUTES)

    def build() -> HTMLResponse:
        view = lab.theory.card_view(card_id)
        explanation = lab.journal.explanations().get(view.concept.id)
        return render(
            request, "card.html", active="/cards", view=view, parts=parts, explanation=explanation
        )

    return cached_page(request, lab, build)


@router.post("/cards/{card_id}/explain/compare", response_class=HTMLResponse)
async def compare_explanation(
    request: Request,
    card_id: str,
    lab: Annotated[Lab, Depends(lab)],
    text: Annotated[str, Form(max_length=5000)] = "",
) -> HTMLResponse:
    """The learner's explanation beside the card's key points, a box to tick for each, and the
    self-rating; nothing is written until that form is sent."""
    from invert.journal.ops import own_words

    concept = lab.catalog.card(card_id).id
    return render(
        request,
        "_partials/compare.html",
        action=f"/cards/{concept}/explain",
        target="#explained",
        words=own_words(text, "an explanation"),
        points=lab.journal.key_points(concept),
        several=False,
        rating=True,
    )


@router.post("/cards/{card_id}/explain", response_class=HTMLResponse)
def explain(
    request: Request,
    card_id: str,
    lab: Annotated[Lab, Depends(lab)],
    text: Annotated[str, Form(max_length=5000)] = "",
    rating: Annotated[int, Form()] = 0,
    covered: Annotated[list[str] | None, Form()] = None,
) -> HTMLResponse:
    """Record the explanation with the key points the learner ticked (none ticked: none made)."""
    from invert.progress.key_points import parse_covered

    concept = lab.catalog.card(card_id).id
    points = lab.journal.key_points(concept)
    made = parse_covered(" ".join(covered or ()) or "none", len(points))
    row = lab.journal.explain(concept, text, rating, made)
    return render(
        request,
        "_partials/saved.html",
        what=f"Your explanation (rated {row.rating}/5 by you, {len(made)} of "
        f"{len(points)} key points made by your comparison)",
        text=row.text,
    )


@router.post("/cards/{card_id}/toolkit/{rule_id}", response_class=HTMLResponse)
def add_rule(
    request: Request, card_id: str, rule_id: str, lab: Annotated[Lab, Depends(lab)]
) -> HTMLResponse:
    """Put one of the card's rules in the learner's toolkit (the "Add to my toolkit" button)."""
    card = lab.catalog.card(card_id)
    known = lab.theory.rules_in_toolkit()
    entry = lab.theory.add_rule(rule_id, via=f"card:{card.id}")
    return render(
        request, "_partials/rule_added.html", entry=entry, added=entry.rule.id not in known
    )
