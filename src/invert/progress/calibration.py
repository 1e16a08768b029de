"""Calibration: whether the confidence a learner states with each prediction is honest.

Every prediction comes with a confidence from 50% to 100%: the probability the learner gives
that their curve shape is right. Over many predictions an honest 70% is right about 70% of the
time. This module holds the reliability table (stated confidence in bins against the hit rate in
each), the Brier score's partition, a judgement (overconfident, underconfident or honest) and
the reliability diagram as an inline SVG.

The partition is Murphy's (Murphy, A. H. (1973), "A new vector partition of the probability
score", Journal of Applied Meteorology 12(4), 595-600): Brier = REL - RES + UNC. With binned
forecasts that is exact only when every forecast in a bin is the same, so we add the two
within-bin terms of Stephenson, Coelho and Jolliffe (2008), "Two extra components in the Brier
score decomposition", Weather and Forecasting 23(4), 752-757: with N forecasts f_i of outcomes
o_i (1 right, 0 wrong), bins k holding n_k forecasts of mean f_k and hit rate o_k, and o the
overall hit rate,

    Brier = (1/N) sum_i (f_i - o_i)^2
    REL   = (1/N) sum_k n_k (f_k - o_k)^2         reliability: 0 is honest
    RES   = (1/N) sum_k n_k (o_k - o)^2           resolution: higher is better
    UNC   = o (1 - o)                             uncertainty: set by the hit rate alone
    WBV   = (1/N) sum_k sum_{i in k} (f_i - f_k)^2                within-bin variance
    WBC   = (2/N) sum_k sum_{i in k} (f_i - f_k) (o_i - o_k)      within-bin covariance

and Brier = REL - RES + UNC + WBV - WBC holds exactly.

Pure Python: no NumPy at import or at all.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

# Bins of stated confidence, in percent: [50,60), [60,70), [70,80), [80,90) and [90,100].
BIN_EDGES: tuple[int, ...] = (50, 60, 70, 80, 90, 100)
MIN_JUDGED = 20  # counted predictions needed before calling the confidence over- or under-
Z_JUDGED = 2.0  # how many standard deviations the hits must stray from the promise


def bin_of(confidence: float) -> int:
    """The bin (0 to 4) a confidence from 0.5 to 1 falls in; 100% goes in the last.

    >>> [bin_of(c) for c in (0.5, 0.59, 0.6, 0.7, 0.85, 0.9, 1.0)]
    [0, 0, 1, 2, 3, 4, 4]
    """
    percent = round(confidence * 100, 9)  # 0.7 * 100 is 70.00000000000001
    for k in range(len(BIN_EDGES) - 2, -1, -1):
        if percent >= BIN_EDGES[k]:
            return k
    return 0


@dataclass(frozen=True)
class Bin:
    """One row of the reliability table: the forecasts whose confidence fell in [low, high)."""

    low: int  # percent
    high: int  # percent; the last bin includes 100
    predictions: int
    hits: int
    mean_confidence: float | None  # the mean stated confidence in the bin
    hit_rate: float | None

    @property
    def label(self) -> str:
        closing = "]" if self.high == BIN_EDGES[-1] else ")"
        return f"[{self.low}%, {self.high}%{closing}"

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "label": self.label}


@dataclass(frozen=True)
class Decomposition:
    """The Brier score and its five parts: brier = rel - res + unc + wbv - wbc."""

    brier: float
    reliability: float
    resolution: float
    uncertainty: float
    within_variance: float
    within_covariance: float

    @property
    def recomposed(self) -> float:
        return (
            self.reliability
            - self.resolution
            + self.uncertainty
            + self.within_variance
            - self.within_covariance
        )

    def to_json(self) -> dict[str, Any]:
        return {key: round(value, 6) for key, value in self.__dict__.items()}


@dataclass(frozen=True)
class Calibration:
    """How honest the stated confidences were, over some scored predictions."""

    predictions: int
    hits: int
    mean_confidence: float | None
    hit_rate: float | None
    bins: list[Bin] = field(default_factory=list)
    decomposition: Decomposition | None = None
    z: float | None = None  # (hits - sum of confidences) / its standard deviation if honest
    judgement: str = "too few predictions"  # "overconfident", "underconfident", "honest"
    sentence: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "predictions": self.predictions,
            "hits": self.hits,
            "mean_confidence": self.mean_confidence,
            "hit_rate": self.hit_rate,
            "bins": [b.to_json() for b in self.bins],
            "decomposition": None if self.decomposition is None else self.decomposition.to_json(),
            "z": None if self.z is None else round(self.z, 4),
            "judgement": self.judgement,
            "sentence": self.sentence,
            "min_judged": MIN_JUDGED,
        }


def decompose(forecasts: Sequence[tuple[float, bool]]) -> Decomposition | None:
    """The Brier score of (confidence, right) pairs and its partition over BIN_EDGES' bins."""
    n = len(forecasts)
    if n == 0:
        return None
    groups: dict[int, list[tuple[float, float]]] = {}
    for confidence, right in forecasts:
        groups.setdefault(bin_of(confidence), []).append((confidence, 1.0 if right else 0.0))
    base = sum(1 for _, right in forecasts if right) / n
    brier = sum((f - (1.0 if o else 0.0)) ** 2 for f, o in forecasts) / n
    rel = res = wbv = wbc = 0.0
    for group in groups.values():
        size = len(group)
        f_k = sum(f for f, _ in group) / size
        o_k = sum(o for _, o in group) / size
        rel += size * (f_k - o_k) ** 2
        res += size * (o_k - base) ** 2
        wbv += sum((f - f_k) ** 2 for f, _ in group)
        wbc += 2 * sum((f - f_k) * (o - o_k) for f, o in group)
    return Decomposition(
        brier=brier,
        reliability=rel / n,
        resolution=res / n,
        uncertainty=base * (1 - base),
        within_variance=wbv / n,
        within_covariance=wbc / n,
    )


