"""The exports part of a lab: what leaves it (the journal as JSON, the portfolio site,
notebooks) and what comes back in (another lab's journal)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from invert.errors import LearnerError
from invert.kinds.part import Part

if TYPE_CHECKING:
    from invert.export.notebook import ExportedNotebook
    from invert.export.portfolio import Site

# The plots each project step saves, shown under it in the project's notebook.
STEP_PLOTS = {
    2: ["plots/target.png", "plots/missing.png", "plots/numeric.png"],
    5: ["plots/spot_check.png"],
    7: ["plots/confusion.png", "plots/predicted.png", "plots/importance.png"],
}


class Exports(Part):
    """What leaves one lab and what comes into it: `lab.exports`."""

    def export(self, path: Path) -> int:
        """Write the whole journal to a JSON file; return the number of events."""
        from invert.store.archive import write_export
        from invert.store.health import remember_export

        written = write_export(self.store, path)
        if not self.store.readonly:  # named if the journal is ever damaged
            remember_export(self.store.path, path)
        return written

    def import_(self, path: Path) -> int:
        """Merge a JSON export into this lab, skipping events it has; return how many were new."""
        from invert.store.archive import read_export

        return self.store.import_events(read_export(path))

    def build_portfolio(self, out: Path | None = None) -> Site:
        """Write the static site of this lab's work (default: portfolio/ in the lab)."""
        from invert.export.portfolio import build_portfolio

        return build_portfolio(self.lab, out)

    def notebook(self, what: str, out: Path | None = None) -> ExportedNotebook:
        """Write a starter's or a project's notebook; it runs top to bottom from its folder."""
        from invert.export.notebook import (
            ExportedNotebook,
            project_notebook,
            starter_notebook,
            write_notebook,
        )
        from invert.kinds.projects.steps import STEPS

        starters = self.catalog.starters
        projects = [p.name for p in self.lab.part("projects").statuses()]
        if out is not None and out.suffix != ".ipynb":
            raise LearnerError(f"--out must name an .ipynb file, not {out}")
        starter = self.catalog.find_starter(what)
        if starter is not None:
            starters = self.lab.part("starters")
            starters.check_requirements(starter)
            script = starters.copy(starter.id)
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
