"""Drill: pricing Ames houses with a linear model of the log price.

The brief: a model that estimates the sale price of a house in Ames, Iowa (in dollars) from its
size, plot, age, quality, garage, location and the kind of sale, to price houses that come on
the market later. The model is linear in the logarithm of the price, so that every feature
moves the price by a percentage. Keep the fitted pipeline in `model` (it takes the raw columns
of the data file and gives dollars) and its R² on the test rows in `test_r2`.

Run it:    python drills/neighbourhood_prices_off_log_price.py
Check it:  invert check neighbourhood-prices-off-log-price
"""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import TransformedTargetRegressor, make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
houses = pd.read_csv(DATA / "ames.csv")
X = houses.drop(columns=["SalePrice"])
y = houses["SalePrice"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)

numbers = ["Gr Liv Area", "Lot Area", "Year Built", "Overall Qual", "Garage Cars"]
words = ["Neighborhood", "Sale Condition"]
prepare = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numbers),
    # Names, not a scale: one 0/1 column each, so each moves the price by its own percentage.
    (OneHotEncoder(handle_unknown="ignore"), words),
)
log_price = TransformedTargetRegressor(Ridge(alpha=1.0), func=np.log, inverse_func=np.exp)
model = make_pipeline(prepare, log_price)
model.fit(X_train, y_train)

test_r2 = model.score(X_test, y_test)
off = (y_test / model.predict(X_test) - 1).groupby(X_test["Neighborhood"]).mean()
print(f"trained on {len(X_train)} houses, tested on {len(X_test)}")
print(f"test R²: {test_r2:.3f}")
print("mean error (price / predicted - 1) by neighbourhood, most overpriced and underpriced:")
print(off.sort_values().round(2).iloc[[0, 1, 2, -3, -2, -1]].to_string())
