"""Step-through traces: run code line by line and record what each line did to its variables.

`recorder` runs code under `sys.settrace` and keeps `steps.Step`s; `values` summarises what a
step shows (arrays by shape, dtype, range and a preview) and what changed; `algorithms` prepares
the from-scratch implementations on a bundled dataset; `child` runs a trace in its own process;
`navigate` finds where the viewer's keys jump; `viewer` is the terminal step viewer; `tour`
opens the real debugger on a starter.
"""
