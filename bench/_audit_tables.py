"""The tables of the own-data audit benchmark, each with the faults it truly holds.

Every table is built by a function from seeded numpy or from a bundled dataset, and carries its
truth: the faults in it, by the kinds of `invert.kinds.projects.audit.FAULTS`, and the columns. A
table
with no fault is a clean control. Faults that a random split turns into a flattering score
(entity, time, duplicates) are checked to really flatter: `flattery` compares the random split's
cross-validated score with the honest one's, and the benchmark's test requires the difference.

Real datasets are used as they are, except where a column's truth is unsure: then the column is
left out of the table rather than labelled either way (said in the table's `source`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parent.parent / "src" / "invert" / "content" / "data"
# A random split must beat the honest split by at least this much (accuracy or R2) for an
# entity, time or duplicates fault to count as real.
MIN_FLATTERY = 0.02
SPLIT_KINDS = ("entity", "time", "duplicates")


@dataclass(frozen=True)
class Fault:
    """One injected (or known) fault: its kind and the columns a finding must name.

    `columns` are alternatives: a finding of the right kind that names any of them matches (the
    other names of one entity, the columns of one linear combination). With `together`, the
    columns are one combination and the finding must name all of them. No columns: the fault
    is the whole table's (duplicates, a learner's edited step), matched on the kind alone.
    `also` lists other kinds that name the same fault honestly (a noisy copy of a regression
    target is both near-perfect and a monotone transform).
    """

    kind: str
    columns: tuple[str, ...] = ()
    together: bool = False
    also: tuple[str, ...] = ()
    why: str = ""

    def kinds(self) -> tuple[str, ...]:
        return (self.kind, *self.also)

    def matches(self, kind: str, columns: tuple[str, ...]) -> bool:
        if kind not in self.kinds():
            return False
        if not self.columns:
            return True
        if self.together:
            return set(self.columns) <= set(columns)
        return any(c in columns for c in self.columns)

    def label(self) -> str:
        joined = ("+" if self.together else "|").join(self.columns)
        kinds = "/".join(self.kinds())
        return f"{kinds}({joined})" if self.columns else kinds


@dataclass(frozen=True)
class Table:
    """A table, what to predict, and its truth."""

    name: str
    source: str
    build: Callable[[], pd.DataFrame]
    target: str
    task: str
    faults: tuple[Fault, ...] = ()
    # For an entity fault: the key (a column or a combination) whose rows belong together;
    # for time: the column that orders rows; used by `flattery` only.
    group: tuple[str, ...] = ()
    time: str = ""

    @property
    def clean(self) -> bool:
        return not self.faults


# -- real data ----------------------------------------------------------------------------------


def _sklearn(name: str) -> pd.DataFrame:
    from sklearn import datasets

    frame: pd.DataFrame = getattr(datasets, f"load_{name}")(as_frame=True).frame
    return frame


def titanic() -> pd.DataFrame:
    # ticket, cabin and home.dest are left out: rows sharing them are families travelling
    # together (a mild group leak, but not repeated measures of one thing): unsure, so unjudged.
    frame = pd.read_csv(DATA / "titanic3.csv", na_values=["?"])
    return frame.drop(columns=["ticket", "cabin", "home.dest"])


def adult() -> pd.DataFrame:
    return pd.read_csv(DATA / "adult.csv.gz", skipinitialspace=True)


def ames() -> pd.DataFrame:
    # The file is sorted by Yr Sold; a time split scores about as well as a random one
    # (HistGradientBoosting R2 within 0.015 either way): unsure, so Yr Sold is left out.
    return pd.read_csv(DATA / "ames_housing.csv.gz").drop(columns=["Yr Sold"])


def ames_clean() -> pd.DataFrame:
    return ames().drop(columns=["Order", "PID"])


def penguins() -> pd.DataFrame:
    return pd.read_csv(DATA / "penguins.csv")


def iris() -> pd.DataFrame:
    return _sklearn("iris")


def wine() -> pd.DataFrame:
    return _sklearn("wine")


def breast_cancer() -> pd.DataFrame:
    return _sklearn("breast_cancer")


def diabetes() -> pd.DataFrame:
    return _sklearn("diabetes")


def digits() -> pd.DataFrame:
    return _sklearn("digits")


# -- injections into real data ------------------------------------------------------------------


def wine_dense_id() -> pd.DataFrame:
    frame = wine()
    frame.insert(0, "sample_id", np.arange(1001, 1001 + len(frame)))  # rises with the rows
    return frame


def cancer_sparse_code() -> pd.DataFrame:
    frame = breast_cancer()
    rng = np.random.default_rng(11)
    codes = rng.choice(np.arange(100_000, 1_000_000), size=len(frame), replace=False)
    frame.insert(0, "patient_code", codes)
    return frame


def penguins_uuid() -> pd.DataFrame:
    frame = penguins()
    rng = np.random.default_rng(12)
    frame.insert(0, "uid", [str(uuid.UUID(int=int(rng.integers(2**62)))) for _ in frame.index])
    return frame


def diabetes_padded_code() -> pd.DataFrame:
    frame = diabetes()
    rng = np.random.default_rng(13)
    codes = rng.choice(np.arange(1, 1_000_000), size=len(frame), replace=False)
    frame.insert(0, "ref", [f"{c:06d}" for c in codes])
    return frame


def iris_float_id() -> pd.DataFrame:
    frame = iris()
    rng = np.random.default_rng(14)
    # An id column read as floats (a gap elsewhere in the file made it float): 10234.0, ...
    frame.insert(0, "specimen", rng.permutation(np.arange(10_000, 10_000 + len(frame))) * 1.0)
    return frame


def _copies(frame: pd.DataFrame, share: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(frame), size=int(len(frame) * share), replace=False)
    return frame.iloc[rows].copy()


def _shuffle(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def adult_copies() -> pd.DataFrame:
    base = adult().sample(n=3000, random_state=21)
    return _shuffle(pd.concat([base, _copies(base, 0.25, 21)]), 21)


def diabetes_near_copies() -> pd.DataFrame:
    base = diabetes()
    copies = _copies(base, 0.3, 22)
    rng = np.random.default_rng(22)
    features = [c for c in base.columns if c != "target"]
    # Noise far below 4 significant digits: a copy re-exported with float round-off.
    copies[features] = copies[features] * (1 + rng.normal(0, 1e-7, size=copies[features].shape))
    return _shuffle(pd.concat([base, copies]), 22)


def penguins_case_copies() -> pd.DataFrame:
    base = penguins().dropna().reset_index(drop=True)
    copies = _copies(base, 0.3, 23)
    copies["species"] = copies["species"].str.upper()
    copies["sex"] = " " + copies["sex"].str.capitalize() + " "
    return _shuffle(pd.concat([base, copies]), 23)


def diabetes_noisy_copy() -> pd.DataFrame:
    frame = diabetes()
    rng = np.random.default_rng(24)
    frame.insert(3, "progression_est", frame["target"] + rng.normal(0, 3, len(frame)))
    return frame


def cancer_noisy_copy() -> pd.DataFrame:
    frame = breast_cancer()
    rng = np.random.default_rng(25)
    frame.insert(5, "lab_score", frame["target"] * 10 + rng.normal(0, 1.5, len(frame)))
    return frame


def cancer_post_outcome() -> pd.DataFrame:
    frame = breast_cancer()
    rng = np.random.default_rng(26)
    # Days to the follow-up surgery: recorded only for malignant tumours (class 0).
    known = (frame["target"] == 0) & (rng.random(len(frame)) < 0.7)
    days = np.where(known, rng.integers(5, 60, len(frame)), np.nan)
    frame.insert(3, "surgery_days", days)
    return frame


def wine_post_outcome() -> pd.DataFrame:
    frame = wine()
    rng = np.random.default_rng(27)
    # A reason for rejection, written only for the wines of class 2 that failed a tasting.
    reasons = np.array(["cork taint", "oxidised", "volatile acidity", "brett"])
    known = (frame["target"] == 2) & (rng.random(len(frame)) < 0.8)
    frame["reject_reason"] = np.where(known, rng.choice(reasons, len(frame)), None)
    return frame


def diabetes_log_target() -> pd.DataFrame:
    frame = diabetes()
    frame.insert(2, "log_progression", np.log(frame["target"]))
    return frame


def ames_sqrt_price() -> pd.DataFrame:
    frame = ames_clean()
    rng = np.random.default_rng(28)
    # The sale's assessed value in thousands, a rounded monotone function of the price.
    frame["Assessed K"] = np.round(
        np.sqrt(frame["SalePrice"]) * 3.1 + rng.normal(0, 0.01, len(frame)), 2
    )
    return frame


def diabetes_visits() -> pd.DataFrame:
    """A real table turned into repeated entities: each patient seen three times."""
    base = diabetes()
    rng = np.random.default_rng(29)
    codes = rng.choice(np.arange(10_000, 99_999), size=len(base), replace=False)
    rows = []
    for visit in (1, 2, 3):
        part = base.copy()
        features = [c for c in base.columns if c not in ("target", "sex")]
        part[features] = part[features] * (1 + rng.normal(0, 0.03, size=part[features].shape))
        part["target"] = (part["target"] + rng.normal(0, 8, len(part))).round(1)
        part.insert(0, "visit", visit)
        part.insert(0, "patient_no", codes)
        rows.append(part)
    frame = pd.concat(rows).sort_values(["patient_no", "visit"], kind="stable")
    return frame.reset_index(drop=True)


def diabetes_dated() -> pd.DataFrame:
    """Rows in time order with a trend: a clinic's records over three years."""
    frame = diabetes()
    rng = np.random.default_rng(30)
    days = np.sort(rng.choice(np.arange(3 * 365), size=len(frame), replace=False))
    dates = pd.Timestamp("2019-01-01") + pd.to_timedelta(days, unit="D")
    frame.insert(0, "seen_on", dates.strftime("%Y-%m-%d"))
    frame["target"] = frame["target"] + days * 0.15
    return frame


