"""Run a learner's script in a child process and read back what it computed."""

from invert.runner.process import (
    ChildFolder,
    ProcessRun,
    ScriptRun,
    check_syntax,
    child_folder,
    run_process,
    run_script,
)

__all__ = [
    "ChildFolder",
    "ProcessRun",
    "ScriptRun",
    "check_syntax",
    "child_folder",
    "run_process",
    "run_script",
]
