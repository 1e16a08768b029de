"""`invert score`: every part of a prediction scored, only counted predictions counting, and the
calibration of the stated confidence (reliability table, Brier partition, diagram).

The journals are built by appending the events the lab itself writes (`prediction_made`, then
`experiment_run` with its outcome) through the real Store, so the figures come from a real
SQLite journal replayed the way the CLI reads it.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli, invert_process
from invert.lab import Lab, create_lab
from invert.store import Event

START = datetime(2026, 3, 2, 9, 0)
SCALING = "feature-scaling-knn"  # concepts: feature-scaling, distance
KNN = "knn-k"  # concepts: nearest-neighbours, bias-variance
ABSENT: Any = object()  # a prediction_made payload without "blind": from before this version


@dataclass
class Made:
    """One prediction and its scored run, as the journal will hold them."""

    confidence: float
    right: bool
    experiment: str = SCALING
    gap: str | None = None  # the gap the learner stated, if any
    gap_right: bool = True
    guess: tuple[float, float, float] | None = None  # (number guessed, measured mean, spread)
    blind: Any = True  # True, False (practice) or ABSENT (unknown)
    probe: str | None = None


def write_journal(lab: Lab, made: list[Made]) -> None:
    """Append each prediction and its run, two minutes apart, in order."""
    for i, m in enumerate(made):
        at = START + timedelta(minutes=4 * i)
        measured = "rises" if m.right else "falls"
        measured_gap = "narrows" if m.gap is None or m.gap_right else "widens"
        payload: dict[str, Any] = {"shape": "rises", "confidence": m.confidence, "gap": m.gap}
        if m.guess is not None:
            payload["guess"] = {"value": "standardised", "number": m.guess[0]}
        if m.blind is not ABSENT:
            payload["blind"] = m.blind
        if m.probe is not None:
            payload["probe"] = m.probe
        prediction = Event("prediction_made", m.experiment, payload, at=at.isoformat() + "+00:00")
        outcome: dict[str, Any] = {
            "verdict": "scored",
            "hit": int(m.right),
            "gap_hit": None if m.gap is None else int(m.gap == measured_gap),
            "brier": round((m.confidence - m.right) ** 2, 4),
        }
        if m.guess is not None:
            number, mean, spread = m.guess
            outcome |= {
                "guess_error": abs(number - mean),
                "guess_within_spread": abs(number - mean) <= spread,
                "guess_spread": spread,
            }
        run = Event(
            "experiment_run",
            m.experiment,
            {
                "prediction": prediction.uid,
                "measured": {"shape": measured, "train_shape": "flat", "gap": measured_gap},
                "outcome": outcome,
            },
            at=(at + timedelta(minutes=1)).isoformat() + "+00:00",
        )
        lab.store.append(prediction)
        lab.store.append(run)


def score_of(cli: Cli, root: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.chdir(root)
    code, out, err = cli("score", "--json")
    assert code == 0, err
    return json.loads(out)


def lab_with(tmp_path: Path, name: str, made: list[Made]) -> Path:
    with create_lab(tmp_path / name) as lab:
        write_journal(lab, made)
        return lab.root


@pytest.fixture(autouse=True)
def _no_lab_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INVERT_LAB", raising=False)
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")


# --- every part counts ------------------------------------------------------------------------


def test_the_gap_changes_the_score(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two journals alike but for whether the stated gap was right."""
    base = [Made(0.8, True), Made(0.7, False)]
    right = lab_with(tmp_path, "right", [*base, Made(0.9, True, gap="narrows", gap_right=True)])
    wrong = lab_with(tmp_path, "wrong", [*base, Made(0.9, True, gap="narrows", gap_right=False)])
    a, b = (score_of(cli, root, monkeypatch)["overall"] for root in (right, wrong))
    # The shape figures are the same: 2 of 3 right.
    assert (a["hits"], a["predictions"]) == (b["hits"], b["predictions"]) == (2, 3)
    assert a["brier"] == pytest.approx(b["brier"])
    assert (a["gaps"], a["gap_hits"], b["gaps"], b["gap_hits"]) == (1, 1, 1, 0)
    # Combined, per prediction: 1, 0, then 2/2 right against 1/2 right; averaged over three.
    assert a["combined"] == pytest.approx((1 + 0 + 1) / 3)
    assert b["combined"] == pytest.approx((1 + 0 + 0.5) / 3)


