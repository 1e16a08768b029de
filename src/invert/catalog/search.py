"""Find the concepts that answer a question, by full-text search (SQLite FTS5) over the index."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence

from invert.catalog.models import Catalog

_STOPWORD_TEXT = (
    "a an and are as at be but by can could did do does doing for from had has have how i "
    "if in into is it its me my no not of on or our should so than that the their them then "
    "there these they this to too was we were what when where which while who why will with "
    "would you your get gets got more less much very"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def rank_by_text(
    rows: Sequence[tuple[str, ...]],
    columns: tuple[str, ...],
    weights: tuple[float, ...],
    text: str,
    limit: int,
    min_length: int = 2,
) -> list[str]:
    """Ids of `rows` (id first, then one value per column) ranked by BM25 against `text`.

    SQLite FTS5 with porter stemming; `weights` weigh the columns (the id column is not indexed).
    """
    words = [
        w
        for w in re.findall(r"[a-z0-9]+", text.lower())
        if w not in STOPWORDS and len(w) >= min_length
    ]
    if not words:
        return []
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(
            f"CREATE VIRTUAL TABLE items USING fts5(id UNINDEXED, {', '.join(columns)}, "
            "tokenize = 'porter unicode61')"
        )
        marks = ", ".join("?" * (len(columns) + 1))
        conn.executemany(f"INSERT INTO items VALUES ({marks})", rows)
        query = " OR ".join(f'"{w}"' for w in words)
        found = conn.execute(
            f"SELECT id FROM items WHERE items MATCH ? "
            f"ORDER BY bm25(items, 0.0, {', '.join(map(str, weights))}) LIMIT ?",
            (query, limit),
        ).fetchall()
    finally:
        conn.close()
    return [row[0] for row in found]


def search_concepts(catalog: Catalog, text: str, limit: int = 3) -> list[str]:
    """Concept ids ranked by how well their title, summary and keywords match `text`.

    >>> from invert.catalog.loader import load_catalog
    >>> search_concepts(load_catalog(), "why does the loss explode when the step size is big?")[0]
    'learning-rate'
    """
    rows = [(c.id, c.title, c.summary, " ".join(c.keywords)) for c in catalog.concepts.values()]
    return rank_by_text(rows, ("title", "summary", "keywords"), (4.0, 1.0, 3.0), text, limit)
