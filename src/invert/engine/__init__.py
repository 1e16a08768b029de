"""The engine: how invert runs models (thread control now; sweeps and caching later)."""
