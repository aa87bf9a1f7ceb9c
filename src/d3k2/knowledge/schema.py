"""Schema of the d3k2 knowledge base (version 1).

Every clinical number and rule lives in a data file under ``knowledge/data``; this
module says what shape those files must have. ``d3k2 knowledge validate`` and the
test-suite check every file against it.

Files
-----
``references/*.yaml``
    The bibliography, split by topic: ``{references: [Reference, ...]}`` in each file;
    ids are unique across all files.
``vocab/medications.yaml``
    ``{medications: [Medication, ...]}``: ingredients with their brands, abbreviations,
    RxNorm codes and the classes that rules refer to.
``vocab/conditions.yaml``
    ``{conditions: [Condition, ...]}``: canonical conditions with synonyms,
    SNOMED CT and ICD-10-CM codes, classes and (for CKD) a stage.
``vocab/labs.yaml``
    ``{labs: [LabTest, ...]}``: lab tests with names, LOINC codes and accepted units.
``vocab/nutrients.yaml``
    ``{nutrients: [Nutrient, ...]}``: nutrients a plan can contain, their forms, names
    and the plausible range of one dose (for the implausible-dose check).
``tables/dri.csv``
    Dietary Reference Intakes, one row per nutrient x life-stage group (see ``DriRow``).
``tables/lab_bands.yaml``
    ``{interpretations: [LabInterpretation, ...]}``: bands for each lab test under each
    guideline.
``rules/<topic>/<rule_id>.yaml``
    One ``Rule`` per file. Retired rules move to ``deprecated/`` with status deprecated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SCHEMA_VERSION = 1

Severity = Literal["major", "moderate", "minor", "info"]
RuleStatus = Literal["draft", "active", "deprecated"]
NutrientId = Literal["vitamin_d", "vitamin_k", "calcium", "magnesium"]
CkdStage = Literal["G1", "G2", "G3a", "G3b", "G4", "G5"]
Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.\-]*$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- sources
class Reference(Strict):
    """One published source. ``id`` is what other files cite."""

    id: Identifier
    citation: str = Field(min_length=10)
    url: str = Field(pattern=r"^https?://")
    kind: Literal[
        "dri-report", "fact-sheet", "guideline", "paper", "label", "terminology", "review"
    ]
    note: str | None = None


class SourceRef(Strict):
    """A citation of one reference, with where in it (table, section, page)."""

    ref: Identifier
    locator: str = Field(min_length=1)


# --------------------------------------------------------------------------- vocabularies
class Code(Strict):
    system: Literal["rxnorm", "snomed", "icd10cm", "loinc", "atc"]
    code: str = Field(min_length=1)
    display: str | None = None


class Medication(Strict):
    """An ingredient (or a fixed combination listed as its ingredients).

    ``names`` are generic names and common synonyms; ``brands`` are brand names;
    ``abbreviations`` match only as a whole word, never fuzzily.
    A brand that contains several ingredients (Hyzaar) is listed as its own entry with
    ``ingredients`` naming the entries it contains.
    """

    id: Identifier
    names: list[str] = Field(min_length=1)
    brands: list[str] = []
    abbreviations: list[str] = []
    ingredients: list[Identifier] = []
    classes: list[Identifier] = []
    codes: list[Code] = []
    sources: list[SourceRef] = []


class Condition(Strict):
    id: Identifier
    names: list[str] = Field(min_length=1)
    abbreviations: list[str] = []
    classes: list[Identifier] = []
    ckd_stage: CkdStage | None = None
    codes: list[Code] = []


class PlausibleRange(Strict):
    low: float = Field(ge=0)
    high: float = Field(gt=0)
    note: str


class LabTest(Strict):
    """A lab test. ``units`` are the units accepted; the first is the SI unit.
    ``plausible_si`` bounds values any human result could have (in the SI unit): outside
    it, the unit is almost certainly wrong and the input is refused."""

    id: Identifier
    names: list[str] = Field(min_length=1)
    codes: list[Code] = []
    units: list[str] = Field(min_length=1)
    plausible_si: PlausibleRange | None = None


class NutrientForm(Strict):
    id: Identifier
    names: list[str] = Field(min_length=1)
    plausible_max_per_dose: float = Field(gt=0)
    plausible_min_per_dose: float = Field(ge=0, default=0)
    """Plausible range of ONE dose, in the nutrient's ``dri_unit``."""
    plausible_max_per_day: float | None = Field(default=None, gt=0)
    """Plausible average per day of a repeated (daily, weekly…) regimen, in ``dri_unit``."""
    elemental_fraction: float | None = Field(default=None, gt=0, le=1)
    """Share of a mineral salt's weight that is the element (calcium carbonate 0.40)."""
    sources: list[SourceRef] = []


