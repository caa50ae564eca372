"""The package's layering, read from its source: every import, function-level ones included.

The command line is the top and nothing below it imports it; the records and word lists are the bottom and
import nothing above them; and no module reaches itself again through imports.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "gongkai_cli"

# The bottom of the house, and what each may take from the rest of the package.
BOTTOM: dict[str, set[str]] = {
    "tuples": set(),
    "numerals": set(),
    "vocabulary": set(),
    "problems": set(),
    "deadlines": {"numerals", "tuples", "vocabulary"},
    "errors": {"problems", "tuples"},
    "models": {"deadlines", "numerals", "problems", "tuples", "vocabulary"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """The package modules `path` imports anywhere in its body, as dotted names below gongkai_cli."""
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1] if node.level > 1 else package
            target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            for alias in node.names:  # `from . import query` names a module; `from .query import x` does not
                found.add(f"{target}.{alias.name}" if (PACKAGE / target.replace(".", "/") / alias.name).exists()
                          or (PACKAGE / target.replace(".", "/") / f"{alias.name}.py").exists() else target)  # fmt: skip
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            found |= {n.removeprefix("gongkai_cli.") for n in names if n.startswith("gongkai_cli.")}
    return {n.strip(".") for n in found if n.strip(".") and n.strip(".") != name}


GRAPH = {module_name(path): imports_of(path) for path in PACKAGE.rglob("*.py")}


def test_the_graph_was_read() -> None:
    assert {"cli.app", "load", "models", "progress.records", "views.tasks"} <= set(GRAPH)
    assert "models" in GRAPH["load"] and "vocabulary" in GRAPH["models"]


def test_nothing_below_the_command_line_imports_it() -> None:
    offenders = {
        module: sorted(n for n in imported if n == "cli" or n.startswith("cli."))
        for module, imported in GRAPH.items()
        if module not in ("", "__main__") and not (module == "cli" or module.startswith("cli."))
    }
    assert {m: found for m, found in offenders.items() if found} == {}


@pytest.mark.parametrize("module", BOTTOM)
def test_the_bottom_imports_nothing_above_it(module: str) -> None:
    assert GRAPH[module] <= BOTTOM[module], GRAPH[module] - BOTTOM[module]


def test_no_import_circles() -> None:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in GRAPH[module] & GRAPH.keys():
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    assert circles == []
