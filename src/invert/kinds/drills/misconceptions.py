"""Which known misconception a learner's failing fix shows, by what it does and what it changed.

A drill's corpus keeps wrong fixes, each naming a misconception. A learner's script is matched
first by behaviour: a wrong fix is a candidate only when the checks that catch it are exactly
the ones that fail for the learner, and when what the checks measured it to be (its `signs`:
the reported number is plain accuracy, say) is exactly what they measure the learner's script
to be. A candidate with signs is recognised by them alone. Among the others, the one whose
change from broken.py is closest to the learner's change wins (the changed tokens, compared as
multisets). A change too far from every candidate, or about as close to two misconceptions,
gets no message: the failing checks' own sentences still say what is wrong. Never by file
name.
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
CLOSE_ENOUGH = 0.3
MARGIN = 0.15  # and this much closer than to any other misconception,
SAME = 0.95  # unless it is (all but) the very change of a known wrong fix
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
    by_signs: Match | None = None
    closest: dict[str, Match] = {}  # the closest wrong fix of each misconception
    for wrong in _candidates(drill, failed, leave_out):
        named = drill.misconception(wrong.misconception or "")
        if named is None or wrong.file not in references or set(wrong.signs) != measured:
            continue
        found = Match(named, closeness(mine, change(original, references[wrong.file])))
        if wrong.signs:
            by_signs = (
                found if by_signs is None or found.closeness > by_signs.closeness else by_signs
            )
        elif named.id not in closest or found.closeness > closest[named.id].closeness:
            closest[named.id] = found
    if by_signs is not None:
        return by_signs
    ranked = sorted(closest.values(), key=lambda m: m.closeness, reverse=True)
    if not ranked or ranked[0].closeness < CLOSE_ENOUGH:
        return None
    if (
        len(ranked) > 1
        and ranked[0].closeness < SAME
        and ranked[0].closeness - ranked[1].closeness < MARGIN
    ):
        return None  # as close to another misconception: naming one would be a guess
    return ranked[0]


def _candidates(drill: Drill, failed: set[str], leave_out: str | None) -> list[WrongFix]:
    """The wrong fixes caught by exactly the checks that fail: a fix that fails more or fewer
    behaves otherwise, and naming its misconception from the code alone would be a guess."""
    return [
        wrong
        for wrong in drill.wrong
        if wrong.file != leave_out and wrong.caught_by and set(wrong.caught_by) == failed
    ]
