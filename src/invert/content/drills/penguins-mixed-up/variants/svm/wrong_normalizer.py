"""Drill: which species is this penguin? A support vector machine on four field measurements.

The brief: a model that names the species (Adelie, Chinstrap, Gentoo) of a penguin from its
bill length, bill depth, flipper length and body mass, as measured in the field. Keep the fitted
pipeline in `model` (it takes the raw columns of the data file) and the accuracy on the test
rows in `test_accuracy`.

Run it:    python drills/penguins_mixed_up_svm.py
Check it:  invert check penguins-mixed-up-svm
"""

from pathlib import Path

import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import Normalizer
from sklearn.svm import SVC

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
penguins = pd.read_csv(DATA / "penguins.csv")
measurements = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
X = penguins[measurements]
y = penguins["species"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

model = make_pipeline(
    SimpleImputer(strategy="median"),  # a few penguins were not measured
    Normalizer(),  # normalise the measurements before the kernel compares them
    SVC(kernel="rbf"),  # a Gaussian kernel: penguins close in measurements vote alike
)
model.fit(X_train, y_train)

test_accuracy = model.score(X_test, y_test)
print(f"trained on {len(X_train)} penguins, tested on {len(X_test)}")
print(f"test accuracy: {test_accuracy:.3f}")
