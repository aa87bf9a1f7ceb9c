"""Documentation cannot drift: the CLI reference is generated, and README names every
command."""

from __future__ import annotations

from pathlib import Path

import typer

from d3k2.cli import app
from d3k2.cli.docs import render_cli_docs

REPO = Path(__file__).resolve().parents[1]


def test_cli_reference_is_up_to_date() -> None:
    current = (REPO / "docs" / "cli.md").read_text()
    assert current == render_cli_docs(), "run `make docs` and commit docs/cli.md"


def test_rule_table_is_generated_from_the_rule_files() -> None:
    from d3k2.knowledge.base import default_knowledge_base
    from d3k2.render.rules_doc import rules_markdown

    current = (REPO / "docs" / "rules.md").read_text()
    expected = rules_markdown(default_knowledge_base().clinical)
    assert current == expected, "run `make docs` and commit docs/rules.md"


def test_rule_json_schema_is_exported_and_current() -> None:
    import json

    from d3k2.knowledge.fingerprint import SCHEMA_VERSION
    from d3k2.render.rules_doc import rule_json_schema, rule_json_schema_text

    path = REPO / "src" / "d3k2" / "knowledge" / "schemas" / f"rule-v{SCHEMA_VERSION}.schema.json"
    assert path.read_text() == rule_json_schema_text(), "run `make docs` and commit the schema"
    schema = rule_json_schema()
    assert set(schema["required"]) >= {"id", "version", "when", "sources", "examples"}
    assert json.loads(path.read_text())["$id"].endswith(f"rule-v{SCHEMA_VERSION}.schema.json")


def test_readme_names_every_command() -> None:
    readme = (REPO / "README.md").read_text()
    root = typer.main.get_command(app)
    names: list[str] = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        sub = getattr(command, "commands", None)
        names.extend(f"d3k2 {name} {s}" for s in sub) if sub else names.append(f"d3k2 {name}")
    missing = [n for n in names if f"`{n}" not in readme]
    assert missing == []


def test_readme_quick_start_has_the_two_commands() -> None:
    readme = (REPO / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
    assert "make test" in (REPO / ".ci" / "run").read_text()


def test_readme_examples_run() -> None:
    """Every `$ d3k2 …` example in the README runs and exits 0."""
    import shlex

    from tests.helpers import run_cli

    readme = (REPO / "README.md").read_text()
    commands = [
        line.removeprefix("$ ").strip()
        for line in readme.splitlines()
        if line.startswith("$ d3k2 ")
    ]
    assert len(commands) >= 3
    for command in commands:
        args = shlex.split(command)[1:]
        args = [str(REPO / a) if (REPO / a).is_file() else a for a in args]
        result = run_cli(*args)
        assert result.returncode == 0, (command, result.stderr)


def test_every_rule_file_validates_against_the_exported_json_schema() -> None:
    """What an editor checks with the exported schema is what the loader accepts."""
    import jsonschema

    from d3k2.knowledge.fingerprint import DATA_DIR
    from d3k2.render.rules_doc import rule_json_schema
    from d3k2.yamlio import read_structured

    validator = jsonschema.Draft202012Validator(rule_json_schema())
    paths = sorted((DATA_DIR / "rules").rglob("*.yaml"))
    assert paths
    for path in paths:
        errors = [e.message for e in validator.iter_errors(read_structured(path))]
        assert errors == [], path
