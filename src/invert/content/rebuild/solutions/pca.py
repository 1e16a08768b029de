"""The reference: invert/scratch/pca.py under the skeleton's name."""

from invert.scratch.pca import PCAScratch as PCA

__all__ = ["PCA"]