# -- generated tables ---------------------------------------------------------------------------


def measurements() -> pd.DataFrame:
    """Nearly-unique integer and float measurements, none an identifier."""
    rng = np.random.default_rng(41)
    n = 1200
    population = np.round(rng.lognormal(11, 1.4, n)).astype(int)
    area_sqft = np.round(rng.lognormal(7.3, 0.45, n)).astype(int)
    rainfall = rng.gamma(3.0, 220.0, n)
    share = rng.uniform(0, 1, n)
    density = population / area_sqft
    price = 50 * np.log(population) + 0.08 * area_sqft + 0.02 * rainfall + rng.normal(0, 40, n)
    return pd.DataFrame(
        {
            "population": population,
            "area_sqft": area_sqft,
            "rainfall_mm": rainfall.round(3),
            "density": density,
            "green_share": share,
            "price": price.round(2),
        }
    )


def wages() -> pd.DataFrame:
    rng = np.random.default_rng(42)
    n = 900
    age = rng.integers(18, 66, n)
    school = rng.integers(8, 21, n)
    hours = rng.integers(10, 61, n)
    sector = rng.choice(["public", "private", "self"], n)
    wage = 2 + 0.15 * age - 0.0015 * age**2 + 0.9 * school + 0.05 * hours + rng.normal(0, 3, n)
    return pd.DataFrame(
        {"age": age, "school_years": school, "hours": hours, "sector": sector, "wage": wage}
    )


