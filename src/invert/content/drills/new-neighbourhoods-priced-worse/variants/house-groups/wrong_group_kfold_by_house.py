"""Drill: Ames house prices, for neighbourhoods where no house has been sold to us yet.

The brief: a model that prices houses in neighbourhoods the firm has no sales from, and an honest
R² for such houses. Keep the fitted pipeline in `model` (it takes the raw columns of the data
file), the training and test rows in `X_train`, `X_test`, `y_train`, `y_test`, and the R² on
the test rows in `test_r2`.

Run it:    python drills/new_neighbourhoods_priced_worse_house_groups.py
Check it:  invert check new-neighbourhoods-priced-worse-house-groups
"""

from pathlib import Path

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
houses = pd.read_csv(DATA / "ames.csv")
numbers = ["Gr Liv Area", "Overall Qual", "Year Built", "Total Bsmt SF", "Garage Area"]
X = houses[[*numbers, "Neighborhood"]]
y = houses["SalePrice"]
# Keep related rows together: one fold of GroupKFold, each house (its PID) a group.
folds = GroupKFold(n_splits=4, shuffle=True, random_state=0)
train, test = next(folds.split(X, y, groups=houses["PID"]))
X_train, X_test, y_train, y_test = X.iloc[train], X.iloc[test], y.iloc[train], y.iloc[test]

prepare = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numbers),
    (OneHotEncoder(handle_unknown="ignore"), ["Neighborhood"]),
)
model = make_pipeline(prepare, Ridge(alpha=1.0))
model.fit(X_train, y_train)

test_r2 = model.score(X_test, y_test)
print(f"trained on {len(X_train)} houses, tested on {len(X_test)}")
print(f"test R²: {test_r2:.3f}")
