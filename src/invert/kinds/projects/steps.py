"""The seven steps of a project: their scripts (in invert/content/project) and their titles.

The scripts are the same for every project; what differs (the data, the target, the task) is in
the project's project.toml, which step 1 reads. `invert project new` copies them into
projects/NAME/, where the learner owns them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[2] / "content" / "project"


@dataclass(frozen=True)
class Step:
    number: int
    name: str  # the script is step<number>_<name>.py
    title: str

    @property
    def filename(self) -> str:
        return f"step{self.number}_{self.name}.py"

    @property
    def source(self) -> Path:
        return SCRIPTS / self.filename


STEPS = (
    Step(1, "define", "Define the problem"),
    Step(2, "look", "Look at the data"),
    Step(3, "prepare", "Prepare it"),
    Step(4, "baseline", "A baseline that learns nothing"),
    Step(5, "spot_check", "Spot-check model families"),
    Step(6, "improve", "Improve the best two"),
    Step(7, "present", "Present the result"),
)
FIRST_MODELLING_STEP = 3  # the audit is shown before this step runs


def step(number: int) -> Step:
    """The step with this number; a LearnerError outside 1 to 7."""
    from invert.errors import LearnerError

    if not 1 <= number <= len(STEPS):
        raise LearnerError(f"--step must be from 1 to {len(STEPS)}, not {number}")
    return STEPS[number - 1]
