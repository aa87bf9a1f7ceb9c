"""Request models of the JSON API, and the response models that are the web door's own
(vocabulary, sources, rules). Results of the engine use :mod:`d3k2.render.contract`.

Field names are those of the engine's requests, so an error's ``where`` is a field here.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from d3k2.render.contract import Source

MAX_TEXT = 500
"""Longest free-text field (a regimen, a dose, a date): longer is a 422."""


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProjectIn(Request):
    """``POST /api/project``: the options of ``d3k2 project``."""

    baseline: str = Field(max_length=MAX_TEXT, examples=["18 ng/mL"])
    regimen: str = Field(
        max_length=MAX_TEXT, examples=["50000 IU weekly for 8 weeks, then 2000 IU daily"]
    )
    weight: str | None = Field(None, max_length=MAX_TEXT, examples=["82 kg"])
    bmi: float | None = Field(None, allow_inf_nan=False)
    age: float | None = Field(None, allow_inf_nan=False)
    days: int = 365
    target: str | None = Field(None, max_length=MAX_TEXT, examples=["30 ng/mL"])
    baseline_date: str | None = Field(None, max_length=MAX_TEXT)
    start: str | None = Field(None, max_length=MAX_TEXT)
    latitude: float | None = Field(None, allow_inf_nan=False)
    background: str | None = Field(None, max_length=MAX_TEXT)


class PlanDoseIn(Request):
    """``POST /api/plan-dose``: the options of ``d3k2 plan-dose``."""

    baseline: str = Field(max_length=MAX_TEXT, examples=["18 ng/mL"])
    target: str = Field(max_length=MAX_TEXT, examples=["30 ng/mL"])
    weight: str | None = Field(None, max_length=MAX_TEXT)
    bmi: float | None = Field(None, allow_inf_nan=False)
    age: float | None = Field(None, allow_inf_nan=False)
    supervised: bool = False
    sex: Literal["female", "male"] | None = None
    pregnant: bool = False
    lactating: bool = False


class VocabularyEntry(BaseModel):
    """One name the knowledge base knows, and what it maps to."""

    name: str
    """The name as written in the knowledge base (a generic name, brand or abbreviation)."""
    kind: Literal["medication", "condition", "lab"]
    via: Literal["name", "brand", "abbreviation"]
    id: str
    maps_to: str
    """The entry's main name (e.g. Coumadin -> warfarin)."""
    classes: list[str]
    score: float
    """100 for a match of the start of a word; lower for a near miss ("did you mean")."""


class VocabularyOut(BaseModel):
    query: str
    matches: list[VocabularyEntry]
    did_you_mean: list[VocabularyEntry]
    """Near misses, when few names start with the query."""


class ReferenceOut(BaseModel):
    id: str
    citation: str
    url: str
    kind: str
    note: str | None


class RuleOut(BaseModel):
    """A rule: what the report shows, and its whole definition (as in the rule file)."""

    id: str
    version: int
    status: str
    topic: str
    severity: str
    title: str
    detail: str
    action: str
    sources: list[Source]
    definition: dict[str, Any]


class ErrorItem(BaseModel):
    """One problem, in FastAPI's shape: ``loc`` is the field path, ``msg`` the CLI's words."""

    loc: list[str | int]
    msg: str
    type: str
    hint: str | None = None


class ErrorOut(BaseModel):
    detail: list[ErrorItem] | str
