"""The house's rules, read from the code's imports (docs/architecture.md, "The house").

- No import circle among invert's modules (imports made only for type checking aside).
- Nothing below the faces imports them: the CLI, the web app, a kind's `cli*`/`page*` modules
  and `invert.lab` are imported only by faces.
- Inside a kind's folder the layers run one way: model < (its checking code, engines, events) <
  ops and verify < cli and page.

The imports are read with `ast`, every one of them: at the top of a module and inside functions
(the lazy ones still tie the modules together), with the packages' `__init__` modules an import
runs first, but not those under `if TYPE_CHECKING:`, which never run, except for the face rule,
where a type names its module too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"


def _modules() -> dict[str, Path]:
    found = {}
    for path in (SRC / "invert").rglob("*.py"):
        if "content" in path.relative_to(SRC / "invert").parts[:1]:
            continue  # the learner's scripts, run as scripts
        name = ".".join(path.relative_to(SRC).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


MODULES = _modules()


def _owner(dotted: str) -> str | None:
    """The module of ours that an imported name lives in."""
    while dotted and dotted not in MODULES:
        dotted = dotted.rpartition(".")[0]
    return dotted or None


def _imports(module: str) -> tuple[set[str], set[str]]:
    """(imports that run, imports made only for type checking) of `module`."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only.update(id(sub) for sub in ast.walk(node))
    run, typing = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            owner = _owner(name) if name.startswith("invert") else None
            if owner and owner != module:
                (typing if id(node) in typing_only else run).add(owner)
    # Importing a.b.c runs a/__init__.py and a/b/__init__.py first: those are imports too.
    for found in list(run):
        parts = found.split(".")
        run.update(
            ".".join(parts[:i]) for i in range(2, len(parts)) if ".".join(parts[:i]) != module
        )
    return run, typing


IMPORTS = {module: _imports(module) for module in MODULES}


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _is_face(module: str) -> bool:
    """The CLI, the web app, `invert.lab`, a kind's commands and pages (cli*, *_cli, page*,
    *_page), and its proofs (verify), which `invert dev check` runs through a real lab."""
    parts = module.split(".")
    if module in ("invert", "invert.__main__", "invert.lab"):
        return True
    if parts[:2] in (["invert", "cli"], ["invert", "web"]):
        return True
    last = parts[-1]
    faces = last.startswith(("cli", "page")) or last.endswith(("_cli", "_page"))
    return module.startswith("invert.kinds.") and (faces or last == "verify")


def _one_package(circle: list[str]) -> bool:
    """Whether a circle stays inside one package, its `__init__` and its own modules: Python
    always runs such a package's `__init__` first, so the order is the same on every import;
    a circle across packages breaks or not with the module a program happens to import first."""
    top = min(circle, key=len)
    inside = all(module == top or module.startswith(top + ".") for module in circle)
    return inside and top != "invert"  # invert/__init__.py is not one package among others


def test_no_module_is_in_an_import_circle() -> None:
    circles = _circles({module: run for module, (run, _) in IMPORTS.items()})
    assert [circle for circle in circles if not _one_package(circle)] == []


def test_nothing_below_the_faces_imports_them() -> None:
    wrong = sorted(
        f"{module} imports {other}"
        for module, (run, typing) in IMPORTS.items()
        if not _is_face(module)
        for other in run | typing
        if _is_face(other)
    )
    assert wrong == []


LAYERS = {"model": 0, "ops": 2, "verify": 2}


def _layer(module: str) -> int:
    last = module.rsplit(".", 1)[-1]
    if last.startswith(("cli", "page")):
        return 3
    # The kind's own checking code, engines and helpers; `events` too, since its projections
    # may run the kind's code (theory's review scheduler).
    return LAYERS.get(last, 1)


KIND_PACKAGES = sorted(
    {".".join(m.split(".")[:3]) for m in MODULES if m.count(".") >= 3 and ".kinds." in m}
)


@pytest.mark.parametrize("package", KIND_PACKAGES)
def test_a_kinds_layers_run_one_way(package: str) -> None:
    wrong = []
    for module, (run, _) in IMPORTS.items():
        if not module.startswith(package + "."):
            continue
        for other in run:
            if other.startswith(package + ".") and _layer(other) > _layer(module):
                wrong.append(f"{module} (layer {_layer(module)}) imports {other}")
    assert wrong == []


def test_the_rules_see_the_code() -> None:
    # The rules above hold vacuously if nothing is read: the faces import the parts.
    assert len(MODULES) > 100 and len(KIND_PACKAGES) >= 7
    run, _ = IMPORTS["invert.cli.root"]
    assert any(other.startswith("invert.kinds") for other in run)


@pytest.mark.slow
def test_every_module_imports_whichever_is_imported_first() -> None:
    """The circle test reads the imports; this runs them: each module imported first, alone,
    in a forked process with none of invert loaded (a circle through a package's `__init__`
    breaks only for some first imports)."""
    import multiprocessing

    from import_alone import import_alone

    names = sorted(m for m in MODULES if m != "invert.__main__")  # __main__ runs the CLI
    context = multiprocessing.get_context("forkserver")
    # The server forks clean processes: nothing of invert imported, only the libraries it builds
    # on (their import is most of each child's time, and no circle of invert's can hide in them).
    context.set_forkserver_preload(["numpy", "scipy", "pandas", "sklearn", "sympy"])
    with context.Pool(2, maxtasksperchild=1) as pool:  # a fresh process for each module
        errors = dict(zip(names, pool.map(import_alone, names, chunksize=1), strict=True))
    assert {name: error for name, error in errors.items() if error} == {}
