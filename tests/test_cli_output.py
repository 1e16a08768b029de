"""How the CLI's output reads: one-line usage errors, strict JSON, whole ids at any width, a pager."""

from __future__ import annotations

import pytest

from conftest import Cli

MALFORMED = [
    ["--frobnicate"],
    ["--frobnicate", "list"],
    ["--version=2"],
    ["frobnicate"],
    ["lsit"],
    ["list", "--frobnicate"],
    ["list", "extra"],
    ["show"],
    ["try"],
    ["try", "feature-scaling-knn", "--confidence"],
    ["trace", "kmeans", "--max-steps", "many"],
    ["learn", "--rating", "3"],
    ["check", "some-drill", "--timeout", "soon"],
    ["dev", "--bad"],
    ["dev", "frob"],
    ["dev", "check", "--only"],
    ["dev", "check", "--bad"],
    ["project", "--bad"],
    ["project", "frob"],
    ["project", "new"],
    ["project", "new", "data.csv", "--task"],
    ["project", "run", "--step", "x"],
    ["project", "list", "extra"],
    ["project", "reset", "p", "--bad"],
]


@pytest.mark.parametrize("args", MALFORMED, ids=" ".join)
def test_every_usage_error_is_one_line_and_exit_2(cli: Cli, args: list[str]) -> None:
    code, out, err = cli(*args)
    assert code == 2, (out, err)
    assert out == ""
    assert len(err.splitlines()) == 1 and err.startswith("error: "), err
    assert "--help`)" in err  # says where the help is


@pytest.mark.parametrize("group", [[], ["project"], ["dev"]], ids=lambda g: " ".join(g) or "root")
def test_a_bare_group_prints_its_help_as_invert_alone_does(cli: Cli, group: list[str]) -> None:
    code, out, err = cli(*group)
    assert code == 2 and out == ""
    assert err.startswith("Usage: ") and "\nCommands:\n" in err  # the help, laid out, not one line
