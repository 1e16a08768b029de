"""What the drills content names elsewhere in the catalogue exists: the registry's cross-check
(`Kind.references`), run by the loader once every kind is read.

Apart from `model.py` so that the content model never imports the catalogue it is part of.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from invert.kinds.drills.model import cross_check_drills

if TYPE_CHECKING:
    from invert.catalog.models import Catalog


def check_references(catalog: Catalog, problems: list[str]) -> None:
    """Every drill names a dataset, a concept and (if any) a card that exist."""
    cards = set(catalog.theory.cards)
    datasets, concepts = set(catalog.datasets), set(catalog.concepts)
    cross_check_drills(catalog.drills, datasets, concepts, cards, problems)
