"""The own-data audit, judged on tables whose faults are known.

Every table of bench/_audit_tables.py goes through `invert.kinds.projects.audit.audit_table`, every
edited project of bench/_audit_edits.py through `invert.kinds.projects.split_check.check_scripts`;
their fault findings are matched against the truth (the right kind and a column of the fault;
whole-table faults on the kind alone). Printed: per kind, faults detected of those injected and
false alarms, then the overall rates, then each table with its wall time.

  detection = injected faults found / injected faults
  false alarms = fault findings matching no injected fault / (table, kind) pairs without that fault
  controls alarmed = clean controls with any fault finding / clean controls

Run: .venv/bin/python bench/audit.py [--json | --list | --record]
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _audit_edits import EDITS, EditCase, edit_data
from _audit_tables import TABLES, Fault, Table

TABLE_KINDS = (
    "identifier",
    "entity",
    "time",
    "dates",
    "duplicates",
    "near-perfect",
    "post-outcome",
    "transform",
)
EDIT_KINDS = ("preprocessing", "split")
CHECK_TIMEOUT = 300.0


@dataclass
class Case:
    """One table or edited project: its truth, what was found, and what matched."""

    name: str
    source: str
    kinds: tuple[str, ...]  # the kinds this case can be judged on
    faults: tuple[Fault, ...]
    findings: list[tuple[str, tuple[str, ...], str]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def clean(self) -> bool:
        return not self.faults

    def found(self, fault: Fault) -> bool:
        return any(fault.matches(kind, columns) for kind, columns, _ in self.findings)

    def false_alarms(self) -> list[tuple[str, tuple[str, ...], str]]:
        return [f for f in self.findings if not any(t.matches(f[0], f[1]) for t in self.faults)]

    def pairs_without(self, kind: str) -> bool:
        """Whether (this case, kind) is a pair with no injected fault of that kind."""
        return kind in self.kinds and not any(kind in t.kinds() for t in self.faults)


def audit_tables(
    tables: Sequence[Table], audit: Callable[[Any, str, str], Any] | None = None
) -> list[Case]:
    """Each table through the audit: its fault findings and the audit's wall time."""
    if audit is None:
        from invert.kinds.projects.audit import audit_table

        audit = audit_table
    cases = []
    for table in tables:
        frame = table.build()
        started = time.perf_counter()
        result = audit(frame, table.target, table.task)
        seconds = time.perf_counter() - started
        case = Case(table.name, table.source, TABLE_KINDS, table.faults, seconds=seconds)
        case.findings = [(f.kind, tuple(f.columns), f.message) for f in result.faults]
        cases.append(case)
    return cases


def check_edits(
    edits: Sequence[EditCase], check: Callable[[Path, Any, float], Any] | None = None
) -> list[Case]:
    """Each edited project through the steps' check, in a fresh lab in a temporary folder."""
    if check is None:
        from invert.kinds.projects.split_check import check_scripts

        check = check_scripts
    from invert.kinds.projects.settings import ProjectSettings
    from invert.lab import create_lab

    cases = []
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "shoppers.csv"
        edit_data().to_csv(data, index=False)
        with create_lab(Path(tmp) / "lab") as lab:
            for edit in edits:
                folder = lab.projects.new(data, "bought", name=edit.name).folder
                edit.edit(folder)
                settings = ProjectSettings.load(folder)
                started = time.perf_counter()
                findings = check(folder, settings, CHECK_TIMEOUT)
                seconds = time.perf_counter() - started
                case = Case(edit.name, edit.source, EDIT_KINDS, edit.faults, seconds=seconds)
                case.findings = [(f.kind, tuple(f.columns), f.message) for f in findings if f.fault]
                cases.append(case)
    return cases


def summary(cases: Sequence[Case]) -> dict[str, Any]:
    """Per kind and overall: detections, false alarms, and the rates."""
    kinds: dict[str, dict[str, int]] = {}
    for kind in (*TABLE_KINDS, *EDIT_KINDS):
        of_kind = [(c, t) for c in cases for t in c.faults if t.kind == kind]
        kinds[kind] = {
            "injected": len(of_kind),
            "detected": sum(c.found(t) for c, t in of_kind),
            "false_alarms": sum(1 for c in cases for f in c.false_alarms() if f[0] == kind),
            "pairs_without": sum(c.pairs_without(kind) for c in cases),
        }
    injected = sum(k["injected"] for k in kinds.values())
    detected = sum(k["detected"] for k in kinds.values())
    false = sum(k["false_alarms"] for k in kinds.values())
    pairs = sum(k["pairs_without"] for k in kinds.values())
    controls = [c for c in cases if c.clean]
    alarmed = [c for c in controls if c.findings]
    return {
        "tables": sum(c.kinds == TABLE_KINDS for c in cases),
        "edited_projects": sum(c.kinds == EDIT_KINDS for c in cases),
        "controls": len(controls),
        "kinds": kinds,
        "injected": injected,
        "detected": detected,
        "detection": detected / injected if injected else 1.0,
        "false_alarms": false,
        "pairs_without": pairs,
        "false_alarm_rate": false / pairs if pairs else 0.0,
        "controls_alarmed": len(alarmed),
        "controls_alarmed_rate": len(alarmed) / len(controls) if controls else 0.0,
    }


