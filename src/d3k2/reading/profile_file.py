"""Read a profile file (YAML or JSON) into facts, with errors that name file and line."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from d3k2.errors import InputError, Location, shown
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
    read_product_files(plain, path)
    # ruamel keeps dates as dates; to_plain leaves them, which the profile reader accepts.
    try:
        return read(plain)
    except ProfileError as error:
        raise ProfileError([_locate(p, data, str(path)) for p in error.problems]) from None
    except InputError as error:
        raise _locate(error, data, str(path)) from None


def read_product_files(profile: dict[str, Any], path: Path) -> None:
    """Replace each plan item's ``product: FILE`` by the label it names, read relative to
    the profile file (a file that cannot be read is an error at that plan item)."""
    plan = profile.get("plan")
    if not isinstance(plan, list):
        return
    base = path.parent if str(path) != "<stdin>" else Path.cwd()
    for index, item in enumerate(plan):
        if not isinstance(item, dict) or not isinstance(item.get("product"), str):
            continue
        label_path = (base / item["product"]).resolve()
        where = Location(str(path), None, f"plan[{index}].product")
        try:
            label = to_plain(read_structured(label_path))
        except (OSError, InputError) as error:
            raise InputError(
                f"cannot read the product label {shown(item['product'])}: {error}",
                where=where,
                hint="the path is read relative to the profile file",
            ) from None
        if not isinstance(label, dict):
            # never echo the content of a file that is not a label (it may be anything)
            raise InputError(
                f"{shown(item['product'])} is not a label: a label file holds a mapping "
                "(DSLD JSON of one label, or the simple form)",
                where=where,
                hint="see examples/labels/",
            )
        item["product"] = label
