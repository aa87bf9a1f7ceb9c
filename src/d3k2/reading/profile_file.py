"""Read a profile file (YAML or JSON) into facts, with errors that name file and line."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from d3k2.errors import InputError, Location
from d3k2.reading.profile import ProfileError
from d3k2.yamlio import line_of, parse_field_path, parse_structured, read_structured, to_plain

T = TypeVar("T")


def _locate(error: InputError, data: Any, file: str) -> InputError:
    if isinstance(error.where, Location):
        return error
    field = error.where if isinstance(error.where, str) else None
    line = line_of(data, parse_field_path(field)) if field else None
    return InputError(error.message, where=Location(file, line, field), hint=error.hint)


def load_profile(path: Path, read: Callable[[dict[str, Any]], T]) -> T:
    """Read the profile file at ``path`` ("-": standard input) and pass its mapping to
    ``read`` (for example :meth:`d3k2.api.Engine.read_profile`). Every problem ``read``
    raises is located at file, line and field (:class:`ProfileError` lists them all)."""
    if str(path) == "-":  # standard input: `d3k2 assess -`
        path = Path("<stdin>")
        data = parse_structured(sys.stdin.read(), str(path))
    else:
        data = read_structured(path)
    if data is None:
        raise InputError(
            "the profile is empty", where=Location(str(path)), hint="see examples/profile.yaml"
        )
    if not isinstance(data, dict):
        raise InputError(
            "a profile must be a mapping of fields (age, sex, plan, …)",
            where=Location(str(path), 1),
        )
    plain = to_plain(data)
    # ruamel keeps dates as dates; to_plain leaves them, which the profile reader accepts.
    try:
        return read(plain)
    except ProfileError as error:
        raise ProfileError([_locate(p, data, str(path)) for p in error.problems]) from None
    except InputError as error:
        raise _locate(error, data, str(path)) from None
