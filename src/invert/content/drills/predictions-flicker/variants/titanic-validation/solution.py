"""Drill: who survived the Titanic? A network kept at its best epoch, then scored one at a time.

The brief: a small network, kept at its best epoch on validation rows, that says whether a
passenger survived and answers one passenger at a time. Keep `predict(frame)` (raw rows of the
data file in, 1 for survived or 0 out) and the accuracy on the test rows in `test_accuracy`.

Run it:    python drills/predictions_flicker_titanic_validation.py
Check it:  invert check predictions-flicker-titanic-validation
"""

from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

torch.manual_seed(0)
torch.set_num_threads(1)  # a network this small runs fastest on one thread
DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
passengers = pd.read_csv(DATA / "titanic.csv")
X = passengers[["pclass", "sex", "age", "sibsp", "parch", "fare", "embarked"]]
y = passengers["survived"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)
X_fit, X_valid, y_fit, y_valid = train_test_split(
    X_train, y_train, test_size=0.2, stratify=y_train, random_state=0
)
prepare = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
     ["pclass", "age", "sibsp", "parch", "fare"]),
    (OneHotEncoder(handle_unknown="ignore", sparse_output=False), ["sex", "embarked"]),
).fit(X_fit)  # fmt: skip


def features(frame):
    return torch.tensor(prepare.transform(frame), dtype=torch.float32)


inputs, valid_inputs = features(X_fit), features(X_valid)
labels = torch.tensor(y_fit.to_numpy(), dtype=torch.float32)
net = torch.nn.Sequential(
    torch.nn.Linear(inputs.shape[1], 32), torch.nn.ReLU(), torch.nn.Dropout(0.5),
    torch.nn.Linear(32, 1),
)  # fmt: skip
optimiser = torch.optim.Adam(net.parameters(), lr=0.01)
best, best_state = 0.0, None
for _ in range(40):  # epochs
    for batch in torch.randperm(len(inputs)).split(64):
        optimiser.zero_grad()
        logits = net(inputs[batch]).squeeze(1)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, labels[batch])
        loss.backward()
        optimiser.step()
    net.eval()  # validation: no dropout while measuring
    with torch.no_grad():
        scores = net(valid_inputs).squeeze(1).numpy()
    accuracy = float(np.mean((scores > 0) == y_valid.to_numpy()))
    if accuracy > best:  # a copy of the weights of the best epoch so far
        best, best_state = accuracy, {k: v.clone() for k, v in net.state_dict().items()}
    net.train()  # and back to training for the next epoch
net.load_state_dict(best_state)  # the weights of the best epoch
net.eval()  # the loop left the network in training mode: Dropout must stop for good


def predict(frame):
    """1 (survived) or 0 for each raw row of the data file."""
    logits = net(features(frame)).squeeze(1).detach().numpy()
    return (logits > 0).astype(int)


test_accuracy = float(np.mean(predict(X_test) == y_test.to_numpy()))
repeat_agreement = float(np.mean(predict(X_test) == predict(X_test)))
print(f"best validation accuracy: {best:.3f}; test accuracy: {test_accuracy:.3f}")
print(f"the same test rows scored twice agree on {repeat_agreement:.1%} of them")
