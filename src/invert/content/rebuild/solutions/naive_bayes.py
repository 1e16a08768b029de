"""The reference: invert/scratch/naive_bayes.py under the skeleton's name."""

from invert.scratch.naive_bayes import GaussianNBScratch as GaussianNB

__all__ = ["GaussianNB"]
