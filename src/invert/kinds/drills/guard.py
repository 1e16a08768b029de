"""Keep a learner's script inside its lab while invert checks it.

An audit hook (PEP 578) refuses, with a PermissionError the learner sees in their traceback:
- writing, deleting, renaming or creating anything outside the lab and the run's own temporary
  folder, and anything inside the lab's `.invert/` folder (the journal);
- while the script runs, reading the full datasets (the package's and the lab's `data/`), so the
  rows held out for the check stay unseen.

This guards against accidents and casual shortcuts, not against a determined attacker: Python
code can always reach the operating system some other way. The parent process also limits time
and output and kills the whole process group.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
_PATH_EVENTS = {
    # event: (position of a path argument, position of its dir_fd argument or None), ...
    "os.remove": ((0, 1),),
    "os.rmdir": ((0, 1),),
    "os.mkdir": ((0, 2),),
    "os.rename": ((0, 2), (1, 3)),
    "os.link": ((0, 2), (1, 3)),
    "os.symlink": ((1, 2),),
    "os.truncate": ((0, None),),
    "os.chmod": ((0, 2),),
    "os.chown": ((0, 4),),
    "os.utime": ((0, 4),),
    "shutil.rmtree": ((0, 1),),
}


def _real(path: Any, dir_fd: Any = None) -> str | None:
    """The absolute real path an event names; relative to `dir_fd` when one is given."""
    if isinstance(path, int):
        return None  # a file descriptor: it was checked when it was opened
    try:
        name = os.fsdecode(path)
        if isinstance(dir_fd, int) and not os.path.isabs(name):
            name = os.path.join(os.readlink(f"/proc/self/fd/{dir_fd}"), name)
        return os.path.realpath(name)
    except (TypeError, ValueError, OSError):
        return None


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


class Guard:
    """The rules for one checked run; `install()` adds the audit hook to this process."""

    def __init__(self, lab: Path, scratch: Path, hidden: list[Path], protected: list[Path]) -> None:
        self.lab = os.path.realpath(lab)
        self.journal = os.path.join(self.lab, ".invert")
        self.writable = [self.lab, os.path.realpath(scratch), os.path.realpath(os.devnull)]
        self.hidden = [os.path.realpath(p) for p in hidden]
        self.protected = [os.path.realpath(p) for p in protected]
        self.script_running = False

    def may_write(self, path: str) -> bool:
        """Inside the lab or the scratch folder; never the journal, nor a folder holding it."""
        if _inside(self.journal, path) or _inside(path, self.journal):
            return False
        if any(_inside(path, p) for p in self.protected):
            return False
        return any(_inside(path, root) for root in self.writable)

    def may_read(self, path: str) -> bool:
        return not (self.script_running and any(_inside(path, p) for p in self.hidden))

    def __call__(self, event: str, args: tuple[Any, ...]) -> None:
        if event == "open":
            path, mode, flags = [*args, None, None, None][:3]
            real = _real(path)
            if real is None:
                return
            writing = (isinstance(flags, int) and flags & _WRITE_FLAGS) or (
                isinstance(mode, str) and any(c in mode for c in "wax+")
            )
            if writing and not self.may_write(real):
                raise PermissionError(f"invert check: a drill may not write to {real}")
            if not writing and not self.may_read(real):
                raise PermissionError(
                    f"invert check: {real} holds rows kept hidden for the check; "
                    "read your data from drills/data/"
                )
        elif event in _PATH_EVENTS:
            for position, fd_position in _PATH_EVENTS[event]:
                if position < len(args):
                    dir_fd = None
                    if fd_position is not None and fd_position < len(args):
                        dir_fd = args[fd_position]
                    real = _real(args[position], dir_fd)
                    if real is not None and not self.may_write(real):
                        raise PermissionError(
                            f"invert check: a drill may not change {real} ({event})"
                        )
        elif event == "sqlite3.connect":
            real = _real(args[0]) if args else None
            if real is not None and _inside(real, self.journal):
                raise PermissionError("invert check: a drill may not open the lab's journal")

    def install(self) -> None:
        sys.addaudithook(self)
