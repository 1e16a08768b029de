"""The `invert` command: `root` makes it from the registry (`make_app`, `app`, `main`); the other
modules are the commands about the whole lab and what every command shares (output, tables,
the pager, numbers, Ctrl-C). This package's own module imports nothing, so that a kind's
commands can import what they share while `root` imports the kinds' commands.
"""
