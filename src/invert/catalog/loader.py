"""Read the content folder into a Catalog, collecting every problem instead of stopping at one."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from invert.catalog.models import Catalog, Dataset, ScoreSpec, Starter

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
FORMAT_VERSION = 1
TASKS = ("classification", "regression", "clustering")


class CatalogError(Exception):
    """The content folder is not valid; `problems` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class _Reader:
    """Typed access to one TOML table that records what is missing or mistyped."""

    def __init__(self, table: dict[str, Any], where: str, problems: list[str]) -> None:
        self.table, self.where, self.problems = table, where, problems

    def get(self, key: str, kind: type, default: Any = ...) -> Any:
        if key not in self.table:
            if default is ...:
                self.problems.append(f"{self.where}: missing field '{key}'")
                return kind()
            return default
        value = self.table[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.problems.append(f"{self.where}: '{key}' should be {kind.__name__}")
            return kind()
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        values = self.get(key, list, [])
        if not all(isinstance(v, str) for v in values):
            self.problems.append(f"{self.where}: '{key}' should be a list of strings")
            return ()
        return tuple(values)


def _read_toml(path: Path, problems: list[str]) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        problems.append(f"{path.name}: {exc}")
        return {}


def _load_datasets(root: Path, problems: list[str]) -> dict[str, Dataset]:
    datasets: dict[str, Dataset] = {}
    for i, table in enumerate(_read_toml(root / "datasets.toml", problems).get("dataset", [])):
        r = _Reader(table, f"datasets.toml dataset #{i + 1}", problems)
        ds = Dataset(
            id=r.get("id", str),
            title=r.get("title", str),
            source=r.get("source", str),
            task=r.get("task", str),
            target=r.get("target", str),
            rows=r.get("rows", int),
            description=r.get("description", str),
            citation=r.get("citation", str),
            licence=r.get("licence", str),
            loader=r.get("loader", str, None),
            file=r.get("file", str, None),
            na_values=r.strings("na_values"),
            skip_initial_space=r.get("skip_initial_space", bool, False),
        )
        if ds.id in datasets:
            problems.append(f"datasets.toml: dataset id '{ds.id}' is used twice")
        if ds.source not in ("sklearn", "file"):
            problems.append(f"datasets.toml: dataset '{ds.id}' has unknown source '{ds.source}'")
        if ds.source == "sklearn" and not ds.loader:
            problems.append(f"datasets.toml: dataset '{ds.id}' needs a loader")
        if ds.source == "file" and not (ds.file and (root / "data" / ds.file).is_file()):
            problems.append(f"datasets.toml: dataset '{ds.id}' file data/{ds.file} does not exist")
        datasets[ds.id] = ds
    return datasets


def _load_starter(manifest: Path, problems: list[str]) -> Starter:
    where = f"starters/{manifest.name}"
    r = _Reader(_read_toml(manifest, problems), where, problems)
    score = _Reader(r.get("score", dict), f"{where} [score]", problems)
    outputs = _Reader(r.get("outputs", dict), f"{where} [outputs]", problems)
    expect = score.get("expect", list)
    if len(expect) != 2 or not all(isinstance(v, int | float) for v in expect):
        problems.append(f"{where} [score]: 'expect' should be [low, high]")
        expect = [float("-inf"), float("inf")]
    starter_id = r.get("id", str)
    if starter_id != manifest.stem:
        problems.append(f"{where}: id '{starter_id}' should match the file name '{manifest.stem}'")
    return Starter(
        id=starter_id,
        title=r.get("title", str),
        order=r.get("order", int),
        dataset=r.get("dataset", str),
        task=r.get("task", str),
        model=r.get("model", str),
        summary=r.get("summary", str),
        goes_in=r.get("goes_in", str),
        comes_out=r.get("comes_out", str),
        next_step=r.get("next_step", str),
        score=ScoreSpec(
            name=score.get("name", str),
            variable=score.get("variable", str),
            expect=(float(expect[0]), float(expect[1])),
        ),
        script=manifest.with_suffix(".py"),
        truth_variable=outputs.get("truth", str),
        predicted_variable=outputs.get("predicted", str),
        concepts=r.strings("concepts"),
        experiments=r.strings("experiments"),
        requires=r.strings("requires"),
    )


def _load_starters(
    root: Path, datasets: dict[str, Dataset], problems: list[str]
) -> dict[str, Starter]:
    starters: dict[str, Starter] = {}
    folder = root / "starters"
    for manifest in sorted(folder.glob("*.toml")):
        starter = _load_starter(manifest, problems)
        where = f"starters/{manifest.name}"
        if starter.id in starters:
            problems.append(f"{where}: starter id '{starter.id}' is used twice")
        if not starter.script.is_file():
            problems.append(f"{where}: script starters/{starter.script.name} does not exist")
        if starter.dataset not in datasets:
            problems.append(f"{where}: unknown dataset '{starter.dataset}'")
        if starter.task not in TASKS:
            problems.append(f"{where}: task '{starter.task}' is not one of {', '.join(TASKS)}")
        low, high = starter.score.expect
        if not low <= high:
            problems.append(f"{where} [score]: expect range is empty")
        starters[starter.id] = starter
    for script in sorted(folder.glob("*.py")):
        if not script.with_suffix(".toml").is_file():
            problems.append(f"starters/{script.name}: stray script with no manifest")
    orders = [s.order for s in starters.values()]
    if len(set(orders)) != len(orders):
        problems.append("starters: two starters share an 'order'")
    return starters


def read_catalog(root: Path = CONTENT_DIR) -> tuple[Catalog, list[str]]:
    """Load the catalogue and return it with the list of problems found (empty when valid)."""
    problems: list[str] = []
    version = _read_toml(root / "catalog.toml", problems).get("format_version")
    if version != FORMAT_VERSION:
        problems.append(
            f"catalog.toml: format_version is {version!r}, this invert reads {FORMAT_VERSION}"
        )
    datasets = _load_datasets(root, problems)
    starters = _load_starters(root, datasets, problems)
    if not starters:
        problems.append("starters: the catalogue has no starter")
    return Catalog(FORMAT_VERSION, root, datasets, starters), problems


_cache: dict[Path, Catalog] = {}


def load_catalog(root: Path = CONTENT_DIR) -> Catalog:
    """The catalogue at `root`; a CatalogError if it is not valid (a bug in invert's content)."""
    if root not in _cache:
        catalog, problems = read_catalog(root)
        if problems:
            raise CatalogError(problems)
        _cache[root] = catalog
    return _cache[root]
