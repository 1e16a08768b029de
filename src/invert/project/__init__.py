"""A learner's own dataset: reading it, deciding the task, and what to distrust before modelling.

`table` reads a CSV whatever its delimiter and encoding; `task` decides classification or
regression from the target, with the reason; `sanity` lists the leakage and sanity problems a
senior engineer would look for first.
"""
