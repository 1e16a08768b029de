"""Who survived the Titanic? Predict it from what was known when each passenger boarded.

Run it:  python starters/titanic_survival.py
Then change one thing (say max_depth=3 -> 1), guess what will happen, and run it again.
"""

import time
from pathlib import Path

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.metrics import accuracy_score, confusion_matrix
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder

# 1. Load the passengers ("?" marks a gap) and keep only what was known at boarding. Left out on
#    purpose: boat and body, recorded after the sinking (they leak the outcome), and the free text
#    columns name, ticket, cabin and home.dest, which this simple model cannot use.
DATA = Path(__file__).resolve().parent.parent / "data"
passengers = pd.read_csv(DATA / "titanic3.csv", na_values="?")
numeric = ["pclass", "age", "sibsp", "parch", "fare"]  # sibsp, parch: family members aboard
categorical = ["sex", "embarked"]  # embarked: port where they boarded (C, Q or S)
X = passengers[numeric + categorical]
y = passengers["survived"].map({0: "died", 1: "survived"})

print("WHAT GOES IN")
print(f"  {X.shape[0]} passengers x {X.shape[1]} columns: {', '.join(X.columns)}")
print(X.assign(outcome=y).sample(5, random_state=0).to_string())
print("  outcome counts:", ", ".join(f"{name} {count}" for name, count in y.value_counts().items()))
print("  missing values:", ", ".join(f"{col} {n}" for col, n in X.isna().sum().items() if n))

# 2. Hold out 20%; stratify keeps the same share of survivors in both parts.
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.2, stratify=y, random_state=42
)

# 3. Fill the gaps (median number, or the word "unknown"), turn each word into its own 0/1 column
#    (one-hot: the model takes only numbers), then grow 100 small trees, each fixing the last ones.
numbers = SimpleImputer(strategy="median")
fill_words = SimpleImputer(strategy="constant", fill_value="unknown")
words = make_pipeline(fill_words, OneHotEncoder(handle_unknown="ignore"))  # unseen word: all 0s
prepare = ColumnTransformer([("numbers", numbers, numeric), ("words", words, categorical)])
boosting = GradientBoostingClassifier(n_estimators=100, max_depth=3, random_state=42)
model = Pipeline([("prepare", prepare), ("boosting", boosting)])
start = time.perf_counter()
model.fit(X_train, y_train)
fit_seconds = time.perf_counter() - start

# 4. Predict the held-out passengers; compare with the truth, and with guessing "died" for all.
y_pred = model.predict(X_test)
accuracy = accuracy_score(y_test, y_pred)

print("\nWHAT COMES OUT")
print(f"  trained on {len(X_train)} passengers in {fit_seconds:.2f} s, tested on {len(X_test)}")
print(pd.DataFrame({"truth": y_test, "predicted": y_pred}).head(8).to_string())
print(f"  accuracy: {accuracy:.3f}  (share of test passengers whose fate was right)")
print(f"  guessing 'died' for all: {(y_test == 'died').mean():.3f}  (the number to beat)")
labels = sorted(y.unique())
matrix = pd.DataFrame(confusion_matrix(y_test, y_pred, labels=labels), index=labels, columns=labels)
print("  confusion matrix (rows: truth, columns: predicted):")
print(matrix.to_string())