def test_the_number_guess_changes_the_score(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two journals alike but for how close the number guess came (spread 0.02 both times)."""
    near = lab_with(tmp_path, "near", [Made(0.8, True, guess=(0.95, 0.96, 0.02))])
    far = lab_with(tmp_path, "far", [Made(0.8, True, guess=(0.85, 0.96, 0.02))])
    a, b = (score_of(cli, root, monkeypatch) for root in (near, far))
    assert (a["overall"]["guesses"], a["overall"]["guesses_within"]) == (1, 1)
    assert (b["overall"]["guesses"], b["overall"]["guesses_within"]) == (1, 0)
    # Off by 0.01 = 0.5 spreads, and by 0.11 = 5.5 spreads.
    assert a["overall"]["guess_spreads"] == pytest.approx(0.5)
    assert b["overall"]["guess_spreads"] == pytest.approx(5.5)
    # The shape right and the number right (1) or wrong (1/2).
    assert (a["overall"]["combined"], b["overall"]["combined"]) == (1.0, 0.5)
    # The concepts and the time windows carry the parts too.
    assert b["per_concept"]["feature-scaling"]["combined"] == 0.5
    assert b["recent"]["guess_within_rate"] == 0.0
    assert "within the measured spread" in a["how"]["number"]


def test_the_verdict_of_a_run_says_how_the_number_fared(in_lab: Lab, cli: Cli) -> None:
    """A real run: the verdict gives the guess, the measured mean, the spread and the call."""
    flags = ["--predict", "rises", "--confidence", "0.8", "--guess", "standardised=0.5"]
    code, out, err = cli("try", SCALING, *flags, "--json")
    assert code == 0, err
    result = json.loads(out)
    point = next(p for p in result["result"]["points"] if p["value"] == "standardised")
    verdict = result["outcome"]["verdict"]
    assert f"the test mean there was {point['test_mean']:.4g}" in verdict, verdict
    spread = result["outcome"]["guess_spread"]
    error = abs(0.5 - point["test_mean"])
    assert f"off by {error:.3g}, {error / spread:.1f} times the spread" in verdict, verdict
    assert verdict.endswith("so outside it (wrong)."), verdict  # 0.5 is far from ~0.95
    code, out, err = cli("try", SCALING, *flags[:-1], f"standardised={point['test_mean']}")
    assert code == 0, err
    assert "so within it (right)." in out


# --- what counts -----------------------------------------------------------------------------


def test_practice_and_unknown_predictions_are_shown_apart_and_not_counted(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = [
        Made(0.8, True),  # counted
        Made(0.6, False, experiment=KNN),  # counted
        Made(0.9, True, probe="scaling-on-new-data"),  # counted, on a probe
        Made(0.9, False, probe="k-on-new-data"),  # counted, on a probe
        Made(0.7, True, probe="other-probe"),  # counted, on a probe
        Made(0.9, True, blind=False, gap="narrows"),  # practice
        Made(0.9, True, blind=False),  # practice
        Made(0.95, False, blind=False),  # practice
        Made(0.5, True, blind=ABSENT),  # unknown
        Made(0.5, True, blind=ABSENT, probe="old"),  # unknown, a probe: not a probe line
    ]
    root = lab_with(tmp_path, "mixed", made)
    report = score_of(cli, root, monkeypatch)
    overall = report["overall"]
    assert (overall["predictions"], overall["hits"]) == (5, 3)
    # Brier over the counted five: 0.04 + 0.36 + 0.01 + 0.81 + 0.09 = 1.31, / 5.
    assert overall["brier"] == pytest.approx(1.31 / 5)
    assert overall["gaps"] == 0  # the one gap was stated in practice
    assert report["per_concept"]["nearest-neighbours"]["predictions"] == 1
    assert report["calibration"]["predictions"] == 5
    practice, unknown = report["not_counted"]["practice"], report["not_counted"]["unknown"]
    assert (practice["predictions"], practice["hits"]) == (3, 2)
    assert (unknown["predictions"], unknown["hits"]) == (2, 2)
    assert (report["probes"]["predictions"], report["probes"]["hits"]) == (3, 2)

    code, out, err = cli("score")
    assert code == 0, err
    assert "over 5 counted predictions" in out
    assert "shape:    3 of 5 right (60%)" in out
    assert "Not counted: 3 practice predictions" in out and "2 of 3 shapes right (67%)" in out
    assert "Not counted: 2 predictions of unknown blindness" in out
    assert "problems not seen before (blind probe predictions): 2 of 3 right" in out

    # Progress and its checklist read the same counted predictions.
    code, out, err = cli("progress", "--json")
    assert code == 0, err
    assert json.loads(out)["power"]["overall"]["predictions"] == 5


def test_with_nothing_counted_the_rest_is_still_shown(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = lab_with(tmp_path, "old", [Made(0.8, True, blind=ABSENT), Made(0.7, False, blind=0)])
    report = score_of(cli, root, monkeypatch)
    assert report["overall"]["predictions"] == 0 and report["overall"]["combined"] is None
    code, out, err = cli("score")
    assert code == 0, err
    assert out.startswith("No counted predictions yet")
    assert "Not counted: 1 practice prediction (a result it overlaps had been shown)" in out
    assert "Not counted: 1 prediction of unknown blindness" in out


# --- calibration, by hand ----------------------------------------------------------------------

# Ten counted predictions: (stated confidence, shape right?). Two practice ones that would
# change every figure if they counted.
HAND = [
    (0.50, True), (0.50, False),  # [50,60): n=2, mean 0.5, right 1/2
    (0.60, True), (0.65, False),  # [60,70): n=2, mean 0.625, right 1/2
    (0.80, True), (0.80, True), (0.85, False), (0.80, True),  # [80,90): n=4, mean 0.8125, 3/4
    (0.90, True), (1.00, False),  # [90,100]: n=2, mean 0.95, right 1/2
]  # fmt: skip
# [70,80) is empty. N = 10, right 6, base rate o = 0.6.
#
# Brier = (1/10) [0.5^2 + 0.5^2 + 0.4^2 + 0.65^2 + 3 x 0.2^2 + 0.85^2 + 0.1^2 + 1^2]
#       = (1/10) [0.25 + 0.25 + 0.16 + 0.4225 + 0.12 + 0.7225 + 0.01 + 1] = 2.935 / 10 = 0.2935
# REL   = (1/10) [2 (0.5 - 0.5)^2 + 2 (0.625 - 0.5)^2 + 4 (0.8125 - 0.75)^2 + 2 (0.95 - 0.5)^2]
#       = (1/10) [0 + 0.03125 + 0.015625 + 0.405] = 0.0451875
# RES   = (1/10) [2 (0.5 - 0.6)^2 + 2 (0.5 - 0.6)^2 + 4 (0.75 - 0.6)^2 + 2 (0.5 - 0.6)^2]
#       = (1/10) [0.02 + 0.02 + 0.09 + 0.02] = 0.015
# UNC   = 0.6 x 0.4 = 0.24
# WBV   = (1/10) [0 + (0.025^2 + 0.025^2) + (3 x 0.0125^2 + 0.0375^2) + (0.05^2 + 0.05^2)]
#       = (1/10) [0.00125 + 0.001875 + 0.005] = 0.0008125
# WBC   = (2/10) [0 + (-0.025 x 0.5 + 0.025 x -0.5) + (3 x -0.0125 x 0.25 + 0.0375 x -0.75)
#                 + (-0.05 x 0.5 + 0.05 x -0.5)]
#       = (2/10) [-0.025 - 0.0375 - 0.05] = -0.0225
# Check: 0.0451875 - 0.015 + 0.24 + 0.0008125 + 0.0225 = 0.2935.
HAND_PARTS = {
    "brier": 0.2935,
    "reliability": 0.0451875,
    "resolution": 0.015,
    "uncertainty": 0.24,
    "within_variance": 0.0008125,
    "within_covariance": -0.0225,
}
HAND_BINS = [  # label, predictions, hits, mean confidence, hit rate
    ("[50%, 60%)", 2, 1, 0.5, 0.5),
    ("[60%, 70%)", 2, 1, 0.625, 0.5),
    ("[70%, 80%)", 0, 0, None, None),
    ("[80%, 90%)", 4, 3, 0.8125, 0.75),
    ("[90%, 100%]", 2, 1, 0.95, 0.5),
]


def test_the_reliability_table_and_the_brier_partition_match_a_hand_computation(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = [Made(c, r) for c, r in HAND] + [Made(0.55, False, blind=False), Made(0.99, True)]
    made[-1].blind = ABSENT
    root = lab_with(tmp_path, "hand", made)
    calibration = score_of(cli, root, monkeypatch)["calibration"]
    assert (calibration["predictions"], calibration["hits"]) == (10, 6)
    bins = [
        (b["label"], b["predictions"], b["hits"], b["mean_confidence"], b["hit_rate"])
        for b in calibration["bins"]
    ]
    assert bins == [
        (label, n, hits, pytest.approx(mean) if mean else None, rate)
        for label, n, hits, mean, rate in HAND_BINS
    ]
    parts = calibration["decomposition"]
    assert parts == {key: pytest.approx(value, abs=1e-6) for key, value in HAND_PARTS.items()}
    # Ten is fewer than the twenty a judgement needs: the sentence says so, with the count.
    assert calibration["judgement"] == "too few predictions"
    assert "10 of the 20 needed" in calibration["sentence"]

    code, out, err = cli("score")
    assert code == 0, err
    assert "Brier 0.2935 = REL 0.0452 - RES 0.0150 + UNC 0.2400 + WBV 0.0008 - WBC -0.0225" in out
    row = next(line for line in out.splitlines() if line.strip().startswith("[80%, 90%)"))
    assert [cell for cell in row.split() if cell != "│"][2:] == ["4", "81%", "3", "(75%)"]


@pytest.mark.parametrize(
    ("forecasts", "judgement"),
    [
        # 20 at 90%, 10 right: promised 18, sd sqrt(20 x 0.09) = 1.34; z = -8 / 1.34 = -6.0.
        ([(0.9, i < 10) for i in range(20)], "overconfident"),
        # 20 at 60%, all right: promised 12, sd sqrt(20 x 0.24) = 2.19; z = 8 / 2.19 = 3.7.
        ([(0.6, True) for _ in range(20)], "underconfident"),
        # 20 at 70%, 14 right: exactly as promised; z = 0.
        ([(0.7, i < 14) for i in range(20)], "honest"),
        # 19 at 90%, 0 right: far off, but fewer than twenty.
        ([(0.9, False) for _ in range(19)], "too few predictions"),
        # 20 at 100%, one wrong: certainty with a miss is overconfident, however many.
        ([(1.0, i > 0) for i in range(20)], "overconfident"),
    ],
)
def test_the_judgement_of_the_confidence(
    forecasts: list[tuple[float, bool]], judgement: str
) -> None:
    from invert.progress.calibration import calibrate

    result = calibrate(forecasts)
    assert result.judgement == judgement, result.sentence
    assert result.sentence.lower().startswith(judgement.split()[0])


def test_the_judgement_is_printed_from_the_journal(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = lab_with(tmp_path, "sure", [Made(0.9, i % 2 == 0) for i in range(24)])
    report = score_of(cli, root, monkeypatch)
    assert report["calibration"]["judgement"] == "overconfident"
    code, out, err = cli("score")
    assert code == 0, err
    assert "Overconfident: you said 90% on average and were right 12 of 24 times" in out


def test_the_partition_is_exact_on_random_journals() -> None:
    from invert.progress.calibration import BIN_EDGES, bin_of, calibrate

    for seed in range(300):
        rng = random.Random(seed)
        n = rng.randint(1, 60)
        skill = rng.random()
        forecasts = []
        for _ in range(n):
            confidence = rng.choice([rng.randint(50, 100) / 100, rng.uniform(0.5, 1.0)])
            forecasts.append((confidence, rng.random() < skill))
        result = calibrate(forecasts)
        d = result.decomposition
        assert d is not None
        brier = sum((f - r) ** 2 for f, r in forecasts) / n
        recomposed = (
            d.reliability - d.resolution + d.uncertainty + d.within_variance - d.within_covariance
        )
        assert d.brier == pytest.approx(brier, abs=1e-12)
        assert recomposed == pytest.approx(brier, abs=1e-12), seed
        assert sum(b.predictions for b in result.bins) == n
        for f, _ in forecasts:  # each confidence in the bin its percent says
            k = bin_of(f)
            assert BIN_EDGES[k] <= round(100 * f, 9) and (
                round(100 * f, 9) < BIN_EDGES[k + 1] or k == len(BIN_EDGES) - 2
            )


def test_the_partition_holds_on_a_random_journal_through_the_cli(tmp_path: Path) -> None:
    """A random journal in a real lab, scored by `invert score --json` in its own process."""
    rng = random.Random(22)
    made = [Made(rng.randint(50, 100) / 100, rng.random() < 0.7) for _ in range(37)]
    root = lab_with(tmp_path, "random", made)
    done = invert_process("score", "--json", cwd=root)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    d = report["calibration"]["decomposition"]
    recomposed = (
        d["reliability"]
        - d["resolution"]
        + d["uncertainty"]
        + d["within_variance"]
        - d["within_covariance"]
    )
    brier = sum((m.confidence - m.right) ** 2 for m in made) / len(made)
    assert d["brier"] == pytest.approx(brier, abs=1e-6)
    assert recomposed == pytest.approx(brier, abs=5e-6)  # five terms, each rounded to 1e-6
    assert report["overall"]["brier"] == pytest.approx(brier, abs=1e-9)


# --- the diagram -------------------------------------------------------------------------------


def assert_reliability_diagram(html: str, counts: list[int]) -> None:
    """An inline SVG reliability diagram: a text alternative, the diagonal, one point per
    non-empty bin labelled with its count, axis labels, and no external address."""
    found = re.search(r'<svg[^>]*class="reliability".*?</svg>', html, re.S)
    assert found, "no reliability diagram"
    svg = found.group(0)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert 'class="diagonal"' in svg
    assert "confidence you stated" in svg and "share of shapes right" in svg
    assert [int(n) for n in re.findall(r'class="bin" data-count="(\d+)"', svg)] == counts
    assert all(f"n={n}" in svg for n in counts)
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", svg)
    assert "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in svg


def test_the_dashboard_shows_the_reliability_diagram(tmp_path: Path) -> None:
    from test_web import client_for

    made = [Made(c, r) for c, r in HAND] + [Made(0.9, True, blind=False)]
    root = lab_with(tmp_path, "web", made)
    with client_for(root) as client:
        page = client.get("/")
    assert page.status_code == 200
    html = page.text
    assert_reliability_diagram(html, [2, 2, 4, 2])
    assert "Not counted: 1 practice prediction, 1 right (100%)." in html
    assert 'id="brier-partition"' in html and "0.2935" in html
    assert '<tr data-bin="80"><td>[80%, 90%)</td><td>4</td><td>81%</td><td>3 (75%)</td>' in html


def test_the_portfolio_shows_the_reliability_diagram(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = [Made(c, r) for c, r in HAND] + [Made(0.6, True, blind=ABSENT)]
    root = lab_with(tmp_path, "site", made)
    monkeypatch.chdir(root)
    code, _out, err = cli("portfolio", "--out", str(tmp_path / "site-out"))
    assert code == 0, err
    html = (tmp_path / "site-out" / "predictions.html").read_text(encoding="utf-8")
    assert_reliability_diagram(html, [2, 2, 4, 2])
    assert "Not counted: 1 prediction made before invert recorded blindness, 1 right" in html
    assert "60% right of 10 shape predictions" in html