class Nutrient(Strict):
    """A nutrient a plan may contain. Amounts are in ``dri_unit`` (mcg or mg)."""

    id: NutrientId
    names: list[str] = Field(min_length=1)
    dri_unit: Literal["mcg", "mg"]
    forms: list[NutrientForm] = Field(min_length=1)


# --------------------------------------------------------------------------- tables
class DriRow(Strict):
    """One row of ``tables/dri.csv``.

    Ages are in months, ``age_from_months`` inclusive and ``age_to_months`` exclusive
    (blank = no upper bound). ``state`` is none, pregnancy or lactation; ``sex`` is
    female, male or any. ``recommended_kind`` is RDA or AI. ``ul`` blank means none
    established (vitamin K) or not determinable (magnesium, infants);
    ``ul_applies_to`` says what the UL covers.
    """

    nutrient: NutrientId
    life_stage: str
    sex: Literal["female", "male", "any"]
    state: Literal["none", "pregnancy", "lactation"]
    age_from_months: int = Field(ge=0)
    age_to_months: int | None = Field(default=None, gt=0)
    recommended_kind: Literal["RDA", "AI"]
    recommended: float = Field(gt=0)
    ul: float | None = Field(default=None, gt=0)
    ul_applies_to: Literal["total intake", "supplements and medicines only", "none"]
    unit: Literal["mcg", "mg"]
    source: Identifier
    locator: str

    @model_validator(mode="after")
    def _ul_consistent(self) -> DriRow:
        if (self.ul is None) != (self.ul_applies_to == "none"):
            raise ValueError("ul and ul_applies_to must be both set or both none")
        return self


class LabBand(Strict):
    """A half-open band [lower, upper) in the interpretation's unit, and the same band as
    the guideline publishes it in ``alt_unit`` (``lower_alt``/``upper_alt``), so a result
    reported in that unit is compared with the published edge, not a converted one
    (30 ng/mL is "sufficient" under Endocrine Society 2011 although 30 x 2.496 < 75)."""

    label: str
    category: Identifier
    lower: float | None = None
    upper: float | None = None
    lower_alt: float | None = None
    upper_alt: float | None = None


class LabInterpretation(Strict):
    """Bands for one test under one guideline (``guideline: default`` for tests whose
    interpretation does not depend on the guideline choice).

    Children are not small adults: where reference intervals differ with age, a test has
    one interpretation per age range (``age_at_least_days`` inclusive, ``age_below_days``
    exclusive, ages in days since birth; 1 year = 365.25 days) and one without bounds that
    applies at every other age. Ranges of the same test and guideline must not overlap
    (checked by the loader)."""

    test: Identifier
    guideline: Identifier
    age_at_least_days: int | None = Field(default=None, ge=0)
    age_below_days: int | None = Field(default=None, gt=0)
    unit: str
    alt_unit: str | None = None
    bands: list[LabBand] = []
    no_thresholds_statement: str | None = None
    sources: list[SourceRef] = Field(min_length=1)

    @property
    def age_bounded(self) -> bool:
        return self.age_at_least_days is not None or self.age_below_days is not None

    def covers_age_days(self, age_days: float) -> bool:
        """True when this interpretation's age range holds ``age_days``."""
        if self.age_at_least_days is not None and age_days < self.age_at_least_days:
            return False
        return self.age_below_days is None or age_days < self.age_below_days

    @model_validator(mode="after")
    def _bands_contiguous(self) -> LabInterpretation:
        if (
            self.age_at_least_days is not None
            and self.age_below_days is not None
            and self.age_below_days <= self.age_at_least_days
        ):
            raise ValueError("age_below_days must be above age_at_least_days")
        if not self.bands and not self.no_thresholds_statement:
            raise ValueError("give bands, or a no_thresholds_statement saying why none")
        for below, above in zip(self.bands, self.bands[1:], strict=False):
            if below.upper is None or above.lower != below.upper:
                raise ValueError(
                    f"bands must be contiguous: {below.category!r} ends at {below.upper}, "
                    f"{above.category!r} starts at {above.lower}"
                )
            if self.alt_unit and (below.upper_alt is None or above.lower_alt != below.upper_alt):
                raise ValueError(
                    f"bands in {self.alt_unit} must be contiguous: {below.category!r} ends at "
                    f"{below.upper_alt}, {above.category!r} starts at {above.lower_alt}"
                )
        if self.alt_unit is None and any(
            b.lower_alt is not None or b.upper_alt is not None for b in self.bands
        ):
            raise ValueError("lower_alt/upper_alt need alt_unit")
        return self


