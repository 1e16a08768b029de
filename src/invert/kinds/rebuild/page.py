"""Build it yourself: each exercise's stages, the copy, the check, hints, then the reference."""

from __future__ import annotations

from invert.kinds import kind
from invert.kinds.exercise_page import exercise_router

router = exercise_router(kind("rebuild"), "rebuilds.html", "rebuild.html", param="exercise_id")
