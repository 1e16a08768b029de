"""The audit of a learner's table: what it finds on real and seeded tables, and what it keeps.

Real bundled datasets (invert's own and scikit-learn's), and seeded tables built to hold one
fault each, or none: every clean control must give no fault.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from invert.catalog.loader import load_catalog
from invert.kinds.projects.audit import Audit, Finding, audit_table, status
from invert.kinds.projects.settings import ProjectSettings
from invert.kinds.projects.table import read_table
from invert.kinds.projects.task import decide_task

if TYPE_CHECKING:
    import pandas as pd

CATALOG = load_catalog()


def kinds(audit: Audit) -> set[tuple[str, tuple[str, ...]]]:
    return {(f.kind, f.columns) for f in audit.findings}


def panel(seed: int = 0) -> pd.DataFrame:
    """A table shaped like gapminder: 142 countries, each measured every five years."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    countries = 142
    years = np.arange(1952, 2008, 5)
    letters = list("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    names = [f"Country {letters[i // 26]}{letters[i % 26].lower()}" for i in range(countries)]
    continent = rng.choice(["Africa", "Americas", "Asia", "Europe", "Oceania"], countries)
    effect = rng.normal(0, 8, countries)  # what makes a country's life expectancy its own
    first_pop = rng.lognormal(15, 1.5, countries)
    first_gdp = rng.lognormal(8, 1, countries)
    iso_num = rng.choice(np.arange(4, 895), countries, replace=False)
    iso_alpha = ["".join(rng.choice(letters, 3)) for _ in range(countries)]
    rows = []
    for i in range(countries):
        for year in years:
            gdp = first_gdp[i] * np.exp(0.02 * (year - 1952) + rng.normal(0, 0.05))
            rows.append(
                {
                    "country": names[i],
                    "continent": continent[i],
                    "year": int(year),
                    "lifeExp": round(
                        50
                        + effect[i]
                        + 0.3 * (year - 1952)
                        + 2 * np.log(gdp / 1000)
                        + rng.normal(0, 1),
                        3,
                    ),
                    "pop": int(first_pop[i] * np.exp(0.015 * (year - 1952) + rng.normal(0, 0.02))),
                    "gdpPercap": gdp,
                    "iso_alpha": iso_alpha[i],
                    "iso_num": int(iso_num[i]),
                }
            )
    return pd.DataFrame(rows)


def settings(**changes: object) -> ProjectSettings:
    base = ProjectSettings("p", "data/t.csv", "y", "regression", "", "r2")
    return ProjectSettings(**{**base.__dict__, **changes})  # type: ignore[arg-type]


def test_a_panel_table_is_split_by_country_and_its_names_are_dropped() -> None:
    # Base: sanity.find_problems dropped 'pop' (an integer, 98% distinct) and kept the
    # identifiers 'iso_num', 'iso_alpha' and 'country'; it said nothing of the repeats.
    import numpy as np
    from sklearn.model_selection import GroupKFold, KFold, cross_val_score
    from sklearn.tree import DecisionTreeRegressor

    frame = panel()
    assert frame["pop"].nunique() / len(frame) > 0.95  # a real measurement, nearly unique
    audit = audit_table(frame, "lifeExp", "regression")
    assert (audit.split, audit.group) == ("group", ("country",))
    assert set(audit.drop) == {"country", "iso_alpha", "iso_num"}
    entity = next(f for f in audit.findings if f.kind == "entity")
    assert entity.columns == ("country", "iso_alpha", "iso_num")
    assert entity.message.startswith("rows repeat the same 'country' (142 values, 12 rows each")
    assert entity.fix == "split by group: each 'country' held out whole"
    named = {f.columns[0] for f in audit.findings if f.kind == "identifier"}
    assert named == {"country", "iso_alpha", "iso_num"}
    assert kinds(audit) == {
        ("entity", ("country", "iso_alpha", "iso_num")),
        ("identifier", ("country",)),
        ("identifier", ("iso_alpha",)),
        ("identifier", ("iso_num",)),
    }
    assert "'iso_num' takes one value per 'country' (142 values, 12 rows each)" in next(
        f.message for f in audit.findings if f.columns == ("iso_num",)
    )
    # The leak is real: a tree that may use iso_num scores far better on rows of countries it
    # has seen than on countries held out whole.
    x = frame[["iso_num", "year", "pop", "gdpPercap"]]
    tree = DecisionTreeRegressor(min_samples_leaf=5, random_state=0)
    seen = cross_val_score(tree, x, frame["lifeExp"], cv=KFold(5, shuffle=True, random_state=0))
    held = cross_val_score(tree, x, frame["lifeExp"], cv=GroupKFold(5), groups=frame["country"])
    assert np.mean(seen) > np.mean(held) + 0.2


def plotly_table(name: str) -> pd.DataFrame:
    """A table plotly ships (read as a learner's CSV is): real data, on this machine."""
    from pathlib import Path

    import plotly

    path = Path(plotly.__file__).parent / "package_data" / "datasets" / f"{name}.csv.gz"
    return read_table(path)[0]


def test_the_real_gapminder_is_split_by_country() -> None:
    # Base: dropped 'pop' and nothing else (the issue's own case).
    frame = plotly_table("gapminder")
    audit = audit_table(frame, "lifeExp", "regression")
    assert (audit.split, audit.group) == ("group", ("country",))
    # Both Koreas share the code KOR: a name for all but one of 142 countries is still a name.
    assert set(audit.drop) == {"country", "iso_alpha", "iso_num"}
    assert {f.kind for f in audit.faults} == {"entity", "identifier"}


def test_a_small_table_of_counts_is_not_taken_for_codes() -> None:
    # Base: dropped the vote counts 'Coderre', 'Bergeron' and 'total' as identifiers.
    # 58 districts: the votes for one candidate are 56 different whole numbers spread over
    # their range, as codes would be; too few rows to tell, so they stay a feature.
    frame = plotly_table("election")
    audit = audit_table(frame, "winner", "classification")
    assert set(audit.drop) == {"district", "district_id"}


def test_a_panel_without_names_is_keyed_by_its_text_column() -> None:
    frame = panel().drop(columns=["iso_alpha", "iso_num"])
    audit = audit_table(frame, "lifeExp", "regression")
    assert (audit.split, audit.group, set(audit.drop)) == ("group", ("country",), {"country"})


def test_visits_of_patients_and_sales_of_store_items_are_entities() -> None:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(8)
    patients, visits = 60, 6
    ids = rng.choice(np.arange(10_000, 99_999), patients, replace=False)
    days = pd.to_timedelta(rng.integers(0, 20_000, patients), unit="D")
    born = (pd.Timestamp("1940-01-01") + days).strftime("%Y-%m-%d")
    height = rng.normal(170, 10, patients).round(1)
    effect = rng.normal(0, 10, patients)
    rows = [
        {
            "patient_id": int(ids[i]),
            "birth_date": born[i],
            "height": height[i],
            "visit": v,
            "dose": rng.uniform(0, 10),
            "bp": 120 + effect[i] + 2 * v + rng.normal(0, 3),
        }
        for i in range(patients)
        for v in range(1, visits + 1)
    ]
    frame = pd.DataFrame(rows).sample(frac=1, random_state=0).reset_index(drop=True)
    audit = audit_table(frame, "bp", "regression")
    assert (audit.split, audit.group, audit.dates) == ("group", ("patient_id",), ("birth_date",))
    assert set(audit.drop) == {"patient_id"}  # the birth date stays: year, month, weekday
    no_id = audit_table(frame.drop(columns="patient_id"), "bp", "regression")
    assert (no_id.split, no_id.group, no_id.drop) == ("group", ("birth_date",), {})
    dates = pd.date_range("2022-01-01", periods=40).strftime("%Y-%m-%d")
    sales = pd.DataFrame(
        [
            {"date": d, "store": f"s{s}", "item": f"i{i}", "sold": rng.poisson(5 + s + i)}
            for d in dates
            for s in range(8)
            for i in range(15)
        ]
    )
    audit = audit_table(sales, "sold", "regression")
    assert (audit.split, audit.group, audit.drop) == ("group", ("store", "item"), {})
    entity = next(f for f in audit.findings if f.kind == "entity")
    assert entity.message.startswith(
        "rows repeat the same 'store' and 'item' (120 combinations, 40 rows each; 'date' tells"
    )


def test_hours_of_days_are_split_by_time_and_a_sum_of_columns_is_a_transform() -> None:
    # Like UCI's bike sharing: a row per hour, 'cnt' = 'casual' + 'registered'.
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(9)
    days = pd.date_range("2011-01-01", periods=120)
    hours = np.tile(np.arange(24), len(days))
    wave = np.sin(hours / 24 * 2 * np.pi) ** 2
    frame = pd.DataFrame(
        {
            "instant": np.arange(1, len(hours) + 1),
            "dteday": np.repeat(days.strftime("%Y-%m-%d"), 24),
            "hr": hours,
            "temp": rng.uniform(0, 1, len(hours)).round(2),
            "casual": rng.poisson(5 + 3 * wave),
            "registered": rng.poisson(40 + 20 * wave),
        }
    )
    frame["cnt"] = frame["casual"] + frame["registered"]
    audit = audit_table(frame, "cnt", "regression")
    assert (audit.split, audit.time, audit.group) == ("time", "dteday", ())
    assert kinds(audit) == {
        ("time", ("dteday",)),
        ("dates", ("dteday",)),
        ("identifier", ("instant",)),
        ("transform", ("casual", "registered")),
    }
    assert set(audit.drop) == {"instant"}  # which of the two to leave out is the learner's call


def test_free_text_and_an_item_with_its_price_are_not_identifiers_or_entities() -> None:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(10)
    words = ["free", "win", "call", "now", "hi", "see", "you", "later", "prize", "ok", "lunch"]
    messages = [" ".join(rng.choice(words, int(rng.integers(8, 20)))) for _ in range(500)]
    sms = pd.DataFrame({"message": messages})
    sms["label"] = np.where(sms["message"].str.contains("prize"), "spam", "ham")
    assert sms["message"].nunique() == 500
    assert audit_table(sms, "label", "classification").findings == ()
    items = rng.integers(0, 15, 3000)
    shop = pd.DataFrame({"item": [f"item {i}" for i in items], "price": 1.25 + items * 0.5})
    shop["weekend"] = rng.integers(0, 2, 3000)
    shop["sold"] = rng.poisson(20 - shop["price"] + 5 * shop["weekend"])
    assert audit_table(shop, "sold", "regression").faults == ()


def test_names_alone_never_drop_a_column() -> None:
    # Base: 'age' was dropped for target 'wage', 'a' and 'b' for target 'label'.
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(1)
    n = 400
    age = rng.integers(18, 70, n)
    wages = pd.DataFrame({"age": age, "hours": rng.integers(10, 60, n)})
    wages["wage"] = (age * 300 + wages["hours"] * 500 + rng.normal(0, 4000, n)).round(2)
    assert audit_table(wages, "wage", "regression").findings == ()
    labels = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    labels["label"] = np.where(labels["a"] + labels["b"] + rng.normal(0, 1, n) > 0, "yes", "no")
    assert audit_table(labels, "label", "classification").findings == ()
    prices = pd.DataFrame({"list_price": rng.normal(100, 20, n).round(2)})
    prices["sale_price"] = (prices["list_price"] * rng.uniform(0.6, 1.0, n)).round(2)
    audit = audit_table(prices, "sale_price", "regression")
    assert kinds(audit) == {("target-name", ("list_price",))}
    assert audit.findings[0].message.startswith(
        "'list_price' shares the word 'price' with the target 'sale_price'"
    )
    assert audit.drop == {} and not audit.faults


def daily_sales(days: int = 400, seed: int = 2) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    when = pd.date_range("2021-01-01", periods=days, freq="D")
    trend = np.linspace(100, 180, days) + 15 * (when.day_of_week >= 5)
    return pd.DataFrame(
        {
            "date": when.strftime("%Y-%m-%d"),
            "promo": rng.integers(0, 2, days),
            "temperature": rng.normal(15, 8, days).round(1),
            "sales": (trend + rng.normal(0, 10, days)).round(1),
        }
    )


def test_a_dated_table_is_split_by_time_with_date_features() -> None:
    # Base: the date was only warned about; it stayed one-hot text and the split random.
    audit = audit_table(daily_sales(), "sales", "regression")
    assert (audit.split, audit.time, audit.dates) == ("time", "date", ("date",))
    assert kinds(audit) == {("time", ("date",)), ("dates", ("date",))}
    time = next(f for f in audit.findings if f.kind == "time")
    assert time.message.startswith("'date' orders the rows in time (2021-01-01 to 2022-02-04)")
    assert time.fix == "split by time: the latest rows held out"
    assert "year, month" in next(f.fix for f in audit.findings if f.kind == "dates")
    import pandas as pd

    european = daily_sales()
    european["date"] = pd.to_datetime(european["date"]).dt.strftime("%d/%m/%Y")  # day first
    audit = audit_table(european, "sales", "regression")
    time = next(f for f in audit.findings if f.kind == "time")
    assert time.message.startswith("'date' orders the rows in time (2021-01-01 to 2022-02-04)")


def test_a_birth_date_gives_date_features_but_no_time_split() -> None:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(3)
    n = 300
    born = pd.Timestamp("1950-01-01") + pd.to_timedelta(rng.integers(0, 20000, n), unit="D")
    frame = pd.DataFrame(
        {"birth_date": born.strftime("%d/%m/%Y"), "weight": rng.normal(70, 10, n).round(1)}
    )
    frame["sick"] = np.where(frame["weight"] + rng.normal(0, 10, n) > 75, "yes", "no")
    audit = audit_table(frame, "sick", "classification")
    assert (audit.split, audit.dates) == ("random", ("birth_date",))
    assert kinds(audit) == {("dates", ("birth_date",))}


def test_clean_controls_give_no_fault() -> None:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(4)
    n = 600
    # Nearly unique measurements related to the target (integer and float), a uniform float.
    population = rng.lognormal(12, 1.2, n).astype(int)
    area = rng.lognormal(5, 0.8, n)
    noise = rng.uniform(0, 1, n)
    # A hierarchy of categories: many rows per city, the country constant within each city.
    city = rng.integers(0, 40, n)
    country = np.array([f"country {c % 6}" for c in city])
    frame = pd.DataFrame(
        {
            "population": population,
            "area": area,
            "noise": noise,
            "city": [f"city {c}" for c in city],
            "country": country,
        }
    )
    frame["spend"] = np.log(population) * 3 + np.log(area) + rng.normal(0, 1, n)
    assert frame["population"].nunique() > 0.95 * n and frame["area"].nunique() == n
    audit = audit_table(frame, "spend", "regression")
    assert audit.faults == () and audit.split == "random" and audit.drop == {}
    frame["buys"] = np.where(frame["spend"] > frame["spend"].median(), "yes", "no")
    audit = audit_table(frame.drop(columns="spend"), "buys", "classification")
    assert audit.faults == () and audit.split == "random"


def test_a_table_of_few_discrete_values_repeats_by_nature() -> None:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(5)
    n = 800
    frame = pd.DataFrame(
        {
            "colour": rng.choice(["red", "green", "blue"], n),
            "size": rng.integers(1, 6, n),
            "shape": rng.choice(["round", "square"], n),
        }
    )
    frame["liked"] = np.where((frame["size"] > 2) ^ (rng.uniform(size=n) < 0.2), "yes", "no")
    assert frame.duplicated().sum() > 500
    assert audit_table(frame, "liked", "classification").faults == ()
    # One column of many values: rows still repeat, as often as chance says they would.
    frame["age"] = rng.integers(18, 98, n)
    assert frame.duplicated().sum() > 5
    assert audit_table(frame, "liked", "classification").faults == ()


def test_identifiers_of_every_dtype_and_copies_with_a_new_id() -> None:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(6)
    n = 500
    x = rng.normal(size=n)
    frame = pd.DataFrame(
        {
            "row": np.arange(1000, 1000 + n),  # counts rows
            "code": [f"{v:06d}" for v in rng.choice(999_999, n, replace=False)],  # padded text
            "ticket": rng.choice(10**9, n, replace=False),  # sparse integer codes
            "ref": np.where(np.arange(n) % 50 == 0, np.nan, np.arange(n) * 7.0 + 3),  # float ids
            "x": x,
            "y": (2 * x + rng.normal(0, 1, n)).round(3),
        }
    )
    copies = frame.iloc[:10].copy()
    copies["row"] = np.arange(5000, 5010)  # a copied row with a new id is still a copy
    copies["x"] = copies["x"] * (1 + 1e-6)  # and equal to 4 significant digits
    frame = pd.concat([frame, copies], ignore_index=True)
    audit = audit_table(frame, "y", "regression")
    assert {c for c, why in audit.drop.items() if why.startswith("an identifier")} == {
        "row",
        "code",
        "ticket",
        "ref",
    }
    repeats = next(f for f in audit.findings if f.kind == "duplicates")
    assert repeats.message.startswith("10 of 510 rows repeat another (0 exactly, 10 up to")
    assert audit.drop_duplicates


def test_columns_that_give_the_target_away() -> None:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(7)
    n = 1000
    frame = pd.DataFrame({"usage": rng.normal(50, 10, n), "calls": rng.poisson(3, n)})
    churn = (frame["calls"] + rng.normal(0, 2, n) > 5).to_numpy()
    frame["churned"] = np.where(churn, "yes", "no")
    # Filled in only when a customer left (not always): known for churned customers only.
    told = churn & (rng.uniform(size=n) < 0.7)
    frame["exit_reason"] = np.where(told, rng.choice(["price", "service"], n), None)
    frame["score"] = np.where(churn, 1, 0) + rng.normal(0, 0.01, n)  # the outcome, recoded
    audit = audit_table(frame, "churned", "classification")
    assert kinds(audit) == {("post-outcome", ("exit_reason",)), ("near-perfect", ("score",))}
    assert set(audit.drop) == {"exit_reason", "score"}
    amounts = pd.DataFrame({"a": rng.normal(10, 2, n), "b": rng.normal(5, 1, n)})
    amounts["c"] = rng.normal(size=n)
    amounts["total"] = amounts["a"] + 2 * amounts["b"]
    audit = audit_table(amounts, "total", "regression")
    assert kinds(audit) == {("transform", ("a", "b"))}
    assert audit.findings[0].fix == "" and audit.drop == {}


def test_findings_name_the_column_and_the_reason() -> None:
    # Moved from tests/test_project.py (sanity.find_problems): the target computed from a
    # column is now a transform, the date also orders the rows in time.
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
    audit = audit_table(frame, "price", "regression")
    findings = {(f.kind, f.column): f for f in audit.findings}
    assert set(findings) == {
        ("identifier", "customer_id"),
        ("time", "sold_on"),
        ("dates", "sold_on"),
        ("constant", "country"),
        ("target-name", "price_per_m2"),
        ("transform", "price_per_m2"),
    }
    assert findings[("transform", "price_per_m2")].message == (
        "'price' moves in step with 'price_per_m2' (Spearman +1.000): the target is computed "
        "from it, or it from the target"
    )
    assert findings[("identifier", "customer_id")].message == (
        "'customer_id' identifies rows: it is named like an identifier and has 300 different "
        "values in 300 rows"
    )
    assert not findings[("constant", "country")].fault


BUNDLED = [
    (
        "titanic",
        {
            ("identifier", ("name",)),
            ("post-outcome", ("boat",)),
            ("post-outcome", ("body",)),
        },
    ),
    # adult's 3465 repeated rows are different people who answered alike (the file has no
    # fnlwgt): a quarter of them disagree on income, and a forest scores no better when they may
    # cross the folds. Not copies: no finding (the base called them duplicates to drop).
    ("adult", set()),
    (
        "ames",
        {
            ("identifier", ("Order",)),
            ("identifier", ("PID",)),
            ("target-name", ("Sale Type",)),
            ("target-name", ("Sale Condition",)),
        },
    ),
    ("penguins", set()),
]


@pytest.mark.content
@pytest.mark.parametrize(("dataset", "expected"), BUNDLED)
def test_bundled_datasets_give_only_their_real_faults(
    dataset: str, expected: set[tuple[str, tuple[str, ...]]]
) -> None:
    # Base: titanic's 'body' (known only for the dead) went unnoticed.
    spec = CATALOG.datasets[dataset]
    path = CATALOG.data_file(spec)
    assert path is not None
    frame, _ = read_table(path)
    audit = audit_table(frame, spec.target, decide_task(frame[spec.target]).task)
    assert kinds(audit) == expected
    assert audit.split == "random"


@pytest.mark.content
@pytest.mark.parametrize("name", ["iris", "wine", "breast_cancer", "digits", "diabetes"])
def test_scikit_learn_datasets_give_no_fault(name: str) -> None:
    from sklearn import datasets

    frame = getattr(datasets, f"load_{name}")(as_frame=True).frame
    task = "regression" if name == "diabetes" else "classification"
    audit = audit_table(frame, "target", task)
    assert audit.faults == ()
    assert {f.kind for f in audit.findings} <= {"constant"}


def test_status_says_whether_the_settings_address_a_finding() -> None:
    audit = audit_table(panel(), "lifeExp", "regression")
    entity = next(f for f in audit.findings if f.kind == "entity")
    iso = next(f for f in audit.findings if f.columns == ("iso_num",))
    assert status(entity, settings(split="group", group=("country",))).how == (
        "split by group 'country'"
    )
    assert status(entity, settings(split="group", group=("iso_num",))).addressed
    assert not status(entity, settings(split="group", group=("continent",))).addressed
    assert status(entity, settings()).how == "not addressed: split is random"
    assert status(iso, settings(drop=("iso_num",))).how == "left out (drop)"
    assert status(iso, settings(checked=("iso_num",))).how == "you checked it (checked)"
    assert status(iso, settings()).how.startswith("not addressed: 'iso_num' is still a feature")
    sales = audit_table(daily_sales(), "sales", "regression")
    time = next(f for f in sales.findings if f.kind == "time")
    dates = next(f for f in sales.findings if f.kind == "dates")
    assert status(time, settings(split="time", time="date")).addressed
    assert not status(time, settings(split="group", group=("promo",))).addressed
    assert status(dates, settings(dates=("date",))).addressed
    assert not status(dates, settings()).addressed
    repeats = Finding("duplicates", (), "", "repeats kept once (drop_duplicates)")
    assert status(repeats, settings(drop_duplicates=True)).addressed
    assert not status(repeats, settings()).addressed
    note = Finding("constant", ("c",), "", "")
    assert status(note, settings()).addressed


def test_time_with_an_entity_is_split_by_group() -> None:
    import pandas as pd

    frame = panel()
    frame["when"] = pd.to_datetime(frame["year"].astype(str) + "-07-01").dt.strftime("%Y-%m-%d")
    audit = audit_table(frame, "lifeExp", "regression")
    assert (audit.split, audit.group, audit.dates) == ("group", ("country",), ("when",))
    time = next(f for f in audit.findings if f.kind == "time")
    assert time.columns == ("when", "country") and 'split = "time"' in time.fix
    assert status(time, settings(split="group", group=("country",))).addressed


def test_copies_are_told_from_records_that_merely_look_alike() -> None:
    import numpy as np
    import pandas as pd

    spec = CATALOG.datasets["adult"]
    path = CATALOG.data_file(spec)
    assert path is not None
    frame, _ = read_table(path)
    assert frame.duplicated().sum() > 3000  # natural repeats: no finding (above)
    rng = np.random.default_rng(11)
    copied = frame.iloc[rng.choice(len(frame), len(frame) // 10, replace=False)]
    with_copies = pd.concat([frame, copied], ignore_index=True)
    audit = audit_table(with_copies, spec.target, "classification")
    repeats = next(f for f in audit.findings if f.kind == "duplicates")
    assert "copies flatter the score (a forest:" in repeats.message
    assert audit.drop_duplicates
