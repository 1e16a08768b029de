"""Drills: each broken pipeline's status, its hints one at a time, the check, the solution."""

from __future__ import annotations

from invert.kinds import kind
from invert.kinds.exercise_page import exercise_router

router = exercise_router(kind("drills"), "drills.html", "drill.html", param="drill_id")