def reliability_table(forecasts: Sequence[tuple[float, bool]]) -> list[Bin]:
    """Every bin, empty ones too, with its count, hits, mean confidence and hit rate."""
    rows = []
    for k in range(len(BIN_EDGES) - 1):
        inside = [(f, r) for f, r in forecasts if bin_of(f) == k]
        hits = sum(1 for _, r in inside if r)
        rows.append(
            Bin(
                low=BIN_EDGES[k],
                high=BIN_EDGES[k + 1],
                predictions=len(inside),
                hits=hits,
                mean_confidence=sum(f for f, _ in inside) / len(inside) if inside else None,
                hit_rate=hits / len(inside) if inside else None,
            )
        )
    return rows


def calibrate(forecasts: Sequence[tuple[float, bool]]) -> Calibration:
    """The reliability table, the Brier partition and the judgement of (confidence, right)
    pairs, one per counted prediction.

    The judgement compares the hits with what the stated confidences promised: if every
    confidence were honest, the number of hits would have mean sum(f_i) and variance
    sum(f_i (1 - f_i)). Over MIN_JUDGED or more predictions, hits more than Z_JUDGED standard
    deviations below the promise are overconfident, above it underconfident; otherwise honest.
    """
    n = len(forecasts)
    hits = sum(1 for _, right in forecasts if right)
    if n == 0:
        return Calibration(
            0,
            0,
            None,
            None,
            reliability_table(forecasts),
            None,
            None,
            sentence="No counted prediction yet, so no confidence to check.",
        )
    promised = sum(f for f, _ in forecasts)
    variance = sum(f * (1 - f) for f, _ in forecasts)
    gap = hits - promised
    z = (
        gap / math.sqrt(variance)
        if variance > 1e-12
        else (0.0 if abs(gap) < 1e-9 else math.copysign(math.inf, gap))
    )
    mean_conf, rate = promised / n, hits / n
    said = (
        f"you said {mean_conf:.0%} on average and were right {hits} of {n} times ({rate:.0%}; "
        f"honest confidence would have given {promised:.1f} right, give or take "
        f"{math.sqrt(variance):.1f})"
    )
    if n < MIN_JUDGED:
        judgement = "too few predictions"
        sentence = (
            f"Too few counted predictions to judge your confidence: {n} of the {MIN_JUDGED} "
            f"needed; so far {said}."
        )
    elif z <= -Z_JUDGED:
        judgement = "overconfident"
        sentence = (
            f"Overconfident: {said}. Fewer right than your confidence promised: say lower "
            "numbers, or predict more carefully."
        )
    elif z >= Z_JUDGED:
        judgement = "underconfident"
        sentence = (
            f"Underconfident: {said}. More right than your confidence promised: you can say "
            "higher numbers."
        )
    else:
        judgement = "honest"
        sentence = (
            f"Honest: {said}; the difference is within {Z_JUDGED:g} standard deviations of "
            "what chance gives."
        )
    return Calibration(
        predictions=n,
        hits=hits,
        mean_confidence=mean_conf,
        hit_rate=rate,
        bins=reliability_table(forecasts),
        decomposition=decompose(forecasts),
        z=z if math.isfinite(z) else None,
        judgement=judgement,
        sentence=sentence,
    )


