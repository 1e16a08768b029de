"""`invert dev check`: prove the catalogue is valid and every piece of content does what it says.

The proofs are the kinds' own (each kind's `verify.py`, named by `Kind.proofs` in the
registry); this module reads the catalogue and runs them in their ranks' order. The `first`
ones (quick, and what everything else builds on) run before the rest; a problem found by then,
or `run=False`, leaves the rest to their checks that run nothing. No kind is named here.
"""

from __future__ import annotations

from pathlib import Path

from invert.catalog.loader import read_catalog
from invert.catalog.report import CheckReport, Progress
from invert.kinds import proofs


def check_catalog(
    root: Path | None = None,
    run: bool = True,
    on_progress: Progress | None = None,
    only: str | None = None,
) -> CheckReport:
    """Validate the whole catalogue; with `run`, execute every piece of content too.

    `only` names one proof (one of `invert.kinds.parts()`) to check that part alone (quicker
    while writing content).
    """
    catalog, problems = read_catalog(root)
    report = CheckReport(problems=list(problems))
    chosen = proofs()
    if only is not None:
        for kind, proof in chosen:
            if proof.name == only:
                kind.attribute(proof.check)(catalog, report, run, on_progress)
        return report
    for kind, proof in chosen:
        if proof.first:
            kind.attribute(proof.check)(catalog, report, run, on_progress)
    stopped = not run or bool(report.problems)  # static checks only: content that runs comes after
    for kind, proof in chosen:
        if proof.first:
            continue
        if not stopped:
            kind.attribute(proof.check)(catalog, report, run, on_progress)
        elif proof.static:
            kind.attribute(proof.check)(catalog, report, False, None)
    return report


__all__ = ["CheckReport", "check_catalog"]
