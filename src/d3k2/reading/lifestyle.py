"""A profile's ``lifestyle:`` answers, checked against the questions of the lifestyle table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from d3k2.core.quantities import parse_number
from d3k2.errors import InputError, shown
from d3k2.knowledge.lifestyle import LifestyleTable
from d3k2.reading.profile import ProfileError


def read_lifestyle(value: Any, table: LifestyleTable) -> dict[str, float | str]:
    """Answers by question key.

    Raises
    ------
    ProfileError
        Every problem at once, each located at ``lifestyle.<key>`` (one wrong answer does
        not hide the next).
    """
    if not isinstance(value, Mapping):
        raise InputError("lifestyle must be a mapping of answers", where="lifestyle")
    answers: dict[str, float | str] = {}
    problems: list[InputError] = []
    for key, raw in value.items():
        try:
            answer = _answer(str(key), raw, table)
        except InputError as error:
            problems.append(error)
            continue
        if answer is not None:
            answers[answer[0]] = answer[1]
    if problems:
        raise ProfileError(problems)
    return answers


def _answer(key: str, raw: Any, table: LifestyleTable) -> tuple[str, float | str] | None:
    question = table.question(key)
    if question is None:
        raise InputError(
            f"unknown lifestyle question {key!r}",
            where=f"lifestyle.{key}",
            hint="questions: " + ", ".join(q.key for q in table.questions),
        )
    if raw is None:
        return None
    if question.kind == "choice":
        answer = str(raw).strip().lower()
        if answer not in question.choices:
            raise InputError(
                f"{key}: {raw!r} is not one of {question.choices}", where=f"lifestyle.{key}"
            )
        return question.key, answer
    try:
        number = (
            float(raw)
            if isinstance(raw, int | float) and not isinstance(raw, bool)
            else parse_number(str(raw))
        )
    except (InputError, ValueError):
        raise InputError(
            f"{key} must be a number ({question.unit})", where=f"lifestyle.{key}"
        ) from None
    if number < 0:
        raise InputError(f"{key} cannot be negative", where=f"lifestyle.{key}")
    if question.at_most is not None and number > question.at_most:
        raise InputError(
            f"{key}: {shown(raw)} is more than {question.at_most:g} {question.unit or ''}".rstrip(),
            where=f"lifestyle.{key}",
        )
    if question.whole and not number.is_integer():
        raise InputError(f"{key}: {shown(raw)} is not a whole number", where=f"lifestyle.{key}")
    return question.key, number