def label_ab() -> pd.DataFrame:
    rng = np.random.default_rng(43)
    n = 800
    a = rng.normal(0, 1, n)
    b = rng.normal(0, 1, n)
    c = rng.normal(0, 1, n)
    label = (a + 0.8 * b + rng.normal(0, 0.7, n) > 0).astype(int)
    return pd.DataFrame({"a": a, "b": b, "c": c, "label": label})


def sale_prices() -> pd.DataFrame:
    rng = np.random.default_rng(44)
    n = 1000
    sqft = rng.normal(1800, 500, n).clip(500)
    rooms = rng.integers(1, 7, n)
    district = rng.choice(["north", "south", "east", "west", "centre"], n)
    value = 90 * sqft + 8000 * rooms + rng.normal(0, 30_000, n)
    list_price = (value * rng.normal(1.0, 0.12, n)).round(-2)
    sale_price = (value * rng.normal(1.0, 0.10, n)).round(-2)
    return pd.DataFrame(
        {
            "sqft": sqft.round(),
            "rooms": rooms,
            "district": district,
            "list_price": list_price,
            "sale_price": sale_price,
        }
    )


def city_region() -> pd.DataFrame:
    """Many rows per city, region constant within city: a hierarchy of categories."""
    rng = np.random.default_rng(45)
    cities = [f"city_{i:02d}" for i in range(30)]
    region_of = {c: f"region_{i % 5}" for i, c in enumerate(cities)}
    n = 1500
    city = rng.choice(cities, n)
    income = rng.lognormal(10, 0.5, n).round(2)
    age = rng.integers(18, 80, n)
    effect = {c: rng.normal(0, 1) for c in cities}
    score = np.array([effect[c] for c in city]) + 0.00003 * income + rng.normal(0, 1, n)
    bought = (score > np.median(score)).astype(int)
    return pd.DataFrame(
        {
            "city": city,
            "region": [region_of[c] for c in city],
            "income": income,
            "age": age,
            "bought": bought,
        }
    )


