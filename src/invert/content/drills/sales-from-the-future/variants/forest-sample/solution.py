"""Drill: Ames house prices for the sales still to come, a forest tested on a sample of sales.

The brief: a random forest that prices the houses that will sell next, from the sales before
them, and an honest R² for that: the test sales are the latest ones, the training sales come
before them. Keep the fitted pipeline in `model` (it takes the raw columns of the data file), the
training and test rows in `X_train`, `X_test`, `y_train`, `y_test`, and the test R² in `test_r2`.

Run it:    python drills/sales_from_the_future_forest_sample.py
Check it:  invert check sales-from-the-future-forest-sample
"""

from pathlib import Path

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.ensemble import RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
houses = pd.read_csv(DATA / "ames.csv")  # sales from January 2006 to July 2010
columns = ["Lot Area", "1st Flr SF", "2nd Flr SF", "Full Bath", "TotRms AbvGrd", "Fireplaces",
           "Garage Cars", "Year Remod/Add", "Kitchen Qual"]  # fmt: skip
# The latest quarter of the sales, in date order, held back for the test; the rest came before.
dated = houses.sort_values(["Yr Sold", "Mo Sold"], kind="stable")
cut = int(len(dated) * 0.75)
learnt, tested = dated.iloc[:cut], dated.iloc[cut:]
X_train, y_train = learnt[columns], learnt["SalePrice"]
X_test, y_test = tested[columns], tested["SalePrice"]

grades = [["Po", "Fa", "TA", "Gd", "Ex"]]  # Kitchen Qual, poor to excellent
prepare = make_column_transformer(
    (OrdinalEncoder(categories=grades), ["Kitchen Qual"]),
    remainder=SimpleImputer(strategy="median"),
)
forest = RandomForestRegressor(n_estimators=100, min_samples_leaf=2, random_state=0)
model = make_pipeline(prepare, forest)
model.fit(X_train, y_train)

test_r2 = model.score(X_test, y_test)
print(f"trained on {len(X_train)} sales, tested on {len(X_test)}")
print(f"test R²: {test_r2:.3f}")
