"""Drill: pricing houses in Ames, Iowa, with prices quoted in thousands, as agents do.

The brief: predict the sale price of a house, in dollars, from the facts listed below. The
model may be fitted to prices in thousands of dollars, the way estate agents quote them
($185k). Keep the fitted pipeline in `model`, a function `predict(houses)` that takes raw rows
of the data file and returns prices in dollars, and the root mean squared error of `predict`
on the test rows, in dollars, in `rmse`.

Run it:    python drills/twelve_dollar_houses_thousands.py
Check it:  invert check twelve-dollar-houses-thousands
"""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
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
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=2)

numbers = ["Gr Liv Area", "Overall Qual", "Year Remod/Add", "Total Bsmt SF", "Full Bath"]
words = ["Neighborhood", "Bsmt Qual", "Garage Type"]
prepare = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numbers),
    (OneHotEncoder(handle_unknown="ignore"), words),
)
model = make_pipeline(prepare, Ridge(alpha=1.0))
model.fit(X_train, y_train / 1000)  # in thousands of dollars: $185k, as agents quote prices


def predict(houses):
    # The model answers in thousands of dollars: back to dollars.
    return model.predict(houses) * 1000


rmse = np.sqrt(mean_squared_error(y_test, predict(X_test)))
print(f"trained on {len(X_train)} houses, tested on {len(X_test)}")
print(f"first predicted prices: {', '.join(f'${p:,.2f}' for p in predict(X_test)[:3])}")
print(f"typical error (RMSE): ${rmse:,.2f} per house")
