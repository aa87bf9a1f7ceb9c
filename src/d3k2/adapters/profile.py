"""Read a profile file (YAML or JSON) into facts, with errors that name file and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from d3k2.core.facts import ProfileError, Vocabularies, build_facts
from d3k2.core.model import PatientFacts
from d3k2.errors import InputError, Location, shown
from d3k2.knowledge.schema import Knowledge
from d3k2.yamlio import line_of, parse_field_path, read_structured, to_plain


def _locate(error: InputError, data: Any, file: str) -> InputError:
    if isinstance(error.where, Location):
        return error
    field = error.where if isinstance(error.where, str) else None
    line = line_of(data, parse_field_path(field)) if field else None
    return InputError(error.message, where=Location(file, line, field), hint=error.hint)


def load_profile(
    path: Path, knowledge: Knowledge, *, today: dt.date, vocabularies: Vocabularies | None = None
) -> tuple[PatientFacts, dict[str, Any]]:
    """Facts and the profile's ``options`` mapping. Raises ProfileError/InputError located
    at file, line and field."""
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
    # ruamel keeps dates as dates; to_plain leaves them, which build_facts accepts.
    try:
        facts = build_facts(plain, knowledge, today=today, vocabularies=vocabularies)
    except ProfileError as error:
        raise ProfileError([_locate(p, data, str(path)) for p in error.problems]) from None
    except InputError as error:
        raise _locate(error, data, str(path)) from None
    options = plain.get("options") or {}
    if not isinstance(options, dict):
        raise InputError(
            "options must be a mapping",
            where=Location(str(path), line_of(data, ["options"]), "options"),
        )
    unknown = set(options) - {"guideline"}
    if unknown:
        key = sorted(unknown)[0]
        raise InputError(
            f"unknown option {shown(key)}",
            where=Location(str(path), line_of(data, ["options", key]), f"options.{key}"),
            hint="options take: guideline",
        )
    guideline = options.get("guideline")
    if guideline is not None and str(guideline) not in knowledge.guidelines:
        raise InputError(
            f"unknown guideline {shown(guideline)}",
            where=Location(str(path), line_of(data, ["options", "guideline"]), "options.guideline"),
            hint="choose one of: " + ", ".join(sorted(knowledge.guidelines)),
        )
    return facts, options
