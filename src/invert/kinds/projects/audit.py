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

from invert.kinds.projects._columns import is_dates, is_text, time_column, words

if TYPE_CHECKING:
    import pandas as pd

    from invert.kinds.projects._entities import Entity
    from invert.kinds.projects.settings import ProjectSettings

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
    """Every finding on predicting `target` from the other columns, and the default fixes.

    Findings come in a fixed order (entity, time, dates, identifiers, columns that give the
    target away, duplicates, notes), each kind in the table's column order.
    """
    from invert.kinds.projects import _leaks
    from invert.kinds.projects._entities import find_entity
    from invert.kinds.projects._identifiers import ID_WORDS, row_identifier

    features = [c for c in frame.columns if c != target]
    constant = [c for c in features if frame[c].nunique(dropna=False) <= 1]
    varied = [c for c in features if c not in constant]
    dates = [c for c in varied if is_dates(frame[c])]
    reasons: dict[str, str] = {}  # column -> why it is left out
    leaks, combination = _leak_findings(frame, target, task, varied, dates, reasons)
    identifiers: dict[str, Finding] = {}
    for column in varied:
        if column in dates or column in leaks:
            continue
        clue = row_identifier(frame[column], str(column), frame[target], task)
        if clue is not None:
            identifiers[column] = _drop_finding(
                "identifier", column, f"'{column}' identifies rows: {clue}", reasons
            )
    rows_named = set(identifiers)
    pool = [c for c in varied if c not in identifiers and c not in leaks]
    ordered = time_column(frame, varied, dates)
    # The rows of one day (hour by hour) are a stretch of time, not an entity: time splits them.
    entity = find_entity(frame, pool, set(dates), not_keys={ordered[0]} if ordered else set())
    findings: list[Finding] = []
    split, time, reason = "random", "", Audit.split_reason
    group: tuple[str, ...] = ()
    if entity is not None:
        found, names, reason = _entity_findings(entity, set(dates), reasons)
        findings.append(found)
        identifiers.update(names)
        split, group = "group", entity.key
    if ordered is not None:
        column, span = ordered
        also = tuple(entity.key) if entity is not None else ()
        findings.append(
            Finding(
                "time",
                (column, *also),
                f"'{column}' orders the rows in time ({span}): a random split trains on later "
                "rows to predict earlier ones",
                'split by group (an entity was found too); set split = "time" to forecast instead'
                if also
                else "split by time: the latest rows held out",
            )
        )
        if not also:
            split, time = "time", column
            reason = f"'{column}' orders the rows in time ({span})"
    for column in dates:
        example = str(frame[column].dropna().iloc[0])
        findings.append(
            Finding(
                "dates",
                (column,),
                f"'{column}' holds dates (such as {example}): as text, each date would be a "
                "category of its own, unseen in later rows",
                "dates turned into year, month, day of week",
            )
        )
    findings += [identifiers[c] for c in features if c in identifiers]
    findings += [leaks[c] for c in features if c in leaks]
    if combination is not None:
        findings.append(combination)
    # A copied row with a new id is a copy; rows that differ only in a name are different people.
    numbered = {c for c in rows_named if not (is_text(frame[c]) and not words(str(c)) & ID_WORDS)}
    repeats = _leaks.repeats(frame, numbered, target, task)
    if repeats is not None:
        near = repeats.total - repeats.exact
        how = (
            "all exactly" if not near else f"{repeats.exact} exactly, {near} up to rounding or case"
        )
        ignoring = ", ".join(f"'{c}'" for c in features if c in numbered)
        findings.append(
            Finding(
                "duplicates",
                (),
                f"{repeats.total} of {repeats.rows} rows repeat another ({how}"
                + (f", ignoring {ignoring}" if ignoring else "")
                + f"): copies flatter the score (a forest: {repeats.crossing:.3f} with them "
                f"free to cross the folds, {repeats.together:.3f} kept on one side)",
                "repeats kept once (drop_duplicates)",
            )
        )
    for column in constant:
        findings.append(
            Finding(
                "constant", (column,), f"'{column}' has one value in every row: it cannot help", ""
            )
        )
    target_words = {w for w in words(str(target)) if len(w) >= 3}
    for column in features:
        shared = sorted(w for w in words(str(column)) if w in target_words)
        if shared:
            findings.append(
                Finding(
                    "target-name",
                    (column,),
                    f"'{column}' shares the word '{shared[0]}' with the target '{target}': check "
                    "it is known before the outcome and not computed from it",
                    "",
                )
            )
    drop = {c: reasons[c] for f in findings if f.fix == FIX_DROP for c in f.columns}
    return Audit(
        findings=tuple(findings),
        drop=drop,
        split=split,
        group=tuple(group),
        time=time,
        dates=tuple(dates),
        drop_duplicates=repeats is not None,
        split_reason=reason,
    )


FIX_DROP = "left out of the features (drop)"
DROP_REASONS = {
    "identifier": "an identifier",
    "near-perfect": "predicts the target almost perfectly alone",
    "post-outcome": "known only after the outcome",
    "transform": "the target is computed from it",
}


