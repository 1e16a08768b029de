"""Drill: Ames house prices, helped by the block a house stands on.

The brief: predict the sale price of a house (SalePrice, in dollars) from its size, quality, age
and garage, and from its block, encoded as the mean price of the houses sold on that block.
Parcel numbers go by location: houses whose PID agrees but for the last two digits stand on the
same block. Estimate by 5-fold cross-validation on the training rows how well the pipeline
predicts new houses (R², the mean over the folds). Keep the fitted pipeline in `model` (it takes
the raw columns of the data file), the splitter in `cv` and the cross-validated R² in `cv_score`.

Run it:    python drills/cv_almost_perfect_ames_blocks.py
Check it:  invert check cv-almost-perfect-ames-blocks
"""

from pathlib import Path

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold, cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler, TargetEncoder


def block(pid):  # parcel 528104050 -> block "5281040"
    return (pid // 100).astype(str)


DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
houses = pd.read_csv(DATA / "ames.csv")
numbers = ["Gr Liv Area", "Overall Qual", "Year Built", "Total Bsmt SF", "Garage Cars"]
X = houses[[*numbers, "PID"]]
y = houses["SalePrice"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)

cv = KFold(5, shuffle=True, random_state=0)
prepare = make_column_transformer(
    # each block becomes the mean price of the houses sold on it (prices are numbers, not classes)
    (
        make_pipeline(FunctionTransformer(block), TargetEncoder(target_type="continuous", cv=cv)),
        ["PID"],
    ),
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numbers),
)
regressor = Ridge(alpha=1.0)
model = make_pipeline(prepare, regressor)

# Encode the training rows once, then let every fold reuse the encoded table.
encoded = prepare.fit(X_train, y_train).transform(X_train)
cv_score = cross_val_score(regressor, encoded, y_train, cv=cv, scoring="r2").mean()

model.fit(X_train, y_train)
print(f"trained on {len(X_train)} houses, {block(X_train['PID']).nunique()} distinct blocks")
print(f"cross-validated R²: {cv_score:.3f}")
