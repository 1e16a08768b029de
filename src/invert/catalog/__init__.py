"""The catalogue: content shipped as package data, read into typed models."""

from invert.catalog.loader import CONTENT_DIR, load_catalog
from invert.catalog.models import Catalog, Dataset
from invert.kinds.starters.model import ScoreSpec, Starter

__all__ = ["CONTENT_DIR", "Catalog", "Dataset", "ScoreSpec", "Starter", "load_catalog"]
