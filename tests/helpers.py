"""Run the command line in-process (typer's runner): the same parsing, exit codes and
output as a subprocess, without starting Python for every test."""

from __future__ import annotations

from dataclasses import dataclass

from typer.testing import CliRunner

from d3k2.cli import app


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str, stdin: str | None = None) -> Ran:
    result = CliRunner().invoke(app, list(args), input=stdin, env={"COLUMNS": "120"})
    return Ran(result.exit_code, result.stdout, result.stderr)
