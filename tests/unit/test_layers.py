"""The layering of app/, read from the source (every import, also inside functions and TYPE_CHECKING):

    base (app, paths, fsio, console, userdb)  ←  catalog  ←  search, plan  ←  build  ←  ui  ←  commands

A module may import its own unit and units of a lower rank, never a higher one or a peer
(search and plan do not import each other). Qt only in app.ui (and the start-up probe).
The import graph outside app.ui has no cycles (app.ui's own structure is checked by its tests).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

APP = ROOT / "app"

# unit (module prefix) -> rank; the longest matching prefix decides, "app" is the base
LAYERS: dict[str, int] = {
    "app": 0,
    "app.catalog": 1,
    "app.search": 2,
    "app.plan": 2,
    "app.build": 3,
    "app.publish": 3,
    "app.ui": 4,
    "app.startup_probe": 4,
    "app.commands": 5,
    "app.__main__": 6,
}
QT_UNITS = ("app.ui", "app.startup_probe")
QT_MODULES = ("PySide6", "shiboken6")


def _modules() -> dict[str, Path]:
    mods = {}
    for path in sorted(APP.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        mods[".".join(parts)] = path
    return mods


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[str, int]]:
    """(imported module, line) for every import statement anywhere in the file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((module, node.lineno))
            # `from app import paths` imports the module app.paths
            found += [(f"{module}.{alias.name}", node.lineno) for alias in node.names if f"{module}.{alias.name}" in MODULES]
    return found


def _unit(module: str) -> str:
    return max((u for u in LAYERS if module == u or module.startswith(u + ".")), key=len)


GRAPH: dict[str, list[tuple[str, int]]] = {name: _imports(name, path) for name, path in MODULES.items()}


def test_the_scan_sees_the_layers() -> None:
    """Guard against a scan that finds nothing (which would make the rules below pass vacuously)."""
    assert {"app.catalog.loader", "app.search.engine", "app.plan.export", "app.commands.main", "app.ui.app"} <= set(MODULES)
    assert ("app.catalog.store", 3) not in GRAPH["app.build"]
    assert any(m == "app.catalog.store" for m, _ in GRAPH["app.build"])
    assert any(m.startswith("PySide6") for m, _ in GRAPH["app.ui.pdf"]), "imports inside functions are seen"
    assert _unit("app.catalog.overlay") == "app.catalog" and _unit("app.paths") == "app"


def _qt_offenders() -> list[str]:
    return [f"{name} (line {line}): import {mod}"
            for name, imports in GRAPH.items() if not _unit(name).startswith(QT_UNITS)
            for mod, line in imports if mod.split(".")[0] in QT_MODULES]


def _upward_imports() -> list[str]:
    offenders = []
    for name, imports in GRAPH.items():
        src = _unit(name)
        for mod, line in imports:
            if mod != "app" and not mod.startswith("app."):
                continue
            dst = _unit(mod)
            if dst != src and LAYERS[dst] >= LAYERS[src]:
                offenders.append(f"{name} (line {line}) imports {mod}: {src} (rank {LAYERS[src]}) → {dst} (rank {LAYERS[dst]})")
    return offenders


def test_no_qt_outside_the_ui() -> None:
    offenders = _qt_offenders()
    assert offenders == [], "app.catalog, app.search, app.plan (and everything but app.ui) import no Qt:\n" + "\n".join(offenders)


def test_no_import_runs_up_the_layers() -> None:
    offenders = _upward_imports()
    assert offenders == [], "imports from a lower layer to a higher one (or between peers):\n" + "\n".join(offenders)


def test_the_rules_catch_what_they_forbid(monkeypatch: pytest.MonkeyPatch) -> None:
    """Made-up imports of the kinds this refactoring removed are reported (the checks can fail)."""
    monkeypatch.setitem(GRAPH, "app.plan.export", GRAPH["app.plan.export"] + [("PySide6.QtGui", 900)])
    monkeypatch.setitem(GRAPH, "app.search.engine", GRAPH["app.search.engine"] + [("app.build", 901), ("app.plan.plans", 902)])
    assert _qt_offenders() == ["app.plan.export (line 900): import PySide6.QtGui"]
    assert [o.split(":")[0] for o in _upward_imports()] == ["app.search.engine (line 901) imports app.build",
                                                           "app.search.engine (line 902) imports app.plan.plans"]


def _cycles(nodes: set[str]) -> list[list[str]]:
    """Strongly connected components with more than one module (or a module importing itself)."""
    edges = {n: sorted({m for m, _ in GRAPH[n] if m in nodes}) for n in nodes}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan; the graph is small, recursion is fine
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in edges[v]:
                out.append(sorted(comp))

    for n in sorted(nodes):
        if n not in index:
            visit(n)
    return out


def test_no_import_cycles_outside_the_ui() -> None:
    domain = {n for n in MODULES if not _unit(n).startswith(QT_UNITS)}
    assert _cycles(domain) == []


def test_cycle_finder_finds_a_cycle(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cycle check can fail: a made-up edge back from entry to loader (which imports entry) is reported."""
    assert any(m == "app.catalog.entry" for m, _ in GRAPH["app.catalog.loader"])
    monkeypatch.setitem(GRAPH, "app.catalog.entry", GRAPH["app.catalog.entry"] + [("app.catalog.loader", 1)])
    assert any({"app.catalog.entry", "app.catalog.loader"} <= set(c) for c in _cycles(set(MODULES)))


def test_build_is_called_only_from_commands_and_the_ui() -> None:
    callers = sorted(name for name, imports in GRAPH.items() if any(m == "app.build" for m, _ in imports))
    assert callers and all(_unit(c) in ("app.commands", "app.ui") for c in callers), callers
