"""The SQL of the DuckDB engine, kept in ``population/sql/*.sql`` (package data)."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def sql_text(name: str) -> str:
    return (resources.files("d3k2.population") / "sql" / f"{name}.sql").read_text("utf-8")


def sql_statements(name: str) -> list[str]:
    """The statements of one file (split on ``;`` at a line end; comments removed)."""
    lines = [line for line in sql_text(name).splitlines() if not line.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";\n") if s.strip().rstrip(";").strip()]
