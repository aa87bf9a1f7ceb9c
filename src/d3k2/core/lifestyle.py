"""Personalised lifestyle suggestions: a profile's answers against the suggestion table.

Pure: answers, age and the table in; the suggestions whose conditions all hold out. The
thresholds and wording live in ``knowledge/data/tables/lifestyle.yaml`` with their sources.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from d3k2.knowledge.lifestyle import Condition, LifestyleTable

Answer = float | str


@dataclass(frozen=True)
class LifestyleSuggestion:
    id: str
    suggestion: str
    why: str
    because: tuple[str, ...]
    """The answers that triggered it, e.g. ``strength_days_per_week = 0 (below 2)``."""
    sources: tuple[tuple[str, str], ...]
    """(reference id, locator)."""


@dataclass(frozen=True)
class LifestyleReport:
    answers: Mapping[str, Answer]
    suggestions: tuple[LifestyleSuggestion, ...]
    not_answered: tuple[str, ...]
    """Questions the profile did not answer (no suggestion could be checked for them)."""


def _holds(condition: Condition, answer: Answer) -> str | None:
    """A description of why the condition holds, or None."""
    if condition.equals is not None:
        return f"{condition.answer} = {answer}" if str(answer) == condition.equals else None
    if isinstance(answer, str):
        return None
    if condition.below is not None and answer < condition.below:
        return f"{condition.answer} = {answer:g} (below {condition.below:g})"
    if condition.above is not None and answer > condition.above:
        return f"{condition.answer} = {answer:g} (above {condition.above:g})"
    return None


def lifestyle_suggestions(
    answers: Mapping[str, Answer], table: LifestyleTable, *, age_years: float
) -> LifestyleReport:
    suggestions = []
    for item in table.suggestions:
        if item.age_from is not None and age_years < item.age_from:
            continue
        if item.age_below is not None and age_years >= item.age_below:
            continue
        reasons = []
        for condition in item.when:
            answer = answers.get(condition.answer)
            reason = None if answer is None else _holds(condition, answer)
            if reason is None:
                break
            reasons.append(reason)
        else:
            suggestions.append(
                LifestyleSuggestion(
                    item.id,
                    " ".join(item.suggestion.split()),
                    " ".join(item.why.split()),
                    tuple(reasons),
                    tuple((s.ref, s.locator) for s in item.sources),
                )
            )
    not_answered = tuple(q.key for q in table.questions if q.key not in answers)
    return LifestyleReport(dict(answers), tuple(suggestions), not_answered)
