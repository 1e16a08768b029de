"""The options `invert try` and `invert probe` share: the prediction, the notes, how to run.

Each is an `Annotated` type, so one declaration gives both commands the same flag and help.
"""

from __future__ import annotations

from typing import Annotated

import typer

from invert.cli.numbers import finite
from invert.engine.shapes import GAPS, SHAPES

Predict = Annotated[
    str | None,
    typer.Option("--predict", help=f"The test curve's shape: {', '.join(SHAPES)}."),
]
Gap = Annotated[str | None, typer.Option("--gap", help=f"The train-test gap: {', '.join(GAPS)}.")]
Confidence = Annotated[
    str | None, typer.Option("--confidence", help="How sure you are: 0.5-1 or 50-100%.")
]
Guess = Annotated[
    str | None,
    typer.Option("--guess", help="A number for one knob value: VALUE=NUMBER, e.g. 20=0.78."),
]
Note = Annotated[str | None, typer.Option("--note", help="What you observed.")]
Why = Annotated[str | None, typer.Option("--why", help="A why-question the run raised.")]
Jobs = Annotated[
    int | None, typer.Option("--jobs", help="Worker processes (default: one per core).")
]
Backend = Annotated[str, typer.Option("--backend", help="loky (local) or dask.")]
Scheduler = Annotated[
    str | None, typer.Option("--scheduler", help="Dask scheduler address, with --backend dask.")
]
Budget = Annotated[
    float | None,
    typer.Option(
        "--budget",
        parser=finite,
        metavar="SECONDS",
        help="Seconds the sweep may take (default 300); asked first.",
    ),
]
PlanOnly = Annotated[
    bool,
    typer.Option("--plan", help="Check everything and show the cost; run and record nothing."),
]
AsJson = Annotated[bool, typer.Option("--json", help="No prompts; print JSON.")]
Stream = Annotated[
    bool,
    typer.Option(
        "--stream",
        help="With --json: print one JSON line per fit as it finishes, then the result's line.",
    ),
]
