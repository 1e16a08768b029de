"""Read the content folder into a Catalog, collecting every problem instead of stopping at one.

The loader reads the catalogue's backbone itself: `catalog.toml`, the datasets, the starters,
the experiments (with their probes) and the concept index. Every other kind names these (a drill
its dataset and concept, a card the experiments it answers), none of them names another kind's
loader, and the CLI, the web app and the engine read them as the catalogue's fixed fields, so
they are read first and checked here. Then it loops over the registry: each kind with a `model`
reads its own files (kept as `catalog.content[kind.name]`), and each with `references` checks
what it names, in the registry's order. No kind is named below.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from invert._version import __version__
from invert.catalog.dataset import Dataset
from invert.catalog.models import Catalog, Concept
from invert.catalog.toml import CatalogError, Reader, kept_tables, read_toml
from invert.kinds import REGISTRY
from invert.kinds.experiments.model import load_experiments
from invert.kinds.experiments.probes import read_probe
from invert.kinds.starters.model import load_starters

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"  # the catalogue invert ships
CONTENT_ENV = "INVERT_CONTENT"
FORMAT_VERSION = 1


def _load_datasets(root: Path, problems: list[str]) -> dict[str, Dataset]:
    datasets: dict[str, Dataset] = {}
    for i, table in enumerate(read_toml(root / "datasets.toml", problems).get("dataset", [])):
        r = Reader(table, f"datasets.toml dataset #{i + 1}", problems)
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


def _load_concepts(root: Path, problems: list[str]) -> dict[str, Concept]:
    concepts: dict[str, Concept] = {}
    for i, table in enumerate(read_toml(root / "concepts.toml", problems).get("concept", [])):
        r = Reader(table, f"concepts.toml concept #{i + 1}", problems)
        concept = Concept(
            id=r.get("id", str),
            title=r.get("title", str),
            summary=r.get("summary", str),
            keywords=r.strings("keywords"),
        )
        if concept.id in concepts:
            problems.append(f"concepts.toml: concept id '{concept.id}' is used twice")
        concepts[concept.id] = concept
    return concepts


def _cross_check(catalog: Catalog, problems: list[str]) -> None:
    """References between kinds of content must resolve."""
    for starter in catalog.starters.values():
        for concept in starter.concepts:
            if concept not in catalog.concepts:
                problems.append(f"starters/{starter.id}.toml: unknown concept '{concept}'")
        for experiment_id in starter.experiments:
            if experiment_id not in catalog.experiments:
                problems.append(f"starters/{starter.id}.toml: unknown experiment '{experiment_id}'")
    for experiment in catalog.experiments.values():
        where = f"experiments/{experiment.id}.toml"
        if experiment.dataset not in catalog.datasets:
            problems.append(f"{where}: unknown dataset '{experiment.dataset}'")
        if experiment.starter is not None and experiment.starter not in catalog.starters:
            problems.append(f"{where}: unknown starter '{experiment.starter}'")
        for concept in experiment.concepts:
            if concept not in catalog.concepts:
                problems.append(f"{where}: unknown concept '{concept}'")
        if not experiment.concepts:
            problems.append(f"{where}: names no concept that answers its question")


def content_dir() -> Path:
    """The content folder read when none is named: $INVERT_CONTENT if set, else CONTENT_DIR.

    The one switch between catalogues (an absolute path: child processes inherit it, in other
    folders). invert's tests set it to their tiny fixture catalogue (tests/fixtures/catalog), so
    that a test of the code does not run the real content; `invert dev check` checks that folder.
    """
    return Path(os.environ.get(CONTENT_ENV) or CONTENT_DIR)


def tables_cache(root: Path) -> Path:
    """Where the parsed files of the content folder `root` are kept: $XDG_CACHE_HOME (or
    ~/.cache)/invert, one file per installed copy and version of invert."""
    import hashlib

    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    where = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:12]
    return Path(base) / "invert" / f"content-{__version__}-{where}.pickle"


def read_catalog(root: Path | None = None) -> tuple[Catalog, list[str]]:
    """Load the catalogue at `root` (default: content_dir()) with the problems found (empty
    when valid)."""
    root = content_dir() if root is None else root
    problems: list[str] = []
    version = read_toml(root / "catalog.toml", problems).get("format_version")
    if version != FORMAT_VERSION:
        problems.append(
            f"catalog.toml: format_version is {version!r}, this invert reads {FORMAT_VERSION}"
        )
    datasets = _load_datasets(root, problems)
    starters = load_starters(root, datasets, problems)
    if not starters:
        problems.append("starters: the catalogue has no starter")
    experiments = load_experiments(root, datasets, problems, read_probe)
    concepts = _load_concepts(root, problems)
    content = {k.name: k.attribute(k.model)(root, problems) for k in REGISTRY if k.model}
    catalog = Catalog(
        FORMAT_VERSION, root, datasets, starters, experiments, concepts, content=content
    )
    _cross_check(catalog, problems)
    for kind in REGISTRY:
        if kind.references:
            kind.attribute(kind.references)(catalog, problems)
    return catalog, problems


_cache: dict[Path, Catalog] = {}


def load_catalog(root: Path | None = None) -> Catalog:
    """The catalogue at `root` (default: content_dir()); a CatalogError if it is not valid (a bug
    in invert's content).

    The shipped content's parsed files are kept between runs in the user's cache folder
    (`tables_cache`): a command reads them instead of parsing every file again.
    """
    root = content_dir() if root is None else root
    if root not in _cache:
        shipped = root.resolve() == CONTENT_DIR.resolve()
        with kept_tables(tables_cache(root)) if shipped else contextlib.nullcontext():
            catalog, problems = read_catalog(root)
        if problems:
            raise CatalogError(problems)
        _cache[root] = catalog
    return _cache[root]
