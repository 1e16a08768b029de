"""The reference: invert/scratch/kmeans.py under the skeleton's name."""

from invert.scratch.kmeans import KMeansScratch as KMeans

__all__ = ["KMeans"]
