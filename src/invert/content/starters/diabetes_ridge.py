"""How far will diabetes progress in a year? Predict a number with a weighted sum of 10 columns.

Run it:  python starters/diabetes_ridge.py
Then change one thing (say alpha=1.0 -> 0.1), guess what will happen, and run it again.
"""

import time

import pandas as pd
from sklearn.datasets import load_diabetes
from sklearn.dummy import DummyRegressor
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error, r2_score
from sklearn.model_selection import train_test_split

# 1. Load the data: one row per patient; y scores how far the disease had progressed one year
#    later (a number, so this is regression, not classification). bp is blood pressure, s1-s6 are
#    six blood serum tests. The data set ships every column already centred and scaled (age shows
#    as a small number like 0.02, not in years), so all columns have a similar size.
diabetes = load_diabetes(as_frame=True)
X = diabetes.data
y = diabetes.target

print("WHAT GOES IN")
print(f"  {X.shape[0]} patients x {X.shape[1]} measurements: {', '.join(X.columns)}")
print(X.assign(progression=y).sample(5, random_state=0).round(3).to_string())
print(f"  progression: min {y.min():.0f}, median {y.median():.0f}, max {y.max():.0f}")

# 2. Hold out 20% of the patients: the model never sees them while it learns.
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)

# 3. Learn: prediction = a weighted sum of the 10 columns plus a constant. The weights are chosen
#    to make the squared errors on the training patients small (least squares), while alpha
#    penalises large weights and pulls them towards zero (regularisation).
model = Ridge(alpha=1.0)
start = time.perf_counter()
model.fit(X_train, y_train)
fit_seconds = time.perf_counter() - start

# 4. Predict the held-out patients. R² is 1 for perfect predictions and about 0 for always
#    predicting the average (below 0 is worse than that): a dummy model that always predicts the
#    training mean shows it. Mean absolute error gives the size of a typical miss, in y's units.
y_pred = model.predict(X_test)
r2 = r2_score(y_test, y_pred)
mae = mean_absolute_error(y_test, y_pred)
dummy = DummyRegressor(strategy="mean").fit(X_train, y_train)
dummy_r2 = r2_score(y_test, dummy.predict(X_test))

print("\nWHAT COMES OUT")
print(f"  trained on {len(X_train)} patients in {fit_seconds:.2f} s, tested on {len(X_test)}")
print(pd.DataFrame({"truth": y_test, "predicted": y_pred}).round().astype(int).head(8).to_string())
print(f"  r2: {r2:.3f}  (1 = perfect, 0 = no better than always guessing the average)")
print(f"  mean absolute error: {mae:.1f}  (the average size of a miss, too high or too low)")
print(f"  r2 of always predicting the training mean ({dummy.constant_[0][0]:.0f}): {dummy_r2:.3f}")
