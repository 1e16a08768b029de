"""A project's settings: project.toml, which the learner edits and every step script reads.

invert writes it once, with a comment on each setting, and reads it back before each run: a
setting out of range is a one-line error naming it, not a traceback in step 5.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from invert.errors import LearnerError

SETTINGS_FILE = "project.toml"
TASKS = ("classification", "regression")
SPLITS = ("random", "group", "time")
DEFAULT_METRIC = {"classification": "accuracy", "regression": "neg_root_mean_squared_error"}
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class ProjectSettings:
    """Everything the seven steps need to know about the learner's problem."""

    name: str
    data: str  # the data file, relative to the project folder
    target: str
    task: str
    task_reason: str
    metric: str
    drop: tuple[str, ...] = ()
    drop_reasons: dict[str, str] = field(default_factory=dict)
    split: str = "random"  # "random", "group" or "time": how test rows and folds are chosen
    group: tuple[str, ...] = ()  # the column(s) whose rows stay together (split "group")
    time: str = ""  # the column that orders the rows in time (split "time")
    split_reason: str = ""
    dates: tuple[str, ...] = ()  # date columns turned into year, month and weekday features
    drop_duplicates: bool = False  # keep one of rows that repeat (up to rounding and case)
    checked: tuple[str, ...] = ()  # suspected columns the learner checked and keeps
    test_size: float = 0.2
    folds: int = 5
    seed: int = 0
    spot_check_rows: int = 5000
    jobs: int = 1
    step_timeout: int = 3600
    encoding: str = "utf-8"
    delimiter: str = ","
    na_values: tuple[str, ...] = ()
    skip_initial_space: bool = True

    def to_toml(self) -> str:
        """The file the learner reads and edits: each setting with what it does."""
        q = json.dumps  # a JSON string is a valid TOML basic string
        drops = "".join(
            f"    {q(column)},  # {self.drop_reasons.get(column, 'left out')}\n"
            for column in self.drop
        )
        drop = f"[\n{drops}]" if drops else "[]"
        return f"""\
# Settings of the project {q(self.name)}: every step script reads them (see step1_define.py).
# Edit a value, then run the steps again: invert project run {self.name}

name = {q(self.name)}
data = {q(self.data)}  # your data, copied into this folder
target = {q(self.target)}  # the column to predict
task = {q(self.task)}  # classification or regression
task_reason = {q(self.task_reason)}
# How models are scored: a scikit-learn scoring name, such as accuracy, balanced_accuracy,
# f1_macro or roc_auc for classes; neg_root_mean_squared_error, neg_mean_absolute_error or r2
# for amounts. Errors are negated so that higher is always better.
metric = {q(self.metric)}
# Columns left out of the features. invert put here the ones it suspects; remove a name to use
# the column again, add one to leave it out.
drop = {drop}
# Columns the audit suspected that you checked and keep (not the target in disguise, known
# before the outcome): listed here, they count as addressed.
checked = {json.dumps(list(self.checked))}

# How rows are split into training and test rows, and into folds: "random"; "group" (all the
# rows of one entity on the same side: the score is for entities never seen); "time" (the
# latest rows held out, folds that train on the past only).
split = {q(self.split)}
split_reason = {q(self.split_reason)}
group = {json.dumps(list(self.group))}  # the column(s) whose rows belong together
time = {q(self.time)}  # the column that orders rows in time
# Date columns become year, month and day-of-week features (never one-hot text).
dates = {json.dumps(list(self.dates))}
# Rows that repeat another (numbers to 4 significant digits, text ignoring case and spaces)
# are kept once, before the split: a copy on each side would flatter the score.
drop_duplicates = {str(self.drop_duplicates).lower()}
test_size = {self.test_size}  # share of rows held out until step 7
folds = {self.folds}  # k of k-fold cross-validation
seed = {self.seed}  # every split and every model's randomness
spot_check_rows = {self.spot_check_rows}  # at most this many training rows compare models
jobs = {self.jobs}  # processes for cross-validation; -1: every core (pays when a fold takes s)
step_timeout = {self.step_timeout}  # seconds a step may run before it is stopped

[read]  # how your file is read (found by invert project new)
encoding = {q(self.encoding)}
delimiter = {q(self.delimiter)}
na_values = {json.dumps(list(self.na_values))}  # cells that mean "not known"
skip_initial_space = {str(self.skip_initial_space).lower()}
"""

    def split_description(self) -> str:
        """How the rows are split and why, in a few words: the CLI and the report say it so.

        >>> s = ProjectSettings("p", "d.csv", "y", "regression", "", "r2", group=("town",))
        >>> s.split_description()
        'random (project.toml still names town: set split to use it)'
        """
        if self.split == "random":
            named = [*self.group, *([self.time] if self.time else [])]
            if named:  # the learner turned the audit's split off: its reason no longer applies
                return f"random (project.toml still names {', '.join(named)}: set split to use it)"
        kind = {
            "random": "random",
            "group": f"by group ({', '.join(self.group)}): all the rows of one group on one side",
            "time": f"by time ({self.time}): the latest rows held out, folds train on the past",
        }[self.split]
        return f"{kind}; {self.split_reason}" if self.split_reason else kind

    @classmethod
    def load(cls, folder: Path) -> ProjectSettings:
        """The settings in `folder`/project.toml, checked; a LearnerError names a bad one."""
        path = folder / SETTINGS_FILE
        where = f"projects/{folder.name}/{SETTINGS_FILE}"
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise LearnerError(f"{where} is missing") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise LearnerError(f"{where} is not valid TOML: {exc}") from None
        read = raw.get("read", {})
        if not isinstance(read, dict):
            raise LearnerError(f"{where}: [read] must be a table")

        def get(key: str, kind: type | tuple[type, ...], table: dict[str, Any] = raw) -> Any:
            if key not in table:
                raise LearnerError(f"{where} has no setting '{key}'")
            value = table[key]
            if isinstance(value, bool) and kind is not bool:
                raise LearnerError(f"{where}: '{key}' must not be true/false")
            if not isinstance(value, kind):
                names = (
                    " or ".join(k.__name__ for k in kind)
                    if isinstance(kind, tuple)
                    else kind.__name__
                )
                raise LearnerError(f"{where}: '{key}' must be a {names}, not {value!r}")
            return value

        drop = get("drop", list)
        if not all(isinstance(c, str) for c in drop):
            raise LearnerError(f"{where}: 'drop' must list column names in quotes")
        na_values = get("na_values", list, read)

        def names(key: str) -> tuple[str, ...]:
            value = raw.get(key, [])
            if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
                raise LearnerError(f"{where}: '{key}' must list column names in quotes")
            return tuple(value)

        def optional(key: str, kind: type, default: Any) -> Any:
            # Settings added after a project was made: its project.toml may not have them.
            return get(key, kind) if key in raw else default

        settings = cls(
            name=folder.name,
            data=get("data", str),
            target=get("target", str),
            task=get("task", str),
            task_reason=str(raw.get("task_reason", "")),
            metric=get("metric", str),
            drop=tuple(drop),
            split=optional("split", str, "random"),
            group=names("group"),
            time=optional("time", str, ""),
            split_reason=str(raw.get("split_reason", "")),
            dates=names("dates"),
            drop_duplicates=optional("drop_duplicates", bool, False),
            checked=names("checked"),
            test_size=float(get("test_size", (float, int))),
            folds=get("folds", int),
            seed=get("seed", int),
            spot_check_rows=get("spot_check_rows", int),
            jobs=get("jobs", int),
            step_timeout=get("step_timeout", int),
            encoding=get("encoding", str, read),
            delimiter=get("delimiter", str, read),
            na_values=tuple(str(v) for v in na_values),
            skip_initial_space=get("skip_initial_space", bool, read),
        )
        settings.check(where)
        return settings

    def check(self, where: str) -> None:
        """A LearnerError for the first setting out of its range."""
        if self.task not in TASKS:
            raise LearnerError(
                f"{where}: task must be classification or regression, not {self.task!r}"
            )
        limits: list[tuple[str, float, float, float]] = [
            ("test_size", self.test_size, 0.05, 0.5),
            ("folds", self.folds, 2, 20),
            ("spot_check_rows", self.spot_check_rows, 50, 10_000_000),
            ("step_timeout", self.step_timeout, 10, 86_400),
            ("seed", self.seed, 0, 2**32 - 1),
        ]
        for key, value, low, high in limits:
            if not low <= value <= high:
                raise LearnerError(
                    f"{where}: {key} must be from {low:g} to {high:g}, not {value:g}"
                )
        if self.jobs == 0 or self.jobs < -1:
            raise LearnerError(f"{where}: jobs must be -1 (every core) or at least 1")
        if len(self.delimiter) != 1:
            raise LearnerError(f"{where}: delimiter must be one character, not {self.delimiter!r}")
        import codecs

        try:
            codecs.lookup(self.encoding)
        except LookupError:
            raise LearnerError(f"{where}: unknown encoding {self.encoding!r}") from None
        if self.target in self.drop:
            raise LearnerError(f"{where}: the target '{self.target}' is in the drop list")
        if self.split not in SPLITS:
            raise LearnerError(f"{where}: split must be random, group or time, not {self.split!r}")
        if self.split == "group" and not self.group:
            raise LearnerError(f'{where}: split = "group" needs the group column(s) in group')
        if self.split == "time" and not self.time:
            raise LearnerError(f'{where}: split = "time" needs the column that orders rows in time')
        for key, columns in (("group", self.group), ("time", (self.time,)), ("dates", self.dates)):
            if self.target in columns:
                raise LearnerError(f"{where}: the target '{self.target}' cannot be in {key}")
        _check_metric(self.metric, self.task, where)