class LabCorrection(Strict):
    """A published adjustment of one test by another (albumin-adjusted calcium):
    ``corrected = value + coefficient x (using_reference - using_value)``, all in ``unit``
    and ``using_unit``."""

    test: Identifier
    name: str
    using: Identifier
    using_unit: str
    using_reference: float = Field(gt=0)
    coefficient: float = Field(gt=0)
    unit: str
    caveat: str
    sources: list[SourceRef] = Field(min_length=1)


class EgfrEquation(Strict):
    """CKD-EPI 2021 creatinine equation (race-free):
    ``eGFR = coefficient x min(Scr/kappa, 1)^alpha x max(Scr/kappa, 1)^exponent_above
    x age_base^age [x female_factor]``, Scr in mg/dL, result in mL/min/1.73 m2."""

    name: str
    coefficient: float = Field(gt=0)
    kappa_female: float = Field(gt=0)
    kappa_male: float = Field(gt=0)
    alpha_female: float
    alpha_male: float
    exponent_above: float
    age_base: float = Field(gt=0, le=1)
    female_factor: float = Field(gt=0)
    min_age_years: float = Field(ge=0)
    sources: list[SourceRef] = Field(min_length=1)


class Guideline(Strict):
    id: Identifier
    name: str
    sources: list[SourceRef] = Field(min_length=1)


# --------------------------------------------------------------------------- rules
class Amount(Strict):
    value: float = Field(ge=0)
    unit: str


class PlanIncludes(Strict):
    nutrient: NutrientId
    forms: list[Identifier] | None = None
    """Only these forms (ids from vocab/nutrients.yaml); None = any form."""
    min_per_day: Amount | None = None
    """The plan's supplemental amount per day (averaged over the dosing interval)."""
    min_per_dose: Amount | None = None


class LabCondition(Strict):
    test: Identifier
    categories: list[Identifier] | None = None
    """Categories from the default interpretation of that test (tables/lab_bands.yaml)."""
    above: Amount | None = None
    below: Amount | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> LabCondition:
        if self.categories is None and self.above is None and self.below is None:
            raise ValueError("a lab condition needs categories, above or below")
        return self


class AgeCondition(Strict):
    below_years: float | None = None
    at_least_years: float | None = None


class CkdCondition(Strict):
    at_least: CkdStage


