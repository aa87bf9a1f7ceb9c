"""Evaluate rule triggers (the predicate language of ``knowledge/schema.py``) on facts.

A predicate evaluates to ``None`` (does not hold) or to the list of triggers that made
it hold, so every alert can say exactly which input fired it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from d3k2.core.quantities import amount_in, format_number
from d3k2.core.regimen import NutrientCatalog, RegimenSegment, max_concurrent_per_day
from d3k2.core.screening.labs import (
    interpretation_for,
    latest,
    latest_readings,
    possible_bands,
    surely_above,
    surely_below,
)
from d3k2.core.screening.model import (
    LIFE_STATE_CLASSES,
    SUPPLEMENT_CLASS_NUTRIENT,
    IntakeRow,
    LabResult,
    PatientFacts,
    Trigger,
)
from d3k2.knowledge.schema import (
    AgeCondition,
    AgeIs,
    AllOf,
    Amount,
    AnyOf,
    CkdCondition,
    CkdStageAtLeast,
    ConditionClassIs,
    ConditionIs,
    CreatinineClearanceBelow,
    ExceedsUpperLimit,
    ImplausibleDose,
    Knowledge,
    LabCondition,
    LabIs,
    Lactating,
    MedicationClassIs,
    MedicationIs,
    Not,
    PlanIncludes,
    PlanIncludesNode,
    Predicate,
    Pregnant,
    Use,
)

CKD_STAGES: Final = ("G1", "G2", "G3a", "G3b", "G4", "G5")
_EGFR_CATEGORY_TO_STAGE: Final = {stage.lower(): stage for stage in CKD_STAGES}

Triggers = list[Trigger] | None


@dataclass(frozen=True)
class ImplausibleItem:
    segment: RegimenSegment
    plan_input: str
    limit: str


@dataclass
class RuleContext:
    """Facts plus what the engine derived from them once (intake, CKD stage, …)."""

    facts: PatientFacts
    knowledge: Knowledge
    nutrients: NutrientCatalog
    intake: dict[str, IntakeRow]
    implausible: list[ImplausibleItem] = field(default_factory=list)
    medication_classes: frozenset[str] = field(init=False)
    """Every class of every recognised medication (a fast "no" for most rules)."""
    medication_ids: frozenset[str] = field(init=False)
    """Every recognised medication id and ingredient id."""
    condition_classes: frozenset[str] = field(init=False)
    condition_ids: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        medications, conditions = self.facts.medications, self.facts.conditions
        self.medication_classes = frozenset(c for t in medications for c in t.classes)
        self.medication_ids = frozenset(i for t in medications for i in (t.id, *t.ingredients))
        self.condition_classes = frozenset(c for t in conditions for c in t.classes)
        self.condition_ids = frozenset(t.id for t in conditions)

    def ckd(self) -> tuple[str, Trigger] | None:
        """Highest CKD stage known, from a condition's stage (the vocabulary gives every
        dialysis entry G5) or from the latest eGFR."""
        best: tuple[str, Trigger] | None = None
        for term in self.facts.conditions:
            stage = term.ckd_stage
            if stage is None:
                continue
            trigger = Trigger("condition", term.input, term.name, term.code, term.assumption)
            if best is None or CKD_STAGES.index(stage) > CKD_STAGES.index(best[0]):
                best = (stage, trigger)
        egfr = latest(self.facts.labs, "egfr")
        interpretation = interpretation_for(self.knowledge, "egfr", "default")
        if egfr is not None and interpretation is not None:
            # A censored eGFR (">60", "<30") counts as the least advanced stage it could be.
            stages = [
                _EGFR_CATEGORY_TO_STAGE.get(band.category)
                for band in possible_bands(egfr, interpretation)
            ]
            stage = min(stages, key=CKD_STAGES.index) if stages and None not in stages else None
            if stage is not None and (
                best is None or CKD_STAGES.index(stage) > CKD_STAGES.index(best[0])
            ):
                best = (stage, Trigger("lab", egfr.input, f"eGFR category {stage}", egfr.code))
        return best


def evaluate(predicate: Predicate, ctx: RuleContext) -> Triggers:
    """Triggers that make ``predicate`` hold for ``ctx``, or None when it does not hold."""
    return _EVALUATORS[type(predicate)](predicate, ctx)


def _all(children: list[Predicate], ctx: RuleContext) -> Triggers:
    collected: list[Trigger] = []
    for child in children:
        result = evaluate(child, ctx)
        if result is None:
            return None
        collected.extend(result)
    return collected


def _any(children: list[Predicate], ctx: RuleContext) -> Triggers:
    collected: list[Trigger] = []
    held = False
    for child in children:
        result = evaluate(child, ctx)
        if result is not None:
            held = True
            collected.extend(result)
    return collected if held else None


def _not(child: Predicate, ctx: RuleContext) -> Triggers:
    return [] if evaluate(child, ctx) is None else None


_NO_CLASSES: Final[frozenset[str]] = frozenset()


def _medications(test: Callable[[str, frozenset[str]], bool], ctx: RuleContext) -> Triggers:
    hits = [
        Trigger("medication", t.input, t.name, t.code, t.assumption)
        for t in ctx.facts.medications
        if test(t.id, t.classes) or any(test(i, _NO_CLASSES) for i in t.ingredients)
    ]
    return hits or None


def _conditions(test: Callable[[str, frozenset[str]], bool], ctx: RuleContext) -> Triggers:
    hits = [
        Trigger("condition", t.input, t.name, t.code, t.assumption)
        for t in ctx.facts.conditions
        if test(t.id, t.classes)
    ]
    return hits or None


def _in_unit(amount: Amount, unit: str, nutrient: str) -> float:
    return amount_in(amount.value, amount.unit, unit, nutrient=nutrient)


def _plan_includes(spec: PlanIncludes, ctx: RuleContext) -> Triggers:
    """The plan, or a supplement already in the medication list, contains the nutrient.

    Supplements already taken count too: a rule about vitamin D with sarcoidosis applies
    whether the vitamin D is planned or already taken. A listed supplement whose amount
    could not be read counts only when the rule sets no amount threshold.
    """
    sources = [(item, "plan") for item in ctx.facts.plan] + [
        (item, "medication") for item in ctx.facts.current_supplements
    ]
    items = [
        (
            item,
            kind,
            [
                s
                for s in item.regimen.segments
                if s.nutrient == spec.nutrient and (spec.forms is None or s.form in spec.forms)
            ],
        )
        for item, kind in sources
    ]
    items = [(item, kind, segments) for item, kind, segments in items if segments]
    name = ctx.nutrients.nutrients[spec.nutrient].names[0]
    unit = ctx.nutrients.nutrients[spec.nutrient].dri_unit
    if spec.min_per_day is None and spec.min_per_dose is None and spec.forms is None:
        read = {item.input for item, _, _ in items}
        unread = [
            Trigger("medication", t.input, name, t.code, t.assumption)
            for t in ctx.facts.medications
            if t.input not in read
            and any(SUPPLEMENT_CLASS_NUTRIENT.get(c) == spec.nutrient for c in t.classes)
        ]
    else:
        unread = []
    if not items and not unread:
        return None
    if spec.min_per_day is not None:
        per_day = max_concurrent_per_day([i.regimen for i, _, _ in items], spec.nutrient)
        if per_day < _in_unit(spec.min_per_day, unit, spec.nutrient):
            return None
    if spec.min_per_dose is not None:
        threshold = _in_unit(spec.min_per_dose, unit, spec.nutrient)
        items = [
            (i, kind, [s for s in segs if s.amount_per_dose >= threshold])
            for i, kind, segs in items
        ]
        items = [(i, kind, segs) for i, kind, segs in items if segs]
        if not items:
            return None
    triggers = [
        Trigger(
            kind,  # type: ignore[arg-type]
            item.input,
            name,
            assumption="; ".join(a for s in segments for a in s.assumptions) or None,
        )
        for item, kind, segments in items
    ]
    return triggers + unread


def _exceeds_upper_limit(nutrient: str, ctx: RuleContext) -> Triggers:
    row = ctx.intake.get(nutrient)
    if row is None or not row.exceeds_upper_limit or row.upper_limit is None:
        return None
    name = ctx.nutrients.nutrients[nutrient].names[0]
    text = (
        f"{name} {format_number(round(row.ul_basis_per_day, 1))} {row.unit}/day "
        f"({row.upper_limit.applies_to}) above the UL of "
        f"{format_number(row.upper_limit.value)} {row.unit}/day for {row.life_stage}"
    )
    return [Trigger("plan", text, name, assumption="; ".join(row.assumptions) or None)]


def _lab(spec: LabCondition, ctx: RuleContext) -> Triggers:
    """Holds when the latest result, or a value adjusted from it, meets the condition."""
    for result in latest_readings(ctx.facts.labs, spec.test):
        if _lab_holds(spec, result, ctx):
            return [Trigger("lab", result.input, result.test_name, result.code)]
    return None


def _lab_holds(spec: LabCondition, result: LabResult, ctx: RuleContext) -> bool:
    if spec.categories is not None:
        # Bands for the person's age: rules name categories ("high_mild"), and what is high
        # for an adult may be normal for a newborn.
        interpretation = interpretation_for(
            ctx.knowledge, spec.test, "default", age_years=ctx.facts.age_years
        )
        if interpretation is None:
            return False
        # Every band the result could lie in must be one of the categories: a censored
        # result never satisfies a condition it might not meet.
        bands = possible_bands(result, interpretation)
        if not bands or any(band.category not in spec.categories for band in bands):
            return False
    if spec.above is not None and not surely_above(result, spec.above.value, spec.above.unit):
        return False
    return not (
        spec.below is not None and not surely_below(result, spec.below.value, spec.below.unit)
    )


def _ckd_stage(spec: CkdCondition, ctx: RuleContext) -> Triggers:
    known = ctx.ckd()
    if known is None or CKD_STAGES.index(known[0]) < CKD_STAGES.index(spec.at_least):
        return None
    return [known[1]]


def _creatinine_clearance_below(below_ml_min: float, ctx: RuleContext) -> Triggers:
    """The latest creatinine clearance, measured or computed (Cockcroft-Gault), is surely
    below the limit; unknown clearance does not meet it (rules keep an eGFR branch)."""
    for result in latest_readings(ctx.facts.labs, "creatinine_clearance"):
        if surely_below(result, below_ml_min, "mL/min"):
            return [Trigger("lab", result.input, result.test_name, result.code)]
    return None


def _life_state(flag: bool, field: str, ctx: RuleContext) -> Triggers:
    """The pregnancy/lactation flag; when it holds because the condition list says so
    (reading/profile.py), the trigger names that condition rather than a flag nobody wrote."""
    if getattr(ctx.facts, field) != flag:
        return None
    condition_class = LIFE_STATE_CLASSES[field]
    if flag:
        listed = _conditions(lambda _i, classes: condition_class in classes, ctx)
        if listed:
            return listed
    return [Trigger("profile", f"{field}: {str(flag).lower()}", condition_class)]


def _pregnant(flag: bool, ctx: RuleContext) -> Triggers:
    return _life_state(flag, "pregnant", ctx)


def _lactating(flag: bool, ctx: RuleContext) -> Triggers:
    return _life_state(flag, "lactating", ctx)


def _age(spec: AgeCondition, ctx: RuleContext) -> Triggers:
    age = ctx.facts.age_years
    if spec.below_years is not None and not age < spec.below_years:
        return None
    if spec.at_least_years is not None and not age >= spec.at_least_years:
        return None
    return [Trigger("profile", f"age: {format_number(round(age, 2))} years", "age")]


def _implausible(flag: bool, ctx: RuleContext) -> Triggers:
    hits = [
        Trigger(
            "plan",
            item.plan_input,
            f"{format_number(item.segment.amount_per_dose)} {item.segment.unit} per dose "
            f"of {item.segment.form} ({item.limit})",
        )
        for item in ctx.implausible
    ]
    if flag:
        return hits or None
    return None if hits else []


_EVALUATORS: Final[dict[type, Callable[[Any, RuleContext], Triggers]]] = {
    AllOf: lambda node, ctx: _all(node.all, ctx),
    AnyOf: lambda node, ctx: _any(node.any, ctx),
    Not: lambda node, ctx: _not(node.not_, ctx),
    Use: lambda node, ctx: evaluate(ctx.knowledge.predicates[node.use].when, ctx),
    MedicationClassIs: lambda node, ctx: (
        _medications(lambda _id, classes: node.medication_class in classes, ctx)
        if node.medication_class in ctx.medication_classes
        else None
    ),
    MedicationIs: lambda node, ctx: (
        _medications(lambda ingredient, _classes: ingredient == node.medication, ctx)
        if node.medication in ctx.medication_ids
        else None
    ),
    ConditionClassIs: lambda node, ctx: (
        _conditions(lambda _id, classes: node.condition_class in classes, ctx)
        if node.condition_class in ctx.condition_classes
        else None
    ),
    ConditionIs: lambda node, ctx: (
        _conditions(lambda condition, _classes: condition == node.condition, ctx)
        if node.condition in ctx.condition_ids
        else None
    ),
    PlanIncludesNode: lambda node, ctx: _plan_includes(node.plan_includes, ctx),
    ExceedsUpperLimit: lambda node, ctx: _exceeds_upper_limit(node.exceeds_upper_limit, ctx),
    LabIs: lambda node, ctx: _lab(node.lab, ctx),
    CkdStageAtLeast: lambda node, ctx: _ckd_stage(node.ckd_stage, ctx),
    CreatinineClearanceBelow: lambda node, ctx: _creatinine_clearance_below(
        node.creatinine_clearance.below, ctx
    ),
    Pregnant: lambda node, ctx: _pregnant(node.pregnant, ctx),
    Lactating: lambda node, ctx: _lactating(node.lactating, ctx),
    AgeIs: lambda node, ctx: _age(node.age, ctx),
    ImplausibleDose: lambda node, ctx: _implausible(node.implausible_dose, ctx),
}
"""One evaluator per kind of trigger node (dispatch on the node's type)."""
