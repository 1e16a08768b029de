"""Which of three cultivars (grape varieties) made this wine? Ask its 5 most similar wines.

Run it:  python starters/wine_knn.py
Then change one thing (say n_neighbors=5 -> 1), guess what will happen, and run it again.
"""

import time

import pandas as pd
from sklearn.datasets import load_wine
from sklearn.metrics import accuracy_score, confusion_matrix
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

# 1. Load the data: X holds 13 results of a chemical analysis (one row per wine), y the cultivar.
wine = load_wine(as_frame=True)
X = wine.data
y = wine.target.map(dict(enumerate(wine.target_names.tolist())))  # the data names them class_0..2

print("WHAT GOES IN")
print(f"  {X.shape[0]} wines x {X.shape[1]} measurements: {', '.join(X.columns[:5])}, ...")
shown = ["alcohol", "malic_acid", "magnesium", "color_intensity", "proline"]
print(X[shown].assign(cultivar=y).sample(5, random_state=0).to_string())
print("  (5 of 13 columns shown. Note the scales: proline reaches 1680, most others stay under 15)")
print("  cultivars:", ", ".join(f"{name} {count}" for name, count in y.value_counts().items()))

# 2. Hold out 20% of the wines: the model never sees them while it learns.
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)

# 3. Learn. k-nearest neighbours just stores the training wines; to classify a new wine it finds
#    the 5 closest ones and takes a vote. "Closest" is a distance over all 13 columns, so a column
#    in the hundreds or more (proline) would drown the others: StandardScaler first puts every
#    column on the same scale (mean 0, spread 1).
model = make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=5))
start = time.perf_counter()
model.fit(X_train, y_train)
fit_seconds = time.perf_counter() - start

# 4. Predict the held-out wines and compare with the truth.
y_pred = model.predict(X_test)
accuracy = accuracy_score(y_test, y_pred)

print("\nWHAT COMES OUT")
print(f"  trained on {len(X_train)} wines in {fit_seconds:.2f} s, tested on {len(X_test)}")
print(pd.DataFrame({"truth": y_test, "predicted": y_pred}).head(8).to_string())
print(f"  accuracy: {accuracy:.3f}  (share of test wines whose cultivar was right)")
labels = sorted(y.unique())
matrix = pd.DataFrame(confusion_matrix(y_test, y_pred, labels=labels), index=labels, columns=labels)
print("  confusion matrix (rows: truth, columns: predicted):")
print(matrix.to_string())
