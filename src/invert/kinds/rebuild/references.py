"""What the rebuild content names elsewhere in the catalogue exists: the registry's cross-check
(`Kind.references`), run by the loader once every kind is read.

Apart from `model.py` so that the content model never imports the catalogue it is part of.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from invert.kinds.rebuild.model import cross_check_rebuilds

if TYPE_CHECKING:
    from invert.catalog.models import Catalog


def check_references(catalog: Catalog, problems: list[str]) -> None:
    """Every exercise names a card that exists, and no id is also a drill's."""
    cross_check_rebuilds(catalog.rebuilds, set(catalog.drills), set(catalog.theory.cards), problems)
