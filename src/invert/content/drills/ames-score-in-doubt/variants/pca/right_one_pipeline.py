"""Drill: Ames house prices from ten size measurements, compressed to four components.

The brief: a model that prices a house from ten measurements of its size (living area, floors,
basement, garage, lot, veneer, deck, porch), compressed by a principal component analysis, and an
honest R² on test houses the model never saw. Keep the fitted pipeline in `model` (it takes the
raw columns of the data file) and the R² on the test rows in `test_r2`.

Run it:    python drills/ames_score_in_doubt_pca.py
Check it:  invert check ames-score-in-doubt-pca
"""

from pathlib import Path

import pandas as pd
from sklearn.decomposition import PCA
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
houses = pd.read_csv(DATA / "ames.csv")
columns = [
    "Gr Liv Area",
    "1st Flr SF",
    "2nd Flr SF",
    "Total Bsmt SF",
    "Garage Area",
    "Lot Area",
    "Lot Frontage",  # missing for about one house in six
    "Mas Vnr Area",
    "Wood Deck SF",
    "Open Porch SF",
]
X = houses[columns]
y = houses["SalePrice"]

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)

# Filling, scaling, compression and regression in one object, fitted once on the training houses.
model = Pipeline(
    [
        ("fill", SimpleImputer(strategy="median")),
        ("scale", StandardScaler()),
        ("compress", PCA(n_components=4)),
        ("regression", LinearRegression()),
    ]
)
model.fit(X_train, y_train)  # for deployment: raw rows in, price out
test_r2 = r2_score(y_test, model.predict(X_test))
print(f"trained on {len(X_train)} houses, tested on {len(X_test)}")
print(f"test R²: {test_r2:.3f}")
