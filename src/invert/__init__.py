"""invert: learn machine learning top-down.

Run working code first, build intuition by changing one thing at a time and predicting the
outcome, then read the theory that answers your own questions.

>>> import invert
>>> invert.__version__ >= "0.1"
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from invert._version import __version__

if TYPE_CHECKING:
    from invert.errors import LearnerError
    from invert.lab import Lab, create_lab, open_lab

__all__ = ["Lab", "LearnerError", "__version__", "create_lab", "open_lab"]


def __getattr__(name: str) -> Any:
    # Loaded on first use, so that `invert --help` and child processes stay light.
    if name == "LearnerError":
        from invert.errors import LearnerError

        return LearnerError
    if name in ("Lab", "create_lab", "open_lab"):
        from invert import lab

        return getattr(lab, name)
    raise AttributeError(f"module 'invert' has no attribute {name!r}")
