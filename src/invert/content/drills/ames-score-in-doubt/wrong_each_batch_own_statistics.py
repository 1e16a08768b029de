"""Drill: Ames house prices from a handful of measurements, scored on houses held back.

The brief: a model that prices a house from its size, quality, age, lot and garage, and an
honest R² on test houses the model never saw. Keep the fitted pipeline in `model` (it takes the
raw columns of the data file) and the R² on the test rows in `test_r2`.

Run it:    python drills/ames_score_in_doubt.py
Check it:  invert check ames-score-in-doubt
"""

from pathlib import Path

import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
houses = pd.read_csv(DATA / "ames.csv")
columns = [
    "Gr Liv Area",
    "Lot Frontage",  # missing for about one house in six
    "Overall Qual",
    "Year Built",
    "Total Bsmt SF",
    "Garage Area",
]
X = houses[columns]
y = houses["SalePrice"]


def own_statistics(frame):
    """Each batch filled and scaled with its own medians and spreads: none sees another's."""
    frame = frame[columns]
    frame = frame.fillna(frame.median())
    return (frame - frame.mean()) / frame.std()


prep = FunctionTransformer(own_statistics)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
ridge = Ridge(alpha=1.0).fit(prep.transform(X_train), y_train)
model = make_pipeline(prep, ridge)  # for deployment: raw rows in, price out
test_r2 = model.score(X_test, y_test)
print(f"trained on {len(X_train)} houses, tested on {len(X_test)}")
print(f"test R²: {test_r2:.3f}")
