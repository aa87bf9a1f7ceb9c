"""``d3k2 screen`` and ``d3k2 synth``: population screening of FHIR bulk exports."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from d3k2.cli.options import today_option


class ScreenEngine(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


def screen(
    export_dir: Annotated[
        Path, typer.Argument(help="Folder of a FHIR Bulk Data export (NDJSON, .ndjson.gz).")
    ],
    out: Annotated[Path, typer.Option("--out", help="Folder for the results.")],
    plan: Annotated[
        str | None,
        typer.Option(
            help="A proposed protocol added to every living patient's plan, e.g. \"vitamin D3 "
            '1000 IU daily; vitamin K2 MK-7 100 mcg daily".'
        ),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option(help="Date of the screen (YYYY-MM-DD); default today.")
    ] = None,
    engine: Annotated[
        ScreenEngine, typer.Option(help="duckdb (embedded, default) or spark (pyspark).")
    ] = ScreenEngine.duckdb,
    workers: Annotated[
        int | None, typer.Option(help="Processes screening patients (default: the cores).")
    ] = None,
    guideline: Annotated[
        str | None, typer.Option(help="25(OH)D guideline (default nam-2011).")
    ] = None,
    quiet: Annotated[bool, typer.Option(help="No progress on standard error.")] = False,
) -> None:
    """Screen every patient of a FHIR bulk export: findings (Parquet, CSV), a per-patient
    summary, an errors table, a DuckDB database and an HTML report. Needs the population
    extra: pip install 'd3k2[population]' (and pyspark for --engine spark)."""
    from d3k2.api import Engine
    from d3k2.population.run import screen_export
    from d3k2.population.screening import ScreenSettings, read_protocol

    day = today_option(as_of)
    core = Engine.default()
    items = read_protocol(core, plan, as_of=day) if plan else ()
    settings = ScreenSettings(core, day, items, guideline)
    result = screen_export(
        export_dir,
        out,
        settings,
        plan_text=plan,
        engine="spark" if engine is ScreenEngine.spark else "duckdb",
        workers=workers,
        progress=not quiet,
    )
    typer.echo(
        f"{result.patients} patients ({result.screened} screened, {result.deceased} "
        f"deceased, {result.not_screened} not screened), {result.findings} findings, "
        f"{result.errors} data problems; {result.resources} resources "
        f"({result.bytes_read / 1e6:,.1f} MB) in {result.seconds:.1f} s -> {out}/report.html"
    )


def synth(
    patients: Annotated[int, typer.Option("--patients", help="Number of patients.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the export.")],
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same export).")] = 1,
    bad_lines: Annotated[int, typer.Option("--bad-lines", help="Malformed lines to insert.")] = 0,
    gzip: Annotated[bool, typer.Option("--gzip", help="Write .ndjson.gz files.")] = False,
    per_file: Annotated[
        int, typer.Option(help="Patients per file (several files per type).")
    ] = 50_000,
) -> None:
    """Write a synthetic FHIR bulk export shaped like Synthea's (for tests and benchmarks)."""
    from d3k2.population.synth import write_export

    written = write_export(
        out, patients, seed=seed, bad_lines=bad_lines, gzip=gzip, patients_per_file=per_file
    )
    typer.echo(f"{patients} patients, {written} lines -> {out}")


def register(app: typer.Typer) -> None:
    """Add ``screen`` and ``synth`` to the ``d3k2`` application."""
    app.command("screen")(screen)
    app.command("synth")(synth)