def survey() -> pd.DataFrame:
    """Discrete answers only: repeated rows are different people answering alike."""
    rng = np.random.default_rng(46)
    n = 1200
    frame = pd.DataFrame(
        {
            "agree_1": rng.integers(1, 6, n),
            "agree_2": rng.integers(1, 6, n),
            "owns_car": rng.choice(["yes", "no"], n),
            "region": rng.choice(["north", "south", "east"], n),
        }
    )
    score = frame["agree_1"] + frame["agree_2"] + (frame["owns_car"] == "yes") * 2
    frame["votes"] = np.where(score + rng.normal(0, 1.5, n) > 7, "yes", "no")
    return frame


def year_shuffled() -> pd.DataFrame:
    """A time-named column in no order: the year a machine was built, rows in random order."""
    rng = np.random.default_rng(47)
    n = 1000
    year = rng.integers(1990, 2021, n)
    hours = rng.gamma(2, 3000, n).round()
    load = rng.uniform(0.2, 1.0, n)
    fails = (0.05 * (2021 - year) + 0.0001 * hours + load + rng.normal(0, 0.6, n) > 1.8).astype(int)
    return pd.DataFrame({"year": year, "hours_run": hours, "load": load, "failed": fails})


def gapminder_panel() -> pd.DataFrame:
    """Countries x years with entity effects, iso codes and an integer population."""
    rng = np.random.default_rng(51)
    continents = ["Africa", "Americas", "Asia", "Europe", "Oceania"]
    years = np.arange(1952, 2008, 5)
    rows = []
    letters = rng.choice(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), size=(60, 3))
    iso_numbers = rng.choice(np.arange(4, 900), size=60, replace=False)
    for i in range(60):
        continent = continents[i % 5]
        base_life = rng.normal(55, 8)
        slope = rng.normal(0.3, 0.1)
        pop0 = rng.lognormal(15.5, 1.3)
        gdp0 = rng.lognormal(8, 1)
        for year in years:
            t = year - 1952
            gdp = gdp0 * np.exp(0.02 * t + rng.normal(0, 0.05))
            rows.append(
                {
                    "country": f"Country {i:02d}",
                    "continent": continent,
                    "year": int(year),
                    "lifeExp": base_life + slope * t + 2 * np.log(gdp / gdp0) + rng.normal(0, 1),
                    "pop": int(pop0 * np.exp(0.018 * t + rng.normal(0, 0.01))),
                    "gdpPercap": round(gdp, 4),
                    "iso_alpha": "".join(letters[i]) + f"{i:02d}"[-1],
                    "iso_num": int(iso_numbers[i]),
                }
            )
    return pd.DataFrame(rows)


def plot_panel() -> pd.DataFrame:
    """Field plots measured each season; a plot is (site, plot number): no id column."""
    rng = np.random.default_rng(52)
    rows = []
    for site in ["Alder", "Birch", "Cedar", "Dunes", "Elm", "Fir"]:
        for plot in range(1, 13):
            effect = rng.normal(0, 1.2)
            soil = rng.choice(["clay", "loam", "sand"])
            for season in range(1, 9):
                rain = rng.gamma(4, 60)
                rows.append(
                    {
                        "site": site,
                        "plot": plot,
                        "soil": soil,
                        "season": season,
                        "rain_mm": round(rain, 1),
                        "fertiliser_kg": int(rng.integers(0, 5)) * 10,
                        "yield_t": round(3 + effect + 0.004 * rain + rng.normal(0, 0.3), 3),
                    }
                )
    return pd.DataFrame(rows)


def patient_visits() -> pd.DataFrame:
    rng = np.random.default_rng(53)
    rows = []
    for p in range(220):
        pid = f"P{rng.integers(10_000, 99_999)}-{p}"
        sex = rng.choice(["F", "M"])
        blood = rng.choice(["A", "B", "AB", "O"])
        age0 = int(rng.integers(25, 80))
        base = rng.normal(130, 14)
        for visit in range(1, int(rng.integers(2, 7)) + 1):
            dose = int(rng.choice([0, 5, 10, 20]))
            rows.append(
                {
                    "patient_id": pid,
                    "sex": sex,
                    "blood_type": blood,
                    "visit": visit,
                    "age": age0 + visit // 2,
                    "dose_mg": dose,
                    "heart_rate": int(rng.normal(72, 9)),
                    "systolic": round(base - 0.4 * dose + rng.normal(0, 4), 1),
                }
            )
    return pd.DataFrame(rows)


