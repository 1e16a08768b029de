"""The progress part of a lab: where the learner stands and the next step.

`lab.progress` reads the journal once into an `Evidence` (from the catalogue, the store and the
parts' statuses, never the whole lab) and judges the phase, the figures, the checklist, the
review plan and the next step from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from invert.kinds.part import Part

if TYPE_CHECKING:
    from invert.progress.evidence import Evidence
    from invert.progress.next_step import NextStep
    from invert.progress.review_plan import ReviewPlan
    from invert.progress.summary import Progress as Report


class Progress(Part):
    """Where the learner stands in one lab: `lab.progress`."""

    def evidence(self) -> Evidence:
        """What the learner has done, read once from the journal."""
        from invert.progress.evidence import Evidence

        return Evidence.read(self.lab)

    def report(self, evidence: Evidence | None = None) -> Report:
        """Where the learner stands: phase, figures, checklist, calendar, weeks, next step."""
        from invert.progress.summary import progress

        return progress(evidence or self.evidence())

    def next_step(self, evidence: Evidence | None = None) -> NextStep:
        """The single next best step, and why."""
        from invert.progress.next_step import next_step

        return next_step(evidence or self.evidence())

    def review_plan(self, evidence: Evidence | None = None) -> ReviewPlan:
        """Today's review session (at most one a day, bounded, most overdue first) and the days
        the rest of the due rules are spread over."""
        return (evidence or self.evidence()).review_plan
