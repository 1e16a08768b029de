"""What the traces content names elsewhere in the catalogue exists: the registry's cross-check
(`Kind.references`), run by the loader once every kind is read.

Apart from `model.py` so that the content model never imports the catalogue it is part of.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from invert.kinds.traces.model import cross_check_traces

if TYPE_CHECKING:
    from invert.catalog.models import Catalog


def check_references(catalog: Catalog, problems: list[str]) -> None:
    """Every trace names a dataset that suits its task, and a card that exists."""
    tasks = {d.id: d.task for d in catalog.datasets.values()}
    cards = set(catalog.theory.cards)
    cross_check_traces(catalog.traces, catalog.trace_features, tasks, cards, problems)
