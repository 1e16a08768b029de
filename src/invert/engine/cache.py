"""The sweep cache: one JSON file per result, keyed on everything that determines it.

Writes go to a temporary file that is renamed into place, so two runs of the same experiment at
once both succeed and a reader never sees half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import replace
from pathlib import Path

from invert.engine.result import SweepResult


class ResultCache:
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