def daily_sales() -> pd.DataFrame:
    rng = np.random.default_rng(54)
    dates = pd.date_range("2021-01-01", periods=900, freq="D")
    t = np.arange(len(dates))
    temp = 12 + 10 * np.sin(2 * np.pi * t / 365) + rng.normal(0, 3, len(t))
    promo = rng.random(len(t)) < 0.2
    sales = 200 + 0.4 * t + 3 * temp + 60 * promo + rng.normal(0, 20, len(t))
    return pd.DataFrame(
        {
            "date": dates.strftime("%Y-%m-%d"),
            "temperature": temp.round(1),
            "promotion": np.where(promo, "yes", "no"),
            "sales": sales.round(2),
        }
    )


def sensor_readings() -> pd.DataFrame:
    """Timestamps with times of day, day first (04/03/2021 10:00), in time order, drifting."""
    rng = np.random.default_rng(55)
    stamps = pd.Timestamp("2022-01-01") + pd.to_timedelta(
        np.sort(rng.choice(np.arange(0, 500 * 24), size=1500, replace=False)), unit="h"
    )
    hours = (stamps - stamps[0]) / pd.Timedelta(hours=1)
    pressure = rng.normal(1013, 8, len(stamps))
    humidity = rng.uniform(20, 90, len(stamps))
    drift = 0.004 * np.asarray(hours)
    return pd.DataFrame(
        {
            "recorded_at": stamps.strftime("%d/%m/%Y %H:%M"),
            "pressure": pressure.round(2),
            "humidity": humidity.round(1),
            "reading": (
                drift + 0.05 * pressure + 0.02 * humidity + rng.normal(0, 1, len(stamps))
            ).round(3),
        }
    )


def weekly_stores() -> pd.DataFrame:
    """A time-named integer in file order: three stores' sales, week by week."""
    rng = np.random.default_rng(56)
    rows = []
    for week in range(1, 161):
        for store in ("north", "south", "west"):
            staff = int(rng.integers(3, 12))
            rows.append(
                {
                    "week": week,
                    "store": store,
                    "staff": staff,
                    "price_index": round(rng.normal(100, 5), 2),
                    "units": round(500 + 4 * week + 20 * staff + rng.normal(0, 40), 1),
                }
            )
    return pd.DataFrame(rows)


def customers_birth() -> pd.DataFrame:
    """Dates as text that are an attribute (a birth date), not when the row happened."""
    rng = np.random.default_rng(57)
    n = 800
    born = pd.Timestamp("1950-01-01") + pd.to_timedelta(rng.integers(0, 50 * 365, n), unit="D")
    born = born[rng.permutation(n)]
    spend = rng.gamma(2, 150, n).round(2)
    tenure = rng.integers(1, 120, n)
    age = (pd.Timestamp("2024-01-01") - born).days / 365.25
    churn = (0.02 * age - 0.01 * tenure + 0.001 * spend + rng.normal(0, 0.5, n) > 0.4).astype(int)
    return pd.DataFrame(
        {
            "birth_date": born.strftime("%Y-%m-%d"),
            "spend": spend,
            "tenure_months": tenure,
            "churned": churn,
        }
    )


def costs_sum() -> pd.DataFrame:
    """A target that is the sum of three columns: a linear transform, no single column alone."""
    rng = np.random.default_rng(58)
    n = 700
    materials = rng.gamma(3, 400, n).round(2)
    labour = rng.gamma(2, 600, n).round(2)
    overhead = rng.gamma(2, 150, n).round(2)
    crew = rng.integers(1, 9, n)
    return pd.DataFrame(
        {
            "materials": materials,
            "labour": labour,
            "overhead": overhead,
            "crew": crew,
            "total_cost": (materials + labour + overhead).round(2),
        }
    )


# -- the tables ---------------------------------------------------------------------------------

C, R = "classification", "regression"
ID = "identifier"


def _ids(*columns: str, why: str = "") -> tuple[Fault, ...]:
    return tuple(Fault(ID, (c,), why=why) for c in columns)


