"""How often a learner's why-question reaches a card that answers it, and how long matching takes.

Reads the two corpora in tests/data (learners' questions, each with the concepts that answer it;
the held-out one is never tuned on) and counts, for each way of matching, the questions with an
answering card among the first three:

- "tags then words" is how questions were linked before issue 26: the experiment's own concepts
  when the question came from one, else SQLite FTS5 over the concepts' titles, summaries and
  keywords;
- "words, no synonyms" is today's matching with the synonyms and the cards' phrasings left out;
- "today" is `invert.kinds.theory.matching.answering_cards`.

Also times matching one question (the index built once per process, then each question).
Run: .venv/bin/python bench/why_matching.py [--record]
"""

from __future__ import annotations

import sqlite3
import time
import tomllib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from _common import record
from invert.catalog.loader import load_catalog
from invert.catalog.models import Catalog
from invert.kinds.theory import matching

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
CORPORA = ("why_questions.toml", "why_questions_heldout.toml")

Matcher = Callable[[Catalog, str, str | None], list[str]]


def questions(name: str) -> list[dict]:
    with (DATA / name).open("rb") as handle:
        return tomllib.load(handle)["question"]


def top3_share(catalog: Catalog, match: Matcher, corpus: list[dict]) -> tuple[int, int]:
    """How many questions have an answering concept among the first three matched."""
    hits = sum(
        bool(set(match(catalog, q["text"], q.get("experiment"))[:3]) & set(q["answers"]))
        for q in corpus
    )
    return hits, len(corpus)


def today(catalog: Catalog, text: str, experiment: str | None) -> list[str]:
    return [m.card for m in matching.answering_cards(catalog, text, experiment)]


def tags_then_words(catalog: Catalog, text: str, experiment: str | None) -> list[str]:
    if experiment is not None:
        return list(catalog.experiments[experiment].concepts)
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE c USING fts5(id UNINDEXED, title, summary, keywords, "
        "tokenize = 'porter unicode61')"
    )
    conn.executemany(
        "INSERT INTO c VALUES (?, ?, ?, ?)",
        [(c.id, c.title, c.summary, " ".join(c.keywords)) for c in catalog.concepts.values()],
    )
    words = [w for w in matching._Index(catalog).words(text) if " " not in w]
    if not words:
        return []
    found = conn.execute(
        "SELECT id FROM c WHERE c MATCH ? ORDER BY bm25(c, 0.0, 4.0, 1.0, 3.0) LIMIT 3",
        (" OR ".join(f'"{w}"' for w in words),),
    ).fetchall()
    return [row[0] for row in found]


def without_synonyms(catalog: Catalog) -> Catalog:
    """The catalogue with no phrasings on its cards and no synonyms file."""
    from invert.kinds.theory.model import Theory

    theory = catalog.theory
    cards = {i: replace(card, phrasings=()) for i, card in theory.cards.items()}
    plain = Theory(theory.rules, theory.derivations, cards, theory.ladders)
    return replace(catalog, root=Path("/nonexistent"), content={**catalog.content, "theory": plain})


def timing(catalog: Catalog, corpus: list[dict]) -> tuple[float, float]:
    """Seconds to build the index, and median seconds to match one question."""
    fresh = replace(catalog)  # a new catalogue object: a new index
    start = time.perf_counter()
    matching.answering_cards(fresh, "warm up")
    built = time.perf_counter() - start
    times = []
    for q in corpus:
        start = time.perf_counter()
        matching.answering_cards(fresh, q["text"], q.get("experiment"))
        times.append(time.perf_counter() - start)
    return built, sorted(times)[len(times) // 2]


def main() -> None:
    catalog = load_catalog()
    corpora = {name: questions(name) for name in CORPORA}
    ways: list[tuple[str, Catalog, Matcher]] = [
        ("tags then words (before)", catalog, tags_then_words),
        ("words, no synonyms or phrasings", without_synonyms(catalog), today),
        ("today", catalog, today),
    ]
    lines = [
        f"{len(catalog.theory.cards)} cards; an answering card among the first three:",
        "",
        "| matching | " + " | ".join(CORPORA) + " |",
        "|---|" + "---|" * len(CORPORA),
    ]
    for label, cat, match in ways:
        cells = []
        for corpus in corpora.values():
            hits, total = top3_share(cat, match, corpus)
            cells.append(f"{hits}/{total} ({hits / total:.0%})")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    built, one = timing(catalog, corpora[CORPORA[0]])
    lines += [
        "",
        f"index built in {built * 1000:.0f} ms; a question matched in {one * 1000:.1f} ms",
    ]
    record("why_matching", ".venv/bin/python bench/why_matching.py --record", "\n".join(lines))


if __name__ == "__main__":
    main()
