"""The house plan, checked with the standard library's ``ast`` over the package's source.

(a) no import cycle among the kit's modules (imports inside functions included; a module's
    package counts as imported before it);
(b) the layer rule (each room's table of lazy exports counted as imports): leaves < engine, datasets < estimation, roi < publish, bench < cli; nothing
    imports a room above it, and rooms on one layer do not import each other (engine and
    datasets are independent; so are estimation and roi, and publish and bench);
(c) no import of a kit module or a declared dependency inside a function ("late"), except in
    ``analysis/cli``, where a command imports its heavy rooms to keep start-up fast;
(d) no ``try: import ... except ImportError`` around a kit module.

Each check is also run on a copy of the package with a planted violation, to show it can fail.
"""

from __future__ import annotations

import ast
import re
import shutil
import tomllib
from pathlib import Path

import pytest

from analysis import paths

PACKAGE = paths.ROOT / "analysis"
LEAVES = {"analysis", "analysis.paths", "analysis.errors", "analysis.formats", "analysis.exports"}
LAYERS = {"engine": 1, "datasets": 1, "estimation": 2, "roi": 2, "publish": 3, "bench": 3,
          "cli": 4}
DOOR = 5  # ``analysis/__main__.py``, the command line's door, sits above everything


def declared_dependencies() -> set[str]:
    """Import names of the dependencies pyproject.toml declares (not the optional extras)."""
    deps = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    return {re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0].lower().replace("-", "_") for d in deps}


def modules(root: Path) -> dict[str, Path]:
    """Module name -> file, for every .py file of the package under ``root``."""
    out = {}
    for f in sorted(root.rglob("*.py")):
        parts = list(f.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = f
    return out


def _targets(node: ast.AST, known: dict[str, Path]) -> list[str]:
    """Kit modules an import node imports (``from a.b import c`` is ``a.b.c`` when c is one)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.split(".")[0] == "analysis"]
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
            and node.module.split(".")[0] == "analysis":
        return [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in known else node.module
                for a in node.names]
    return []


def _top_names(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name.split(".")[0] for a in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        return [node.module.split(".")[0]]
    return []


def _lazy_exports(tree: ast.Module, name: str) -> list[str]:
    """Modules a room's ``lazy_exports(__name__, {...})`` table names."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "lazy_exports":
            table = node.args[1]
            out += [f"{name}.{v.value}" for v in table.values if isinstance(v, ast.Constant)]
    return out


def _nested_imports(tree: ast.Module):
    """Import nodes inside a function or class body (not at module level), each once."""
    seen = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom) and id(inner) not in seen:
                    seen.add(id(inner))
                    yield inner


def import_graph(root: Path, *, exports: bool = False) -> dict[str, set[str]]:
    """Module -> kit modules it imports (at any depth; a module's package included).

    exports: count a room's lazy exports as imports of their modules. They run on first use,
    after the room's ``__init__`` has finished, so they cannot close a cycle; the layer rule
    counts them (a room may only export its own modules).
    """
    known = modules(root)
    graph: dict[str, set[str]] = {}
    for name, f in known.items():
        tree = ast.parse(f.read_text(encoding="utf-8"))
        edges = set()
        for node in ast.walk(tree):
            edges.update(_targets(node, known))
        if exports:
            edges.update(_lazy_exports(tree, name))
        if "." in name:
            edges.add(name.rsplit(".", 1)[0])  # importing a module runs its package first
        graph[name] = {e for e in edges if e in known and e != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle (a list of modules, first = last), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m):
        state[m] = 1
        stack.append(m)
        for n in sorted(graph.get(m, ())):
            if state.get(n) == 1:
                return stack[stack.index(n):] + [n]
            if n not in state and (found := visit(n)):
                return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state and (found := visit(m)):
            return found
    return None


