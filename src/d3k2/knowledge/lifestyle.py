"""Load the lifestyle questions and suggestions (``data/tables/lifestyle.yaml``)."""

from __future__ import annotations

from pathlib import Path
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from d3k2.errors import KnowledgeError
from d3k2.knowledge.loader import read_table, reference_ids, validate_table
from d3k2.knowledge.schema import Identifier, SourceRef

LIFESTYLE_FILE: Final = "lifestyle.yaml"
COMPUTED_ANSWERS: Final = frozenset({"protein_g_per_kg"})
"""Answers d3k2 computes (from the diet and the body weight) rather than asks."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Question(_Strict):
    key: Identifier
    kind: Literal["number", "choice"]
    choices: list[str] = []
    unit: str | None = None
    ask: str = Field(min_length=5)
    at_most: float | None = Field(default=None, gt=0)
    """The largest answer that can be true (7 days a week, 24 hours a night)."""
    whole: bool = False
    """A count: only whole numbers are answers."""


class Condition(_Strict):
    answer: Identifier
    below: float | None = None
    above: float | None = None
    equals: str | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        if sum(x is not None for x in (self.below, self.above, self.equals)) != 1:
            raise ValueError("a condition has exactly one of below, above, equals")
        return self


class Suggestion(_Strict):
    id: Identifier
    when: list[Condition] = Field(min_length=1)
    age_from: float | None = None
    age_below: float | None = None
    suggestion: str = Field(min_length=10)
    why: str = Field(min_length=10)
    sources: list[SourceRef] = Field(min_length=1)


class LifestyleTable(_Strict):
    questions: list[Question] = Field(min_length=1)
    suggestions: list[Suggestion] = Field(min_length=1)

    @model_validator(mode="after")
    def _answers_exist(self) -> LifestyleTable:
        keys = {q.key for q in self.questions} | COMPUTED_ANSWERS
        for suggestion in self.suggestions:
            for condition in suggestion.when:
                if condition.answer not in keys:
                    raise ValueError(f"{suggestion.id}: no question {condition.answer!r}")
        return self

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)


def load_lifestyle_table(tables_dir: Path, references_dir: Path) -> LifestyleTable:
    path = tables_dir / LIFESTYLE_FILE
    table = validate_table(LifestyleTable, read_table(path), path)
    known = reference_ids(references_dir)
    unknown = sorted(
        {s.ref for item in table.suggestions for s in item.sources if s.ref not in known}
    )
    if unknown:
        raise KnowledgeError([f"{path}: cites unknown reference {ref!r}" for ref in unknown])
    return table
