"""The assessment engine: facts + knowledge -> report. Pure; the same function serves one
patient at the command line and a million in a population run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Final

from d3k2 import __version__
from d3k2.core.regimen import NutrientCatalog, max_concurrent_per_day
from d3k2.core.screening.dri import dri_row_for
from d3k2.core.screening.labs import (
    adjusted_results,
    estimated_creatinine_clearance,
    estimated_egfr,
    interpret,
    undated_alongside_dated,
)
from d3k2.core.screening.model import (
    DISCLAIMER,
    SEVERITY_ORDER,
    Alert,
    IntakeRow,
    MergedAlert,
    PatientFacts,
    Recommended,
    Report,
    SourceCitation,
    Trigger,
    UpperLimit,
)
from d3k2.core.screening.rules import ImplausibleItem, RuleContext, evaluate
from d3k2.errors import InputError
from d3k2.knowledge.schema import Knowledge, Rule, SourceRef

DEFAULT_GUIDELINE: Final = "nam-2011"


def citation(knowledge: Knowledge, source: SourceRef) -> SourceCitation:
    return cite(knowledge, source.ref, source.locator)


def cite(knowledge: Knowledge, reference_id: str, locator: str) -> SourceCitation:
    """The citation of one reference at one locator (both already checked at load)."""
    reference = knowledge.references[reference_id]
    return SourceCitation(reference.id, reference.citation, reference.url, locator)


def intake_rows(facts: PatientFacts, knowledge: Knowledge) -> dict[str, IntakeRow]:
    """Supplement, diet and total intake per nutrient against the person's DRI row."""
    rows: dict[str, IntakeRow] = {}
    planned = [item.regimen for item in facts.plan]
    current = [item.regimen for item in facts.current_supplements]
    regimens = planned + current
    for nutrient in knowledge.nutrients:
        supplement = max_concurrent_per_day(regimens, nutrient.id)
        current_per_day = max_concurrent_per_day(current, nutrient.id)
        singles = tuple(
            s.amount_per_dose
            for r in regimens
            for s in r.segments
            if s.nutrient == nutrient.id and s.interval_days is None
        )
        diet = facts.diet_per_day.get(nutrient.id)
        total = supplement + (diet or 0.0)
        dri = dri_row_for(
            knowledge.dri,
            nutrient.id,
            age_years=facts.age_years,
            sex=facts.sex,
            pregnant=facts.pregnant,
            lactating=facts.lactating,
        )
        upper = None
        exceeds = False
        basis = total
        if dri is not None and dri.ul is not None:
            supplements_only = dri.ul_applies_to == "supplements and medicines only"
            upper = UpperLimit(dri.ul, dri.ul_applies_to, supplements_only)
            basis = supplement if supplements_only else total
            exceeds = basis > dri.ul + 1e-9
        assumptions = tuple(
            dict.fromkeys(
                f"{item.input}: {assumption}"
                for item in (*facts.plan, *facts.current_supplements)
                for segment in item.regimen.segments
                if segment.nutrient == nutrient.id
                for assumption in segment.assumptions
            )
        )
        rows[nutrient.id] = IntakeRow(
            nutrient=nutrient.id,
            unit=nutrient.dri_unit,
            supplement_per_day=supplement,
            diet_per_day=diet,
            total_per_day=total,
            recommended=Recommended(dri.recommended_kind, dri.recommended) if dri else None,
            upper_limit=upper,
            exceeds_upper_limit=exceeds,
            life_stage=dri.life_stage if dri else "unknown",
            current_per_day=current_per_day,
            ul_basis_per_day=basis,
            assumptions=assumptions,
            single_doses=singles,
            unknown_sources=tuple(
                dict.fromkeys(i for i, n in facts.unknown_intake if n == nutrient.id)
            ),
            source=cite(knowledge, dri.source, dri.locator) if dri else None,
        )
    return rows


def implausible_doses(facts: PatientFacts, nutrients: NutrientCatalog) -> list[ImplausibleItem]:
    found: list[ImplausibleItem] = []
    for item in (*facts.plan, *facts.current_supplements):
        for segment in item.regimen.segments:
            form = nutrients.form(segment.nutrient, segment.form)
            if segment.amount_per_dose > form.plausible_max_per_dose:
                limit = f"a {form.names[0]} dose is at most {form.plausible_max_per_dose:g} "
                limit += f"{segment.unit}"
            elif (
                form.plausible_max_per_day is not None
                and segment.per_day_average is not None
                and segment.per_day_average > form.plausible_max_per_day
            ):
                limit = (
                    f"a {form.names[0]} regimen averages at most "
                    f"{form.plausible_max_per_day:g} {segment.unit}/day"
                )
            elif segment.amount_per_dose < form.plausible_min_per_dose:
                limit = f"a {form.names[0]} dose is at least {form.plausible_min_per_dose:g} "
                limit += f"{segment.unit}"
            else:
                continue
            found.append(ImplausibleItem(segment, item.input, limit))
    return found


def _alert(
    rule: Rule,
    triggers: Iterable[Trigger],
    knowledge: Knowledge,
    merged: tuple[MergedAlert, ...] = (),
) -> Alert:
    trigger_list = tuple(dict.fromkeys(triggers))  # one input can satisfy two branches
    assumptions = tuple(dict.fromkeys(t.assumption for t in trigger_list if t.assumption))
    return Alert(
        id=rule.id,
        version=rule.version,
        severity=rule.severity,
        title=rule.title,
        detail=rule.detail.strip(),
        action=rule.action.strip(),
        triggers=trigger_list,
        sources=tuple(citation(knowledge, s) for s in rule.sources),
        assumptions=assumptions,
        rank=rule.rank,
        merged=merged,
    )


