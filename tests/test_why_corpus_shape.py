"""The why-question corpora (tests/data/why_questions*.toml) are well formed against the real
catalogue: every answer is a concept it holds, every experiment one it runs, the texts are unique,
and together they reach every concept. How well questions are matched is tested elsewhere; this
only proves the corpora that the matching is measured on.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from invert.catalog.loader import CONTENT_DIR, load_catalog

DATA = Path(__file__).resolve().parent / "data"
CORPORA = {"why_questions.toml": 130, "why_questions_heldout.toml": 45}  # file -> fewest questions
KEYS = {"text", "answers", "experiment"}

# The bundled catalogue by its path: a test may point INVERT_CONTENT at the fixture catalogue.
CATALOG = load_catalog(CONTENT_DIR)


def _questions(name: str) -> list[dict[str, Any]]:
    with (DATA / name).open("rb") as f:
        questions: list[dict[str, Any]] = tomllib.load(f)["question"]
    return questions


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_a_corpus_has_enough_questions(name: str) -> None:
    assert len(_questions(name)) >= CORPORA[name]


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_every_question_names_one_to_three_known_concepts(name: str) -> None:
    problems = []
    for q in _questions(name):
        answers = q.get("answers", [])
        if set(q) - KEYS or not isinstance(q.get("text"), str) or not q["text"].strip():
            problems.append(f"malformed: {q}")
        elif not 1 <= len(answers) <= 3 or len(set(answers)) != len(answers):
            problems.append(f"{q['text']!r}: {answers} is not 1 to 3 distinct concepts")
        unknown = [a for a in answers if a not in CATALOG.concepts]
        if unknown:
            problems.append(f"{q.get('text')!r}: unknown concepts {unknown}")
    assert problems == []


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_every_named_experiment_exists(name: str) -> None:
    named = {q["experiment"] for q in _questions(name) if "experiment" in q}
    assert named - set(CATALOG.experiments) == set()


def test_no_question_is_written_twice_in_either_corpus() -> None:
    texts = [_normal(q["text"]) for name in CORPORA for q in _questions(name)]
    repeated = sorted({t for t in texts if texts.count(t) > 1})
    assert repeated == []


def test_the_corpora_together_reach_every_concept() -> None:
    answered = {a for name in CORPORA for q in _questions(name) for a in q["answers"]}
    assert set(CATALOG.concepts) - answered == set()
