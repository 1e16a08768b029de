"""Which known misconception a learner's failing fix shows, by what it does and what it changed.

A drill's corpus keeps wrong fixes, each naming a misconception. A learner's script is matched
first by behaviour: a wrong fix is a candidate only when every check that catches it also fails
for the learner, and when what the checks measured it to be (its `signs`: the reported number
is plain accuracy, say) is exactly what they measure the learner's script to be. A candidate
with signs is recognised by them alone. Among the others, the one whose change from broken.py
is closest to the learner's change wins (the changed tokens, compared as multisets), and an
exact behavioural match counts for more than a partial one. A change too far from every
candidate gets no message: the failing checks' own sentences still say what is wrong. Never by
file name.
"""

from __future__ import annotations

import difflib
import io
import re
import tokenize
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from invert.kinds.drills.model import Drill, Misconception, WrongFix

# Below this closeness a change is not said to show a misconception (chosen on the corpora:
# `python -m invert.kinds.drills.verify` reports the closeness of every leave-one-out match).
CLOSE_ENOUGH = 0.2
_SKIP = {
    tokenize.COMMENT,
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENCODING,
    tokenize.ENDMARKER,
}


@dataclass(frozen=True)
class Match:
    misconception: Misconception
    closeness: float
    exact: bool  # the learner fails exactly the checks that catch the known wrong fix


def tokens(source: str) -> list[str]:
    """The code's tokens, comments and layout left out (a rough split if it does not tokenize)."""
    try:
        return [
            t.string
            for t in tokenize.generate_tokens(io.StringIO(source).readline)
            if t.type not in _SKIP
        ]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return re.findall(r"\w+|[^\w\s]", source)


def change(original: str, edited: str) -> Counter[str]:
    """What an edit did, as a multiset: "+t" for each token it added, "-t" for each it removed,
    and the same for each pair of neighbouring changed tokens (so that `fit(X` differs from
    `fit(X_train`)."""
    before, after = tokens(original), tokens(edited)
    changed: Counter[str] = Counter()
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        for sign, run in (("-", before[i1:i2]), ("+", after[j1:j2])):
            changed.update(sign + t for t in run)
            changed.update(f"{sign}{a} {b}" for a, b in pairwise(run))
    return changed


def closeness(a: Counter[str], b: Counter[str]) -> float:
    """How alike two changes are: shared tokens over all tokens (weighted Jaccard), 0 to 1."""
    union = sum((a | b).values())
    return sum((a & b).values()) / union if union else 0.0


def match(
    drill: Drill,
    failing: Iterable[str],
    source: str,
    original: str,
    references: dict[str, str],
    leave_out: str | None = None,
    signs: Iterable[str] = (),
) -> Match | None:
    """The misconception `source` (a failing fix of `original`, the broken script) most likely
    shows; `references` maps each wrong fix's file name to its source; `signs` are what the
    learner's checks measured; `leave_out` names one wrong fix to ignore (to prove that the
    matching works on a fix it has not seen)."""
    failed, measured = set(failing), set(signs)
    mine = change(original, source)
    best: tuple[tuple[bool, bool, float], Match] | None = None
    for wrong in _candidates(drill, failed, leave_out):
        named = drill.misconception(wrong.misconception or "")
        if named is None or wrong.file not in references or set(wrong.signs) != measured:
            continue
        close = closeness(mine, change(original, references[wrong.file]))
        found = Match(named, close, set(wrong.caught_by) == failed)
        rank = (bool(wrong.signs), found.exact, found.closeness)
        if best is None or rank > best[0]:
            best = (rank, found)
    if best is None or not (best[0][0] or best[1].closeness >= CLOSE_ENOUGH):
        return None
    return best[1]


def _candidates(drill: Drill, failed: set[str], leave_out: str | None) -> list[WrongFix]:
    return [
        wrong
        for wrong in drill.wrong
        if wrong.file != leave_out and wrong.caught_by and set(wrong.caught_by) <= failed
    ]
