"""Predict the sale price of a house in Ames, Iowa, from 79 columns of numbers and categories.

Run it:  python starters/ames_prices.py
Then change one thing (say max_features=0.2 -> 1.0), guess what will happen, and run it again.
"""

import time
from pathlib import Path

import pandas as pd
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.ensemble import RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.metrics import mean_absolute_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

# 1. Load the data: one row per house sold; SalePrice (dollars) is what we predict.
#    Order and PID are a row number and a parcel id: ids say nothing about a house, so drop them.
DATA = Path(__file__).resolve().parent.parent / "data"  # the data folder next to starters/
houses = pd.read_csv(DATA / "ames_housing.csv.gz")
X = houses.drop(columns=["Order", "PID", "SalePrice"])
y = houses["SalePrice"]

print("WHAT GOES IN")
first = ", ".join(X.columns[:6])
print(f"  {X.shape[0]} houses x {X.shape[1]} columns: {first} ... and {X.shape[1] - 6} more")
shown = ["Neighborhood", "Gr Liv Area", "Overall Qual", "Year Built", "SalePrice"]
print(houses[shown].sample(5, random_state=0).to_string())
print(f"  sale price ($): min {y.min():,}, median {y.median():,.0f}, max {y.max():,}")

# 2. Hold out 20% of the houses: the model never sees them while it learns.
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)

# 3. Prepare the columns. Numbers: fill each gap with the column's median. Text: fill each gap with
#    the most common value, then one-hot encode (one 0/1 column per value: models need numbers).
fill_text = SimpleImputer(strategy="most_frequent")
one_hot = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
prepare = make_column_transformer(
    (SimpleImputer(strategy="median"), make_column_selector(dtype_include="number")),
    (make_pipeline(fill_text, one_hot), make_column_selector(dtype_exclude="number")),
)

# 4. Learn: a forest of 100 trees; each split looks at a random 20% of the columns (faster, and
#    the trees differ more). The forest predicts the average of its trees' prices.
forest = RandomForestRegressor(n_estimators=100, max_features=0.2, random_state=42)
model = make_pipeline(prepare, forest)
start = time.perf_counter()
model.fit(X_train, y_train)
fit_seconds = time.perf_counter() - start

# 5. Predict the held-out houses and compare with the truth, and with the simplest guess.
y_pred = model.predict(X_test)
r2 = r2_score(y_test, y_pred)
mae = mean_absolute_error(y_test, y_pred)
mean_guess = [y_train.mean()] * len(y_test)  # the mean training price, for every house

print("\nWHAT COMES OUT")
print(f"  trained on {len(X_train)} houses in {fit_seconds:.2f} s, tested on {len(X_test)}")
print(pd.DataFrame({"truth": y_test, "predicted": y_pred.round().astype(int)}).head(8).to_string())
print(f"  r2: {r2:.3f}  (1 = every price exact, 0 = no better than guessing the mean price)")
print(f"  guessing the mean price for every house: r2 {r2_score(y_test, mean_guess):.3f}")
print(f"  mean absolute error: ${mae:,.0f}  (on average, how many dollars a prediction is off)")
