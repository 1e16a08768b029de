"""Step 2: look at the data.

Before any model: what the columns hold, where values are missing, how the target is spread.
Only the training rows are looked at, so that nothing learned here comes from the rows held out
for step 7. The plots go to plots/.

Run it:  python step2_look.py   (or: invert project run --step 2)
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # draw into files; no window needed
import matplotlib.pyplot as plt
import pandas as pd
from step1_define import HERE, TARGET, TASK, load_data, save_result, split

MAX_HISTOGRAMS = 12


def describe_columns(X: pd.DataFrame) -> pd.DataFrame:
    """One row per column: its kind, distinct values, gaps and an example."""
    return pd.DataFrame(
        {
            "kind": ["number" if pd.api.types.is_numeric_dtype(X[c]) else "text" for c in X],
            "distinct": X.nunique(),
            "missing": X.isna().sum(),
            "missing %": (100 * X.isna().mean()).round(1),
            "example": [X[c].dropna().iloc[0] if X[c].notna().any() else "" for c in X],
        }
    )


def plot_target(y: pd.Series, path: str) -> None:
    fig, ax = plt.subplots(figsize=(6, 3.5))
    if TASK == "classification":
        y.astype(str).value_counts().plot.bar(ax=ax, color="#4c72b0")
        ax.set_ylabel("rows")
    else:
        y.plot.hist(bins=40, ax=ax, color="#4c72b0")
        ax.set_xlabel(TARGET)
    ax.set_title(f"The target: {TARGET}")
    fig.tight_layout()
    fig.savefig(HERE / path, dpi=100)
    plt.close(fig)


def plot_missing(missing: pd.Series, path: str) -> None:
    fig, ax = plt.subplots(figsize=(6, 0.6 + 0.25 * len(missing)))
    (100 * missing).sort_values().plot.barh(ax=ax, color="#dd8452")
    ax.set_xlabel("% of training rows missing")
    ax.set_title("Missing values")
    fig.tight_layout()
    fig.savefig(HERE / path, dpi=100)
    plt.close(fig)


def plot_numeric(X: pd.DataFrame, path: str) -> None:
    columns = X.columns[:MAX_HISTOGRAMS]
    ncols = 3
    nrows = (len(columns) + ncols - 1) // ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(9, 2.4 * nrows), squeeze=False)
    for ax, column in zip(axes.flat, columns, strict=False):
        X[column].plot.hist(bins=30, ax=ax, color="#55a868")
        ax.set_title(str(column), fontsize=9)
        ax.set_ylabel("")
    for ax in list(axes.flat)[len(columns) :]:
        ax.axis("off")
    fig.suptitle("Numeric columns")
    fig.tight_layout()
    fig.savefig(HERE / path, dpi=100)
    plt.close(fig)


if __name__ == "__main__":
    X, y = load_data()
    X_train, _, y_train, _ = split(X, y)
    (HERE / "plots").mkdir(exist_ok=True)
    table = describe_columns(X_train)
    numeric = X_train.select_dtypes("number")
    print(f"WHAT THE TRAINING ROWS HOLD ({len(X_train)} rows, {X_train.shape[1]} columns)")
    print(table.to_string())
    if not numeric.empty:
        print("\nNUMERIC COLUMNS")
        print(numeric.describe().T.round(3).to_string())
    print(f"\nTHE TARGET: {TARGET}")
    plots = {"target": "plots/target.png"}
    plot_target(y_train, plots["target"])
    if TASK == "classification":
        print(y_train.value_counts().to_string())
    else:
        print(y_train.describe().round(3).to_string())
    missing = X_train.isna().mean()
    missing = missing[missing > 0]
    if missing.empty:
        print("\nNo value is missing.")
    else:
        print(f"\n{len(missing)} columns have gaps; step 3 fills them inside each fold.")
        plots["missing"] = "plots/missing.png"
        plot_missing(missing, plots["missing"])
    if not numeric.empty:
        plots["numeric"] = "plots/numeric.png"
        plot_numeric(numeric, plots["numeric"])
    print("\nplots: " + ", ".join(plots.values()))
    save_result(
        2,
        {
            "rows": len(X_train),
            "columns": [
                {"name": str(name), **{k: row[k] for k in ("kind", "distinct", "missing")}}
                for name, row in table.iterrows()
            ],
            "missing_columns": len(missing),
            "plots": plots,
        },
    )
