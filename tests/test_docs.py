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
    import subprocess
    import sys

    readme = (REPO / "README.md").read_text()
    commands = [
        line.removeprefix("$ ").strip()
        for line in readme.splitlines()
        if line.startswith("$ d3k2 ")
    ]
    assert len(commands) >= 3
    for command in commands:
        args = shlex.split(command)[1:]
        result = subprocess.run(
            [sys.executable, "-m", "d3k2", *args],
            capture_output=True,
            text=True,
            check=False,
            cwd=REPO,
        )
        assert result.returncode == 0, (command, result.stderr)
