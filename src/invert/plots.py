"""Charts of a sweep: as text for the terminal, as a PNG (matplotlib) and as interactive HTML
(Plotly, its JavaScript in one copy per lab beside the charts, so each opens offline)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from invert.engine.result import SweepResult


def _x(result: SweepResult) -> tuple[list[float], list[str] | None]:
    """Numeric x positions, plus tick labels when the knob's values are names."""
    values = [p.value for p in result.points]
    if all(isinstance(v, int | float) for v in values):
        return [float(v) for v in values], None
    return [float(i) for i in range(len(values))], [str(v) for v in values]


def _log_axis(result: SweepResult, log: bool) -> bool:
    xs, labels = _x(result)
    return log and labels is None and all(x > 0 for x in xs)


def terminal_chart(result: SweepResult, height: int = 12, column_width: int = 7) -> str:
    """The train (o) and test (*) curves as text, one column per knob value, spread as ':'.

    >>> from invert.engine.result import Point, SweepResult
    >>> pts = [Point(v, 0.9, 0.0, m, 0.01, 0.0, 0.0, [0], 1) for v, m in [(1, 0.7), (2, 0.8)]]
    >>> print(terminal_chart(SweepResult("e", "k", "accuracy", True, pts, {}, "", {}, 0, 1, "loky"),
    ...                      height=4))
     0.900 |  o      o
           |         *
           |         :
     0.690 |  *
           +------------
              1      2
      o train   * test   (accuracy by k)
    """
    points = result.points
    lows = [min(p.train_mean, p.test_mean - p.test_std) for p in points]
    highs = [max(p.train_mean, p.test_mean + p.test_std) for p in points]
    low, high = min(lows), max(highs)
    span = (high - low) or 1.0

    def row(value: float) -> int:
        return round((high - value) / span * (height - 1))

    grid = [[" "] * (len(points) * column_width) for _ in range(height)]
    for i, p in enumerate(points):
        col = i * column_width + 2
        for r in range(row(p.test_mean + p.test_std), row(p.test_mean - p.test_std) + 1):
            grid[r][col] = ":"
        grid[row(p.train_mean)][col] = "o"
        grid[row(p.test_mean)][col] = "@" if row(p.test_mean) == row(p.train_mean) else "*"
    lines = []
    for r, cells in enumerate(grid):
        label = f"{high:6.3f}" if r == 0 else f"{low:6.3f}" if r == height - 1 else " " * 6
        lines.append(f"{label} |{''.join(cells).rstrip()}")
    lines.append(" " * 7 + "+" + "-" * (len(points) * column_width - 2))
    ticks = "".join(f"{str(p.value)[: column_width - 1]:<{column_width}}" for p in points)
    lines.append(" " * 10 + ticks.rstrip())
    legend = "o train   * test" + ("   @ both" if any("@" in "".join(g) for g in grid) else "")
    lines.append(f"  {legend}   ({result.metric} by {result.knob})")
    return "\n".join(lines)


def write_png(result: SweepResult, path: Path, title: str, log: bool = False) -> Path:
    """The sweep as a PNG, drawn by Matplotlib's object interface: no pyplot, so no backend is
    chosen for a learner's script that later runs in the same (warm) process."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    xs, labels = _x(result)
    fig = Figure(figsize=(7, 4.2), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    for part, colour in (("train", "#888888"), ("test", "#1f6feb")):
        means = [getattr(p, f"{part}_mean") for p in result.points]
        spreads = [getattr(p, f"{part}_std") for p in result.points]
        ax.errorbar(xs, means, yerr=spreads, marker="o", capsize=3, label=part, color=colour)
    if labels is not None:
        ax.set_xticks(xs, labels)
    elif _log_axis(result, log):
        ax.set_xscale("log")
    ax.set_xlabel(result.knob)
    ax.set_ylabel(result.metric)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    return path


def plotly_spec(result: SweepResult, title: str, log: bool = False) -> dict[str, Any]:
    """The sweep as a Plotly figure (plain data and layout): the HTML file and the web app draw it.

    Built without importing plotly, so the web app answers a cached run in milliseconds.
    """
    xs, labels = _x(result)
    data = [
        {
            "type": "scatter",
            "x": labels or xs,
            "y": [getattr(p, f"{part}_mean") for p in result.points],
            "error_y": {
                "type": "data",
                "array": [getattr(p, f"{part}_std") for p in result.points],
            },
            "mode": "lines+markers",
            "name": part,
            "customdata": [[p.fit_seconds * 1000] for p in result.points],
            "hovertemplate": "%{x}: %{y:.3f} (fit %{customdata[0]:.0f} ms)<extra>"
            + part
            + "</extra>",
        }
        for part in ("train", "test")
    ]
    layout = {
        "title": {"text": title},
        "xaxis": {"title": {"text": result.knob}, "type": "log" if _log_axis(result, log) else "-"},
        "yaxis": {"title": {"text": result.metric}},
    }
    return {"data": data, "layout": layout}


def plotly_js() -> Path:
    """Plotly's JavaScript as the installed plotly package bundles it (never a CDN)."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def share_plotly_js(target: Path) -> Path:
    """Plotly's JavaScript copied to `target` unless already there (one copy per lab)."""
    source = plotly_js()
    if not target.is_file() or target.stat().st_size != source.stat().st_size:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}.part")
        shutil.copyfile(source, partial)
        partial.replace(target)  # whole or not at all: two runs at once may both copy it
    return target


def write_html(
    result: SweepResult, path: Path, title: str, log: bool = False, script: Path | None = None
) -> Path:
    """The sweep as a Plotly page; it loads Plotly's JavaScript from `script` (a shared copy,
    by a relative path, so a chart is kilobytes and opens offline) or, without one, holds it."""
    import plotly.graph_objects as go

    spec = plotly_spec(result, title, log)
    fig = go.Figure(data=spec["data"], layout=spec["layout"])
    fig.update_layout(template="plotly_white")
    path.parent.mkdir(parents=True, exist_ok=True)
    include: str | bool = True
    if script is not None:
        share_plotly_js(script)
        include = Path(os.path.relpath(script, path.parent)).as_posix()
    fig.write_html(path, include_plotlyjs=include, full_html=True)
    return path
