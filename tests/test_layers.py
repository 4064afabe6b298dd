"""The structure the tree promises: the extraction core never imports the research layer,
no module imports itself through others, and no script imports another script."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in (ROOT / "ie").rglob("*.py")}


def imports_of(path: Path, known: dict[str, Path]) -> set[str]:
    """Every module of ``known`` that ``path`` imports, at the top or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in known}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                if f"{node.module}.{alias.name}" in known:
                    found.add(f"{node.module}.{alias.name}")
                elif node.module in known:
                    found.add(node.module)
    return found


GRAPH = {name: imports_of(path, MODULES) - {name} for name, path in MODULES.items()}


def is_research(name: str) -> bool:
    return name == "ie.research" or name.startswith("ie.research.")


COMMANDS = "ie.cli"  # the commands, above both layers


def test_the_core_never_imports_the_research_layer():
    core = [name for name in GRAPH if not is_research(name) and name != COMMANDS]
    upward = {name: sorted(t for t in GRAPH[name] if is_research(t) or t == COMMANDS) for name in core}
    assert {name: targets for name, targets in upward.items() if targets} == {}
    assert len(core) > 20 and any(map(is_research, GRAPH))


def is_view(name: str) -> bool:
    return name == "ie.views" or name.startswith("ie.views.")


def test_the_views_stand_above_the_core_and_below_research_and_commands():
    """ie/views/ (pages, tables and plots over the core's output) may import the core; the core never
    imports a view, and a view never imports the research layer or the commands."""
    core = [name for name in GRAPH if not is_research(name) and not is_view(name) and name != COMMANDS]
    views = [name for name in GRAPH if is_view(name)]
    down = {name: sorted(filter(is_view, GRAPH[name])) for name in core}
    assert {name: targets for name, targets in down.items() if targets} == {}
    up = {name: sorted(t for t in GRAPH[name] if is_research(t) or t == COMMANDS) for name in views}
    assert {name: targets for name, targets in up.items() if targets} == {}
    assert "ie.views.review" in views and "ie.reading" in GRAPH["ie.views.review"]  # the check sees imports


def test_nothing_imports_the_commands():
    assert sorted(name for name, targets in GRAPH.items() if COMMANDS in targets) == []


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[node] = 2
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_module_imports_itself_through_others():
    assert find_cycle(GRAPH) is None, find_cycle(GRAPH)
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]  # the check finds one


def test_no_script_imports_another_script():
    scripts = {p.stem: p for p in (ROOT / "scripts").glob("*.py")}
    for name, path in scripts.items():
        source = path.read_text(encoding="utf-8")
        assert imports_of(path, scripts) == set(), name
        assert "sys.path" not in source, f"{name} changes sys.path"


def test_no_test_module_imports_another():
    """Shared paths and helpers live in tests/shared.py, fixtures and markers in tests/conftest.py."""
    modules = {f"tests.{p.stem}": p for p in (ROOT / "tests").glob("test_*.py")}
    for name, path in modules.items():
        assert imports_of(path, modules) == set(), name
