"""The store's modules import each other in one direction only (counting imports made inside
functions), and none of them grows past 600 lines."""

from __future__ import annotations

import ast
from pathlib import Path

STORE = Path(__file__).resolve().parents[1] / "src" / "peerbot" / "store"


def _imports(path: Path) -> set[str]:
    """The peerbot.store modules ``path`` imports, wherever in the file the import stands."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("peerbot.store."):
            found.add(node.module.split(".")[2])
        elif isinstance(node, ast.ImportFrom) and node.module == "peerbot.store":
            found.update(alias.name for alias in node.names if (STORE / f"{alias.name}.py").exists())
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[2] for a in node.names if a.name.startswith("peerbot.store."))
    return found


def test_no_import_loop_among_the_store_modules():
    graph = {path.stem: _imports(path) - {path.stem} for path in STORE.glob("*.py") if path.stem != "__init__"}
    assert {"sql", "resilient", "migrate"} <= set(graph)

    def loop_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        while stack:
            node, trail = stack.pop()
            for nxt in graph.get(node, ()):
                if nxt == start:
                    return [*trail, nxt]
                if nxt not in trail:
                    stack.append((nxt, [*trail, nxt]))
        return None

    loops = [loop for name in graph if (loop := loop_from(name))]
    assert loops == []


def test_no_store_module_is_over_600_lines():
    sizes = {path.name: len(path.read_text().splitlines()) for path in STORE.glob("*.py")}
    assert sizes and {name: n for name, n in sizes.items() if n > 600} == {}