def _check_metric(metric: str, task: str, where: str) -> None:
    from sklearn.metrics import get_scorer_names

    names = get_scorer_names()
    if metric not in names:
        import difflib

        close = difflib.get_close_matches(metric, names, n=2)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise LearnerError(f"{where}: unknown metric {metric!r}{hint}")
    for_classes = metric.startswith(
        ("neg_log_loss", "neg_brier_score", "neg_negative_likelihood", "d2_log_loss", "d2_brier")
    )
    for_amounts = not for_classes and metric.startswith(
        ("neg_", "r2", "explained_variance", "max_error", "d2_")
    )
    if task == "classification" and for_amounts:
        raise LearnerError(f"{where}: {metric} scores amounts, but the task is classification")
    if task == "regression" and not for_amounts:
        raise LearnerError(f"{where}: {metric} scores classes, but the task is regression")


def check_name(name: str) -> str:
    """A project name: letters, digits, '_', '-' and '.', starting with a letter or digit."""
    if not NAME.match(name):
        raise LearnerError(
            f"{name!r} cannot name a project: use letters, digits, '_', '-' or '.' (at most 64)"
        )
    return name


def name_from_file(path: Path) -> str:
    """A project name made from a data file's name: titanic3.csv.gz -> titanic3.

    >>> name_from_file(Path("My Data (2024).csv"))
    'my-data-2024'
    """
    stem = path.name.split(".")[0]
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return slug[:64] or "project"
