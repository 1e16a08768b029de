"""Drill: pricing Ames houses with a linear model, kind of dwelling included.

The brief: a model that estimates the sale price of a house in Ames, Iowa (in dollars) from its
size, age, plot, location and kind of dwelling, to price houses that come on the market later.
Keep the fitted pipeline in `model` (it takes the raw columns of the data file) and its R² on the
test rows in `test_r2`.

Run it:    python drills/neighbourhood_prices_off_dwelling_code.py
Check it:  invert check neighbourhood-prices-off-dwelling-code
"""

from pathlib import Path

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import KBinsDiscretizer, OneHotEncoder, StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
houses = pd.read_csv(DATA / "ames.csv")
X = houses.drop(columns=["SalePrice"])
y = houses["SalePrice"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)

numbers = ["Gr Liv Area", "Lot Area", "Year Built", "Full Bath", "Bedroom AbvGr"]
words = ["Neighborhood", "MS Zoning"]
prepare = make_column_transformer(
    (StandardScaler(), numbers),
    # Price does not rise in a straight line with MS SubClass: one 0/1 column per band of it.
    (KBinsDiscretizer(n_bins=5, encode="onehot", strategy="uniform"), ["MS SubClass"]),
    (OneHotEncoder(handle_unknown="ignore"), words),
)
model = make_pipeline(prepare, Ridge(alpha=1.0))
model.fit(X_train, y_train)

test_r2 = model.score(X_test, y_test)
error = (y_test - model.predict(X_test)).groupby(X_test["MS SubClass"]).mean()
print(f"trained on {len(X_train)} houses, tested on {len(X_test)}")
print(f"test R²: {test_r2:.3f}")
print("mean error (price - predicted) by MS SubClass:")
print(error.round(-3).to_string())
