"""Build it yourself: the learner rewrites an algorithm and invert checks it against scikit-learn.

`reference.py` makes the hidden data and scikit-learn's answers, `judge.py` compares the
learner's class with them, `child.py` runs both in one guarded process (scikit-learn first, then
blocked), `run.py` is the parent side and `verify.py` proves every exercise for `invert dev check`.
"""
