"""The `invert` command's entry point: light, so that a command the warm engine runs for the
learner (invert/engine/remote.py) costs only the relay; every other command loads the CLI."""

from __future__ import annotations

import sys


def main() -> None:
    argv = sys.argv[1:]
    from invert.engine.remote import run_in_engine, worth_it

    if worth_it(argv):
        code = run_in_engine(argv)
        if code is not None:
            sys.exit(code)
    from invert.cli.root import main as command

    command()
