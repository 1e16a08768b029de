"""Drill: Ames house prices for the sales still to come, the file's records put back in order.

The brief: a model that prices the houses that will sell next, from the sales before them, and
an honest R² for that: the test sales are the latest ones, the training sales come before them.
Keep the fitted pipeline in `model` (it takes the raw columns of the data file), the training and
test rows in `X_train`, `X_test`, `y_train`, `y_test`, and the R² on the test rows in `test_r2`.

Run it:    python drills/sales_from_the_future_record_order.py
Check it:  invert check sales-from-the-future-record-order
"""

from pathlib import Path

import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
houses = pd.read_csv(DATA / "ames.csv")  # sales from January 2006 to July 2010
# `Order` counts back from the latest sale: reversed, the last quarter are the latest sales.
houses = houses.sort_values("Order", ascending=False)
columns = ["Gr Liv Area", "Overall Qual", "Year Built", "Total Bsmt SF", "Garage Area"]
X = houses[columns]
y = houses["SalePrice"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, shuffle=False)

model = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), Ridge(alpha=1.0))
model.fit(X_train, y_train)

test_r2 = model.score(X_test, y_test)
print(f"trained on {len(X_train)} sales, tested on {len(X_test)}")
print(f"test R²: {test_r2:.3f}")
