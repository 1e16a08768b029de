"""The audit of a learner's table: what to distrust before any model is fitted, and the fix.

`audit_table` looks at the data, not the dtype: identifiers (nearly unique per row, or another
name for an entity), repeated entities (rows that belong together), time order and dates,
duplicates, a column that gives the target away, a target computed from a column. It returns
each finding with the fix invert takes by default, and the settings that take them (the columns
to leave out, how to split). `status` says whether a finding is still addressed by the settings
as the learner has edited them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from invert.project.settings import ProjectSettings

# What each kind of finding is about. Faults must be addressed (by invert's default fix or the
# learner's own); notes need no fix.
FAULTS = {
    "identifier": "a row or entity identifier: a model can only memorise it",
    "entity": "rows that belong to the same entity: a random split puts one on both sides",
    "time": "rows ordered in time: a random split trains on the future",
    "dates": "dates: one-hot text cannot be used, year, month and weekday can",
    "duplicates": "rows repeated (up to rounding and case): copies land on both sides",
    "near-perfect": "one column predicts the target almost perfectly alone",
    "post-outcome": "a column known only after the outcome",
    "transform": "the target is computed from a column",
    "preprocessing": "a learner's step fits on rows it is later scored on",
    "split": "a learner's step splits without keeping apart what the audit says to",
}
NOTES = {
    "constant": "one value in every row: it cannot help",
    "target-name": "named like the target: worth a look, not a reason to drop",
}


@dataclass(frozen=True)
class Finding:
    """One thing the audit found: its kind, the columns, what and why, and the default fix."""

    kind: str  # a key of FAULTS or NOTES
    columns: tuple[str, ...]  # the columns it is about; () for the whole table
    message: str  # what was found and why it matters, one line
    fix: str  # what invert does about it by default, one line ("" for a note)

    @property
    def fault(self) -> bool:
        return self.kind in FAULTS

    @property
    def column(self) -> str | None:
        return self.columns[0] if self.columns else None


@dataclass(frozen=True)
class Audit:
    """The findings on a table and the settings that take the default fixes."""

    findings: tuple[Finding, ...]
    drop: dict[str, str] = field(default_factory=dict)  # column -> why it is left out
    split: str = "random"  # "random", "group" or "time"
    group: tuple[str, ...] = ()  # the column(s) whose rows belong together (split "group")
    time: str = ""  # the column that orders rows in time (split "time")
    dates: tuple[str, ...] = ()  # date columns turned into year, month, weekday features
    drop_duplicates: bool = False
    split_reason: str = "no repeated entity and no time order found: a random split"

    @property
    def faults(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.fault)


@dataclass(frozen=True)
class Status:
    """Whether a finding is addressed by the settings as they stand, and how."""

    addressed: bool
    how: str  # "left out (drop)", "split by group 'country'", "not addressed: ..."


def audit_table(frame: pd.DataFrame, target: str, task: str) -> Audit:
    """Every finding on predicting `target` from the other columns, and the default fixes."""
    raise NotImplementedError


def status(finding: Finding, settings: ProjectSettings) -> Status:
    """Whether `settings` (project.toml as the learner left it) address `finding`."""
    raise NotImplementedError
