"""Find the concepts that answer a question, by full-text search (SQLite FTS5) over the index."""

from __future__ import annotations

import re
import sqlite3

from invert.catalog.models import Catalog

_STOPWORD_TEXT = (
    "a an and are as at be but by can could did do does doing for from had has have how i "
    "if in into is it its me my no not of on or our should so than that the their them then "
    "there these they this to too was we were what when where which while who why will with "
    "would you your get gets got more less much very"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def search_concepts(catalog: Catalog, text: str, limit: int = 3) -> list[str]:
    """Concept ids ranked by how well their title, summary and keywords match `text`.

    >>> from invert.catalog import load_catalog
    >>> search_concepts(load_catalog(), "why does the loss explode when the step size is big?")[0]
    'learning-rate'
    """
    words = [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOPWORDS and len(w) > 1]
    if not words:
        return []
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(
            "CREATE VIRTUAL TABLE concepts USING fts5("
            "id UNINDEXED, title, summary, keywords, tokenize = 'porter unicode61')"
        )
        conn.executemany(
            "INSERT INTO concepts VALUES (?, ?, ?, ?)",
            [(c.id, c.title, c.summary, " ".join(c.keywords)) for c in catalog.concepts.values()],
        )
        query = " OR ".join(f'"{w}"' for w in words)
        rows = conn.execute(
            "SELECT id FROM concepts WHERE concepts MATCH ? "
            "ORDER BY bm25(concepts, 0.0, 4.0, 1.0, 3.0) LIMIT ?",
            (query, limit),
        ).fetchall()
    finally:
        conn.close()
    return [row[0] for row in rows]
