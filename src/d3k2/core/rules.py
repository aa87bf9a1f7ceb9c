"""Evaluate rule triggers (the predicate language of ``knowledge/schema.py``) on facts.

A predicate evaluates to ``None`` (does not hold) or to the list of triggers that made
it hold, so every alert can say exactly which input fired it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from d3k2.core.labs import band_of, interpretation_for, latest, latest_readings, value_in_unit
from d3k2.core.model import IntakeRow, LabResult, PatientFacts, Trigger
from d3k2.core.quantities import amount_in, format_number
from d3k2.core.regimen import NutrientIndex, RegimenSegment, max_concurrent_per_day
from d3k2.knowledge.schema import (
    Amount,
    Knowledge,
    LabCondition,
    PlanIncludes,
    Predicate,
)

CKD_STAGES: Final = ("G1", "G2", "G3a", "G3b", "G4", "G5")
_EGFR_CATEGORY_TO_STAGE: Final = {stage.lower(): stage for stage in CKD_STAGES}

Triggers = list[Trigger] | None


@dataclass(frozen=True)
class ImplausibleDose:
    segment: RegimenSegment
    plan_input: str
    limit: str


@dataclass
class RuleContext:
    """Facts plus what the engine derived from them once (intake, CKD stage, …)."""

    facts: PatientFacts
    knowledge: Knowledge
    nutrients: NutrientIndex
    intake: dict[str, IntakeRow]
    implausible: list[ImplausibleDose] = field(default_factory=list)

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
            band = band_of(egfr, interpretation)
            stage = _EGFR_CATEGORY_TO_STAGE.get(band.category) if band else None
            if stage is not None and (
                best is None or CKD_STAGES.index(stage) > CKD_STAGES.index(best[0])
            ):
                best = (stage, Trigger("lab", egfr.input, f"eGFR category {stage}", egfr.code))
        return best


def evaluate(predicate: Predicate, ctx: RuleContext) -> Triggers:
    """Triggers that make ``predicate`` hold for ``ctx``, or None when it does not hold."""
    for name, handler in _HANDLERS.items():
        value = getattr(predicate, name)
        if value is not None:
            return handler(value, ctx)
    raise AssertionError("schema guarantees one key per predicate")  # pragma: no cover


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


def _medications(test: Callable[[str, frozenset[str]], bool], ctx: RuleContext) -> Triggers:
    hits = [
        Trigger("medication", t.input, t.name, t.code, t.assumption)
        for t in ctx.facts.medications
        if test(t.id, t.classes) or any(test(i, frozenset()) for i in t.ingredients)
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


SUPPLEMENT_CLASS_NUTRIENT: Final = {
    "vitamin_d_supplement": "vitamin_d",
    "vitamin_k_supplement": "vitamin_k",
    "calcium_supplement": "calcium",
    "magnesium_supplement": "magnesium",
}
"""Medication classes that are themselves a supplement of a nutrient."""


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
        band = band_of(result, interpretation)
        if band is None or band.category not in spec.categories:
            return False
    if spec.above is not None and not value_in_unit(result, spec.above.unit) > spec.above.value:
        return False
    return not (
        spec.below is not None and not value_in_unit(result, spec.below.unit) < spec.below.value
    )


def _ckd_stage(spec: object, ctx: RuleContext) -> Triggers:
    at_least = getattr(spec, "at_least")  # noqa: B009 - CkdCondition
    known = ctx.ckd()
    if known is None or CKD_STAGES.index(known[0]) < CKD_STAGES.index(at_least):
        return None
    return [known[1]]


def _pregnant(flag: bool, ctx: RuleContext) -> Triggers:
    if ctx.facts.pregnant != flag:
        return None
    return [Trigger("profile", f"pregnant: {str(flag).lower()}", "pregnancy")]


def _lactating(flag: bool, ctx: RuleContext) -> Triggers:
    if ctx.facts.lactating != flag:
        return None
    return [Trigger("profile", f"lactating: {str(flag).lower()}", "lactation")]


def _age(spec: object, ctx: RuleContext) -> Triggers:
    age = ctx.facts.age_years
    below = getattr(spec, "below_years")  # noqa: B009 - AgeCondition
    at_least = getattr(spec, "at_least_years")  # noqa: B009
    if below is not None and not age < below:
        return None
    if at_least is not None and not age >= at_least:
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


_HANDLERS: Final[dict[str, Callable[[object, RuleContext], Triggers]]] = {
    "all": _all,  # type: ignore[dict-item]
    "any": _any,  # type: ignore[dict-item]
    "not_": _not,  # type: ignore[dict-item]
    "medication_class": lambda v, c: _medications(lambda _i, cls: v in cls, c),
    "medication": lambda v, c: _medications(lambda i, _cls: i == v, c),
    "condition_class": lambda v, c: _conditions(lambda _i, cls: v in cls, c),
    "condition": lambda v, c: _conditions(lambda i, _cls: i == v, c),
    "plan_includes": _plan_includes,  # type: ignore[dict-item]
    "exceeds_upper_limit": _exceeds_upper_limit,  # type: ignore[dict-item]
    "lab": _lab,  # type: ignore[dict-item]
    "ckd_stage": _ckd_stage,
    "pregnant": _pregnant,  # type: ignore[dict-item]
    "lactating": _lactating,  # type: ignore[dict-item]
    "age": _age,
    "implausible_dose": _implausible,  # type: ignore[dict-item]
}
