"""Drill: Ames house prices, for neighbourhoods where no house has been sold to us yet.

The brief: a model that prices houses in neighbourhoods the firm has no sales from, and an honest
R² for such houses. Keep the fitted pipeline in `model` (it takes the raw columns of the data
file), the training and test rows in `X_train`, `X_test`, `y_train`, `y_test`, and the R² on
the test rows in `test_r2`.

Run it:    python drills/new_neighbourhoods_priced_worse.py
Check it:  invert check new-neighbourhoods-priced-worse
"""

from pathlib import Path

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
houses = pd.read_csv(DATA / "ames.csv")
numbers = ["Gr Liv Area", "Overall Qual", "Year Built", "Total Bsmt SF", "Garage Area"]
X = houses[[*numbers, "Neighborhood"]]
y = houses["SalePrice"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)

prepare = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numbers),
    # The model must not know the neighbourhood: new ones will have no sales on record.
    ("drop", ["Neighborhood"]),
)
model = make_pipeline(prepare, Ridge(alpha=1.0))
model.fit(X_train, y_train)

test_r2 = model.score(X_test, y_test)
print(f"trained on {len(X_train)} houses, tested on {len(X_test)}")
print(f"test R²: {test_r2:.3f}")
