"""The reference: invert/scratch/logistic_regression.py under the skeleton's name."""

from invert.scratch.logistic_regression import LogisticRegressionScratch as LogisticRegression

__all__ = ["LogisticRegression"]
