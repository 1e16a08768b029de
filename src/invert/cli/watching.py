"""`invert watch`: check a learner's file now and again on every save until it passes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from invert.cli.output import console


def watch_until(path: Path, root: Path, passes: Callable[[], bool]) -> None:
    """Run `passes` (which reports its own verdict) now and after each save that changes `path`.

    Stops when it returns True, or on Ctrl-C (exit code 130, invert.cli.stopping). Saves that
    leave the bytes unchanged (an editor touching the file, a second event for one write) do
    not check again.
    """
    from watchfiles import watch as watch_files

    from invert.cli.stopping import keep

    keep("every check so far is in your journal")
    out = console()
    rel = path.relative_to(root).as_posix()
    last = path.read_bytes()
    if passes():
        return
    out.print(f"[bold]Watching[/] {rel}: save it to check again; Ctrl-C stops.")
    for _changes in watch_files(
        path.parent,
        watch_filter=lambda _c, name: Path(name).name == path.name,
        raise_interrupt=True,
    ):
        if not path.is_file() or path.read_bytes() == last:
            continue
        last = path.read_bytes()
        if passes():
            return
        out.print(f"[bold]Watching[/] {rel} ...")
