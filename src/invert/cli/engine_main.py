"""The program that runs a lab's warm engine: `python -m invert.cli.engine_main LAB`.

The engine (invert/engine/server.py) sits below the CLI and never imports it; this program, a
face like `invert serve`, gives it the CLI to run `invert run` and `invert try --json` with, and
the lab's parts to load first.
"""

from __future__ import annotations

import gc
import importlib
import os
import signal
import sys
from pathlib import Path
from typing import Any


def main(argv: list[str]) -> int:
    from invert.engine.address import Address
    from invert.engine.server import Server, kill_group

    server = Server(Address.of(Path(argv[0])))
    if not server.bind():
        return 0  # another engine serves this lab
    built: dict[str, Any] = {}

    def warm_commands() -> None:
        """The CLI built once as a Click command, and every part of a lab loaded."""
        import typer.main

        from invert.cli import root
        from invert.kinds import kinds
        from invert.lab import CORE_PARTS

        built["command"] = typer.main.get_command(root.app)
        importlib.import_module("invert.cli.stopping")
        for dotted in CORE_PARTS.values():
            importlib.import_module(dotted.partition(":")[0])
        for kind in kinds():
            if kind.part is not None:
                kind.attribute(kind.part)

    def run_command() -> None:
        from invert.cli.root import main as command

        command(built.get("command"))

    server.warm_commands, server.run_command = warm_commands, run_command

    def leave(signum: int, frame: Any) -> None:
        for task in server.tasks:
            kill_group(task.pid)
        for spare in server.spares:
            kill_group(spare.pid)
        server.step_down()
        os._exit(0)

    signal.signal(signal.SIGTERM, leave)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C in the terminal that started it
    try:
        server.warm_up()
        # What is loaded now stays as it is: the collector never walks it again, so a forked
        # child does not copy every page of it the first time it collects (copy-on-write).
        gc.freeze()
        server.serve()
    finally:
        server.step_down()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
