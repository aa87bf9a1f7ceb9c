"""``d3k2 project`` and ``d3k2 plan-dose``: options -> one call of the engine -> a renderer."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from d3k2.cli.options import options, write_output
from d3k2.errors import InputError

if TYPE_CHECKING:
    from d3k2.api import ProjectionRequest

OPTION_OF_FIELD = {
    "baseline": "--baseline",
    "target": "--target",
    "weight": "--weight",
    "bmi": "--bmi",
    "age": "--age",
    "days": "--days",
    "background": "--background",
    "baseline_date": "--baseline-date",
    "start": "--start",
    "latitude": "--latitude",
    "regimen": "--regimen",
    "pregnant": "--pregnant",
}
"""Request fields (and the core's field names) -> the options a user typed."""


class ProjectFormat(StrEnum):
    text = "text"
    json = "json"
    svg = "svg"
    png = "png"


class PlanFormat(StrEnum):
    text = "text"
    json = "json"


class SexOption(StrEnum):
    female = "female"
    male = "male"


def _project(request: ProjectionRequest, output_format: ProjectFormat, output: Path | None) -> None:
    # Imported here: a command pays only for what it uses (``d3k2 version`` loads no engine).
    from d3k2.api import Engine
    from d3k2.render.contract import project_out, to_json
    from d3k2.render.text import projection_text

    engine = Engine.default()
    with options(OPTION_OF_FIELD):
        result = engine.project(request)
    if output_format in (ProjectFormat.svg, ProjectFormat.png):
        from d3k2.render.charts import render_projection_chart

        chart = render_projection_chart(
            result.projection,
            chart_format=output_format.value,  # type: ignore[arg-type]
            target_nmol_l=result.target_nmol_l,
            guideline_lines=result.guideline_lines,
            title=f"25(OH)D on {request.regimen}",
            regimen_start_day=result.regimen_start_day,
        )
        if output is None:
            if output_format is ProjectFormat.png:
                raise InputError("a PNG chart needs --output FILE", where="--output")
            typer.echo(chart.decode("utf-8"))
        else:
            write_output(output, chart)
        return
    if output_format is ProjectFormat.json:
        text = to_json(project_out(result, engine))
    else:
        start = result.regimen_start_day
        text = projection_text(
            result.projection,
            baseline_nmol_l=result.baseline_nmol_l,
            regimen_text=result.regimen_text,
            target_nmol_l=result.target_nmol_l,
            notes=list(result.notes),
            cautions=list(result.cautions),
            regimen_start_day=start,
            regimen_end_day=None
            if result.regimen_end_day is None
            else result.regimen_end_day - start,
        )
    if output is None:
        typer.echo(text)
    else:
        write_output(output, (text + "\n").encode("utf-8"))


def register(app: typer.Typer) -> None:
    """Add ``project`` and ``plan-dose`` to the main ``d3k2`` app."""

    @app.command("project")
    def project_command(
        baseline: Annotated[str, typer.Option(help='Measured serum 25(OH)D, e.g. "18 ng/mL".')],
        regimen: Annotated[
            str,
            typer.Option(
                help='Vitamin D3 regimen, e.g. "50000 IU weekly for 8 weeks, then 2000 IU daily".'
            ),
        ],
        weight: Annotated[str | None, typer.Option(help='Body weight, e.g. "82 kg".')] = None,
        bmi: Annotated[float | None, typer.Option(help="BMI [kg/m2], used when no weight.")] = None,
        age: Annotated[float | None, typer.Option(help="Age [years].")] = None,
        days: Annotated[int, typer.Option(help="Days to project.")] = 365,
        target: Annotated[str | None, typer.Option(help='Target level, e.g. "30 ng/mL".')] = None,
        output_format: Annotated[
            ProjectFormat, typer.Option("--format", "-f", help="text, json, svg or png")
        ] = ProjectFormat.text,
        output: Annotated[Path | None, typer.Option(help="Write to this file.")] = None,
        baseline_date: Annotated[
            str | None,
            typer.Option(help="Date of the baseline test (YYYY-MM-DD): adds the seasonal drift."),
        ] = None,
        latitude: Annotated[
            float | None, typer.Option(help="Latitude [degrees]; negative = southern hemisphere.")
        ] = None,
        background: Annotated[
            str | None,
            typer.Option(help='Extra daily intake starting with the regimen, e.g. "400 IU".'),
        ] = None,
        start: Annotated[
            str | None,
            typer.Option(
                help="Date of the first dose (YYYY-MM-DD), on or after --baseline-date; "
                "default: the day of the test."
            ),
        ] = None,
    ) -> None:
        """Project serum 25(OH)D day by day under a regimen, with a prediction band."""
        from d3k2.api import ProjectionRequest

        request = ProjectionRequest(
            baseline=baseline,
            regimen=regimen,
            weight=weight,
            bmi=bmi,
            age=age,
            days=days,
            target=target,
            baseline_date=baseline_date,
            start=start,
            latitude=latitude,
            background=background,
            today=dt.date.today(),
        )
        _project(request, output_format, output)

    @app.command("plan-dose")
    def plan_dose_command(
        baseline: Annotated[str, typer.Option(help='Measured serum 25(OH)D, e.g. "18 ng/mL".')],
        target: Annotated[
            str, typer.Option(help='Target chosen by the clinician, e.g. "30 ng/mL".')
        ],
        weight: Annotated[str | None, typer.Option(help='Body weight, e.g. "82 kg".')] = None,
        bmi: Annotated[float | None, typer.Option(help="BMI [kg/m2], used when no weight.")] = None,
        age: Annotated[
            float | None,
            typer.Option(
                help="Age [years]: sets the upper intake level; under 19 a measured "
                "--weight is required; no plan below 1 year."
            ),
        ] = None,
        supervised: Annotated[
            bool, typer.Option(help="Allow doses above the upper intake level, with monitoring.")
        ] = False,
        output_format: Annotated[
            PlanFormat, typer.Option("--format", "-f", help="text or json")
        ] = PlanFormat.text,
        sex: Annotated[
            SexOption | None,
            typer.Option(
                help="female or male, for the safety rules every candidate is screened with; "
                "default: both are screened."
            ),
        ] = None,
        pregnant: Annotated[
            bool, typer.Option(help="Pregnant (screened with the pregnancy rules; implies female).")
        ] = False,
        lactating: Annotated[
            bool, typer.Option(help="Breastfeeding (screened with the lactation rules).")
        ] = False,
    ) -> None:
        """Smallest real vitamin D3 regimen reaching a target level for most people like this."""
        from d3k2.api import DosePlanRequest, Engine
        from d3k2.render.contract import plan_out, to_json
        from d3k2.render.text import plan_text

        request = DosePlanRequest(
            baseline=baseline,
            target=target,
            weight=weight,
            bmi=bmi,
            age=age,
            supervised=supervised,
            sex=None if sex is None else sex.value,
            pregnant=pregnant,
            lactating=lactating,
            today=dt.date.today(),
        )
        with options(OPTION_OF_FIELD):
            result = Engine.default().plan_dose(request)
        if output_format is PlanFormat.json:
            typer.echo(to_json(plan_out(result, Engine.default())))
        else:
            typer.echo(plan_text(result.plan, result.upper_limit_note))
