"""The command line starts fast and the modules do not import each other in a circle
(issue 12, items 6 and the import loops): ``peerbot --help`` and ``peerbot analyze`` load no
database, platform or plotting code, and no module of peerbot is part of an import loop
through the command line, counting imports inside functions."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

#: What `analyze` and `--help` must not load: the database, the platforms, plotting.
HEAVY = ("sqlalchemy", "aiosqlite", "asyncpg", "alembic", "discord", "slack_bolt", "slack_sdk", "aiohttp",
         "matplotlib", "peerbot.store", "peerbot.engine", "peerbot.adapters", "peerbot.charts", "peerbot.local",
         "peerbot.reports", "peerbot.db")


def _modules_after(argv: list[str], tmp_path: Path) -> tuple[int, list[str], str]:
    code = ("import json, sys\nfrom peerbot.cli import main\n"
            "try:\n    code = main(sys.argv[1:])\nexcept SystemExit as exc:\n    code = exc.code\n"
            "print(json.dumps([code, sorted(sys.modules)]), file=sys.stderr)\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEERBOT_")}
    run = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, cwd=tmp_path,
                         env=env, timeout=120)
    code_, modules = json.loads(run.stderr.strip().splitlines()[-1])
    return code_, modules, run.stdout


@pytest.mark.parametrize("argv", [["analyze", "You're so lazy and stupid"], ["--help"], ["analyze", "--help"],
                                  ["config", "check"]])
def test_light_commands_load_no_database_platform_or_plotting_module(tmp_path, argv):
    code, modules, out = _modules_after(argv, tmp_path)
    assert code == 0 and out
    loaded = [m for m in modules if m.startswith(HEAVY) and (m in HEAVY or m.startswith(tuple(h + "." for h in HEAVY)))]
    assert loaded == []


def test_every_subcommand_still_loads_its_code(tmp_path):
    from peerbot.cli.main import handler
    from peerbot.cli.parser import build_parser

    names = []
    for action in build_parser()._subparsers._group_actions:  # type: ignore[union-attr]
        for sub in action.choices.values():
            stack = [sub]
            while stack:
                parser = stack.pop()
                if parser._subparsers is not None:
                    for group in parser._subparsers._group_actions:
                        stack.extend(group.choices.values())
                name = parser.get_default("handler")
                if name:
                    names.append(name)
    assert len(names) == 13
    for name in names:
        assert callable(handler(name)), name


def test_the_help_shows_the_analyzers_default_threshold():
    from peerbot.cli.parser import DEFAULT_THRESHOLD
    from peerbot.tone import DEFAULT_THRESHOLD as ANALYZER

    assert DEFAULT_THRESHOLD == ANALYZER


def _module_of(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """peerbot's modules and the peerbot modules each imports anywhere in its code (inside
    functions too). ``from peerbot.x import name`` counts as importing ``peerbot.x.name`` when
    that is a module, else ``peerbot.x``."""
    files = {_module_of(path): path for path in (SRC / "peerbot").rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        edges: set[str] = set()
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in files else base for alias in node.names]
            for target in targets:
                while target and target not in files:
                    target = target.rpartition(".")[0]
                if target and target != module:
                    edges.add(target)
        graph[module] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in graph:
        if node not in index:
            visit(node)
    return found


#: The command line and configuration: modules that must be in no import loop.
COMMAND_LINE = ("peerbot.cli", "peerbot.db", "peerbot.local", "peerbot.reports", "peerbot.config",
                "peerbot.settings", "peerbot.envvars", "peerbot.errors", "peerbot.texts", "peerbot.templates",
                "peerbot.prompts", "peerbot.jsonlines", "peerbot.logs")


def test_the_command_line_is_in_no_import_loop():
    graph = import_graph()
    assert {"peerbot.cli.main", "peerbot.local", "peerbot.db"} <= set(graph)
    assert "peerbot.local" in graph["peerbot.reports"]  # the graph sees imports inside functions
    mine = [c for c in cycles(graph) if any(m == p or m.startswith(p + ".") for m in c for p in COMMAND_LINE)]
    assert mine == []


def test_the_loop_finder_finds_a_loop_through_a_function_level_import():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
