"""The reference: invert/scratch/linear_regression.py under the skeleton's names."""

from invert.scratch.linear_regression import LinearRegressionGD
from invert.scratch.linear_regression import LinearRegressionNormal as LinearRegression

__all__ = ["LinearRegression", "LinearRegressionGD"]
