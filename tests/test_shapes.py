"""Classifying measured curves: the vocabulary, with noise taken into account."""

from __future__ import annotations

import pytest

from invert.engine.shapes import GAPS, SHAPES, classify_curve_shape, classify_gap, near_miss

CASES = [
    ([0.70, 0.80, 0.88, 0.93, 0.95], [0.01] * 5, "rises"),
    ([0.95, 0.90, 0.84, 0.80], [0.01] * 4, "falls"),
    ([0.90, 0.91, 0.90, 0.905], [0.02] * 4, "flat"),
    ([0.70, 0.85, 0.90, 0.91, 0.91, 0.905], [0.01] * 6, "rises then levels off"),
    ([0.70, 0.80, 0.86, 0.80, 0.74], [0.01] * 5, "rises then falls"),
    ([0.60, 0.45, 0.40, 0.48, 0.62], [0.02] * 5, "falls then rises"),
    ([0.78, 0.86, 0.82], [0.01] * 3, "rises then falls"),
]


@pytest.mark.parametrize(("means", "spreads", "shape"), CASES)
def test_clear_curves_get_their_names(means: list[float], spreads: list[float], shape: str) -> None:
    assert classify_curve_shape(means, spreads) == shape


def test_every_shape_in_the_vocabulary_is_reachable() -> None:
    assert {shape for _, _, shape in CASES} == set(SHAPES)


def test_a_change_within_the_spread_is_flat() -> None:
    means = [0.90, 0.93, 0.89, 0.92]
    assert classify_curve_shape(means, [0.005] * 4) != "flat"
    assert classify_curve_shape(means, [0.05] * 4) == "flat"


def test_a_bump_within_the_noise_does_not_make_a_peak() -> None:
    assert (
        classify_curve_shape([0.80, 0.85, 0.90, 0.92, 0.91], [0.02] * 5) == "rises then levels off"
    )
    assert classify_curve_shape([0.80, 0.85, 0.90, 0.92, 0.91], [0.002] * 5) == "rises then falls"


def test_zero_spread_still_needs_a_visible_change() -> None:
    assert classify_curve_shape([0.9, 0.9001, 0.9002], [0.0] * 3) == "flat"


def test_bad_curves_are_refused() -> None:
    with pytest.raises(ValueError):
        classify_curve_shape([0.9], [0.0])
    with pytest.raises(ValueError):
        classify_curve_shape([0.9, float("nan")], [0.0, 0.0])


def test_gaps() -> None:
    assert set(GAPS) == {"widens", "narrows", "stays"}
    assert classify_gap([0.8, 0.9, 1.0], [0.79, 0.8, 0.78], [0.01] * 3, [0.01] * 3) == "widens"
    assert classify_gap([1.0, 0.95, 0.9], [0.7, 0.8, 0.88], [0.01] * 3, [0.01] * 3) == "narrows"
    assert classify_gap([0.9, 0.9, 0.9], [0.8, 0.8, 0.81], [0.01] * 3, [0.01] * 3) == "stays"
    # A loss: lower is better, so train 0.1 against test 0.5 is a wider gap than 0.3 against 0.4.
    assert (
        classify_gap([0.3, 0.1], [0.4, 0.5], [0.01] * 2, [0.01] * 2, greater_is_better=False)
        == "widens"
    )


def test_near_miss_is_the_right_direction_only() -> None:
    assert near_miss("rises", "rises then levels off")
    assert not near_miss("rises", "rises")
    assert not near_miss("falls", "rises")
