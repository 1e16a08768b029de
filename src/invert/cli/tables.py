"""Tables that read whole at the terminal's width: ids never cut, words never cut, or stacked.

Rich fits a wide table by narrowing its columns evenly and cutting what no longer fits with "…";
a learner then cannot type the id it cut. Here a column narrows only down to its longest word
(a `no_wrap` column, such as an id, not at all), and when even that is too wide for the
terminal, each row is printed as a block of `column: value` lines instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.table import Table


def id_column(table: Table, header: str = "id", **options: object) -> None:
    """Add a column of ids: never wrapped, never cut (the table stacks first)."""
    table.add_column(header, no_wrap=True, **options)  # type: ignore[arg-type]


def print_table(table: Table, out: Console | None = None) -> None:
    """Print `table` at `out`'s width without cutting a word, stacking its rows if need be."""
    from invert.cli.output import console

    out = out or console()
    widths = fit_widths(table, out)
    if widths is None:
        print_stacked(table, out)
        return
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        column.ratio = None  # the widths are decided: Rich must not share out more
    out.print(table)


def fit_widths(table: Table, out: Console) -> list[int] | None:
    """The width of each column's content so that the table fits `out` with no word cut, or
    None when it cannot."""
    options = out.options
    ranges = [table._measure_column(out, options, column) for column in table.columns]
    padding = [table._get_padding_width(i) for i in range(len(table.columns))]
    lowest = [
        r.maximum if column.no_wrap else r.minimum
        for r, column in zip(ranges, table.columns, strict=True)
    ]
    widths = [r.maximum for r in ranges]
    room = options.max_width - table._extra_width
    if sum(lowest) > room:
        return None
    while sum(widths) > room:  # narrow the widest column that still can, one cell at a time
        i = max((i for i, w in enumerate(widths) if w > lowest[i]), key=lambda i: widths[i])
        widths[i] -= 1
    return [max(w - p, 1) for w, p in zip(widths, padding, strict=True)]


def print_stacked(table: Table, out: Console) -> None:
    """Each row as a block: its first cell, then `header: value` for the others, indented."""
    from rich.padding import Padding
    from rich.table import Table as Grid

    if table.title:
        out.print(table.title, style="bold")
    columns = table.columns
    rows: list[list[RenderableType]] = [list(column.cells) for column in columns]
    for index in range(table.row_count):
        out.print(rows[0][index], style="bold", soft_wrap=False)
        block = Grid.grid(padding=(0, 1))
        block.add_column(style="dim", no_wrap=True)
        block.add_column(overflow="fold")
        for column, cells in zip(columns[1:], rows[1:], strict=True):
            block.add_row(f"{column.header}:", cells[index])
        out.print(Padding(block, (0, 0, 0, 2)))
    if table.caption:
        out.print(table.caption)
