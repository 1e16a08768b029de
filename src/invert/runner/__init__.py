"""Run a learner's script in a child process and read back what it computed."""

from invert.runner.process import ProcessRun, ScriptRun, check_syntax, run_process, run_script

__all__ = ["ProcessRun", "ScriptRun", "check_syntax", "run_process", "run_script"]
