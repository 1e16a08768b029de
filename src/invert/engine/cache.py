"""The sweep cache: one JSON file per result, keyed on everything that determines it.

Writes go to a temporary file that is renamed into place, so two runs of the same experiment at
once both succeed and a reader never sees half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, replace
from pathlib import Path

from invert.engine.result import Point, SweepResult


class ResultCache:
    """Sweeps by their cache key, and their points one by one (folder `points/`): a sweep that
    shares values with one measured before measures only the values it adds."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str) -> SweepResult | None:
        try:
            document = json.loads(self.path(key).read_text(encoding="utf-8"))
            return replace(SweepResult.from_json(document), cached=True)
        except (OSError, ValueError, TypeError, KeyError):
            return None  # missing or unreadable: measure again

    def put(self, result: SweepResult) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".sweep-", dir=self.folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(result.to_json(), handle)
            os.replace(tmp, self.path(result.cache_key))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def point(self, key: str) -> Point | None:
        try:
            document = json.loads((self.folder / "points" / f"{key}.json").read_text("utf-8"))
            return Point(**document)
        except (OSError, ValueError, TypeError):
            return None

    def put_points(self, keys: list[str], points: list[Point]) -> None:
        folder = self.folder / "points"
        folder.mkdir(parents=True, exist_ok=True)
        for key, point in zip(keys, points, strict=True):
            fd, tmp = tempfile.mkstemp(prefix=".point-", dir=folder)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(asdict(point), handle)
                os.replace(tmp, folder / f"{key}.json")
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
