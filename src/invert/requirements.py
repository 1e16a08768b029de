"""Optional modules a piece of content needs, and how a learner installs them."""

from __future__ import annotations

import importlib.util

from invert.errors import LearnerError

# PyPI's torch wheel for Linux pulls in gigabytes of CUDA libraries; the CPU build is all a
# learner needs, and PyTorch serves it from its own index.
EXTRA_INSTALL = {
    "torch": "pip install torch --index-url https://download.pytorch.org/whl/cpu (the CPU build)"
}


def require(modules: tuple[str, ...], who: str) -> None:
    """A LearnerError naming the install command for the first missing optional module."""
    for module in modules:
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):  # a broken install counts as missing
            found = False
        if not found:
            how = EXTRA_INSTALL.get(module, f"pip install {module}")
            raise LearnerError(f"{who} needs {module}, which is not installed: {how}")
