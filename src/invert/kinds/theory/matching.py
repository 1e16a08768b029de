"""Which cards answer a why-question: ranked by what the question asks, in its own words.

Every card is a document of weighted fields: its concept's title and keywords, its own keywords,
the phrasings learners use for it, the situations where it is met (its experiments' questions,
its drills' symptoms), its key points, its concept's summary and its idea. A question is
searched against them with SQLite FTS5 (BM25, Porter stemming), its neighbouring words also as
phrases, after its words are widened with the synonyms in `content/synonyms.toml` (a learner's
"deeper" is a card's "depth"). Each short text of a card is also scored on its own, and the
best one adds to the card's score: a question close to one phrasing is close to its card,
however long the card is.
The experiment a question came from adds weight to the cards that answer that experiment and to
the concepts it links, but never decides alone: "why does a deeper tree do worse on new
passengers?" asked after the forest experiment is about overfitting, not bagging.

A question whose words are mostly not the cards' words (at most `KNOWN_SHARE` of them are) is
answered by no card, unless it came from an experiment: the journal keeps it as a request.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import tomllib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from invert.catalog.models import Catalog

# Words that carry no meaning in a question ("more" and "less" do: more trees, less data).
_STOPWORD_TEXT = (
    "a an and are as at be but by can could did do does doing for from had has have how i if "
    "in into is it its me my no not of on or our should so than that the their them then there "
    "these they this to too was we were what when where which while who why will with would "
    "you your get gets got much very"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# Field weights for BM25: the short, pointed fields count most.
FIELDS = (
    ("title", 4.0),
    ("keywords", 3.0),
    ("phrasings", 3.0),
    ("met", 1.0),
    ("points", 1.0),
    ("summary", 1.0),
    ("idea", 0.2),
)
# What the experiment a question came from adds to a card's share of the best text score.
ANSWERS_EXPERIMENT = 0.35  # the card says it answers that experiment's question
LINKED_BY_EXPERIMENT = 0.15  # the experiment links the card's concept
# What the best single snippet of a card adds, against its whole document's score.
SNIPPET = 0.5
# A question none of whose words the cards use is not about them ("why is the sky blue?"): it
# needs more than this share of its words to be words of the cards to be answered by one.
KNOWN_SHARE = 0.6


@dataclass(frozen=True)
class Match:
    card: str
    score: float  # text score plus what the experiment adds; comparable within one question


def answering_cards(
    catalog: Catalog, text: str, experiment: str | None = None, limit: int = 3
) -> list[Match]:
    """The cards that best answer `text`, best first; empty when none does.

    >>> from invert.catalog.loader import load_catalog
    >>> [m.card for m in answering_cards(load_catalog(), "why does the loss explode when the "
    ...                                  "step size is big?")][0]
    'learning-rate'
    """
    index = _index(catalog)
    words = index.words(text)
    scores = index.search(words) if words else {}
    if experiment is not None and experiment in catalog.experiments:
        # Asked after an experiment, the question is about what it showed: its cards stand as
        # candidates even when the words are too few to reach them.
        linked = set(catalog.experiments[experiment].concepts)
        for card in catalog.theory.cards.values():
            if experiment in card.answers:
                scores[card.id] = scores.get(card.id, 0.0) + ANSWERS_EXPERIMENT
            elif card.id in linked:
                scores[card.id] = scores.get(card.id, 0.0) + LINKED_BY_EXPERIMENT
    elif not scores or index.known_share(text) <= KNOWN_SHARE:
        return []
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return [Match(card, round(score, 4)) for card, score in ranked[:limit]]


class _Index:
    """The cards of one catalogue in an in-memory FTS5 table, and the synonyms to widen with."""

    def __init__(self, catalog: Catalog) -> None:
        self.synonyms = _synonyms(catalog.root / "synonyms.toml")
        self.lock = threading.Lock()  # one connection, shared by the web app's threads
        self.conn = sqlite3.connect(":memory:", check_same_thread=False)
        names = ", ".join(name for name, _ in FIELDS)
        self.conn.execute(
            f"CREATE VIRTUAL TABLE cards USING fts5(id UNINDEXED, {names}, "
            "tokenize = 'porter unicode61')"
        )
        met = _where_met(catalog)
        rows = []
        for card in catalog.theory.cards.values():
            concept = catalog.concepts.get(card.id)
            rows.append(
                (
                    card.id,
                    concept.title if concept else card.id,
                    " ; ".join((*(concept.keywords if concept else ()), *card.keywords)),
                    " ; ".join(card.phrasings),
                    " ; ".join(met.get(card.id, ())),
                    " ".join(card.key_points),
                    concept.summary if concept else "",
                    card.idea,
                )
            )
        marks = ", ".join("?" * (len(FIELDS) + 1))
        self.conn.executemany(f"INSERT INTO cards VALUES ({marks})", rows)
        self.weights = ", ".join(str(weight) for _, weight in FIELDS)
        # Each short text on its own (a phrasing, a key point, a situation where the concept is
        # met): a question close to one of them is close to its card, however long the card.
        self.conn.execute(
            "CREATE VIRTUAL TABLE snippets USING fts5(id UNINDEXED, text, "
            "tokenize = 'porter unicode61')"
        )
        self.conn.executemany(
            "INSERT INTO snippets VALUES (?, ?)",
            [
                (card.id, text)
                for card in catalog.theory.cards.values()
                for text in (*card.phrasings, *card.key_points, *met.get(card.id, ()))
            ],
        )

    def words(self, text: str, widen: bool = True) -> list[str]:
        """The question's words that can match, each pair of neighbours as a phrase too, widened
        by the synonyms."""
        plain = [
            w
            for w in re.findall(r"[a-z0-9_]+", text.lower())
            if w not in STOPWORDS and len(w) > 1 and (not w.isdigit() or w in self.synonyms)
        ]
        if not widen:
            return list(dict.fromkeys(plain))
        widened: list[str] = []
        for i, word in enumerate(plain):
            widened.append(word)
            pair = f"{word} {plain[i + 1]}" if i + 1 < len(plain) else None
            if pair is not None:
                widened.append(pair)  # two words in a row: rarer as a phrase, so it counts more
            for key in (word, pair):
                if key is not None:
                    widened += self.synonyms.get(key, ())
        return list(dict.fromkeys(widened))

    def known_share(self, text: str) -> float:
        """The share of the question's own words (before synonyms) that some card uses."""
        words = self.words(text, widen=False)
        if not words:
            return 0.0
        with self.lock:
            known = [
                self.conn.execute(
                    "SELECT 1 FROM cards WHERE cards MATCH ? LIMIT 1", (_quoted(word),)
                ).fetchone()
                is not None
                for word in words
            ]
        return sum(known) / len(words)

    def search(self, words: list[str]) -> dict[str, float]:
        """Each card's score: its whole document's, plus its best snippet's (each on the scale
        of the best card, so that both count alike)."""
        query = " OR ".join(_quoted(w) for w in words)
        with self.lock:
            whole = self.conn.execute(
                f"SELECT id, -bm25(cards, 0.0, {self.weights}) FROM cards WHERE cards MATCH ?",
                (query,),
            ).fetchall()
            pieces = self.conn.execute(
                "SELECT id, -bm25(snippets) FROM snippets WHERE snippets MATCH ?", (query,)
            ).fetchall()
        best_piece: dict[str, float] = {}
        for card, score in pieces:
            best_piece[card] = max(score, best_piece.get(card, 0.0))
        scores = _share(dict(whole))
        for card, share in _share(best_piece).items():
            scores[card] = scores.get(card, 0.0) + SNIPPET * share
        return scores


