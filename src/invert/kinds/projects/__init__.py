"""A learner's own dataset: reading it, deciding the task, and what to distrust before modelling.

`table` reads a CSV whatever its delimiter and encoding; `task` decides classification or
regression from the target, with the reason; `audit` finds what a senior engineer would distrust
first (identifiers, repeated entities, time order, duplicates, leaks) and the fix for each.
"""
