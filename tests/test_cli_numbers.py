"""Every number a learner types as an option is finite: nan, inf and 1e999 are one line, exit 2."""

from __future__ import annotations

import pytest

from conftest import Cli, lab_fingerprint
from invert.lab import Lab


@pytest.mark.parametrize("number", ["nan", "inf", "-inf", "1e999", "nan(1)"])
@pytest.mark.parametrize(
    "command",
    [
        ["check", "--timeout"],
        ["try", "feature-scaling-knn", "--predict", "rises", "--budget"],
        ["try", "feature-scaling-knn", "--predict", "rises", "--guess"],
    ],
)
def test_a_non_finite_number_is_refused_in_one_line(
    in_lab: Lab, cli: Cli, command: list[str], number: str
) -> None:
    before = lab_fingerprint(in_lab.root)
    value = f"standardised={number}" if command[-1] == "--guess" else number
    code, out, err = cli(*command, value)
    assert code == 2, out
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "finite" in err or "not a number" in err, err
    assert lab_fingerprint(in_lab.root) == before
