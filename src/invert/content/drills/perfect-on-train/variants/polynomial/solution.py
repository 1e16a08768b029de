"""Drill: how far will the disease progress? A regression on ten baseline measurements.

The brief: predict, from a diabetes patient's ten baseline measurements (age, sex, body mass
index, blood pressure and six blood serum results, already standardised), how far the disease
will have progressed a year later, as accurately as possible for patients who are not in the
file. Keep the fitted pipeline in `model` (it takes the raw columns of the data file), the R²
on the test rows in `test_r2` and the R² on the training rows in `train_r2`.

Run it:    python drills/perfect_on_train_polynomial.py
Check it:  invert check perfect-on-train-polynomial
"""

from pathlib import Path

import pandas as pd
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
patients = pd.read_csv(DATA / "diabetes.csv")
X = patients.drop(columns=["progression"])
y = patients["progression"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)

# Degree 1 (the measurements themselves) is the best of degrees 1 to 3 by 5-fold
# cross-validation on the training rows: with products of three there are more coefficients
# than patients, and the fit threads through every training patient's noise.
model = make_pipeline(PolynomialFeatures(degree=1), LinearRegression())
model.fit(X_train, y_train)

train_r2 = model.score(X_train, y_train)
test_r2 = model.score(X_test, y_test)
print(f"trained on {len(X_train)} patients, tested on {len(X_test)}")
print(f"{model[0].n_output_features_} features")
print(f"training R²: {train_r2:.3f}, test R²: {test_r2:.3f}")