TABLES: tuple[Table, ...] = (
    # clean controls
    Table("penguins", "bundled: penguins.csv", penguins, "species", C),
    Table("iris", "bundled: sklearn iris (one natural repeat of 150)", iris, "target", C),
    Table("wine", "bundled: sklearn wine", wine, "target", C),
    Table("breast-cancer", "bundled: sklearn breast_cancer", breast_cancer, "target", C),
    Table("diabetes", "bundled: sklearn diabetes", diabetes, "target", R),
    Table("digits", "bundled: sklearn digits", digits, "target", C),
    Table(
        "ames-clean",
        "bundled: ames_housing.csv.gz without Order, PID (and Yr Sold: unsure)",
        ames_clean,
        "SalePrice",
        R,
    ),
    Table(
        "adult",
        "bundled: adult.csv.gz as it is; its 3465 repeated rows are different people "
        "answering alike (26% of repeat groups disagree on income; keeping repeats on one side "
        "of the split does not lower the CV score): natural, not a fault",
        adult,
        "income",
        C,
    ),
    Table(
        "measurements",
        "generated, seed 41: nearly-unique int (population, area) and float "
        "measurements, a uniform float",
        measurements,
        "price",
        R,
    ),
    Table("wage-age", "generated, seed 42: target wage, feature age", wages, "wage", R),
    Table("label-a-b", "generated, seed 43: target label, features a and b", label_ab, "label", C),
    Table(
        "sale-list-price",
        "generated, seed 44: list_price correlated (not near-perfect) with sale_price",
        sale_prices,
        "sale_price",
        R,
    ),
    Table(
        "city-region",
        "generated, seed 45: city -> region hierarchy, many rows per city",
        city_region,
        "bought",
        C,
    ),
    Table(
        "survey",
        "generated, seed 46: discrete answers only, natural repeated rows",
        survey,
        "votes",
        C,
    ),
    Table(
        "year-unordered",
        "generated, seed 47: a 'year' column in no order",
        year_shuffled,
        "failed",
        C,
    ),
    # real data with its own faults
    Table(
        "titanic",
        "bundled: titanic3.csv, ticket, cabin and home.dest left out (family groups: unsure)",
        titanic,
        "survived",
        C,
        (
            Fault(ID, ("name",), why="a passenger's name, unique per row"),
            Fault(
                "near-perfect",
                ("boat",),
                also=("post-outcome",),
                why="a lifeboat number: known for survivors",
            ),
            Fault(
                "post-outcome",
                ("body",),
                also=("identifier",),  # a number given to each recovered body: a code too
                why="a body number: known only for the dead",
            ),
            Fault("duplicates", why="162 rows repeat (family members alike); measured to flatter"),
        ),
    ),
    Table(
        "ames",
        "bundled: ames_housing.csv.gz as it is but Yr Sold (unsure)",
        ames,
        "SalePrice",
        R,
        _ids("Order", "PID", why="a row number and a parcel code"),
    ),
    # real data with injected faults
    Table(
        "adult-copies",
        "bundled adult, 3000 rows, seed 21: 25% exact copies added",
        adult_copies,
        "income",
        C,
        (Fault("duplicates", why="exact copies"),),
    ),
    Table(
        "wine-dense-id",
        "bundled wine + sample_id 1001.. in row order (the file is sorted by class)",
        wine_dense_id,
        "target",
        C,
        # The rows are sorted by class, so the id also predicts the class: near-perfect too.
        (Fault(ID, ("sample_id",), also=("near-perfect",), why="dense int id"),),
    ),
    Table(
        "cancer-sparse-code",
        "bundled breast_cancer + random 6-digit codes, seed 11",
        cancer_sparse_code,
        "target",
        C,
        _ids("patient_code", why="sparse int code"),
    ),
    Table(
        "penguins-uuid",
        "bundled penguins + uuid text, seed 12",
        penguins_uuid,
        "species",
        C,
        _ids("uid", why="uuid text"),
    ),
    Table(
        "diabetes-padded-code",
        "bundled diabetes + zero-padded text codes, seed 13",
        diabetes_padded_code,
        "target",
        R,
        _ids("ref", why="zero-padded text code"),
    ),
    Table(
        "iris-float-id",
        "bundled iris + float-valued id codes, seed 14",
        iris_float_id,
        "target",
        C,
        _ids("specimen", why="float-valued id"),
    ),
    Table(
        "diabetes-near-copies",
        "bundled diabetes, seed 22: 30% copies, 1e-7 relative noise",
        diabetes_near_copies,
        "target",
        R,
        (Fault("duplicates", why="near copies (noise)"),),
    ),
    Table(
        "penguins-case-copies",
        "bundled penguins, seed 23: 30% copies, case and spaces changed",
        penguins_case_copies,
        "body_mass_g",
        R,
        (Fault("duplicates", why="near copies (case)"),),
    ),
    Table(
        "diabetes-noisy-copy",
        "bundled diabetes, seed 24: target + noise (sd 3)",
        diabetes_noisy_copy,
        "target",
        R,
        (Fault("near-perfect", ("progression_est",), also=("transform",)),),
    ),
    Table(
        "cancer-noisy-copy",
        "bundled breast_cancer, seed 25: 10 x target + noise (sd 1.5)",
        cancer_noisy_copy,
        "target",
        C,
        (Fault("near-perfect", ("lab_score",)),),
    ),
    Table(
        "cancer-post-outcome",
        "bundled breast_cancer, seed 26: surgery_days known only for malignant",
        cancer_post_outcome,
        "target",
        C,
        (Fault("post-outcome", ("surgery_days",)),),
    ),
    Table(
        "wine-post-outcome",
        "bundled wine, seed 27: reject_reason only for class 2",
        wine_post_outcome,
        "target",
        C,
        (Fault("post-outcome", ("reject_reason",)),),
    ),
    Table(
        "diabetes-log-target",
        "bundled diabetes: log_progression = log(target)",
        diabetes_log_target,
        "target",
        R,
        (Fault("transform", ("log_progression",), also=("near-perfect",)),),
    ),
    Table(
        "ames-sqrt-price",
        "bundled ames (no Order, PID), seed 28: Assessed K = 3.1 sqrt(price)",
        ames_sqrt_price,
        "SalePrice",
        R,
        (Fault("transform", ("Assessed K",), also=("near-perfect",)),),
    ),
    Table(
        "diabetes-visits",
        "bundled diabetes, seed 29: each patient seen 3 times",
        diabetes_visits,
        "target",
        R,
        (Fault("entity", ("patient_no",)), *_ids("patient_no")),
        group=("patient_no",),
    ),
    Table(
        "diabetes-dated",
        "bundled diabetes, seed 30: dated rows in time order, a trend",
        diabetes_dated,
        "target",
        R,
        (Fault("time", ("seen_on",)), Fault("dates", ("seen_on",))),
        time="seen_on",
    ),
    # generated tables with faults
    Table(
        "gapminder-panel",
        "generated, seed 51: 60 countries x 12 years",
        gapminder_panel,
        "lifeExp",
        R,
        (
            Fault("entity", ("country", "iso_alpha", "iso_num")),
            *_ids("country", "iso_alpha", "iso_num", why="another name for the country"),
        ),
        group=("country",),
    ),
    Table(
        "plot-panel",
        "generated, seed 52: (site, plot) measured 8 seasons, no id column",
        plot_panel,
        "yield_t",
        R,
        (Fault("entity", ("site", "plot"), together=True),),
        group=("site", "plot"),
    ),
    Table(
        "patient-visits",
        "generated, seed 53: 220 patients, 2-6 visits each",
        patient_visits,
        "systolic",
        R,
        (Fault("entity", ("patient_id",)), *_ids("patient_id")),
        group=("patient_id",),
    ),
    Table(
        "daily-sales",
        "generated, seed 54: a date column in time order, a trend",
        daily_sales,
        "sales",
        R,
        (Fault("time", ("date",)), Fault("dates", ("date",))),
        time="date",
    ),
    Table(
        "sensor-readings",
        "generated, seed 55: dd/mm/yyyy hh:mm in time order, a drift",
        sensor_readings,
        "reading",
        R,
        (Fault("time", ("recorded_at",)), Fault("dates", ("recorded_at",))),
        time="recorded_at",
    ),
    Table(
        "weekly-stores",
        "generated, seed 56: week 1..160 in file order, a trend",
        weekly_stores,
        "units",
        R,
        (Fault("time", ("week",)),),
        time="week",
    ),
    Table(
        "customers-birth-date",
        "generated, seed 57: birth_date text (an attribute)",
        customers_birth,
        "churned",
        C,
        (Fault("dates", ("birth_date",)),),
    ),
    Table(
        "costs-sum",
        "generated, seed 58: total_cost = materials + labour + overhead",
        costs_sum,
        "total_cost",
        R,
        (Fault("transform", ("materials", "labour", "overhead")),),
    ),
)


