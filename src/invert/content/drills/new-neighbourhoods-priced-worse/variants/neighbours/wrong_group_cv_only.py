"""Drill: Ames house prices from similar houses, for neighbourhoods we have no sales from.

The brief: a model that prices a house as the average price of the ten most similar houses
sold (by size, quality, age, basement, garage, plot and last remodelling), for neighbourhoods
the firm has no sales from, and an honest R² for such houses. Keep the fitted pipeline in
`model` (it takes the raw columns of the data file), the training and test rows in `X_train`,
`X_test`, `y_train`, `y_test`, and the R² on the test rows in `test_r2`.

Run it:    python drills/new_neighbourhoods_priced_worse_neighbours.py
Check it:  invert check new-neighbourhoods-priced-worse-neighbours
"""

from pathlib import Path

import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.model_selection import GroupKFold, cross_val_score, train_test_split
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
houses = pd.read_csv(DATA / "ames.csv")
# Measurements only: no Neighborhood column, so the model cannot know where a house is.
features = ["Gr Liv Area", "Overall Qual", "Year Built", "Total Bsmt SF", "Garage Area"]
X = houses[[*features, "Lot Area", "Year Remod/Add"]]
y = houses["SalePrice"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)

scale = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
model = make_pipeline(scale, KNeighborsRegressor(n_neighbors=10))
model.fit(X_train, y_train)

# Cross-validate with whole neighbourhoods held out, to see what new neighbourhoods would get.
groups = houses.loc[X_train.index, "Neighborhood"]
cv_r2 = cross_val_score(model, X_train, y_train, groups=groups, cv=GroupKFold(5)).mean()
print(f"R² for new neighbourhoods (cross-validated): {cv_r2:.3f}")
test_r2 = model.score(X_test, y_test)
print(f"trained on {len(X_train)} houses, tested on {len(X_test)}")
print(f"test R²: {test_r2:.3f}")
