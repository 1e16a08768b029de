"""Where a lab's warm engine listens, and which build of invert it must be.

Each lab has its own engine (invert/engine/server.py): a socket named after the lab's resolved
path, in a folder only its user can enter (mode 0700), so that no other user can connect and two
labs never share one. The engine's `fingerprint` covers invert's own code, the interpreter and
the libraries that shape results: a request carries the client's, and an engine built from
anything else refuses it and steps down, so no answer comes from the wrong version.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parents[1]  # the invert package this process runs
IDLE_SECONDS = 15 * 60  # an engine with nothing to do for this long ends itself


def idle_seconds() -> float:
    """INVERT_ENGINE_IDLE (seconds) overrides the quiet period after which an engine ends."""
    raw = os.environ.get("INVERT_ENGINE_IDLE", "")
    try:
        return max(1.0, float(raw)) if raw else IDLE_SECONDS
    except ValueError:
        return IDLE_SECONDS


def engine_enabled() -> bool:
    """Whether work goes to a warm engine: the platform can fork and has Unix sockets, and
    INVERT_ENGINE=0 does not turn it off (then every run happens in the command's process)."""
    import socket

    return (
        os.environ.get("INVERT_ENGINE", "1") != "0"
        and hasattr(os, "fork")
        and hasattr(socket, "AF_UNIX")
    )


@dataclass(frozen=True)
class Address:
    """The files of one lab's engine."""

    root: Path  # the lab
    socket: Path
    info: Path  # {"pid", "fingerprint", "root", "ready"} while it runs
    lock: Path  # held while one client starts it
    log: Path  # its error output (beside the socket: the engine writes nothing in a lab but
    # the sweeps' cache and charts a command would write)

    @classmethod
    def of(cls, root: Path) -> Address:
        root = root.resolve()
        base = Path(
            os.environ.get("INVERT_ENGINE_DIR")
            or Path(os.environ.get("TMPDIR") or "/tmp") / f"invert-engines-{os.getuid()}"
        )
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        if base.stat().st_uid != os.getuid() or base.stat().st_mode & 0o077:
            base.chmod(0o700)  # ours, and only ours: the socket's only protection
        name = hashlib.sha256(str(root).encode()).hexdigest()[:20]
        return cls(
            root=root,
            socket=base / f"{name}.sock",
            info=base / f"{name}.json",
            lock=base / f"{name}.lock",
            log=base / f"{name}.log",
        )

    def read_info(self) -> dict[str, Any]:
        try:
            found = json.loads(self.info.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return found if isinstance(found, dict) else {}


def fingerprint() -> str:
    """A digest of this build: invert's version and every one of its modules (their sizes and
    modification times), the interpreter, and the versions of the libraries that shape results.
    A few milliseconds: it is computed on every request."""
    from invert._version import __version__
    from invert.engine.versions import library_versions

    digest = hashlib.sha256()
    digest.update(f"{__version__}\0{sys.executable}\0{sys.version}\0".encode())
    digest.update(json.dumps(library_versions(), sort_keys=True).encode())
    digest.update(os.environ.get("INVERT_ENGINE_BUILD", "").encode())  # tests stand in a build
    for folder, subfolders, files in os.walk(PACKAGE):
        subfolders[:] = sorted(d for d in subfolders if d not in ("content", "__pycache__"))
        for name in sorted(files):
            if name.endswith(".py"):
                stat = os.stat(os.path.join(folder, name))
                digest.update(f"{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()[:24]
