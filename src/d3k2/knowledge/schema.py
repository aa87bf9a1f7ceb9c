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
``tables/supplement_products.yaml``
    ``{products: [SupplementProduct, ...]}``: named supplement products (combinations,
    multivitamins) and what one unit contains, cited from the label.
``rules/<topic>/<rule_id>.yaml``
    One ``Rule`` per file. Retired rules move to ``deprecated/`` with status deprecated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    TypeAdapter,
    field_validator,
    model_validator,
)

from d3k2.knowledge.fingerprint import SCHEMA_VERSION as SCHEMA_VERSION

Severity = Literal["major", "moderate", "minor", "info"]
RuleStatus = Literal["draft", "active", "deprecated"]
NutrientId = Literal["vitamin_d", "vitamin_k", "calcium", "magnesium"]
CkdStage = Literal["G1", "G2", "G3a", "G3b", "G4", "G5"]
Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.\-]*$")]


class Strict(BaseModel):
    """Base of every knowledge model.

    ``defer_build``: a model's validator is built when a file is first validated, not when
    the class is defined. A start from the snapshot validates nothing, so it never pays for
    building them (about a tenth of ``d3k2 assess``'s start under cProfile, issue 6)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


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
    nutrient_form: Identifier | None = None
    """For a single-nutrient supplement, the form id in ``vocab/nutrients.yaml`` it is
    (cholecalciferol, calcium_carbonate): its names and brands written with an amount
    ("Dekristol 20000 IU weekly") are read as that form. Combination products are in
    ``tables/supplement_products.yaml`` instead."""


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
    salt_strengths: list[float] = []
    """Unit strengths of marketed products that labels state as the SALT's weight, in
    ``dri_unit`` (calcium acetate 667 mg = 169 mg calcium). A dose stated as one of these
    (times a count) is read as salt weight and converted with ``elemental_fraction``; any
    other amount is read as elemental. Each needs a cited label in ``sources``."""
    sources: list[SourceRef] = []

    @model_validator(mode="after")
    def _salt_needs_fraction(self) -> NutrientForm:
        if self.salt_strengths and self.elemental_fraction is None:
            raise ValueError("salt_strengths need an elemental_fraction")
        return self


class Nutrient(Strict):
    """A nutrient a plan may contain. Amounts are in ``dri_unit`` (mcg or mg)."""

    id: NutrientId
    names: list[str] = Field(min_length=1)
    dri_unit: Literal["mcg", "mg"]
    forms: list[NutrientForm] = Field(min_length=1)


# --------------------------------------------------------------------------- tables
class ProductIngredient(Strict):
    """One ingredient of a supplement product, per unit (tablet, capsule, sachet).

    ``amount`` is in ``unit`` (IU or mcg for vitamin D, mcg for vitamin K, mg of the
    ELEMENT for calcium and magnesium); ``None`` means the product contains the nutrient in
    an amount d3k2 does not know (formulas differ by country or over time): the report then
    says the total may be higher than shown, never counts it as 0."""

    nutrient: NutrientId
    form: Identifier
    amount: float | None = Field(default=None, gt=0)
    unit: Literal["mcg", "mg", "IU"]


class SupplementProduct(Strict):
    """A named supplement product and what one unit of it contains, from its label."""

    id: Identifier
    names: list[str] = Field(min_length=1)
    """Product names as people write them; matched whole, case-insensitively, with or
    without spaces around "+", "-" and "/"."""
    unit: str = Field(min_length=1)
    """What one unit is ("chewable tablet", "sachet")."""
    ingredients: list[ProductIngredient] = Field(min_length=1)
    sources: list[SourceRef] = Field(min_length=1)
    note: str | None = None


class SupplementProducts(Strict):
    products: list[SupplementProduct]


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
    locator: str = Field(min_length=1)

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


class ClearanceEquation(Strict):
    """Cockcroft-Gault creatinine clearance (Cockcroft DW, Gault MH. Nephron 1976;16:31-41):
    ``CrCl = (age_offset_years - age) x weight / (divisor x Scr) [x female_factor]``, age in
    years, weight in kg, Scr in mg/dL, result in mL/min (not normalised to body surface area).
    ``weight`` says which body weight is used."""

    name: str
    age_offset_years: float = Field(gt=0)
    divisor: float = Field(gt=0)
    female_factor: float = Field(gt=0, le=1)
    weight: Literal["actual"]
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


class ClearanceCondition(Strict):
    below: float = Field(gt=0)
    """Creatinine clearance strictly below this, in mL/min (drug labels' limits)."""


class _Node(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class AllOf(_Node):
    """Every child holds; the triggers of all of them are named."""

    all: list[Predicate] = Field(min_length=1)


class AnyOf(_Node):
    """At least one child holds; the triggers of every child that holds are named."""

    any: list[Predicate] = Field(min_length=1)


class Not(_Node):
    """The child does not hold."""

    not_: Predicate = Field(alias="not")


class Use(_Node):
    """A named predicate of ``predicates.yaml``, written once and used by many rules."""

    use: Identifier


class MedicationClassIs(_Node):
    """A recognised medication (or an ingredient of a combination) has this class."""

    medication_class: Identifier


class MedicationIs(_Node):
    """A recognised medication is (or contains) this ingredient id."""

    medication: Identifier


class ConditionClassIs(_Node):
    condition_class: Identifier


class ConditionIs(_Node):
    condition: Identifier


class PlanIncludesNode(_Node):
    """The plan, or a supplement already taken, contains the nutrient (optionally above an
    amount per day or per dose, or in given forms)."""

    plan_includes: PlanIncludes


class ExceedsUpperLimit(_Node):
    """Total intake of the nutrient is above the UL for the person's life stage."""

    exceeds_upper_limit: NutrientId


class LabIs(_Node):
    """The latest result of a test (or a value adjusted from it) meets the condition."""

    lab: LabCondition


class CkdStageAtLeast(_Node):
    """The CKD stage, from a condition or from eGFR, is at least this."""

    ckd_stage: CkdCondition


class CreatinineClearanceBelow(_Node):
    """The latest creatinine clearance (measured, or Cockcroft-Gault from creatinine, age,
    sex and weight) is below the limit; does not hold when it is unknown."""

    creatinine_clearance: ClearanceCondition


class Pregnant(_Node):
    pregnant: bool


class Lactating(_Node):
    lactating: bool


class AgeIs(_Node):
    age: AgeCondition


class ImplausibleDose(_Node):
    """A plan item is outside the plausible per-dose range of its form."""

    implausible_dose: bool


PREDICATE_KINDS: dict[str, type[_Node]] = {
    "all": AllOf,
    "any": AnyOf,
    "not": Not,
    "use": Use,
    "medication_class": MedicationClassIs,
    "medication": MedicationIs,
    "condition_class": ConditionClassIs,
    "condition": ConditionIs,
    "plan_includes": PlanIncludesNode,
    "exceeds_upper_limit": ExceedsUpperLimit,
    "lab": LabIs,
    "ckd_stage": CkdStageAtLeast,
    "creatinine_clearance": CreatinineClearanceBelow,
    "pregnant": Pregnant,
    "lactating": Lactating,
    "age": AgeIs,
    "implausible_dose": ImplausibleDose,
}
"""Every kind of trigger node, by the one key that names it in a rule file."""


def _predicate_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        keys = list(value)
        return keys[0] if len(keys) == 1 and keys[0] in PREDICATE_KINDS else None
    for key, kind in PREDICATE_KINDS.items():
        if isinstance(value, kind):
            return key
    return None


Predicate = Annotated[
    Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[Not, Tag("not")]
    | Annotated[Use, Tag("use")]
    | Annotated[MedicationClassIs, Tag("medication_class")]
    | Annotated[MedicationIs, Tag("medication")]
    | Annotated[ConditionClassIs, Tag("condition_class")]
    | Annotated[ConditionIs, Tag("condition")]
    | Annotated[PlanIncludesNode, Tag("plan_includes")]
    | Annotated[ExceedsUpperLimit, Tag("exceeds_upper_limit")]
    | Annotated[LabIs, Tag("lab")]
    | Annotated[CkdStageAtLeast, Tag("ckd_stage")]
    | Annotated[CreatinineClearanceBelow, Tag("creatinine_clearance")]
    | Annotated[Pregnant, Tag("pregnant")]
    | Annotated[Lactating, Tag("lactating")]
    | Annotated[AgeIs, Tag("age")]
    | Annotated[ImplausibleDose, Tag("implausible_dose")],
    Discriminator(
        _predicate_kind,
        custom_error_type="trigger_node",
        custom_error_message="a trigger node needs exactly one key, one of: "
        + ", ".join(PREDICATE_KINDS),
    ),
]
"""One node of a trigger expression: a discriminated union keyed by its one key
(``all``, ``any``, ``not``, ``use``, ``medication_class`` …)."""


def parse_predicate(data: Any) -> Predicate:
    """A trigger expression from plain data (as written under ``when:``)."""
    parsed: Predicate = TypeAdapter(Predicate).validate_python(data)
    return parsed


class NamedPredicate(Strict):
    """A condition written once (``predicates.yaml``) and used by rules with ``use: id``."""

    id: Identifier
    description: str = Field(min_length=10)
    when: Predicate


class NamedPredicates(Strict):
    predicates: list[NamedPredicate]


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
    supersedes: list[Identifier] = []
    """Rules this one takes precedence over: when both fire for a person, the superseded
    alert is merged into this one (its triggers and its advice are kept, never dropped)."""
    sources: list[SourceRef] = Field(min_length=1)
    examples: RuleExamples
    notes: str | None = None
    """Why the rule differs from a source or an interaction reference (a risk group its
    sources name that is not in ``when``, a severity graded differently), with the source.
    Not shown in alerts; for reviewers."""

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
    clearance_equation: ClearanceEquation | None = None


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
    predicates: dict[str, NamedPredicate] = field(default_factory=dict)
    """Named predicates (``predicates.yaml``) by id."""
    corrections: tuple[LabCorrection, ...] = ()
    egfr_equation: EgfrEquation | None = None
    clearance_equation: ClearanceEquation | None = None
    deprecated_rules: tuple[Rule, ...] = ()
    supplement_products: tuple[SupplementProduct, ...] = ()

    @cached_property
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
