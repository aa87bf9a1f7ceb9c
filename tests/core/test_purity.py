"""The core is pure: it imports no adapter and no I/O library, and calls no clock."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "src" / "d3k2" / "core"
FORBIDDEN_MODULES = {
    "os",
    "pathlib",
    "io",
    "logging",
    "subprocess",
    "socket",
    "urllib",
    "http",
    "requests",
    "httpx",
    "shutil",
    "tempfile",
    "sqlite3",
    "duckdb",
    "pyspark",
    "fastapi",
    "typer",
    "rich",
    "ruamel",
    "yaml",
    "d3k2.api",
    "d3k2.cli",
    "d3k2.reading",
    "d3k2.render",
    "d3k2.fhir",
    "d3k2.web",
    "d3k2.cds_hooks",
    "d3k2.population",
    "d3k2.yamlio",
    "d3k2.knowledge.loader",
    "d3k2.knowledge.base",
    "matplotlib",
}
FORBIDDEN_CALLS = {"open", "print", "input"}
FORBIDDEN_ATTRIBUTES = {"today", "now", "utcnow", "getenv", "environ"}


def _modules(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_core_files_exist() -> None:
    assert len(list(CORE.rglob("*.py"))) >= 14


def test_core_is_pure() -> None:
    problems = []
    for path in sorted(CORE.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for module in _modules(tree):
            if any(module == bad or module.startswith(bad + ".") for bad in FORBIDDEN_MODULES):
                problems.append(f"{path.name} imports {module}")
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in FORBIDDEN_CALLS
            ):
                problems.append(f"{path.name}:{node.lineno} calls {node.func.id}()")
            if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES:
                problems.append(f"{path.name}:{node.lineno} uses .{node.attr}")
    assert problems == []
