"""Drill: diabetes progression from ten baseline measurements, extreme results clipped.

The brief: a model that predicts how far a patient's diabetes progresses in a year from ten
baseline measurements (age, sex, body mass index, blood pressure, six blood serum results), with
extreme results clipped, and an honest R² on test patients the model never saw. Keep the fitted
pipeline in `model` (it takes the raw columns of the data file) and the R² on the test rows in
`test_r2`.

Run it:    python drills/ames_score_in_doubt_clipped.py
Check it:  invert check ames-score-in-doubt-clipped
"""

from pathlib import Path

import pandas as pd
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
patients = pd.read_csv(DATA / "diabetes.csv")
X = patients.drop(columns="progression")
y = patients["progression"]

# A few extreme results would pull the line: clip every column to its 2nd and 98th percentiles.
low, high = X.quantile(0.02), X.quantile(0.98)


def clip_extremes(frame):
    """Raw rows -> every measurement clipped to the edges worked out above."""
    return frame[X.columns].clip(low, high, axis=1)


X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
model = make_pipeline(FunctionTransformer(clip_extremes), LinearRegression())
model.fit(X_train, y_train)  # for deployment: raw rows in, progression out

test_r2 = model.score(X_test, y_test)
print(f"trained on {len(X_train)} patients, tested on {len(X_test)}")
print(f"test R²: {test_r2:.3f}")