def merge_superseded(
    fired: dict[str, tuple[Rule, list[Trigger]]], knowledge: Knowledge
) -> list[Alert]:
    """One alert per fired rule, except that a rule superseded by another fired rule is
    merged into it (``supersedes:`` in the rule file): the surviving alert lists the
    superseded rule's triggers among its own and keeps its advice in ``merged``. Chains
    resolve to the top rule; the loader guarantees that ``supersedes`` has no cycle.
    """
    parent: dict[str, str] = {}
    for rule_id, (rule, _) in fired.items():
        for superseded in rule.supersedes:
            if superseded in fired and superseded not in parent:
                parent[superseded] = rule_id

    def root(rule_id: str) -> str:
        while rule_id in parent:
            rule_id = parent[rule_id]
        return rule_id

    absorbed: dict[str, list[str]] = {}
    for rule_id in fired:
        if rule_id in parent:
            absorbed.setdefault(root(rule_id), []).append(rule_id)
    alerts: list[Alert] = []
    for rule_id, (rule, triggers) in fired.items():
        if rule_id in parent:
            continue
        merged = []
        all_triggers = list(triggers)
        for other_id in sorted(
            absorbed.get(rule_id, ()), key=lambda i: (SEVERITY_ORDER[fired[i][0].severity], i)
        ):
            other, other_triggers = fired[other_id]
            unique = tuple(dict.fromkeys(other_triggers))
            all_triggers.extend(unique)
            merged.append(
                MergedAlert(
                    id=other.id,
                    version=other.version,
                    severity=other.severity,
                    title=other.title,
                    action=other.action.strip(),
                    triggers=unique,
                    sources=tuple(citation(knowledge, s) for s in other.sources),
                )
            )
        alerts.append(_alert(rule, all_triggers, knowledge, tuple(merged)))
    return alerts


def assess(
    facts: PatientFacts,
    knowledge: Knowledge,
    nutrients: NutrientCatalog,
    *,
    guideline: str = DEFAULT_GUIDELINE,
) -> Report:
    """Screen the facts with every active rule and interpret labs and intake.

    ``nutrients`` is the nutrient index built once with the knowledge base (the engine of
    :mod:`d3k2.api` holds both). Raises InputError for an unknown guideline id.
    """
    if guideline not in knowledge.guidelines:
        raise InputError(
            f"unknown guideline {guideline!r}",
            where="guideline",
            hint="choose one of: " + ", ".join(sorted(knowledge.guidelines)),
        )
    estimated = estimated_egfr(
        facts.labs, knowledge.egfr_equation, age_years=facts.age_years, sex=facts.sex
    )
    estimated += estimated_creatinine_clearance(
        facts.labs,
        knowledge.clearance_equation,
        age_years=facts.age_years,
        sex=facts.sex,
        weight_kg=facts.weight_kg,
    )
    adjusted = adjusted_results(facts.labs, knowledge.corrections)
    if adjusted or estimated:
        facts = dataclasses.replace(facts, labs=facts.labs + estimated + adjusted)
    intake = intake_rows(facts, knowledge)
    ctx = RuleContext(
        facts=facts,
        knowledge=knowledge,
        nutrients=nutrients,
        intake=intake,
        implausible=implausible_doses(facts, nutrients),
    )
    fired = {
        rule.id: (rule, triggers)
        for rule in knowledge.active_rules
        if (triggers := evaluate(rule.when, ctx)) is not None
    }
    alerts = merge_superseded(fired, knowledge)
    alerts.sort(key=lambda a: (SEVERITY_ORDER[a.severity], a.rank, a.id))

    notes: list[str] = list(facts.notes)
    for test in undated_alongside_dated(facts.labs):
        notes.append(
            f"{test}: undated results were screened together with the latest dated one, "
            "since their date is unknown; add dates so only the latest counts"
        )
    for correction in knowledge.corrections:
        if any(r.test_name == correction.name for r in adjusted):
            notes.append(f"{correction.name}: {correction.caveat.strip()}")
    for item in facts.current_supplements:
        notes.append(
            f"'{item.input}' (medications) is counted in the intake totals as a supplement "
            "already taken"
        )
    for item in (*facts.plan, *facts.current_supplements):
        for segment in item.regimen.segments:
            notes.extend(f"{item.input}: {assumption}" for assumption in segment.assumptions)
    for term in (*facts.medications, *facts.conditions):
        if term.assumption:
            notes.append(term.assumption)
    return Report(
        d3k2_version=__version__,
        knowledge_version=knowledge.version,
        guideline=guideline,
        alerts=tuple(alerts),
        labs=tuple(
            interpret(r, knowledge, guideline, age_years=facts.age_years) for r in facts.labs
        ),
        intake=tuple(intake.values()),
        plan=facts.plan,
        current_supplements=facts.current_supplements,
        screened=(*facts.medications, *facts.conditions),
        unrecognized=facts.unrecognized,
        notes=tuple(dict.fromkeys(notes)),
        disclaimer=DISCLAIMER,
    )
