"""Minimal from-scratch NumPy implementations, each checked against scikit-learn in the tests.

They follow scikit-learn's estimator contract (see `_base.ScratchEstimator`), so any of them can
stand in for its scikit-learn counterpart in a Pipeline or an experiment.
"""
