"""A profile's ``lifestyle:`` answers, checked against the questions of the lifestyle table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from d3k2.core.quantities import parse_number
from d3k2.errors import InputError
from d3k2.knowledge.lifestyle import LifestyleTable


def read_lifestyle(value: Any, table: LifestyleTable) -> dict[str, float | str]:
    """Answers by question key; every problem raised located at ``lifestyle.<key>``."""
    if not isinstance(value, Mapping):
        raise InputError("lifestyle must be a mapping of answers", where="lifestyle")
    answers: dict[str, float | str] = {}
    for key, raw in value.items():
        question = table.question(str(key))
        if question is None:
            raise InputError(
                f"unknown lifestyle question {key!r}",
                where=f"lifestyle.{key}",
                hint="questions: " + ", ".join(q.key for q in table.questions),
            )
        if raw is None:
            continue
        if question.kind == "choice":
            answer = str(raw).strip().lower()
            if answer not in question.choices:
                raise InputError(
                    f"{key}: {raw!r} is not one of {question.choices}", where=f"lifestyle.{key}"
                )
            answers[question.key] = answer
            continue
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
        answers[question.key] = number
    return answers
