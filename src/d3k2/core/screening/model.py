"""Plain data that flows through the engine: the facts about one person, and the report.

Every door (CLI profile, web form, FHIR, bulk data) produces :class:`PatientFacts`;
the engine turns them into a :class:`Report`. Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

from d3k2.core.regimen import Regimen

DISCLAIMER = (
    "d3k2 is decision support: it supports, and does not replace, the judgement of a "
    "clinician who knows the patient. It does not prescribe. Every statement cites its "
    "source; check the source and the patient before acting."
)
"""Said in every report, by every door."""

Sex = Literal["female", "male"]
TermKind = Literal["medication", "condition", "lab", "plan", "profile"]
MatchMethod = Literal["exact", "code", "word", "fuzzy"]


LIFE_STATE_CLASSES: Final = {"pregnant": "pregnancy", "lactating": "lactation"}
"""Condition classes that set the pregnancy/lactation state (vocab/conditions.yaml): the
state decides which reference intakes (tables/dri.csv) and which rules apply."""


SUPPLEMENT_CLASS_NUTRIENT: Final = {
    "vitamin_d_supplement": "vitamin_d",
    "vitamin_k_supplement": "vitamin_k",
    "calcium_supplement": "calcium",
    "magnesium_supplement": "magnesium",
}
"""Medication classes of the vocabulary that are themselves a supplement of a nutrient, and
the nutrient each supplies (one definition for the rules and every reader)."""
SUPPLEMENT_CLASSES: Final = frozenset(SUPPLEMENT_CLASS_NUTRIENT)


@dataclass(frozen=True)
class RecognizedTerm:
    """A medication or condition from the input, matched to the vocabulary."""

    kind: TermKind
    input: str
    id: str
    name: str
    classes: frozenset[str]
    method: MatchMethod
    code: str | None = None
    ckd_stage: str | None = None
    ingredients: frozenset[str] = frozenset()
    """For a combination product, the ids of its ingredients (and its own id)."""
    assumption: str | None = None
    """Shown to the user when the match is not certain (a fuzzy match)."""


@dataclass(frozen=True)
class Unrecognized:
    kind: TermKind
    input: str
    reason: str = "not in the d3k2 vocabulary; not screened"
    unknown: bool = True
    """True when simply not in the vocabulary; False when read but deliberately not
    screened (negated, not taken now, someone else's, a drug class)."""


@dataclass(frozen=True)
class LabResult:
    """A lab value as given and in the interpretation unit of its test."""

    input: str
    test: str
    test_name: str
    value: float
    unit: str
    value_si: float
    unit_si: str
    date: str | None = None
    code: str | None = None
    order: int = 0
    """Position in the input, so "most recent" falls back to "last listed"."""
    derived: bool = False
    """Computed by d3k2 (eGFR from creatinine, albumin-adjusted calcium), not measured."""
    qualifier: Literal["<", "<=", ">", ">="] | None = None
    """A censored result ("<10 ng/mL", eGFR ">60"): the true value is below / above
    ``value``, which is the reporting limit. Band and rule conditions hold only when they
    hold for every value the result could be."""
    name_as_written: str | None = None
    """The test's name as the input wrote it ("25-hydroxyvitamin D"); None when the input
    gave only a code, then the test's own name is shown."""
    adjusts: int | None = None
    """For a derived result (albumin-adjusted calcium), the ``order`` of the measured result
    it adjusts; None for a measured result."""


@dataclass(frozen=True)
class PlanItem:
    input: str
    regimen: Regimen
    field: str
    """Where in the input (field path), for messages."""


@dataclass(frozen=True)
class PatientFacts:
    age_years: float
    sex: Sex
    pregnant: bool = False
    lactating: bool = False
    weight_kg: float | None = None
    height_cm: float | None = None
    bmi_kg_m2: float | None = None
    medications: tuple[RecognizedTerm, ...] = ()
    conditions: tuple[RecognizedTerm, ...] = ()
    labs: tuple[LabResult, ...] = ()
    diet_per_day: dict[str, float] = field(default_factory=dict)
    """Usual intake from food per nutrient id, in the nutrient's DRI unit."""
    plan: tuple[PlanItem, ...] = ()
    current_supplements: tuple[PlanItem, ...] = ()
    """Vitamin D, K, calcium or magnesium already taken, read from the medication list
    (counted in total intake against the upper limits; not part of the plan)."""
    unrecognized: tuple[Unrecognized, ...] = ()
    as_of: str | None = None
    notes: tuple[str, ...] = ()
    patient_id: str | None = None
    """The door's identifier of the person (a FHIR Patient id, a row id); never used in a
    decision, carried to the result so a batch can be joined back."""
    unknown_intake: tuple[tuple[str, str], ...] = ()
    """(input, nutrient id) for each supplement taken whose amount of that nutrient is not
    known (a multivitamin, a product of unknown strength, a line without a dose): the
    intake totals of that nutrient may be higher than shown."""


# --------------------------------------------------------------------------- report
Severity = Literal["major", "moderate", "minor", "info"]
SEVERITY_ORDER: dict[str, int] = {"major": 0, "moderate": 1, "minor": 2, "info": 3}


@dataclass(frozen=True)
class Trigger:
    kind: TermKind
    input: str
    matched: str
    code: str | None = None
    assumption: str | None = None


@dataclass(frozen=True)
class SourceCitation:
    id: str
    citation: str
    url: str
    locator: str | None = None


@dataclass(frozen=True)
class MergedAlert:
    """What a superseded rule says about this person, kept inside the alert that takes
    precedence (its triggers are also among that alert's triggers)."""

    id: str
    version: int
    severity: Severity
    title: str
    action: str
    triggers: tuple[Trigger, ...]
    sources: tuple[SourceCitation, ...]


@dataclass(frozen=True)
class Alert:
    id: str
    version: int
    severity: Severity
    title: str
    detail: str
    action: str
    triggers: tuple[Trigger, ...]
    sources: tuple[SourceCitation, ...]
    assumptions: tuple[str, ...] = ()
    rank: int = 50
    merged: tuple[MergedAlert, ...] = ()
    """Alerts of rules this one supersedes that also fired for this person."""


@dataclass(frozen=True)
class LabReading:
    input: str
    test: str
    name: str
    """The test as the input named it, or the derivation for a derived value."""
    value: float
    unit: str
    value_si: float
    unit_si: str
    interpretation: str | None
    category: str | None
    guideline: str
    date: str | None = None
    note: str | None = None
    qualifier: str | None = None
    """"<", "<=", ">" or ">=" for a censored result ("<10 ng/mL"); None when measured."""


@dataclass(frozen=True)
class Recommended:
    kind: str
    value: float


@dataclass(frozen=True)
class UpperLimit:
    value: float
    applies_to: str
    supplements_only: bool = False
    """True when the UL covers supplements and medicines only (magnesium), not food."""


@dataclass(frozen=True)
class IntakeRow:
    nutrient: str
    unit: str
    supplement_per_day: float
    diet_per_day: float | None
    total_per_day: float
    recommended: Recommended | None
    upper_limit: UpperLimit | None
    exceeds_upper_limit: bool
    life_stage: str
    current_per_day: float = 0.0
    """Part of ``supplement_per_day`` from supplements already in the medication list."""
    ul_basis_per_day: float = 0.0
    """The intake the UL is compared with: total, or supplements only when the UL says so."""
    assumptions: tuple[str, ...] = ()
    """Reading assumptions behind the supplement amounts (elemental vs salt, counts)."""
    single_doses: tuple[float, ...] = ()
    source: SourceCitation | None = None
    unknown_sources: tuple[str, ...] = ()
    """Inputs that add this nutrient in an amount d3k2 does not know: the supplement and
    total amounts are at least the figures shown, possibly more."""


@dataclass(frozen=True)
class Report:
    d3k2_version: str
    knowledge_version: str
    guideline: str
    alerts: tuple[Alert, ...]
    labs: tuple[LabReading, ...]
    intake: tuple[IntakeRow, ...]
    plan: tuple[PlanItem, ...]
    current_supplements: tuple[PlanItem, ...]
    screened: tuple[RecognizedTerm, ...]
    unrecognized: tuple[Unrecognized, ...]
    notes: tuple[str, ...]
    disclaimer: str