class Predicate(Strict):
    """One node of a trigger expression: exactly one key is set.

    - ``all`` / ``any`` / ``not``: logic.
    - ``medication_class`` / ``medication``: a recognised medication (ingredient id or class).
    - ``condition_class`` / ``condition``: a recognised condition.
    - ``plan_includes``: the plan contains the nutrient, optionally above an amount.
    - ``exceeds_upper_limit``: total intake of that nutrient is above the UL for the
      person's life stage (the UL from tables/dri.csv).
    - ``lab``: a lab result in given categories or above/below a value.
    - ``ckd_stage``: CKD stage from a condition or from eGFR is at least this.
    - ``pregnant`` / ``lactating``: profile flags.
    - ``age``: age bounds.
    - ``implausible_dose``: a plan item is outside the plausible per-dose range of its
      nutrient form (vocab/nutrients.yaml).
    """

    all: list[Predicate] | None = None
    any: list[Predicate] | None = None
    not_: Predicate | None = Field(default=None, alias="not")
    medication_class: Identifier | None = None
    medication: Identifier | None = None
    condition_class: Identifier | None = None
    condition: Identifier | None = None
    plan_includes: PlanIncludes | None = None
    exceeds_upper_limit: NutrientId | None = None
    lab: LabCondition | None = None
    ckd_stage: CkdCondition | None = None
    pregnant: bool | None = None
    lactating: bool | None = None
    age: AgeCondition | None = None
    implausible_dose: bool | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _exactly_one(self) -> Predicate:
        set_keys = [k for k, v in self.__dict__.items() if v is not None]
        if len(set_keys) != 1:
            raise ValueError(f"a trigger node needs exactly one key, got {set_keys or 'none'}")
        return self


class RuleExample(Strict):
    name: str
    profile: dict[str, Any]


class RuleExamples(Strict):
    fires: list[RuleExample] = Field(min_length=1)
    silent: list[RuleExample] = Field(min_length=1)


class Rule(Strict):
    id: Identifier
    version: int = Field(ge=1)
    status: RuleStatus
    topic: Identifier
    severity: Severity
    rank: int = Field(default=50, ge=0, le=100)
    """Order among alerts of the same severity, lower first (a critical interaction such
    as vitamin K with warfarin ranks above other major alerts)."""
    title: str = Field(min_length=5)
    detail: str = Field(min_length=20)
    """Why: the mechanism and the evidence, in plain words."""
    action: str = Field(min_length=10)
    """What to do."""
    when: Predicate
    sources: list[SourceRef] = Field(min_length=1)
    examples: RuleExamples

    @field_validator("title")
    @classmethod
    def _no_trailing_period(cls, v: str) -> str:
        if v.endswith("."):
            raise ValueError("titles do not end with a period")
        return v


class References(Strict):
    references: list[Reference]


class Medications(Strict):
    medications: list[Medication]


class Conditions(Strict):
    conditions: list[Condition]


class Labs(Strict):
    labs: list[LabTest]


class Nutrients(Strict):
    nutrients: list[Nutrient]


class LabBands(Strict):
    guidelines: list[Guideline]
    interpretations: list[LabInterpretation]
    corrections: list[LabCorrection] = []
    egfr_equation: EgfrEquation | None = None


# --------------------------------------------------------------------------- the whole
@dataclass(frozen=True)
class Knowledge:
    """The validated knowledge base, as the engine receives it (plain data, no I/O)."""

    version: str
    references: dict[str, Reference]
    medications: tuple[Medication, ...]
    conditions: tuple[Condition, ...]
    labs: tuple[LabTest, ...]
    nutrients: tuple[Nutrient, ...]
    dri: tuple[DriRow, ...]
    guidelines: dict[str, Guideline]
    interpretations: tuple[LabInterpretation, ...]
    rules: tuple[Rule, ...]
    corrections: tuple[LabCorrection, ...] = ()
    egfr_equation: EgfrEquation | None = None
    deprecated_rules: tuple[Rule, ...] = ()

    @property
    def active_rules(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.status == "active")

    def interpretation(
        self, test: str, guideline: str, *, age_days: float | None = None
    ) -> LabInterpretation | None:
        """The interpretation of ``test`` under ``guideline`` for a person of ``age_days``:
        the one whose age range holds that age, else the one without age bounds (also
        the answer when the age is not given)."""
        general: LabInterpretation | None = None
        for interpretation in self.interpretations:
            if interpretation.test != test or interpretation.guideline != guideline:
                continue
            if not interpretation.age_bounded:
                general = general or interpretation
            elif age_days is not None and interpretation.covers_age_days(age_days):
                return interpretation
        return general
