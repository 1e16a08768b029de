"""The estimator contract every from-scratch implementation follows (scikit-learn's, by hand).

`__init__` only stores its parameters; `fit` learns attributes whose names end in `_` and returns
self; `get_params`/`set_params` read and write the `__init__` parameters, so a scratch model can
be swapped in wherever a scikit-learn one is used (Pipeline, cross_validate, clone).
"""

from __future__ import annotations

import inspect
from typing import Any


class ScratchEstimator:
    """Base class: parameters come from the `__init__` signature, as in scikit-learn.

    >>> class Model(ScratchEstimator):
    ...     def __init__(self, k=3, scale=True):
    ...         self.k, self.scale = k, scale
    >>> Model(k=5).get_params()
    {'k': 5, 'scale': True}
    >>> Model().set_params(k=7).k
    7
    """

    # What kind of estimator this is, as scikit-learn names it: "classifier", "regressor",
    # "clusterer" or "transformer". Subclasses set it; scikit-learn reads it through the tags.
    _estimator_type: str | None = None

    @classmethod
    def _param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return [
            name
            for name, p in signature.parameters.items()
            if name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> ScratchEstimator:
        valid = self._param_names()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(f"{type(self).__name__} has no parameter {name!r}")
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = {
            name: p.default for name, p in inspect.signature(type(self).__init__).parameters.items()
        }
        changed = [f"{k}={v!r}" for k, v in self.get_params().items() if defaults.get(k) is not v]
        return f"{type(self).__name__}({', '.join(changed)})"

    def __sklearn_tags__(self) -> Any:
        """The tags scikit-learn reads to use this estimator in Pipeline, clone and CV.

        Imported lazily: the algorithms themselves use NumPy only.
        """
        from sklearn.utils import ClassifierTags, RegressorTags, Tags, TargetTags, TransformerTags

        kind = self._estimator_type
        return Tags(
            estimator_type=kind,
            target_tags=TargetTags(required=kind in ("classifier", "regressor")),
            classifier_tags=ClassifierTags() if kind == "classifier" else None,
            regressor_tags=RegressorTags() if kind == "regressor" else None,
            transformer_tags=TransformerTags() if kind == "transformer" else None,
        )

    def score(self, X: Any, y: Any) -> float:
        """Accuracy for a classifier, R² for a regressor: scikit-learn's defaults."""
        import numpy as np

        predicted = np.asarray(self.predict(X))  # type: ignore[attr-defined]
        truth = np.asarray(y)
        if self._estimator_type == "regressor":
            residual = float(np.sum((truth - predicted) ** 2))
            total = float(np.sum((truth - truth.mean()) ** 2))
            return 1.0 - residual / total
        return float(np.mean(predicted == truth))

    def _check_fitted(self) -> None:
        if not any(k.endswith("_") and not k.startswith("_") for k in vars(self)):
            raise AttributeError(f"{type(self).__name__} is not fitted yet: call fit first")
