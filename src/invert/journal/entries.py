"""The journal's entries: predictions, runs, observations, questions and starter runs, each
as one line of text the learner reads (`invert journal`, the web app's journal page)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from invert.store import Event

JOURNAL_KINDS = (
    "prediction_made",
    "experiment_run",
    "observation_written",
    "question_asked",
    "starter_run",
)


@dataclass(frozen=True)
class JournalEntry:
    at: str
    kind: str  # "prediction", "run", "observation", "question" or "starter" (a starter's run)
    experiment: str | None
    text: str
    uid: str
    starter: str | None = None  # the starter run, for kind "starter"
    score: float | None = None
    edited: bool | None = None  # whether the learner's copy differed from the original
    blind: bool | None = None  # a prediction: made blind (counts), practice, or None if unknown

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def journal_entry(event: Event) -> JournalEntry:
    """The entry one event of `JOURNAL_KINDS` makes."""
    p = event.payload
    if event.kind == "prediction_made":
        text = f"predicted: test {p['shape']}" + (f", gap {p['gap']}" if p.get("gap") else "")
        if p.get("guess"):
            text += f", {p['guess']['number']:g} at {p['guess']['value']}"
        text += f" ({p['confidence']:.0%} sure)"
        blind = p.get("blind")
        if blind is False:
            text = "practice, not counted (you had seen this result): " + text
        elif blind is None:
            text += " [made before invert recorded blindness: not counted]"
        return JournalEntry(
            at=event.at,
            kind="prediction",
            experiment=event.subject,
            text=text,
            uid=event.uid,
            blind=None if blind is None else bool(blind),
        )
    elif event.kind == "experiment_run":
        measured = p["measured"]
        text = (
            f"measured: test {measured['shape']}, train {measured['train_shape']}, "
            f"gap {measured['gap']}"
        )
        if p.get("outcome"):
            text += " - " + p["outcome"]["verdict"]
        kind = "run"
    elif event.kind == "observation_written":
        text, kind = p["text"], "observation"
    elif event.kind == "starter_run":
        score = p.get("score")
        mine = "your edited copy" if p.get("edited") else "the original"
        shown = "no score" if score is None else f"{p.get('metric', 'score')} {score:.3f}"
        seconds = p.get("wall_seconds")
        took = "" if seconds is None else f" in {seconds:.1f} s"
        text = f"ran {mine}: {shown}{took}"
        return JournalEntry(
            at=event.at,
            kind="starter",
            experiment=None,
            text=text,
            uid=event.uid,
            starter=event.subject,
            score=None if score is None else float(score),
            edited=bool(p.get("edited")),
        )
    else:
        concepts = ", ".join(p["concepts"]) or "no concept found yet"
        text, kind = f"why? {p['text']} -> {concepts}", "question"
    return JournalEntry(at=event.at, kind=kind, experiment=event.subject, text=text, uid=event.uid)
