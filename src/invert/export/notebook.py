"""Notebooks: a starter or a project as an .ipynb that runs top to bottom in Jupyter.

A starter's notebook is its script cut into cells where its numbered comments start a new part,
with the docstring as the first text cell. A project's notebook has each step's explanation as
text and its code as cells, the steps' imports of each other dropped (the notebook defines
everything above), and the plots each step saved shown below it. The notebook is written next to
the code it came from, because the code finds its data relative to its own file.
"""

from __future__ import annotations

import ast
import itertools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

STEP_MODULE = "step"  # the project's scripts import each other as step<N>_<name>


@dataclass(frozen=True)
class ExportedNotebook:
    path: Path
    cells: int
    cwd: Path  # where Jupyter must run it (the notebook's own folder)

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "cells": self.cells, "cwd": str(self.cwd)}


def script_cells(source: str, drop_step_imports: bool = False) -> tuple[str | None, list[str]]:
    """(docstring, code cells) of a script: a new cell where a blank line and a comment start a
    part, and at ``if __name__ == "__main__":``.

    >>> doc, cells = script_cells('\"\"\"Hi.\"\"\"\\nimport os\\n\\n# 1. Go\\nx = 1\\ny = 2\\n')
    >>> doc, cells
    ('Hi.', ['import os', '# 1. Go\\nx = 1\\ny = 2'])
    """
    tree = ast.parse(source)
    lines = source.splitlines()
    body = list(tree.body)
    doc = None
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        if isinstance(body[0].value.value, str):
            doc = body[0].value.value.strip()
            body = body[1:]
    dropped: set[int] = set()
    if drop_step_imports:
        for node in body:
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(STEP_MODULE):
                dropped.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    starts: list[int] = []
    previous_end = body[0].lineno - 1 if body else 0
    for node in body:
        first = _first_line(node, lines, previous_end)
        between = lines[previous_end : node.lineno - 1]
        main = isinstance(node, ast.If) and "__name__" in ast.unparse(node.test)
        if (
            not starts
            or main
            or any(not a.strip() and b.startswith("# ") for a, b in itertools.pairwise(between))
        ):
            starts.append(first)
        previous_end = node.end_lineno or node.lineno
    cells = []
    ends = [*starts[1:], len(lines) + 1]
    for start, end in zip(starts, ends, strict=True):
        kept = [lines[i - 1] for i in range(start, end) if i not in dropped]
        text = "\n".join(kept).strip("\n")
        if text.strip():
            cells.append(text)
    return doc, cells


def _first_line(node: ast.stmt, lines: list[str], previous_end: int) -> int:
    """The node's first line, moved up over the comment block directly above it."""
    first = node.lineno
    if hasattr(node, "decorator_list") and node.decorator_list:
        first = min(d.lineno for d in node.decorator_list)
    while first - 1 > previous_end and lines[first - 2].startswith("#"):
        first -= 1
    return first


def starter_notebook(script: Path, title: str, where: Path) -> Any:
    """The starter's notebook, to be saved in the folder `where`."""
    import nbformat.v4 as nbf

    doc, cells = script_cells(script.read_text(encoding="utf-8"))
    file = os.path.relpath(script, where)
    nb = nbf.new_notebook()
    nb.cells.append(nbf.new_markdown_cell(f"# {title}\n\n{doc or ''}".strip()))
    nb.cells.append(
        nbf.new_code_cell(
            f"__file__ = {file!r}  # the code finds its data from where its script lives"
        )
    )
    nb.cells += [nbf.new_code_cell(cell) for cell in cells]
    _set_kernel(nb)
    return nb


def project_notebook(folder: Path, steps: list[tuple[str, str, list[str]]], where: Path) -> Any:
    """The project's notebook, to be saved in the folder `where`.

    `steps`: (title, script file name, plots it saves) in order.
    """
    import nbformat.v4 as nbf

    def rel(name: str) -> str:
        return os.path.relpath(folder / name, where)

    nb = nbf.new_notebook()
    nb.cells.append(
        nbf.new_markdown_cell(
            f"# {folder.name}\n\nThe project's seven steps, in order. The code is the same as in "
            "the step scripts next to this notebook; settings are in `project.toml`."
        )
    )
    nb.cells.append(
        nbf.new_code_cell(
            f"__file__ = {rel('step1_define.py')!r}  # the steps find project.toml from here\n"
            "from pathlib import Path\n\n"
            "from IPython.display import Image, display"
        )
    )
    for title, filename, plots in steps:
        doc, cells = script_cells((folder / filename).read_text(encoding="utf-8"), True)
        text = doc.split("\n", 1)[1].strip() if doc and "\n" in doc else ""
        nb.cells.append(nbf.new_markdown_cell(f"## {title}\n\n{text}".strip()))
        nb.cells += [nbf.new_code_cell(cell) for cell in cells]
        if plots:
            shows = "\n".join(
                f"if Path({rel(p)!r}).is_file():\n    display(Image({rel(p)!r}))" for p in plots
            )
            nb.cells.append(nbf.new_code_cell(shows))
    _set_kernel(nb)
    return nb


def _set_kernel(nb: Any) -> None:
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}


def write_notebook(nb: Any, path: Path) -> int:
    """Validate and write; return the number of cells."""
    import nbformat

    nbformat.validate(nb)
    partial = path.with_name(path.name + ".partial")
    nbformat.write(nb, str(partial))
    partial.replace(path)
    return len(nb.cells)
