"""The versions of invert and of the libraries that shape a result, read without importing them
(a cache key and the warm engine's build both carry them)."""

from __future__ import annotations

import functools
import os
import sys

from invert._version import __version__

LIBRARIES = ("scikit-learn", "numpy", "scipy", "pandas", "torch")


def library_versions() -> dict[str, str]:
    """Installed versions of the libraries that shape results, read without importing them.

    Read from the names of the ``*.dist-info`` folders on sys.path, once per process:
    importlib.metadata costs about 50 ms here, which a cached `invert try` cannot afford.
    """
    return dict(_read_versions())


@functools.cache
def _read_versions() -> dict[str, str]:
    wanted = {name.replace("-", "_").lower(): name for name in LIBRARIES}
    versions = {"invert": __version__}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in names:
            if not folder.endswith(".dist-info"):
                continue
            name, _, version = folder[: -len(".dist-info")].partition("-")
            library = wanted.get(name.lower())
            if library is not None and library not in versions:
                versions[library] = version
    return versions