def run(
    audit: Callable[[Any, str, str], Any] | None = None,
    check: Callable[[Path, Any, float], Any] | None = None,
    tables: Sequence[Table] = TABLES,
    edits: Sequence[EditCase] = EDITS,
) -> tuple[list[Case], dict[str, Any]]:
    """The whole benchmark: every case, and the summary."""
    cases = audit_tables(tables, audit) + check_edits(edits, check)
    return cases, summary(cases)


def _label(finding: tuple[str, tuple[str, ...], str]) -> str:
    kind, columns, _ = finding
    return f"{kind}({', '.join(columns)})" if columns else kind


def report(cases: Sequence[Case], result: dict[str, Any]) -> str:
    """The benchmark's tables, as markdown."""
    lines = [
        f"{result['tables']} tables and {result['edited_projects']} edited projects, "
        f"{result['controls']} of them clean controls.",
        "",
        "| kind | injected | detected | false alarms | (case, kind) pairs without it |",
        "|---|---|---|---|---|",
    ]
    for kind, row in result["kinds"].items():
        lines.append(
            f"| {kind} | {row['injected']} | {row['detected']} | {row['false_alarms']} | "
            f"{row['pairs_without']} |"
        )
    lines += [
        "",
        f"- detection = injected faults found / injected faults = {result['detected']}/"
        f"{result['injected']} = {result['detection']:.1%}",
        f"- false alarms = fault findings matching no injected fault / (case, kind) pairs "
        f"without that fault = {result['false_alarms']}/{result['pairs_without']} = "
        f"{result['false_alarm_rate']:.1%}",
        f"- controls alarmed = clean controls with any fault finding / clean controls = "
        f"{result['controls_alarmed']}/{result['controls']} = "
        f"{result['controls_alarmed_rate']:.1%}",
        "",
        "| case | truth | missed | false alarms | seconds |",
        "|---|---|---|---|---|",
    ]
    for case in cases:
        truth = ", ".join(t.label() for t in case.faults) or "clean"
        missed = ", ".join(t.label() for t in case.faults if not case.found(t)) or "-"
        false = ", ".join(_label(f) for f in case.false_alarms()) or "-"
        lines.append(f"| {case.name} | {truth} | {missed} | {false} | {case.seconds:.2f} |")
    return "\n".join(lines)


def listing() -> str:
    """Every table and edited project with its source and truth."""
    lines = []
    items: tuple[Table | EditCase, ...] = (*TABLES, *EDITS)
    for item in items:
        truth = "; ".join(t.label() + (f" ({t.why})" if t.why else "") for t in item.faults)
        lines.append(f"{item.name}: {item.source}\n    truth: {truth or 'clean control'}")
    return "\n".join(lines)


def as_json(cases: Sequence[Case], result: dict[str, Any]) -> str:
    return json.dumps(
        {
            **result,
            "cases": [
                {
                    "name": c.name,
                    "source": c.source,
                    "truth": [t.label() for t in c.faults],
                    "missed": [t.label() for t in c.faults if not c.found(t)],
                    "findings": [
                        {"kind": k, "columns": list(cols), "message": m}
                        for k, cols, m in c.findings
                    ],
                    "false_alarms": [_label(f) for f in c.false_alarms()],
                    "seconds": round(c.seconds, 3),
                }
                for c in cases
            ],
        },
        indent=2,
    )


def main() -> None:
    if "--list" in sys.argv:
        print(listing())
        return
    try:
        cases, result = run()
    except NotImplementedError:
        raise SystemExit(
            "invert.kinds.projects.audit.audit_table is not implemented in this invert"
        ) from None
    if "--json" in sys.argv:
        print(as_json(cases, result))
        return
    from _common import record

    record("audit", ".venv/bin/python bench/audit.py --record", report(cases, result))


if __name__ == "__main__":
    main()
