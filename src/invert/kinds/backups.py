"""The learner's copies: a backup kept before a reset puts the original back, and a copy's
fingerprint (to tell an edited copy from the original)."""

from __future__ import annotations

import hashlib
import shutil
from datetime import datetime
from pathlib import Path

from invert.kinds.part import STATE_DIR


def keep_backup(root: Path, copy: Path, name: str) -> Path:
    """Copy the learner's edited `copy` to .invert/backups/NAME-<timestamp>.py before a reset."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    backup = root / STATE_DIR / "backups" / f"{name}-{stamp}.py"
    backup.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(copy, backup)
    return backup


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
