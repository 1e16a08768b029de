"""Drill: pricing houses in Ames, Iowa, with boosted trees fitted to the price's digits.

The brief: predict the sale price of a house, in dollars, from the facts listed below. Prices
are skewed (a few houses cost several times the typical one), so the model may be fitted to a
logarithm of the price. Keep the fitted pipeline in `model`, a function `predict(houses)` that
takes raw rows of the data file and returns prices in dollars, and the root mean squared error
of `predict` on the test rows, in dollars, in `rmse`.

Run it:    python drills/twelve_dollar_houses_log10.py
Check it:  invert check twelve-dollar-houses-log10
"""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.impute import SimpleImputer
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
houses = pd.read_csv(DATA / "ames.csv")
X = houses.drop(columns=["SalePrice"])
y = houses["SalePrice"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=1)

numbers = ["Gr Liv Area", "Overall Qual", "Year Built", "Total Bsmt SF", "Garage Area", "Lot Area"]
words = ["Neighborhood", "Exter Qual", "Bldg Type"]
prepare = make_column_transformer(
    (SimpleImputer(strategy="median"), numbers),  # trees need no scaling
    (OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), words),
)
model = make_pipeline(prepare, GradientBoostingRegressor(random_state=0))
model.fit(X_train, np.log10(y_train))  # 5 for $100,000, 6 for $1,000,000: easy to read


def predict(houses):
    return model.predict(houses)


rmse = np.sqrt(mean_squared_error(np.log10(y_test), predict(X_test)))
print(f"trained on {len(X_train)} houses, tested on {len(X_test)}")
print(f"first predicted prices: {', '.join(f'${p:,.2f}' for p in predict(X_test)[:3])}")
print(f"typical error (RMSE): ${rmse:,.2f} per house")
