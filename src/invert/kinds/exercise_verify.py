"""What every exercise kind's proof shares: each item checked two at a time for
`invert dev check`, and the same from the command line (`python -m invert.kinds.<kind>.verify`).

A kind's verify.py gives `verify(item, show)`, the list of problems with one item (its original
fails, its solution passes, each wrong or cheating version is refused), and how to print one
verdict; the loops are here.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from invert.catalog.models import Catalog
    from invert.catalog.report import CheckReport, Progress

Verify = Callable[[Any], list[str]]


def prove_each(
    noun: str,
    items: Sequence[Any],
    verify: Verify,
    describe: Callable[[Any], str],
    report: CheckReport,
    run: bool,
    on_progress: Progress | None,
) -> None:
    """Check every item, two at a time (each check is a child process, and the machine has
    cores to spare); an item whose optional modules are missing is skipped, with the reason."""
    from concurrent.futures import ThreadPoolExecutor

    if not run:
        return
    ready = []
    for item in items:
        missing = [m for m in getattr(item, "requires", ()) if importlib.util.find_spec(m) is None]
        if missing:
            report.skipped.append(f"{noun} {item.id}: not run, {', '.join(missing)} not installed")
        else:
            ready.append(item)
    with ThreadPoolExecutor(max_workers=2) as pool:
        for item, problems in zip(ready, pool.map(verify, ready), strict=True):
            if on_progress is not None:
                on_progress(f"{noun} {item.id}")
            report.problems += problems
            report.checked.append(f"{noun} {item.id} ({describe(item)})")


def command_line(
    argv: list[str],
    every: Callable[[Catalog], Sequence[str]],
    verify: Callable[[Catalog, str, Callable[[str, Any], None]], list[str]],
    show: Callable[[str, Any, bool], None],
    plural: str,
) -> int:
    """`python -m invert.kinds.<kind>.verify [ID ...] [-v]`: each item's verdicts (`every` item
    of the catalogue without an id), then "ok" or how many have problems (exit code 1)."""
    from invert.catalog.loader import load_catalog

    catalog = load_catalog()
    verbose = "-v" in argv
    failed = 0
    for item_id in [a for a in argv if a != "-v"] or list(every(catalog)):
        print(item_id)
        problems = verify(catalog, item_id, lambda name, verdict: show(name, verdict, verbose))
        for problem in problems:
            print(f"  PROBLEM {problem}")
        failed += bool(problems)
    print("ok" if not failed else f"{failed} {plural} with problems")
    return 1 if failed else 0
