"""`invert --help`, `--version` and `list` import no heavy library (CONTRIBUTING.md, rule 6)."""

from __future__ import annotations

import re

import pytest

from conftest import invert_process
from invert.lab import Lab

HEAVY = (
    "sklearn", "pandas", "torch", "fastapi", "starlette", "uvicorn", "pydantic", "matplotlib",
    "scipy", "numpy", "sympy", "fsrs",
)  # fmt: skip


def imported_modules(stderr: str) -> set[str]:
    return set(re.findall(r"\|\s+([\w.]+)\s*$", stderr, flags=re.MULTILINE))


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("--version",),
        ("list",),
        ("list", "--json"),
        ("learn",),
        ("rules", "--all"),
        ("ladder",),
    ],
)
def test_light_commands_import_nothing_heavy(args: tuple[str, ...], lab: Lab) -> None:
    done = invert_process(*args, cwd=lab.root, python_flags=("-X", "importtime"))
    assert done.returncode == 0, done.stderr[-2000:]
    modules = imported_modules(done.stderr)
    assert "invert.cli" in modules  # the probe really saw our own imports
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert heavy == [], f"`invert {' '.join(args)}` imported {heavy[:5]}"


def test_the_probe_sees_a_heavy_import_where_there_is_one(lab: Lab) -> None:
    # `show` summarises the dataset with pandas: the same probe must notice it.
    done = invert_process("show", "iris_forest", cwd=lab.root, python_flags=("-X", "importtime"))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "pandas" in imported_modules(done.stderr)