# -- is the fault real? -------------------------------------------------------------------------


def _features(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """The columns a learner would model on once invert's drops are taken: numbers, text as
    codes, dates as year, month, day of week."""
    dropped = {
        c
        for f in table.faults
        if f.kind in (ID, "near-perfect", "post-outcome", "transform")
        for c in f.columns
    }
    X = frame.drop(columns=[table.target, *sorted(dropped & set(frame.columns))])
    dates = {c for f in table.faults if f.kind == "dates" for c in f.columns}
    for column in list(X.columns):
        if column in dates:
            when = pd.to_datetime(X[column], dayfirst="/" in str(X[column].iloc[0]))
            X[f"{column}_year"] = when.dt.year
            X[f"{column}_month"] = when.dt.month
            X[f"{column}_dayofweek"] = when.dt.day_of_week
            X = X.drop(columns=column)
        elif not pd.api.types.is_numeric_dtype(X[column]):
            X[column] = pd.factorize(X[column])[0]
    return X.astype(float).fillna(-999.0)


def _signature(table: Table, frame: pd.DataFrame) -> np.ndarray:
    """Rows equal up to 4 significant digits and case: one code per kind of row."""
    ids = {c for f in table.faults if f.kind == ID for c in f.columns}
    parts = frame.drop(columns=[table.target, *sorted(ids & set(frame.columns))])
    normal = pd.DataFrame(index=parts.index)
    for column in parts.columns:
        values = parts[column]
        if pd.api.types.is_numeric_dtype(values):
            normal[column] = values.map(lambda v: "" if pd.isna(v) else f"{float(v):.4g}")
        else:
            normal[column] = values.map(lambda v: "" if pd.isna(v) else str(v).strip().lower())
    return np.asarray(pd.util.hash_pandas_object(normal, index=False))


def flattery(table: Table, fault: Fault) -> tuple[float, float]:
    """The random split's score and the honest split's, 3-fold, a random forest each time.

    entity: KFold(shuffle) against GroupKFold by the entity; duplicates: against GroupKFold by
    row signature (copies kept on one side); time: TimeSeriesSplit against random splits of
    the same rows with the same sizes (so only the order differs, not the amount of data).
    """
    from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
    from sklearn.metrics import accuracy_score, r2_score
    from sklearn.model_selection import GroupKFold, KFold, TimeSeriesSplit

    frame = table.build()
    if table.time and fault.kind == "time":
        column = frame[table.time]
        order = (
            pd.to_datetime(column, dayfirst="/" in str(column.iloc[0])).argsort(kind="stable")
            if not pd.api.types.is_numeric_dtype(column)
            else column.argsort(kind="stable")
        )
        frame = frame.iloc[np.asarray(order)].reset_index(drop=True)
    X = _features(table, frame).to_numpy()
    y = frame[table.target]
    y = pd.Series(pd.factorize(y)[0]) if table.task == "classification" else y.astype(float)
    y = y.to_numpy()
    rng = np.random.default_rng(0)
    if fault.kind == "entity":
        groups = pd.factorize(pd.util.hash_pandas_object(frame[list(table.group)], index=False))[0]
        honest = list(GroupKFold(3).split(X, y, groups))
        naive = list(KFold(3, shuffle=True, random_state=0).split(X))
    elif fault.kind == "duplicates":
        groups = pd.factorize(_signature(table, frame))[0]
        honest = list(GroupKFold(3).split(X, y, groups))
        naive = list(KFold(3, shuffle=True, random_state=0).split(X))
    else:
        honest = list(TimeSeriesSplit(3).split(X))
        naive = []
        for train, test in honest:
            pool = rng.permutation(np.concatenate([train, test]))
            naive.append((pool[: len(train)], pool[len(train) :]))

    def score(splits: list[tuple[np.ndarray, np.ndarray]]) -> float:
        scores = []
        for train, test in splits:
            model = (
                RandomForestClassifier(60, random_state=0)
                if table.task == "classification"
                else RandomForestRegressor(60, random_state=0)
            )
            model.fit(X[train], y[train])
            metric = accuracy_score if table.task == "classification" else r2_score
            scores.append(metric(y[test], model.predict(X[test])))
        return float(np.mean(scores))

    return score(naive), score(honest)


def split_faults() -> list[tuple[Table, Fault]]:
    """Every entity, time and duplicates fault: each must flatter a random split."""
    return [(t, f) for t in TABLES for f in t.faults if f.kind in SPLIT_KINDS]
