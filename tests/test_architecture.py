"""The arrows of the architecture hold: the core imports no reader, renderer, door or CLI;
knowledge never imports the core; doors use only the API, the renderers and the readers;
there is no import cycle between packages; heavy libraries are imported where used."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "d3k2"
DOORS = ("web", "cds_hooks", "population", "fhir")


def _imports(path: Path) -> set[str]:
    """Modules a file imports at module level or in functions (every import counts)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _package(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:2]) if parts[0] == "core" and len(parts) > 2 else parts[0]


def _edges() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        source = _package(path)
        for module in _imports(path):
            if not module.startswith("d3k2."):
                continue
            parts = module.split(".")[1:]
            target = ".".join(parts[:2]) if parts[0] == "core" and len(parts) > 1 else parts[0]
            if target != source:
                edges.setdefault(source, set()).add(target)
    return edges


def test_the_core_never_imports_a_reader_renderer_door_or_the_cli() -> None:
    """Reading text (regimens, profiles) is an adapter's job: the core decides on facts."""
    outside = ("d3k2.reading", "d3k2.render", "d3k2.cli", "d3k2.api", *(f"d3k2.{d}" for d in DOORS))
    bad = {
        f"{path.relative_to(SRC)} imports {module}"
        for path in (SRC / "core").rglob("*.py")
        for module in _imports(path)
        if module.startswith(outside)
    }
    assert bad == set()
    assert "core.regimen" in _edges()["reading"]  # the arrow runs the other way


def test_knowledge_never_imports_the_core_or_a_reader() -> None:
    bad = {
        f"{path.relative_to(SRC)} imports {module}"
        for path in (SRC / "knowledge").rglob("*.py")
        for module in _imports(path)
        if module.startswith(("d3k2.core", "d3k2.reading", "d3k2.api", "d3k2.render", "d3k2.cli"))
    }
    assert bad == set()


def test_doors_depend_only_on_the_api_renderers_and_readers() -> None:
    allowed = ("d3k2.api", "d3k2.render", "d3k2.reading", "d3k2.errors", "d3k2.fhir", "d3k2")
    bad = set()
    for door in DOORS:
        for path in (SRC / door).rglob("*.py") if (SRC / door).is_dir() else []:
            for module in _imports(path):
                if module.startswith("d3k2.") and not module.startswith((*allowed, f"d3k2.{door}")):
                    bad.add(f"{path.relative_to(SRC)} imports {module}")
                if module.startswith("d3k2.cli"):
                    bad.add(f"{path.relative_to(SRC)} imports the CLI")
    assert bad == set()


def test_no_import_cycle_between_packages() -> None:
    edges = _edges()
    cycles = []
    for start in edges:
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in edges.get(node, ()):
                if nxt == start:
                    cycles.append(" -> ".join([*path, nxt]))
                elif nxt not in path:
                    stack.append((nxt, [*path, nxt]))
    # errors and the package root are leaves everybody may import
    cycles = [c for c in cycles if "errors" not in c.split(" -> ")[1:-1]]
    assert sorted(set(cycles)) == []


def test_commands_pay_only_for_what_they_use() -> None:
    """Starting the CLI or importing the API loads no solar geometry, dataframes, scipy,
    plotting or web server; ``version`` loads neither the engine nor the knowledge schema."""
    code = (
        "import sys, d3k2.cli, d3k2.api\n"
        "heavy = {'pvlib', 'pandas', 'scipy', 'matplotlib', 'numpy', 'fastapi', 'duckdb',"
        " 'pyspark', 'fhir'}\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
    code = (
        "import sys\nfrom typer.testing import CliRunner\nfrom d3k2.cli import app\n"
        "CliRunner().invoke(app, ['version'])\n"
        "print('d3k2.knowledge.schema' in sys.modules, 'd3k2.api' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False False"


@pytest.mark.parametrize("output_format", [[], ["--format", "json"]], ids=["text", "json"])
def test_assess_from_the_snapshot_pays_for_no_validator_sun_model_or_fuzzy_matcher(
    tmp_path: Path, output_format: list[str]
) -> None:
    """``d3k2 assess`` started from the knowledge snapshot validates no knowledge file, so
    no knowledge model builds its validator (``defer_build``); it never imports the sun
    model, nor the fuzzy matcher when every name is known; the report is the same as when
    the knowledge is read from its files."""
    code = (
        "import contextlib, io, runpy, sys\n"
        "args = ['assess', 'examples/profile.yaml', '--today', '2026-12-01']\n"
        "sys.argv = ['d3k2', *args, *sys.argv[1:]]\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):\n"
        "    runpy.run_module('d3k2', run_name='__main__')\n"
        "from d3k2.knowledge import schema\n"
        "models = (schema.Rule, schema.DriRow)\n"
        "print([m.__name__ for m in models if m.__pydantic_complete__],"
        " 'd3k2.core.sun.model' in sys.modules, 'rapidfuzz' in sys.modules)\n"
        "print(out.getvalue())"
    )
    env = {**os.environ, "D3K2_CACHE_DIR": str(tmp_path)}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, *output_format],
            capture_output=True,
            text=True,
            check=True,
            env=env,
            cwd=SRC.parents[1],
        ).stdout.split("\n", 1)
        for _ in range(2)
    ]
    (from_files, files_report), (from_snapshot, snapshot_report) = runs
    assert from_files == "['Rule', 'DriRow'] False False"  # validated: built
    assert from_snapshot == "[] False False"
    assert "Coumadin" in snapshot_report
    assert snapshot_report == files_report
