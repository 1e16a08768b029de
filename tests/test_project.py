"""A learner's own data: reading any CSV and deciding the task (the audit: tests/test_audit.py).

Real bundled datasets, and CSVs broken on purpose, written to real files.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from invert.catalog.loader import load_catalog
from invert.errors import LearnerError
from invert.kinds.projects.table import read_table, require_target
from invert.kinds.projects.task import decide_task

CATALOG = load_catalog()


@pytest.mark.parametrize(
    ("dataset", "task"),
    [
        ("titanic", "classification"),
        ("adult", "classification"),
        ("ames", "regression"),
        ("penguins", "classification"),
    ],
)
def test_every_bundled_dataset_is_read_and_its_task_decided(dataset: str, task: str) -> None:
    spec = CATALOG.datasets[dataset]
    path = CATALOG.data_file(spec)
    assert path is not None
    frame, info = read_table(path)
    assert (info.encoding, info.delimiter, info.rows) == ("utf-8", ",", spec.rows)
    require_target(frame, spec.target, path.name)
    decision = decide_task(frame[spec.target])
    assert decision.task == task


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
