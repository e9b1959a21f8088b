"""Modules in src/ import each other without circles, and the services layer sits below
the API. Imports inside functions count too: a lazy import hides a circle, it does not
remove it."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "taskocr"
SERVICES = "taskocr.server.jobs.services"
ABOVE_SERVICES = ("taskocr.server.jobs.api", "taskocr.server.jobs.tasks", "taskocr.server.ui", "taskocr.server.web")


def module_files(root: Path) -> dict[str, Path]:
    mods = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        mods[".".join(parts)] = path
    return mods


def _nearest(name: str, mods) -> str | None:
    while name and name not in mods:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(name: str, mods: dict[str, Path]) -> set[str]:
    """The modules of ``mods`` that module ``name`` imports, anywhere in its body. ``from
    pkg import sub`` counts as importing ``pkg.sub`` when that is a module."""
    path = mods[name]
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(filter(None, (_nearest(a.name, mods) for a in node.names)))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package[: len(package) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                target = full if full in mods else _nearest(base, mods)
                if target:
                    found.add(target)
    found.discard(name)
    return found


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as a path that starts and ends on the same module, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def import_graph(root: Path = SRC) -> dict[str, set[str]]:
    mods = module_files(root)
    return {name: imports_of(name, mods) for name in mods}


def test_no_import_circle_in_src():
    assert find_cycle(import_graph()) is None


def test_the_services_layer_imports_nothing_above_it():
    graph = import_graph()
    upward = sorted(
        f"{mod} imports {dep}"
        for mod, deps in graph.items() if mod.startswith(SERVICES)
        for dep in deps if dep.startswith(ABOVE_SERVICES)
    )
    assert upward == []


def test_the_check_finds_a_circle_made_of_lazy_and_relative_imports(tmp_path):
    pkg = tmp_path / "demo"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "a.py").write_text("from . import b\n")
    (pkg / "sub" / "b.py").write_text("def f():\n    from ..c import thing\n")
    (pkg / "c.py").write_text("import demo.sub.a\nthing = 1\n")
    (pkg / "d.py").write_text("from .sub import a\n")  # imports into the circle, not part of it
    cycle = find_cycle(import_graph(pkg))
    assert cycle is not None and set(cycle) == {"demo.sub.a", "demo.sub.b", "demo.c"}
    (pkg / "c.py").write_text("thing = 1\n")
    assert find_cycle(import_graph(pkg)) is None