def room(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


def layer(module: str) -> int:
    if module in LEAVES:
        return 0
    if module == "analysis.__main__":
        return DOOR
    r = room(module)
    if r is None:
        raise AssertionError(f"{module} belongs to no room: add it to a room or to LEAVES")
    return LAYERS[r]


def layer_violations(graph: dict[str, set[str]]) -> list[str]:
    bad = []
    for a, targets in graph.items():
        for b in targets:
            if room(a) is not None and room(a) == room(b):
                continue
            if a in LEAVES and b in LEAVES:  # leaves import only leaves
                continue
            if layer(b) >= layer(a):
                bad.append(f"{a} (layer {layer(a)}) imports {b} (layer {layer(b)})")
    return sorted(bad)


def late_imports(root: Path, deps: set[str]) -> list[str]:
    bad = []
    for name, f in modules(root).items():
        if name.startswith("analysis.cli"):
            continue
        tree = ast.parse(f.read_text(encoding="utf-8"))
        for node in _nested_imports(tree):
            hits = [t for t in _top_names(node) if t == "analysis" or t in deps]
            if hits:
                bad.append(f"{name}, line {node.lineno}: late import of {', '.join(hits)}")
    return bad


def guarded_kit_imports(root: Path) -> list[str]:
    bad = []
    for name, f in modules(root).items():
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Try):
                continue
            catches = {getattr(h.type, "id", None) for h in node.handlers} | {
                getattr(e, "id", None) for h in node.handlers
                if isinstance(h.type, ast.Tuple) for e in h.type.elts}
            if not catches & {"ImportError", "ModuleNotFoundError"}:
                continue
            for inner in node.body:
                for sub in ast.walk(inner):
                    if "analysis" in _top_names(sub):
                        bad.append(f"{name}, line {sub.lineno}: kit import guarded by "
                                   "except ImportError")
    return bad


# ----------------------------------------------------------------------------- the package
def test_no_import_cycle():
    assert find_cycle(import_graph(PACKAGE)) is None


def test_imports_flow_down_the_layers():
    assert layer_violations(import_graph(PACKAGE, exports=True)) == []


def test_no_late_imports_outside_the_command_line():
    assert late_imports(PACKAGE, declared_dependencies()) == []


def test_no_kit_import_guarded_by_import_error():
    assert guarded_kit_imports(PACKAGE) == []


def test_every_room_exports_names_that_exist():
    import importlib

    for r in LAYERS:
        pkg = importlib.import_module(f"analysis.{r}")
        assert pkg.__doc__ and len(pkg.__doc__.split()) > 20, f"analysis.{r} needs a docstring"
        for name in getattr(pkg, "__all__", []):
            assert getattr(pkg, name) is not None, f"analysis.{r}.{name}"


def test_declared_dependencies_are_read():
    assert {"numpy", "pandas", "networkx", "joblib"} <= declared_dependencies()


# -------------------------------------------------------------- the checks can fail
@pytest.fixture
def tree(tmp_path) -> Path:
    copy = tmp_path / "analysis"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def _plant(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")


def test_a_planted_cycle_is_found(tree):
    _plant(tree / "engine" / "payout.py", "from analysis.engine.campaign import run_campaign\n")
    cycle = find_cycle(import_graph(tree))
    assert cycle is not None and "analysis.engine.payout" in cycle


def test_a_planted_late_cycle_is_found(tree):
    _plant(tree / "errors.py", "def f():\n    from analysis import formats\n")
    _plant(tree / "formats.py", "from analysis.errors import InputError\n")
    assert find_cycle(import_graph(tree)) is not None


def test_a_planted_upward_import_is_found(tree):
    _plant(tree / "engine" / "people.py", "from analysis.roi import priors\n")
    _plant(tree / "datasets" / "loaders.py", "from analysis.engine import graphs\n")
    bad = layer_violations(import_graph(tree, exports=True))
    assert any(b.startswith("analysis.engine.people") and "analysis.roi.priors" in b for b in bad)
    assert any(b.startswith("analysis.datasets.loaders") for b in bad)  # same layer, other room


def test_a_planted_late_import_is_found(tree):
    _plant(tree / "roi" / "audience.py", "def f():\n    import pandas\n    return pandas\n")
    _plant(tree / "cli" / "roi.py", "def g():\n    import pandas\n    return pandas\n")
    bad = late_imports(tree, declared_dependencies())
    assert [b.split(",")[0] for b in bad] == ["analysis.roi.audience"]


def test_a_planted_guarded_import_is_found(tree):
    _plant(tree / "roi" / "valuelaws.py",
           "try:\n    from analysis.engine import graphs\nexcept ImportError:\n    graphs = None\n")
    assert [b.split(",")[0] for b in guarded_kit_imports(tree)] == ["analysis.roi.valuelaws"]
