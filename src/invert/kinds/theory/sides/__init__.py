"""The scikit-learn side of a card's `--run`, one module per topic, for cards whose comparison is
a function pair (compare = "function"): the from-scratch side lives in `invert.scratch`."""
