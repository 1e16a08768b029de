"""What leaves the lab: the portfolio site and notebooks. `Lab` inherits these operations."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from invert.errors import LearnerError

if TYPE_CHECKING:
    from invert.catalog import Catalog
    from invert.catalog.models import Starter
    from invert.export.notebook import ExportedNotebook
    from invert.export.portfolio import Site
    from invert.kinds.projects.ops import ProjectStatus
    from invert.lab import Lab

# The plots each project step saves, shown under it in the project's notebook.
STEP_PLOTS = {
    2: ["plots/target.png", "plots/missing.png", "plots/numeric.png"],
    5: ["plots/spot_check.png"],
    7: ["plots/confusion.png", "plots/predicted.png", "plots/importance.png"],
}


class ExportOperations:
    """Mixed into `Lab`, which provides these."""

    root: Path
    catalog: Catalog
    if TYPE_CHECKING:

        def projects(self) -> list[ProjectStatus]: ...
        def copy_starter(self, starter_id: str) -> Path: ...
        def check_requirements(self, starter: Starter) -> None: ...

    def build_portfolio(self, out: Path | None = None) -> Site:
        """Write the static site of this lab's work (default: portfolio/ in the lab)."""
        from invert.export.portfolio import build_portfolio

        return build_portfolio(cast("Lab", self), out)

    def export_notebook(self, what: str, out: Path | None = None) -> ExportedNotebook:
        """Write a starter's or a project's notebook; it runs top to bottom from its folder."""
        from invert.export.notebook import (
            ExportedNotebook,
            project_notebook,
            starter_notebook,
            write_notebook,
        )
        from invert.kinds.projects.steps import STEPS

        starters = self.catalog.starters
        projects = [p.name for p in self.projects()]
        if out is not None and out.suffix != ".ipynb":
            raise LearnerError(f"--out must name an .ipynb file, not {out}")
        starter = self.catalog.find_starter(what)
        if starter is not None:
            self.check_requirements(starter)
            script = self.copy_starter(starter.id)
            path = (out or script.with_suffix(".ipynb")).resolve()
            nb = starter_notebook(script, starter.title, path.parent)
        elif what in projects:
            folder = self.root / "projects" / what
            path = (out or folder / f"{what}.ipynb").resolve()
            steps = [
                (f"{s.number}. {s.title}", s.filename, STEP_PLOTS.get(s.number, [])) for s in STEPS
            ]
            missing = [name for _, name, _ in steps if not (folder / name).is_file()]
            if missing:
                raise LearnerError(
                    f"projects/{what}/{missing[0]} is missing; put it back with "
                    f"`invert project reset {what} --step {missing[0][4]}`"
                )
            nb = project_notebook(folder, steps, path.parent)
        else:
            import difflib

            close = difflib.get_close_matches(what, [*starters, *projects], n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise LearnerError(f"no starter or project named '{what}'{hint}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            cells = write_notebook(nb, path)
        except SyntaxError as exc:
            raise LearnerError(
                f"cannot cut the script into cells: line {exc.lineno}: {exc.msg}"
            ) from None
        except OSError as exc:
            raise LearnerError(f"cannot write {path}: {exc.strerror}") from None
        return ExportedNotebook(path, cells, path.parent)
