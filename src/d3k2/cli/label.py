"""``d3k2 label FILE``: check a Supplement Facts label (NIH DSLD JSON or a simple YAML form)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from d3k2.cli.options import console
from d3k2.errors import InputError, Location


def label(
    file: Annotated[Path, typer.Argument(help="One label: DSLD JSON or the simple YAML form.")],
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json")] = "text",
) -> None:
    """Check a Supplement Facts label: vitamin D in mcg, %DV against the current Daily
    Values, vitamin K form and calcium salt named, daily dose from the directions against
    the UL of every life stage, and implausible amounts (probable unit slips)."""
    from d3k2.api import Engine
    from d3k2.yamlio import read_structured, to_plain

    if output_format not in ("text", "json"):
        raise InputError(f"unknown format {output_format!r}", where="--format", hint="text or json")
    engine = Engine.default()
    try:
        result = engine.check_label(to_plain(read_structured(file)))
    except InputError as error:
        field = error.where if isinstance(error.where, str) else None
        where = Location(str(file), None, field)
        raise InputError(error.message, where=where, hint=error.hint) from None
    if output_format == "json":
        from d3k2.render.contract import label_check_out, to_json

        typer.echo(to_json(label_check_out(result)))
    else:
        from d3k2.render.text import label_text

        label_text(result, console())
    if any(f.status == "problem" for f in result.findings):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("label")(label)