def _quoted(word: str) -> str:
    return '"' + word.replace('"', "") + '"'


def _share(scores: dict[str, float]) -> dict[str, float]:
    best = max(scores.values(), default=0.0)
    return {card: score / best for card, score in scores.items()} if best > 0 else {}


def _where_met(catalog: Catalog) -> dict[str, list[str]]:
    """Each concept's situations as a learner meets them: the questions of the experiments whose
    card it is, and the symptoms of the drills about it (a learner's question often retells
    one)."""
    met: dict[str, list[str]] = {}
    for card in catalog.theory.cards.values():
        for experiment in card.answers:
            if experiment in catalog.experiments:
                met.setdefault(card.id, []).append(catalog.experiments[experiment].question)
    for drill in catalog.drills.values():
        if drill.concept in catalog.theory.cards:
            met.setdefault(drill.concept, []).append(drill.symptom)
    return met


def _synonyms(path: Path) -> dict[str, tuple[str, ...]]:
    """Each learner's word (or two-word phrase) -> the catalogue's words for the same thing."""
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        groups = tomllib.load(handle).get("group", [])
    table: dict[str, tuple[str, ...]] = {}
    for group in groups:
        means = tuple(group["means"])
        for said in group["said"]:
            table[said.lower()] = tuple(dict.fromkeys((*table.get(said.lower(), ()), *means)))
    return table


# One index per catalogue loaded in this process (a catalogue never changes once loaded); the
# catalogue is kept with its index so that its id cannot be reused by another.
_indexes: dict[int, tuple[Catalog, _Index]] = {}
_building = threading.Lock()


def _index(catalog: Catalog) -> _Index:
    with _building:
        kept = _indexes.get(id(catalog))
        if kept is None or kept[0] is not catalog:
            kept = _indexes[id(catalog)] = (catalog, _Index(catalog))
        return kept[1]
