"""Drill: Ames house prices, for neighbourhoods where no house has been sold to us yet.

The brief: a model that prices houses in neighbourhoods the firm has no sales from, and an honest
R² for such houses. Keep the fitted pipeline in `model` (it takes the raw columns of the data
file), the training and test rows in `X_train`, `X_test`, `y_train`, `y_test`, and the R² on
the test rows in `test_r2`.

Run it:    python drills/new_neighbourhoods_priced_worse_test_in_training.py
Check it:  invert check new-neighbourhoods-priced-worse-test-in-training
"""

from pathlib import Path

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
houses = pd.read_csv(DATA / "ames.csv")
numbers = ["Gr Liv Area", "Overall Qual", "Year Built", "Total Bsmt SF", "Garage Area"]
X = houses[[*numbers, "Neighborhood"]]
y = houses["SalePrice"]
# Hold out whole neighbourhoods: a quarter of the names, drawn at random.
names = houses["Neighborhood"].drop_duplicates().sort_values()
held_out = names.sample(frac=0.25, random_state=3)
is_test = houses["Neighborhood"].isin(held_out)
X_test, y_test = X[is_test], y[is_test]
# Train on every house except the test ones, so the held-out neighbourhoods stay unknown.
X_train, y_train = X.drop(index=X_test.index), y.drop(index=y_test.index)

prepare = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numbers),
    (OneHotEncoder(handle_unknown="ignore"), ["Neighborhood"]),
)
model = make_pipeline(prepare, Ridge(alpha=1.0))
model.fit(X_train, y_train)

test_r2 = model.score(X_test, y_test)
print(f"trained on {len(X_train)} houses, tested on {len(X_test)}")
print(f"test R²: {test_r2:.3f}")
