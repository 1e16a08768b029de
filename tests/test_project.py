"""A learner's own data: reading any CSV, deciding the task, and the leakage and sanity findings.

Real bundled datasets, and CSVs broken on purpose, written to real files.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from invert.catalog import load_catalog
from invert.errors import LearnerError
from invert.project.sanity import find_problems
from invert.project.table import read_table, require_target
from invert.project.task import decide_task

CATALOG = load_catalog()


@pytest.mark.parametrize(
    ("dataset", "task", "expected"),
    [
        ("titanic", "classification", {("near-perfect", "boat"), ("identifier", "name")}),
        ("adult", "classification", {("duplicates", None)}),
        ("ames", "regression", {("identifier", "Order"), ("identifier", "PID")}),
        ("penguins", "classification", set()),
    ],
)
def test_every_bundled_dataset_is_read_and_checked(
    dataset: str, task: str, expected: set[tuple[str, str | None]]
) -> None:
    spec = CATALOG.datasets[dataset]
    path = CATALOG.data_file(spec)
    assert path is not None
    frame, info = read_table(path)
    assert (info.encoding, info.delimiter, info.rows) == ("utf-8", ",", spec.rows)
    require_target(frame, spec.target, path.name)
    decision = decide_task(frame[spec.target])
    assert decision.task == task
    found = {(f.kind, f.column) for f in find_problems(frame, spec.target, decision.task)}
    assert found == expected


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_delimiter_and_encoding_are_detected(tmp_path: Path) -> None:
    text = "Größe;Preis;Stadt\n" + "".join(f"{i};{i * 2},5;Köln\n" for i in range(30))
    for encoding in ("utf-8", "utf-8-sig", "cp1252", "utf-16"):
        path = write(tmp_path, f"{encoding}.csv", text.encode(encoding))
        frame, info = read_table(path)
        assert info.delimiter == ";" and list(frame.columns) == ["Größe", "Preis", "Stadt"]
        assert frame["Stadt"].iloc[0] == "Köln" and info.rows == 30
    tabbed = write(tmp_path, "t.tsv", b"a\tb\n1\t2\n3\t4\n")
    assert read_table(tabbed)[1].delimiter == "\t"
    packed = write(tmp_path, "p.csv.gz", gzip.compress(b"a,b\n1,2\n3,4\n"))
    assert read_table(packed)[1].rows == 2


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.csv", b"", "empty.csv is empty"),
        ("blank.csv", b"\n\n  \n", "blank.csv is empty"),
        ("header.csv", b"a,b,c\n", "header.csv has a header but no rows"),
        ("random.csv", bytes(range(256)) * 40, "random.csv is not text in any encoding"),
        ("ragged.csv", b"a,b\n1,2\n3,4,5,6\n", "ragged.csv is not a regular table: Error tokeniz"),
        ("quote.csv", b'a,b\n1,"open\n2,3\n', "quote.csv is not a regular table"),
        ("bad.csv.gz", b"not gzip at all", "bad.csv.gz is not a valid gz file"),
    ],
)
def test_broken_csvs_are_refused_in_one_line(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    with pytest.raises(LearnerError) as caught:
        read_table(write(tmp_path, name, data))
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)


def test_the_target_must_exist_and_vary(tmp_path: Path) -> None:
    frame, _ = read_table(write(tmp_path, "d.csv", b"price,area,flag\n1,2,x\n3,4,x\n5,6,x\n"))
    with pytest.raises(LearnerError, match=r"d\.csv has no column 'prise'; did you mean price"):
        require_target(frame, "prise", "d.csv")
    with pytest.raises(LearnerError, match=r"the target 'flag' has a single value \('x'\)"):
        require_target(frame, "flag", "d.csv")
    require_target(frame, "price", "d.csv")


def test_task_decision_says_why() -> None:
    import pandas as pd

    assert decide_task(pd.Series([0, 1, 1, 0] * 5, name="y")).task == "classification"
    assert decide_task(pd.Series(range(100), name="count")).task == "regression"
    reason = decide_task(pd.Series([True, False] * 5, name="churned")).reason
    assert reason == "'churned' is true/false: classification"


def test_findings_name_the_column_and_the_reason(tmp_path: Path) -> None:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    n = 300
    price = rng.normal(200, 50, n).round(1)
    frame = pd.DataFrame(
        {
            "customer_id": np.arange(n),
            "sold_on": pd.date_range("2020-01-01", periods=n).strftime("%Y-%m-%d"),
            "area": rng.normal(80, 20, n).round(1),
            "country": "NL",
            "price_per_m2": (price / 80).round(3),
            "price": price,
        }
    )
    findings = {(f.kind, f.column): f.message for f in find_problems(frame, "price", "regression")}
    assert set(findings) == {
        ("identifier", "customer_id"),
        ("date", "sold_on"),
        ("constant", "country"),
        ("target-name", "price_per_m2"),
        ("near-perfect", "price_per_m2"),
    }
    assert findings[("near-perfect", "price_per_m2")].startswith(
        "'price_per_m2' alone predicts 'price' with R² 0.9"
    )
