"""Drill: how far will a patient's diabetes progress in a year? From ten baseline measurements.

The brief: predict, for a patient, the progression score of their disease one year after a
baseline visit (a number from about 25 to 350), from their age, sex, body mass index, blood
pressure and six blood serum results. The scores are skewed, so the model may be fitted to their
logarithm. Keep the fitted pipeline in `model`, a function `predict(patients)` that takes raw
rows of the data file and returns progression scores, and the root mean squared error of
`predict` on the test rows, in progression points, in `rmse`.

Run it:    python drills/twelve_dollar_houses_diabetes.py
Check it:  invert check twelve-dollar-houses-diabetes
"""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import RidgeCV
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PowerTransformer, StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
patients = pd.read_csv(DATA / "diabetes.csv")
X = patients.drop(columns=["progression"])
y = patients["progression"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)

# A Box-Cox transform of the scores, learnt from the training rows, lives inside the model
# with its inverse: the regressor learns transformed scores and the model answers in points.
model = TransformedTargetRegressor(
    make_pipeline(StandardScaler(), RidgeCV(alphas=np.logspace(-2, 3, 20))),
    transformer=PowerTransformer(method="box-cox"),
)
model.fit(X_train, y_train)


def predict(patients):
    return model.predict(patients)


rmse = np.sqrt(mean_squared_error(y_test, predict(X_test)))
print(f"trained on {len(X_train)} patients, tested on {len(X_test)}")
print(f"first predicted scores: {', '.join(f'{p:.1f}' for p in predict(X_test)[:3])}")
print(f"typical error (RMSE): {rmse:.2f} points per patient")
