"""The Lab's transfer probes: which are on offer to the learner, and the sweep each one runs.

A probe turns an experiment's knob on a dataset or model the learner never ran
(catalog/probes.py). It is offered once the learner has practised its experiment's concepts:
at least one scored prediction on an experiment itself (not on a probe), either the probe's own
experiment or another that shares one of its concepts. Until then the learner has nothing to
transfer, and the listing says what to practise first.

The experiments part (`lab.experiments.probe_offers()`, `lab.experiments.plan_probe(id)`)
calls these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from invert.kinds.experiments.model import probe_experiment

if TYPE_CHECKING:
    from invert.catalog.models import Catalog
    from invert.kinds.experiments.model import Experiment, Probe
    from invert.store.sqlite import PredictionRow


@dataclass(frozen=True)
class ProbeOffer:
    """A probe as the learner stands with it: on offer or not (and why), and their answers."""

    experiment: Experiment
    probe: Probe
    offered: bool
    reason: str  # why it is offered, or what to practise first
    answers: tuple[PredictionRow, ...] = ()  # the learner's predictions on it, oldest first

    @property
    def status(self) -> str:
        """One phrase for the listing: not yet, on offer, or how the first answer went."""
        if not self.offered:
            return "not yet"
        scored = [row for row in self.answers if row.scored]
        if not scored:
            return "on offer"
        first = scored[0]
        verdict = "right" if first.hit else "missed"
        blind = {1: "blind", 0: "practice"}.get(first.blind if first.blind is not None else -1)
        how = f"{verdict} ({blind})" if blind else verdict
        more = f", {len(scored) - 1} more" if len(scored) > 1 else ""
        return f"answered: {how}{more}"

    def to_json(self) -> dict[str, Any]:
        probed = probe_experiment(self.experiment, self.probe)
        return {
            "id": self.probe.id,
            "experiment": self.experiment.id,
            "concepts": list(self.experiment.concepts),
            "question": self.probe.question,
            "dataset": probed.dataset,
            "model": probed.estimator,
            "metric": probed.evaluation.metric,
            "knob": probed.knob.label,
            "offered": self.offered,
            "reason": self.reason,
            "status": self.status,
            "answers": [
                {
                    "prediction": row.uid,
                    "at": row.at,
                    "shape": row.shape,
                    "hit": row.hit,
                    "blind": row.blind,
                }
                for row in self.answers
            ],
        }


def probe_offers(catalog: Catalog, rows: list[PredictionRow]) -> list[ProbeOffer]:
    """Every probe, in the experiments' order, with whether it is on offer given `rows` (the
    journal's predictions) and why."""
    practised = {row.experiment for row in rows if row.scored and row.probe is None}
    answers: dict[str, list[PredictionRow]] = {}
    for row in sorted(rows, key=lambda r: r.at):
        if row.probe is not None:
            answers.setdefault(row.probe, []).append(row)
    offers = []
    for experiment, probe in catalog.ordered_probes():
        offered, reason = _offered(catalog, experiment, practised)
        offers.append(
            ProbeOffer(experiment, probe, offered, reason, tuple(answers.get(probe.id, ())))
        )
    return offers


def _offered(catalog: Catalog, experiment: Experiment, practised: set[str]) -> tuple[bool, str]:
    if experiment.id in practised:
        return True, f"you predicted and ran {experiment.id}"
    concepts = set(experiment.concepts)
    for other in catalog.ordered_experiments():
        shared = sorted(concepts & set(other.concepts))
        if other.id in practised and shared:
            return True, f"you predicted and ran {other.id}, which shares {', '.join(shared)}"
    return False, (
        f"practise {', '.join(experiment.concepts)} first: predict and run "
        f"`invert try {experiment.id}` (or another experiment on one of them)"
    )
