"""Drill: who earns more than $50K? A network of its own class, switched to eval(), that flickers.

The brief: a small neural network that says, from census answers, whether a person earns more
than $50K a year. It will run behind a form that scores one applicant at a time. Keep
`predict(frame)`, which takes raw rows of the data file and returns '>50K' or '<=50K', and the
accuracy on the test rows in `test_accuracy`.

Run it:    python drills/predictions_flicker_functional.py
Check it:  invert check predictions-flicker-functional
"""

from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.compose import make_column_transformer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import OneHotEncoder, StandardScaler

torch.manual_seed(0)
torch.set_num_threads(1)  # a network this small runs fastest on one thread
DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
people = pd.read_csv(DATA / "adult.csv").sample(8000, random_state=0)  # a sample, for speed
X = people.drop(columns=["income", "education"])
y = people["income"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)
numbers = ["age", "education-num", "capital-gain", "capital-loss", "hours-per-week"]
words = ["workclass", "marital-status", "occupation", "relationship", "race", "gender"]
prepare = make_column_transformer(
    (StandardScaler(), numbers),
    (OneHotEncoder(handle_unknown="ignore", sparse_output=False), words),
).fit(X_train)


def features(frame):
    return torch.tensor(prepare.transform(frame), dtype=torch.float32)


class Net(torch.nn.Module):
    def __init__(self, width):
        super().__init__()
        self.hidden = torch.nn.Linear(width, 64)
        self.out = torch.nn.Linear(64, 1)

    def forward(self, x):
        h = torch.relu(self.hidden(x))
        h = torch.nn.functional.dropout(h, p=0.5)  # half the units dropped, against overfitting
        return self.out(h).squeeze(1)


inputs = features(X_train)
labels = torch.tensor((y_train == ">50K").to_numpy(), dtype=torch.float32)
net = Net(inputs.shape[1])
optimiser = torch.optim.Adam(net.parameters(), lr=0.003)
for _ in range(15):  # epochs
    for batch in torch.randperm(len(inputs)).split(128):
        optimiser.zero_grad()
        logits = net(inputs[batch])
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, labels[batch])
        loss.backward()
        optimiser.step()
net.eval()  # training is over: prediction mode


def predict(frame):
    """'>50K' or '<=50K' for each raw row of the data file."""
    net.eval()  # prediction mode on every call, in case anything switched it back
    logits = net(features(frame)).detach().numpy()
    return np.where(logits > 0, ">50K", "<=50K")


test_accuracy = float(np.mean(predict(X_test) == y_test.to_numpy()))
repeat_agreement = float(np.mean(predict(X_test) == predict(X_test)))
print(f"test accuracy: {test_accuracy:.3f}")
print(f"the same test rows scored twice agree on {repeat_agreement:.1%} of them")
