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

import os
from pathlib import Path
from typing import Any

from invert.catalog.models import (
    Catalog,
    Concept,
    Cost,
    Dataset,
    Evaluation,
    Experiment,
    Knob,
    ScoreSpec,
    Setting,
    Starter,
    SuggestedEdit,
    TourStop,
)
from invert.catalog.toml import CatalogError, Reader, read_toml
from invert.engine.shapes import GAPS, SHAPES
from invert.kinds import REGISTRY

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"  # the catalogue invert ships
CONTENT_ENV = "INVERT_CONTENT"
FORMAT_VERSION = 1
TASKS = ("classification", "regression", "clustering")
KNOB_TARGETS = (
    "model",
    "prep.scale",
    "data.train_fraction",
    "data.n_features",
    "data.label_noise",
    "data.columns",
    "seed",
)
SCHEMES = ("kfold", "holdout")
ESTIMATOR_PREFIXES = ("sklearn.", "invert.scratch.")


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


def _load_starter(manifest: Path, problems: list[str]) -> Starter:
    where = f"starters/{manifest.name}"
    r = Reader(read_toml(manifest, problems), where, problems)
    score = Reader(r.get("score", dict), f"{where} [score]", problems)
    outputs = Reader(r.get("outputs", dict), f"{where} [outputs]", problems)
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
        tour=tuple(_tour_stop(t, f"{where} [[tour]]", problems) for t in r.get("tour", list, [])),
        edit=_suggested_edit(r.get("edit", dict), f"{where} [edit]", manifest, problems),
    )


def _suggested_edit(
    table: dict[str, Any], where: str, manifest: Path, problems: list[str]
) -> SuggestedEdit:
    """The [edit] table: `from` once in the script, `to` not in it yet (else it is not a change)."""
    r = Reader(table, where, problems)
    edit = SuggestedEdit(old=r.get("from", str), new=r.get("to", str))
    script = manifest.with_suffix(".py")
    if edit.old and edit.new and script.is_file():
        source = script.read_text(encoding="utf-8")
        if source.count(edit.old) != 1:
            found = source.count(edit.old)
            problems.append(f"{where}: 'from' should be in the script once, not {found} times")
        elif edit.is_in(source):
            problems.append(f"{where}: the script already has 'to'; the edit changes nothing")
    return edit


def _tour_stop(table: Any, where: str, problems: list[str]) -> TourStop:
    r = Reader(table if isinstance(table, dict) else {}, where, problems)
    return TourStop(at=r.get("at", str), look=r.get("look", str), tries=r.strings("try"))


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


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _knob(r: Reader, where: str, problems: list[str]) -> Knob:
    target = r.get("target", str)
    if target not in KNOB_TARGETS and not target.startswith("model."):
        problems.append(f"{where}: knob target '{target}' is not one of {', '.join(KNOB_TARGETS)}")
    choices = r.get("choices", dict, {})
    kind = r.get("kind", str, "choice" if choices else "float")
    values = tuple(r.get("values", list))
    bounds = r.get("range", list, [])
    low = high = None
    if kind == "choice":
        for value in values:
            if value not in choices:
                problems.append(f"{where}: value {value!r} has no entry in [knob.choices]")
    elif kind in ("int", "float"):
        if len(bounds) != 2 or _number(bounds[0]) is None or _number(bounds[1]) is None:
            problems.append(f"{where}: a numeric knob needs range = [low, high]")
        else:
            low, high = _number(bounds[0]), _number(bounds[1])
        for value in values:
            number = _number(value)
            if number is None or (
                low is not None and high is not None and not low <= number <= high
            ):
                problems.append(f"{where}: value {value!r} is outside the knob's range")
            elif kind == "int" and number != int(number):
                problems.append(f"{where}: value {value!r} is not a whole number")
    else:
        problems.append(f"{where}: knob kind '{kind}' is not int, float or choice")
    if len(values) < 2:
        problems.append(f"{where}: a knob needs at least two values")
    return Knob(
        target=target,
        label=r.get("label", str, target.split(".")[-1]),
        values=values,
        kind=kind,
        low=low,
        high=high,
        log=r.get("log", bool, False),
        choices={str(k): dict(v) for k, v in choices.items() if isinstance(v, dict)},
    )


def _settings(table: dict[str, Any], where: str, problems: list[str]) -> dict[str, Setting]:
    settings = {}
    for target, raw in table.items():
        r = Reader(raw if isinstance(raw, dict) else {}, f"{where} [settings] {target}", problems)
        default = r.get("default", object)
        kind = r.get(
            "kind",
            str,
            "choice"
            if "choices" in r.table
            else "int"
            if isinstance(default, int) and not isinstance(default, bool)
            else "float",
        )
        bounds = r.get("range", list, [])
        low = _number(bounds[0]) if len(bounds) == 2 else None
        high = _number(bounds[1]) if len(bounds) == 2 else None
        if kind != "choice" and (low is None or high is None):
            problems.append(f"{where} [settings] {target}: needs range = [low, high]")
        settings[target] = Setting(
            target=target,
            default=default,
            kind=kind,
            low=low,
            high=high,
            choices=r.strings("choices"),
        )
    return settings


def _cost(r: Reader, problems: list[str]) -> Cost:
    seconds = r.get("fit_seconds", float, None)
    if seconds is None or not 0 < seconds < 3600:
        problems.append(f"{r.where}: needs fit_seconds (measure it with `invert dev costs`)")
        seconds = Cost.fit_seconds
    return Cost(fit_seconds=seconds, grows_with=r.strings("grows_with"))


