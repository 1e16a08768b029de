"""Typed models of the catalogue's content. Plain frozen dataclasses: cheap to import."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from invert.catalog.dataset import Dataset
from invert.errors import LearnerError, UnknownError

if TYPE_CHECKING:
    from invert.kinds.drills.model import Drill
    from invert.kinds.experiments.model import Experiment, Probe
    from invert.kinds.rebuild.model import Exercise
    from invert.kinds.starters.model import Starter
    from invert.kinds.theory.model import Card, Derivation, Ladder, Rule, Theory
    from invert.kinds.traces.model import Traces, TraceSpec


@dataclass(frozen=True)
class Catalog:
    """Everything invert can teach, as loaded from one content folder.

    The backbone (datasets, starters, experiments, concepts) is read by the loader itself;
    every registered kind with a loader of its own keeps what it read in `content`, by the
    kind's name. The typed properties below (`drills`, `theory`, ...) are views of `content`
    for the code that reads one known kind.
    """

    format_version: int
    root: Path
    datasets: dict[str, Dataset] = field(default_factory=dict)
    starters: dict[str, Starter] = field(default_factory=dict)
    experiments: dict[str, Experiment] = field(default_factory=dict)
    concepts: dict[str, Concept] = field(default_factory=dict)
    content: dict[str, Any] = field(default_factory=dict)  # kind name -> what its model loaded

    @property
    def theory(self) -> Theory:
        found: Theory | None = self.content.get("theory")
        if found is None:
            from invert.kinds.theory.model import Theory

            return Theory()
        return found

    @property
    def drills(self) -> dict[str, Drill]:
        found: dict[str, Drill] = self.content.get("drills", {})
        return found

    @property
    def rebuilds(self) -> dict[str, Exercise]:
        found: dict[str, Exercise] = self.content.get("rebuild", {})
        return found

    @property
    def traces(self) -> dict[str, TraceSpec]:
        found: Traces | None = self.content.get("traces")
        return {} if found is None else found.specs

    @property
    def trace_features(self) -> dict[str, tuple[str, ...]]:
        found: Traces | None = self.content.get("traces")
        return {} if found is None else found.features

    def rebuild(self, exercise_id: str) -> Exercise:
        try:
            return self.rebuilds[exercise_id]
        except KeyError:
            raise UnknownError(_unknown("exercise", exercise_id, self.rebuilds)) from None

    def ordered_rebuilds(self) -> list[Exercise]:
        return sorted(self.rebuilds.values(), key=lambda e: (e.order, e.id))

    def drill(self, drill_id: str) -> Drill:
        try:
            return self.drills[drill_id]
        except KeyError:
            raise UnknownError(_unknown("drill", drill_id, self.drills)) from None

    def ordered_drills(self) -> list[Drill]:
        """Every drill in the order a learner meets them, each followed by its variants."""
        return sorted(
            self.drills.values(),
            key=lambda d: (d.order, d.variant_of or d.id, bool(d.variant_of), d.id),
        )

    def trace(self, trace_id: str) -> TraceSpec:
        try:
            return self.traces[trace_id]
        except KeyError:
            raise UnknownError(_unknown("algorithm", trace_id, self.traces)) from None

    def ordered_traces(self) -> list[TraceSpec]:
        return sorted(self.traces.values(), key=lambda t: (t.order, t.id))

    def card(self, card_id: str) -> Card:
        try:
            return self.theory.cards[card_id]
        except KeyError:
            if card_id in self.concepts:
                raise LearnerError(
                    f"'{card_id}' is a concept without a card yet; `invert learn` lists the cards"
                ) from None
            raise UnknownError(_unknown("concept card", card_id, self.theory.cards)) from None

    def derivation(self, derivation_id: str) -> Derivation:
        """A derivation by its id, or by the id of the card that shows it."""
        theory = self.theory
        if derivation_id not in theory.derivations and derivation_id in theory.cards:
            derivation_id = theory.cards[derivation_id].derivation
        try:
            return theory.derivations[derivation_id]
        except KeyError:
            known = [*theory.derivations, *theory.cards]
            raise UnknownError(_unknown("derivation", derivation_id, known)) from None

    def rule(self, rule_id: str) -> Rule:
        try:
            return self.theory.rules[rule_id]
        except KeyError:
            raise UnknownError(_unknown("rule", rule_id, self.theory.rules)) from None

    def ladder(self, ladder_id: str) -> Ladder:
        try:
            return self.theory.ladders[ladder_id]
        except KeyError:
            raise UnknownError(_unknown("ladder", ladder_id, self.theory.ladders)) from None

    def ordered_starters(self) -> list[Starter]:
        return sorted(self.starters.values(), key=lambda s: (s.order, s.id))

    def first_starter(self) -> Starter:
        return self.ordered_starters()[0]

    def starter(self, starter_id: str) -> Starter:
        """The starter with this id (or script, `starters/<id>.py`), or a LearnerError that
        suggests the closest ids."""
        found = self.find_starter(starter_id)
        if found is None:
            raise UnknownError(_unknown("starter", starter_id, self.starters))
        return found

    def find_starter(self, ref: str) -> Starter | None:
        """The starter named by an id, `<id>.py` or `starters/<id>.py`; None for anything else."""
        if ref in self.starters:
            return self.starters[ref]
        path = PurePath(ref.replace("\\", "/"))
        if path.suffix == ".py" and path.parent.name in ("", "starters"):
            return self.starters.get(path.stem)
        return None

    def dataset(self, dataset_id: str) -> Dataset:
        try:
            return self.datasets[dataset_id]
        except KeyError:
            raise UnknownError(_unknown("dataset", dataset_id, self.datasets)) from None

    def experiment(self, experiment_id: str) -> Experiment:
        try:
            return self.experiments[experiment_id]
        except KeyError:
            raise UnknownError(_unknown("experiment", experiment_id, self.experiments)) from None

    def probe(self, probe_id: str) -> tuple[Experiment, Probe]:
        """The probe with this id and the experiment it belongs to."""
        probes = {p.id: (e, p) for e in self.experiments.values() for p in e.probes}
        try:
            return probes[probe_id]
        except KeyError:
            raise UnknownError(_unknown("probe", probe_id, probes)) from None

    def ordered_probes(self) -> list[tuple[Experiment, Probe]]:
        """Every probe with its experiment, in the experiments' order."""
        return [(e, p) for e in self.ordered_experiments() for p in e.probes]

    def ordered_experiments(self) -> list[Experiment]:
        return sorted(self.experiments.values(), key=lambda e: (e.order, e.id))

    def concept(self, concept_id: str) -> Concept:
        try:
            return self.concepts[concept_id]
        except KeyError:
            raise UnknownError(_unknown("concept", concept_id, self.concepts)) from None

    def data_file(self, dataset: Dataset) -> Path | None:
        return self.root / "data" / dataset.file if dataset.file else None


def _unknown(kind: str, given: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(given, list(known), n=3, cutoff=0.5)
    lister = {
        "concept card": "invert learn",
        "derivation": "invert learn",
        "rule": "invert rules --all",
        "ladder": "invert ladder",
        "experiment": "invert experiments",
        "drill": "invert drills",
        "algorithm": "invert trace",
        "exercise": "invert rebuild",
        "probe": "invert probe",
    }.get(kind, "invert list")
    hint = f"; did you mean {' or '.join(close)}?" if close else f"; `{lister}` shows the {kind}s"
    return f"unknown {kind} '{given}'{hint}"


@dataclass(frozen=True)
class Concept:
    """An idea a learner can ask about. Issue-4 cards extend this entry of the concept index."""

    id: str
    title: str
    summary: str
    keywords: tuple[str, ...] = ()
