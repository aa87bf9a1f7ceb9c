"""What every command shares: request fields named as the options a user typed, output
files, the console, dates."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from d3k2.errors import InputError

if TYPE_CHECKING:
    from rich.console import Console


@contextmanager
def options(option_of_field: Mapping[str, str]) -> Iterator[None]:
    """Name the command-line option in errors the engine raises with a request field."""
    try:
        yield
    except InputError as error:
        if isinstance(error.where, str) and error.where in option_of_field:
            raise InputError(
                error.message, where=option_of_field[error.where], hint=error.hint
            ) from None
        raise


def write_output(output: Path, content: bytes) -> None:
    """Write a result file and say so."""
    try:
        output.write_bytes(content)
    except OSError as error:
        raise InputError(
            f"cannot write {output}: {error.strerror or error}",
            where="--output",
            hint="give a file in a folder that exists and that you may write to",
        ) from None
    typer.echo(f"wrote {output}")


def console() -> Console:
    from rich.console import Console  # text output only: JSON never loads rich

    return Console(soft_wrap=False, width=110 if not sys.stdout.isatty() else None)


def today_option(value: str | None) -> dt.date:
    """``--today`` (YYYY-MM-DD), or the calendar's today."""
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--today {value!r} is not a date", hint="use YYYY-MM-DD") from None