def _load_experiment(manifest: Path, problems: list[str]) -> Experiment:
    where = f"experiments/{manifest.name}"
    r = Reader(read_toml(manifest, problems), where, problems)
    model = Reader(r.get("model", dict), f"{where} [model]", problems)
    evaluation = Reader(r.get("evaluation", dict), f"{where} [evaluation]", problems)
    expect = Reader(r.get("expect", dict), f"{where} [expect]", problems)
    knob = _knob(
        Reader(r.get("knob", dict), f"{where} [knob]", problems), f"{where} [knob]", problems
    )
    experiment = Experiment(
        id=r.get("id", str),
        title=r.get("title", str),
        question=r.get("question", str),
        dataset=r.get("dataset", str),
        task=r.get("task", str),
        estimator=model.get("estimator", str),
        params=dict(model.get("params", dict, {})),
        preprocess=model.get("preprocess", str, "none"),
        scale=model.get("scale", bool, False),
        columns=r.strings("columns"),
        sample=r.get("sample", int, None),
        knob=knob,
        evaluation=Evaluation(
            scheme=evaluation.get("scheme", str),
            folds=evaluation.get("folds", int, 5),
            repeats=evaluation.get("repeats", int, 1),
            test_size=evaluation.get("test_size", float, 0.25),
            metric=evaluation.get("metric", str),
            also=evaluation.strings("also"),
            positive=evaluation.get("positive", str, None),
            seed=evaluation.get("seed", int, 0),
        ),
        expect_shape=expect.get("shape", str),
        expect_gap=expect.get("gap", str, None),
        observation=expect.get("observation", str),
        concepts=r.strings("concepts"),
        starter=r.get("starter", str, None),
        settings=_settings(r.get("settings", dict, {}), where, problems),
        order=r.get("order", int, 0),
        requires=r.strings("requires"),
        cost=_cost(Reader(r.get("cost", dict, {}), f"{where} [cost]", problems), problems),
    )
    for target in experiment.cost.grows_with:
        if target != experiment.knob.target and target not in experiment.settings:
            problems.append(f"{where} [cost]: grows_with names '{target}', not a knob or setting")
    if experiment.id != manifest.stem:
        problems.append(f"{where}: id '{experiment.id}' should match the file name")
    if experiment.expect_shape not in SHAPES:
        problems.append(
            f"{where}: expected shape '{experiment.expect_shape}' is not in the vocabulary"
        )
    if experiment.expect_gap is not None and experiment.expect_gap not in GAPS:
        problems.append(f"{where}: expected gap '{experiment.expect_gap}' is not in the vocabulary")
    for target in experiment.settings:
        if target == knob.target:
            problems.append(f"{where}: [settings] cannot hold the knob's own target '{target}'")
    if experiment.evaluation.scheme not in SCHEMES:
        problems.append(f"{where}: evaluation scheme must be one of {', '.join(SCHEMES)}")
    if experiment.preprocess not in ("none", "tabular"):
        problems.append(f"{where}: preprocess must be 'none' or 'tabular'")
    estimators = [experiment.estimator] + [
        str(choice.get("estimator")) for choice in knob.choices.values() if "estimator" in choice
    ]
    for estimator in estimators:
        if not estimator.startswith(ESTIMATOR_PREFIXES):
            problems.append(f"{where}: estimator '{estimator}' is not from scikit-learn or invert")
    return experiment


def _load_experiments(
    root: Path, datasets: dict[str, Dataset], problems: list[str]
) -> dict[str, Experiment]:
    experiments: dict[str, Experiment] = {}
    tasks = {d.id: d.task for d in datasets.values()}
    probe_ids: set[str] = set()
    for manifest in sorted((root / "experiments").glob("*.toml")):
        experiment = _load_experiment(manifest, problems)
        if experiment.id in experiments:
            problems.append(f"experiments/{manifest.name}: id '{experiment.id}' is used twice")
        experiment = _with_probes(experiment, manifest, tasks, probe_ids, problems)
        experiments[experiment.id] = experiment
    for probe_id in probe_ids & set(experiments):
        problems.append(f"probe id '{probe_id}' is also an experiment's id")
    return experiments


def _with_probes(
    experiment: Experiment,
    manifest: Path,
    tasks: dict[str, str],
    seen: set[str],
    problems: list[str],
) -> Experiment:
    """The experiment with its `[[probe]]` tables read (each checked; see catalog/probes.py)."""
    from dataclasses import replace

    from invert.kinds.experiments.probes import read_probe

    tables = read_toml(manifest, []).get("probe", [])  # a bad file is reported once already
    if not isinstance(tables, list):
        problems.append(f"experiments/{manifest.name}: 'probe' should be [[probe]] tables")
        return experiment
    probes = []
    for table in tables:
        probe = read_probe(table, experiment, tasks, problems)
        if probe is None:
            continue
        if probe.id in seen:
            problems.append(f"experiments/{manifest.name}: probe id '{probe.id}' is used twice")
            continue
        seen.add(probe.id)
        probes.append(probe)
    return replace(experiment, probes=tuple(probes))


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
    starters = _load_starters(root, datasets, problems)
    if not starters:
        problems.append("starters: the catalogue has no starter")
    experiments = _load_experiments(root, datasets, problems)
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
    in invert's content)."""
    root = content_dir() if root is None else root
    if root not in _cache:
        catalog, problems = read_catalog(root)
        if problems:
            raise CatalogError(problems)
        _cache[root] = catalog
    return _cache[root]
