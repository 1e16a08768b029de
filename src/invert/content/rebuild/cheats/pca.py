"""Not a rebuild: scikit-learn's source loaded by file path, around the import system. Must be
refused."""

import importlib.util
import pathlib
import sys

import numpy

_site = pathlib.Path(numpy.__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("sklearn", _site / "sklearn" / "__init__.py")
_module = importlib.util.module_from_spec(_spec)
sys.modules["sklearn"] = _module
_spec.loader.exec_module(_module)
from sklearn.decomposition import PCA  # noqa: E402

__all__ = ["PCA"]
