"""The ``d3k2`` command line. Thin: parse, call the core, render.

Exit codes are in :mod:`d3k2.errors` (0 ok, 1 internal error, 2 bad input, 3 knowledge
base invalid). A user's mistake never shows a traceback.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from d3k2 import __version__
from d3k2.cli import cds as cds_commands
from d3k2.cli import diet as diet_commands
from d3k2.cli import label as label_commands
from d3k2.cli import projection as projection_commands
from d3k2.cli import screen as screen_commands
from d3k2.cli import serve as serve_commands
from d3k2.cli import sun as sun_commands
from d3k2.cli.options import console, today_option
from d3k2.errors import D3k2Error, ExitCode, InputError, shorten
from d3k2.startup import tune_garbage_collector

app = typer.Typer(
    name="d3k2",
    help="Cited decision support for vitamin D3, vitamin K2 and calcium. "
    "It supports, and does not replace, a clinician's judgement.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
knowledge_app = typer.Typer(
    help="Inspect and validate the knowledge base.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(knowledge_app, name="knowledge")


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


@app.command("assess")
def assess_command(
    profile: Annotated[
        Path, typer.Argument(help="Profile file (YAML or JSON), or - to read standard input.")
    ],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="text or json")
    ] = OutputFormat.text,
    guideline: Annotated[
        str | None,
        typer.Option(
            help="25(OH)D guideline: nam-2011 (default), endocrine-2011, "
            "endocrine-2024. Overrides options.guideline in the profile."
        ),
    ] = None,
    today: Annotated[
        str | None, typer.Option(help="Date the assessment is made (YYYY-MM-DD); default today.")
    ] = None,
) -> None:
    """Screen a profile and its planned regimen: alerts, labs, intake against the DRIs."""
    from d3k2.api import Engine
    from d3k2.reading.profile_file import load_profile

    engine = Engine.default()
    day = today_option(today)
    read = load_profile(profile, lambda data: engine.read_profile(data, today=day))
    assessment = engine.assess_read(read, guideline=guideline)
    if output_format is OutputFormat.json:
        from d3k2.render.contract import assessment_out, to_json

        typer.echo(to_json(assessment_out(assessment, engine)))
    else:
        from d3k2.render.text import assessment_text

        assessment_text(assessment, console())


@app.command("sources")
def sources_command(
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.text,
) -> None:
    """The bibliography: every source the knowledge base cites."""
    from d3k2.api import Engine

    knowledge = Engine.default().knowledge
    references = sorted(knowledge.references.values(), key=lambda r: r.id)
    if output_format is OutputFormat.json:
        from d3k2.render.contract import to_json

        typer.echo(to_json(references))
        return
    from rich.table import Table

    table = Table(title=f"Sources ({len(references)})", show_lines=False)
    table.add_column("id", no_wrap=True)
    table.add_column("citation")
    table.add_column("url", overflow="fold")
    for reference in references:
        table.add_row(reference.id, reference.citation, reference.url)
    console().print(table)


@knowledge_app.command("validate")
def validate_command(
    path: Annotated[
        Path | None, typer.Option(help="Knowledge folder to check (default: the bundled one).")
    ] = None,
) -> None:
    """Check every knowledge file against the schema, every cross-reference, and run each
    rule's examples (each must fire / stay silent)."""
    from d3k2.api import Engine
    from d3k2.knowledge.base import build_knowledge_base
    from d3k2.knowledge.loader import DATA_DIR

    if path is not None and not _is_folder(path):
        raise InputError(
            f"no knowledge folder at {shorten(str(path))}",
            where="--path",
            hint="give the folder that holds references/, rules/, tables/, vocab/",
        )
    engine = Engine(build_knowledge_base(path or DATA_DIR))
    knowledge = engine.knowledge
    failures = engine.check_rule_examples()
    if failures:
        for failure in failures:
            typer.echo(f"  - {failure}", err=True)
        typer.echo(f"{len(failures)} rule example(s) failed", err=True)
        raise typer.Exit(int(ExitCode.KNOWLEDGE_INVALID))
    typer.echo(
        f"knowledge {knowledge.version}: OK — {len(knowledge.rules)} rules "
        f"({len(knowledge.active_rules)} active), {len(knowledge.references)} references, "
        f"{len(knowledge.medications)} medications, {len(knowledge.conditions)} conditions, "
        f"{len(knowledge.labs)} lab tests, {len(knowledge.dri)} DRI rows, "
        f"{len(engine.base.foods.foods)} foods; every rule example "
        "fires or stays silent as stated"
    )


def _is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a name too long for the file system
        return False


@knowledge_app.command("rules")
def rules_command(
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.text,
) -> None:
    """List the rules: id, severity, title, sources."""
    from d3k2.api import Engine

    knowledge = Engine.default().knowledge
    rules = sorted(knowledge.rules, key=lambda r: (r.topic, r.id))
    if output_format is OutputFormat.json:
        typer.echo(
            json.dumps(
                [r.model_dump(by_alias=True, exclude_none=True) for r in rules],
                indent=2,
                ensure_ascii=False,
                default=str,
                allow_nan=False,
            )
        )
        return
    from rich.table import Table

    table = Table(title=f"Rules ({len(rules)})")
    for column in ("topic", "id", "severity", "status", "title"):
        table.add_column(column)
    for rule in rules:
        table.add_row(rule.topic, rule.id, rule.severity, rule.status, rule.title)
    console().print(table)


@app.command("version")
def version_command() -> None:
    """Print the d3k2 and knowledge-base versions."""
    from d3k2.knowledge.fingerprint import DATA_DIR, fingerprint

    typer.echo(f"d3k2 {__version__}, knowledge {fingerprint(DATA_DIR)}")


# --------------------------------------------------------------------------- other commands
projection_commands.register(app)
sun_commands.register(app)
cds_commands.register(app)
serve_commands.register(app)
diet_commands.register(app)
label_commands.register(app)
screen_commands.register(app)

F = TypeVar("F", bound=Callable[..., Any])


def _guarded(function: F) -> F:
    """Turn d3k2's own errors into a message and an exit code; never a traceback."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except D3k2Error as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(int(error.exit_code)) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as error:  # a bug: short message, exit 1
            typer.echo(
                f"internal error: {type(error).__name__}: {shorten(str(error))}\n"
                "This is a bug in d3k2; please report it with the command you ran "
                "(no patient data).",
                err=True,
            )
            raise typer.Exit(int(ExitCode.INTERNAL_ERROR)) from None

    return wrapper  # type: ignore[return-value]


def _guard_all(typer_app: typer.Typer) -> None:
    for command in typer_app.registered_commands:
        if command.callback is not None and not getattr(command.callback, "_d3k2_guarded", False):
            command.callback = _guarded(command.callback)
            command.callback._d3k2_guarded = True  # type: ignore[attr-defined]
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _guard_all(group.typer_instance)


_guard_all(app)


def main() -> None:
    """Console-script entry point."""
    tune_garbage_collector()
    app()
