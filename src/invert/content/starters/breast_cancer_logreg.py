"""Malignant or benign? Diagnose breast masses from 30 measurements of their cell nuclei.

Run it:  python starters/breast_cancer_logreg.py
Then change one thing (say C=1.0 -> 0.01), guess what will happen, and run it again.
"""

import time

import pandas as pd
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, confusion_matrix, recall_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

# 1. Load the data: each row is one breast mass, measured on a microscope image of its cells;
#    y is the diagnosis. The 30 columns are 10 measurements (radius, texture, ...) of the cell
#    nuclei, each summarised three ways: mean, standard error and worst (largest) value.
cancer = load_breast_cancer(as_frame=True)
X = cancer.data
y = cancer.target.map(dict(enumerate(cancer.target_names.tolist())))  # 0, 1 -> malignant, benign

print("WHAT GOES IN")
print(f"  {X.shape[0]} masses x {X.shape[1]} measurements: {', '.join(X.columns[:4])}, ...")
print(X.iloc[:, :6].assign(diagnosis=y).sample(5, random_state=0).to_string())
print("  (only the first 6 columns are shown)")
print("  diagnoses:", ", ".join(f"{name} {count}" for name, count in y.value_counts().items()))

# 2. Hold out 20%; stratify keeps the same share of malignant masses in both parts.
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.2, stratify=y, random_state=42
)

# 3. Learn: put every measurement on the same scale (mean 0, spread 1), then fit a logistic
#    regression, which weighs the measurements into a score and turns it into a probability.
#    C sets how freely the weights may grow (smaller C: more cautious weights).
model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000))
start = time.perf_counter()
model.fit(X_train, y_train)
fit_seconds = time.perf_counter() - start

# 4. Predict the held-out masses. Accuracy counts every error alike, but missing a cancer is far
#    worse than a false alarm, so also measure recall: the share of malignant masses caught.
y_pred = model.predict(X_test)
accuracy = accuracy_score(y_test, y_pred)
recall = recall_score(y_test, y_pred, pos_label="malignant")

print("\nWHAT COMES OUT")
print(f"  trained on {len(X_train)} masses in {fit_seconds:.2f} s, tested on {len(X_test)}")
print(pd.DataFrame({"truth": y_test, "predicted": y_pred}).head(8).to_string())
print(f"  accuracy: {accuracy:.3f}  (share of test masses diagnosed right)")
print(f"  malignant recall: {recall:.3f}  (share of the malignant test masses that were caught)")
labels = ["malignant", "benign"]
matrix = pd.DataFrame(confusion_matrix(y_test, y_pred, labels=labels), index=labels, columns=labels)
print("  confusion matrix (rows: truth, columns: predicted):")
print(matrix.to_string())
