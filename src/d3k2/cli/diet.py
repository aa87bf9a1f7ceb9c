"""``d3k2 diet FILE``: foods with amounts -> nutrients per day, and (with age and sex) the
intake table of food plus any planned supplements against RDA/AI/UL.

FILE holds a diet (a list of foods, or ``{foods: [...], calcium: 300 mg}``), or a profile
with a ``diet:`` section (its age, sex, pregnancy and plan are used too).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from d3k2.cli.options import console, today_option
from d3k2.errors import InputError, Location


def diet(
    file: Annotated[Path, typer.Argument(help="Diet or profile file (YAML or JSON).")],
    age: Annotated[
        float | None, typer.Option(help="Age in years, for the DRIs (or age: in the file).")
    ] = None,
    sex: Annotated[
        str | None, typer.Option(help="female or male, for the DRIs (or sex: in the file).")
    ] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json")] = "text",
    today: Annotated[
        str | None, typer.Option(help="Date the assessment is made (YYYY-MM-DD); default today.")
    ] = None,
) -> None:
    """Foods with amounts ("2 slices cheddar", "200 ml fortified soy drink") -> calcium,
    vitamin D, vitamin K1, magnesium and protein per day, each from a cited food record;
    with age and sex, food plus planned supplements against RDA/AI/UL."""
    from d3k2.api import Engine
    from d3k2.reading.profile import ProfileError
    from d3k2.reading.profile_file import read_product_files
    from d3k2.yamlio import line_of, parse_field_path, read_structured, to_plain

    if output_format not in ("text", "json"):
        raise InputError(f"unknown format {output_format!r}", where="--format", hint="text or json")
    data = read_structured(file)
    plain = to_plain(data)
    if isinstance(plain, dict):
        read_product_files(plain, file)
    engine = Engine.default()

    def locate(error: InputError) -> InputError:
        field = error.where if isinstance(error.where, str) else None
        line = line_of(data, parse_field_path(field)) if field and isinstance(data, dict) else None
        return InputError(error.message, where=Location(str(file), line, field), hint=error.hint)

    try:
        result = engine.diet(plain, today=today_option(today), age=age, sex=sex)
    except ProfileError as error:
        raise ProfileError([locate(p) for p in error.problems]) from None
    except InputError as error:
        raise locate(error) from None
    if output_format == "json":
        from d3k2.render.contract import diet_report_out, to_json

        typer.echo(to_json(diet_report_out(result.diet, result.report)))
        return
    from d3k2.render.text import diet_report_text

    diet_report_text(result.diet, result.report, console())


def register(app: typer.Typer) -> None:
    app.command("diet")(diet)
