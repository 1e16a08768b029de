"""The recorded trace: its steps, the source files they point into, and how the run ended.

A step is one moment the tracer stopped at: a function called (`call`), a line about to run
(`line`), a function returning (`return`), an exception raised (`exception`), iterations of a
loop run without stepping (`skip`), or the end of recording (`stop`). A `line` step's values
are the variables as they are before its line runs; their changes are what the line before
(`after_line`) did.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from invert.kinds.traces.values import Value

FORMAT = "invert-trace"
FORMAT_VERSION = 1
STEP_KINDS = ("call", "line", "return", "exception", "skip", "stop")


@dataclass
class Place:
    """One frame of the call stack: which function, in which file, at which line."""

    function: str
    file: int
    line: int

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Loop:
    """The innermost loop a step is in, and which of its iterations this is (from 1)."""

    line: int
    iteration: int

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Step:
    """One moment of the run, with the variables of its frame as they are then."""

    index: int
    kind: str
    file: int
    line: int
    function: str
    frame: int  # one number per function call, to tell calls of the same function apart
    depth: int
    values: list[Value] = field(default_factory=list)
    stack: list[Place] = field(default_factory=list)
    after_line: int | None = None
    loop: Loop | None = None
    note: str | None = None
    output: str = ""  # what the program printed since the step before
    returned: Value | None = None

    @property
    def changed(self) -> list[Value]:
        return [v for v in self.values if v.change is not None]

    def value(self, name: str) -> Value:
        """The variable called `name` at this step (KeyError if the step does not show it)."""
        for value in self.values:
            if value.name == name:
                return value
        raise KeyError(name)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "index": self.index,
            "kind": self.kind,
            "file": self.file,
            "line": self.line,
            "function": self.function,
            "frame": self.frame,
            "depth": self.depth,
            "after_line": self.after_line,
            "loop": self.loop.to_json() if self.loop else None,
            "note": self.note,
            "output": self.output,
            "returned": self.returned.to_json() if self.returned else None,
            "stack": [p.to_json() for p in self.stack],
            "values": [v.to_json() for v in self.values],
        }
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Step:
        loop, returned = data.get("loop"), data.get("returned")
        return cls(
            index=data["index"],
            kind=data["kind"],
            file=data["file"],
            line=data["line"],
            function=data["function"],
            frame=data["frame"],
            depth=data["depth"],
            after_line=data.get("after_line"),
            loop=Loop(**loop) if loop else None,
            note=data.get("note"),
            output=data.get("output", ""),
            returned=Value.from_json(returned) if returned else None,
            stack=[Place(**p) for p in data.get("stack", [])],
            values=[Value.from_json(v) for v in data.get("values", [])],
        )


@dataclass
class SourceFile:
    """A traced file: where it is, a short name to show, its lines and its loops."""

    path: str
    name: str
    lines: list[str]
    loops: list[tuple[int, int]] = field(default_factory=list)  # (header line, last line)

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "loops": [list(span) for span in self.loops]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SourceFile:
        loops = [(int(a), int(b)) for a, b in data.get("loops", [])]
        return cls(data["path"], data["name"], data["lines"], loops)


@dataclass
class Trace:
    """A whole recorded run: what was traced, its files, its steps and how it ended."""

    title: str
    subject: dict[str, Any]
    files: list[SourceFile]
    steps: list[Step]
    max_steps: int
    full_iterations: int
    lines_run: int = 0
    seconds: float = 0.0
    stopped: str | None = None  # "steps" or "time" when recording stopped early
    error: dict[str, Any] | None = None  # the exception that ended the program, if one did
    guide: str = ""
    output: str = ""

    def source_line(self, step: Step) -> str:
        lines = self.files[step.file].lines
        return lines[step.line - 1] if 0 < step.line <= len(lines) else ""

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "title": self.title,
            "subject": self.subject,
            "max_steps": self.max_steps,
            "full_iterations": self.full_iterations,
            "lines_run": self.lines_run,
            "seconds": round(self.seconds, 4),
            "stopped": self.stopped,
            "error": self.error,
            "guide": self.guide,
            "output": self.output,
            "files": [f.to_json() for f in self.files],
            "steps": [s.to_json() for s in self.steps],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Trace:
        if data.get("format") != FORMAT or data.get("version") != FORMAT_VERSION:
            raise ValueError(f"not an {FORMAT} version {FORMAT_VERSION} file")
        return cls(
            title=data["title"],
            subject=data["subject"],
            files=[SourceFile.from_json(f) for f in data["files"]],
            steps=[Step.from_json(s) for s in data["steps"]],
            max_steps=data["max_steps"],
            full_iterations=data["full_iterations"],
            lines_run=data["lines_run"],
            seconds=data["seconds"],
            stopped=data.get("stopped"),
            error=data.get("error"),
            guide=data.get("guide", ""),
            output=data.get("output", ""),
        )

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json()), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Trace:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))
