"""What the theory content names elsewhere in the catalogue exists: the registry's cross-check
(`Kind.references`), run by the loader once every kind is read.

Apart from `model.py` so that the content model never imports the catalogue it is part of.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from invert.kinds.theory.model import cross_check

if TYPE_CHECKING:
    from invert.catalog.models import Catalog


def check_references(catalog: Catalog, problems: list[str]) -> None:
    """Every reference between theory content and the rest of the catalogue resolves."""
    concepts, experiments = set(catalog.concepts), set(catalog.experiments)
    cross_check(catalog.theory, concepts, experiments, set(catalog.starters), problems)
