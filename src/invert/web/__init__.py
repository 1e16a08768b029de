"""`invert serve`: the web app over the same `Lab` facade as the CLI (needs the `web` extra).

Nothing here is imported by `invert --help`; `invert serve` imports `invert.web.server` when run.
"""
