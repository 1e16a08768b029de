"""Drill: pricing houses in Ames, Iowa, from a few facts about them.

The brief: predict the sale price of a house, in dollars, from the facts listed below. Prices
are skewed (a few houses cost several times the typical one), so the model may be fitted to the
logarithm of the price. Keep the fitted pipeline in `model`, a function `predict(houses)` that
takes raw rows of the data file and returns prices in dollars, and the root mean squared error
of `predict` on the test rows, in dollars, in `rmse`.

Run it:    python drills/twelve_dollar_houses.py
Check it:  invert check twelve-dollar-houses
"""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import TransformedTargetRegressor, make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
houses = pd.read_csv(DATA / "ames.csv")
X = houses.drop(columns=["SalePrice"])
y = houses["SalePrice"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)

numbers = ["Gr Liv Area", "Overall Qual", "Year Built", "Total Bsmt SF", "Garage Cars", "Lot Area"]
words = ["Neighborhood", "Kitchen Qual"]
prepare = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numbers),
    (OneHotEncoder(handle_unknown="ignore"), words),
)
# The log and its inverse live inside the model: it learns log prices and answers in dollars.
model = TransformedTargetRegressor(
    make_pipeline(prepare, Ridge(alpha=1.0)), func=np.log, inverse_func=np.exp
)
model.fit(X_train, y_train)


def predict(houses):
    return model.predict(houses)


rmse = np.sqrt(mean_squared_error(y_test, predict(X_test)))
print(f"trained on {len(X_train)} houses, tested on {len(X_test)}")
print(f"first predicted prices: {', '.join(f'${p:,.2f}' for p in predict(X_test)[:3])}")
print(f"typical error (RMSE): ${rmse:,.2f} per house")