MEANING = (
    "REL (reliability) is how far your stated confidence sits from your hit rate, bin by bin: "
    "0 is honest. RES (resolution) is how much your hit rate differs between confidence levels: "
    "higher means your confidence tells your right predictions from your wrong ones. UNC "
    "(uncertainty) is hit rate x (1 - hit rate), set by how often you are right, not by your "
    "confidence. WBV and WBC correct for confidences that differ inside one bin."
)


def reliability_svg(calibration: Calibration, width: int = 360, height: int = 360) -> str:
    """The reliability diagram as inline SVG: the diagonal of honest confidence, one point per
    non-empty bin at (mean stated confidence, hit rate) with its area growing with its count and
    labelled with it, axis labels and a text alternative (title, desc and a role of img)."""
    left, right, top, bottom = 56, 16, 16, 48
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(p: float) -> float:  # stated confidence: the axis runs from 50% to 100%
        return left + (p - 0.5) / 0.5 * plot_w

    def y(p: float) -> float:  # hit rate: 0% to 100%
        return top + (1 - p) * plot_h

    filled = [b for b in calibration.bins if b.predictions]
    points = "; ".join(
        f"stated {b.label}: {b.predictions} prediction{'s' if b.predictions != 1 else ''}, "
        f"mean confidence {b.mean_confidence:.0%}, right {b.hit_rate:.0%}"
        for b in filled
        if b.mean_confidence is not None and b.hit_rate is not None
    )
    desc = (
        "Reliability diagram: stated confidence (x, 50% to 100%) against the share right "
        "(y, 0% to 100%); points on the diagonal are honest, below it overconfident, above it "
        f"underconfident. {points or 'No counted prediction yet.'} {calibration.sentence}"
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="reliability" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'aria-labelledby="reliability-title reliability-desc">',
        '<title id="reliability-title">How honest is your confidence?</title>',
        f'<desc id="reliability-desc">{escape(desc)}</desc>',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" '
        'stroke="currentColor" stroke-opacity="0.4"/>',
    ]
    for p in (0.5, 0.6, 0.7, 0.8, 0.9, 1.0):
        out.append(
            f'<text x="{x(p):.1f}" y="{top + plot_h + 16}" font-size="11" '
            f'text-anchor="middle" fill="currentColor">{p:.0%}</text>'
        )
    for p in (0.0, 0.25, 0.5, 0.75, 1.0):
        out.append(
            f'<line x1="{left - 4}" x2="{left}" y1="{y(p):.1f}" y2="{y(p):.1f}" '
            'stroke="currentColor"/>'
            f'<text x="{left - 6}" y="{y(p) + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="currentColor">{p:.0%}</text>'
        )
    out.append(
        f'<line class="diagonal" x1="{x(0.5):.1f}" y1="{y(0.5):.1f}" x2="{x(1.0):.1f}" '
        f'y2="{y(1.0):.1f}" stroke="currentColor" stroke-dasharray="4 3" stroke-opacity="0.6"/>'
    )
    out.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 8}" font-size="12" '
        'text-anchor="middle" fill="currentColor">confidence you stated</text>'
    )
    out.append(
        f'<text x="14" y="{top + plot_h / 2:.1f}" font-size="12" text-anchor="middle" '
        f'fill="currentColor" transform="rotate(-90 14 {top + plot_h / 2:.1f})">'
        "share of shapes right</text>"
    )
    most = max((b.predictions for b in filled), default=1)
    for b in filled:
        if b.mean_confidence is None or b.hit_rate is None:
            continue
        radius = 4 + 10 * math.sqrt(b.predictions / most)
        cx, cy = x(b.mean_confidence), y(b.hit_rate)
        out.append(
            f'<circle class="bin" data-count="{b.predictions}" cx="{cx:.1f}" cy="{cy:.1f}" '
            f'r="{radius:.1f}" fill="#2f6db5" fill-opacity="0.55" stroke="#2f6db5">'
            f"<title>{escape(b.label)}: {b.hits} of {b.predictions} right</title></circle>"
        )
        on_left = cx > left + 0.8 * plot_w  # near the right edge: label on the left
        out.append(
            f'<text x="{cx - radius - 3 if on_left else cx + radius + 3:.1f}" y="{cy + 4:.1f}" '
            f'font-size="11" text-anchor="{"end" if on_left else "start"}" '
            f'fill="currentColor">n={b.predictions}</text>'
        )
    out.append("</svg>")
    return "".join(out)
