"""The reference: invert/scratch/mlp.py, whose `backward` is the part to write."""

from invert.scratch.mlp import MLPClassifierScratch as MLPClassifier

__all__ = ["MLPClassifier"]
