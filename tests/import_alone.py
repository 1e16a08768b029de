"""What tests/test_house.py runs in each fresh process: one module imported first, alone.

A module of its own, importing nothing at the top, so that a child process loads only this to
find the function (the test module itself parses every source file when it is imported).
"""

from __future__ import annotations


def import_alone(module: str) -> str:
    """Import `module` in a process where nothing of invert is imported yet; "" or the error."""
    import importlib
    import traceback

    try:
        importlib.import_module(module)
    except Exception:
        return traceback.format_exc(limit=-3)
    return ""
