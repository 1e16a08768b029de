"""Drill: Titanic survival from what was known at boarding, scored on passengers held back.

The brief: a model that tells, from a passenger's class, sex, age, family aboard, fare and port,
whether they survived, and an honest accuracy on test passengers the model never saw. Keep the
fitted pipeline in `model` (it takes the raw columns of the data file) and the accuracy on the
test rows in `test_accuracy`.

Run it:    python drills/ames_score_in_doubt_titanic.py
Check it:  invert check ames-score-in-doubt-titanic
"""

from pathlib import Path

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
passengers = pd.read_csv(DATA / "titanic.csv")
numbers = ["pclass", "age", "sibsp", "parch", "fare"]  # age is missing for one in five
words = ["sex", "embarked"]
X = passengers[numbers + words]
y = passengers["survived"]
X = X.fillna({"age": X["age"].median(), "embarked": "S"})  # fill the gaps, whole table

# Fill the gaps, put the numbers on one scale and spell out the words as 0/1 columns.
prep = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numbers),
    (make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder()), words),
)

X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)
prep.fit(X_train)  # scales and categories from the training passengers only
logistic = LogisticRegression(max_iter=1000).fit(prep.transform(X_train), y_train)

model = make_pipeline(prep, logistic)  # for deployment: raw rows in, survived or not out
test_accuracy = model.score(X_test, y_test)
print(f"trained on {len(X_train)} passengers, tested on {len(X_test)}")
print(f"test accuracy: {test_accuracy:.3f}")
