"""The reference: invert's from-scratch kNN (invert/scratch/knn.py) under the skeleton's name."""

from invert.scratch.knn import KNeighborsClassifierScratch as KNeighborsClassifier

__all__ = ["KNeighborsClassifier"]
