"""Run a learner's script in a child process and read back what it computed."""

from invert.runner.process import ScriptRun, run_script

__all__ = ["ScriptRun", "run_script"]