def _leak_findings(
    frame: pd.DataFrame,
    target: str,
    task: str,
    varied: list[str],
    dates: list[str],
    reasons: dict[str, str],
) -> tuple[dict[str, Finding], Finding | None]:
    """Columns that give the target away (one finding each), and a target computed from several."""
    from invert.kinds.projects import _leaks

    data = _leaks.sample(frame, target)
    leaks: dict[str, Finding] = {}
    if task == "regression":
        for column, rho in _leaks.monotone(data, target, varied).items():
            leaks[column] = _drop_finding(
                "transform",
                column,
                f"'{target}' moves in step with '{column}' (Spearman {rho:+.3f}): the target "
                "is computed from it, or it from the target",
                reasons,
            )
    what = "balanced accuracy" if task == "classification" else "R²"
    for column, score in _leaks.near_perfect(data, target, task, varied).items():
        if column not in leaks:
            leaks[column] = _drop_finding(
                "near-perfect",
                column,
                f"'{column}' alone predicts '{target}' with {what} {score:.3f} (3-fold CV): it is "
                "probably recorded after the outcome, or computed from it",
                reasons,
            )
    if task == "classification":
        for column, evidence in _leaks.post_outcome(frame, target, varied).items():
            if column not in leaks:
                leaks[column] = _drop_finding(
                    "post-outcome",
                    column,
                    f"'{column}' is known only after the outcome: {evidence}",
                    reasons,
                )
    combination: Finding | None = None
    if task == "regression":
        numeric = [c for c in varied if c not in leaks and c not in dates]
        carriers, r2 = _leaks.linear(data, target, numeric)
        if carriers:
            if len(carriers) == 1:
                reasons[carriers[0]] = DROP_REASONS["transform"]
            named = ", ".join(f"'{c}'" for c in carriers)
            combination = Finding(
                "transform",
                carriers,
                f"'{target}' is a linear combination of {named} (R² {r2:.4f} in 3-fold CV): "
                "the target is computed from them",
                FIX_DROP if len(carriers) == 1 else "",
            )

    return leaks, combination


def _entity_findings(
    entity: Entity, dates: set[str], reasons: dict[str, str]
) -> tuple[Finding, dict[str, Finding], str]:
    """The entity finding, an identifier finding for each of its names, and the split's reason."""
    key = " and ".join(f"'{c}'" for c in entity.key)
    fewest, most, median = entity.sizes
    each = f"{most} rows each" if fewest == most else f"a median of {median:g} rows each"
    counted = "values" if len(entity.key) == 1 else "combinations"
    size = f"{entity.groups} {counted}, {each}"
    found = Finding(
        "entity",
        entity.names,
        f"rows repeat the same {key} ({size}; {entity.evidence}): a random split puts "
        f"rows of one {key} on both sides and flatters the score",
        f"split by group: each {key} held out whole",
    )
    reason = f"rows repeat the same {key} ({size})"
    names: dict[str, Finding] = {}
    for column in entity.names:
        if column in dates or (len(entity.key) > 1 and column in entity.key):
            continue  # dates become date parts; each column of a pair is a category alone
        what = "the entity itself" if column in entity.key else f"another name for {key}"
        evidence = (
            f"'{column}' is the entity itself ({size})"
            if column in entity.key
            else f"'{column}' takes one value per {key} ({size})"
        )
        names[column] = _drop_finding(
            "identifier",
            column,
            f"{evidence}: a model can only memorise it, and held-out rows are new ones",
            reasons,
            reason=f"an identifier: {what}",
        )
    return found, names, reason


def _drop_finding(
    kind: str, column: str, message: str, reasons: dict[str, str], reason: str = ""
) -> Finding:
    """A finding whose fix leaves `column` out; its reason (for project.toml) into `reasons`."""
    evidence = message.split(": ", 1)[-1] if kind == "identifier" else ""
    reasons[column] = reason or (
        f"{DROP_REASONS[kind]}: {evidence}" if evidence else DROP_REASONS[kind]
    )
    return Finding(kind, (column,), message, FIX_DROP)


def status(finding: Finding, settings: ProjectSettings) -> Status:
    """Whether `settings` (project.toml as the learner left it) address `finding`.

    >>> from invert.kinds.projects.settings import ProjectSettings
    >>> s = ProjectSettings("p", "d.csv", "y", "regression", "", "r2", drop=("id",))
    >>> status(Finding("identifier", ("id",), "", FIX_DROP), s)
    Status(addressed=True, how='left out (drop)')
    """
    if not finding.fault:
        return Status(True, "a note: nothing to fix")
    columns = finding.columns
    if finding.kind in ("identifier", "near-perfect", "post-outcome", "transform"):
        missing = [c for c in columns if c not in settings.drop and c not in settings.checked]
        if missing:
            return Status(
                False,
                f"not addressed: '{missing[0]}' is still a feature (drop it, or list it in "
                "checked once you know it is sound)",
            )
        if all(c in settings.drop for c in columns):
            return Status(True, "left out (drop)")
        return Status(True, "you checked it (checked)")
    group = ", ".join(f"'{c}'" for c in settings.group)
    if finding.kind == "entity":
        same = set(settings.group) == set(columns[: len(settings.group)]) or (
            len(settings.group) == 1 and settings.group[0] in columns
        )
        if settings.split == "group" and same:
            return Status(True, f"split by group {group}")
        if settings.split == "group":
            return Status(False, f"not addressed: split by group {group}, not by the entity")
        return Status(False, f"not addressed: split is {settings.split}")
    if finding.kind == "time":
        if settings.split == "time":
            return Status(True, f"split by time '{settings.time}'")
        if settings.split == "group" and len(columns) > 1:
            return Status(True, f"split by group {group} (an entity was found too)")
        return Status(False, f"not addressed: split is {settings.split}")
    if finding.kind == "dates":
        if columns[0] in settings.dates:
            return Status(True, "turned into date parts (dates)")
        if columns[0] in settings.drop:
            return Status(True, "left out (drop)")
        return Status(False, f"not addressed: '{columns[0]}' is not in dates")
    if finding.kind == "duplicates":
        if settings.drop_duplicates:
            return Status(True, "repeats kept once (drop_duplicates)")
        return Status(False, "not addressed: drop_duplicates is false")
    return Status(False, "not addressed: fix the step script")
