"""The trigger language, predicate by predicate, on hand-built facts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from d3k2.core.screening.engine import implausible_doses, intake_rows
from d3k2.core.screening.rules import RuleContext, evaluate
from d3k2.knowledge.schema import Knowledge, parse_predicate
from d3k2.reading.profile import Vocabularies, build_facts


def context(profile: dict[str, Any], knowledge: Knowledge, vocab: Vocabularies) -> RuleContext:
    facts = build_facts(profile, knowledge, today=dt.date(2026, 11, 29), vocabularies=vocab)
    return RuleContext(
        facts,
        knowledge,
        vocab.nutrients,
        intake_rows(facts, knowledge),
        implausible_doses(facts, vocab.nutrients),
    )


def holds(
    when: dict[str, Any], profile: dict[str, Any], knowledge: Knowledge, vocab: Vocabularies
) -> bool:
    return evaluate(parse_predicate(when), context(profile, knowledge, vocab)) is not None


BASE: dict[str, Any] = {"age": 50, "sex": "female"}


def test_medication_class_and_ingredient(knowledge: Knowledge, vocab: Vocabularies) -> None:
    profile = {**BASE, "medications": ["Hyzaar"]}
    assert holds({"medication_class": "thiazide"}, profile, knowledge, vocab)
    assert holds({"medication": "hydrochlorothiazide"}, profile, knowledge, vocab)
    assert not holds({"medication_class": "vitamin_k_antagonist"}, profile, knowledge, vocab)


def test_logic(knowledge: Knowledge, vocab: Vocabularies) -> None:
    profile = {**BASE, "medications": ["warfarin"], "plan": ["D3 1000 IU daily"]}
    vka = {"medication_class": "vitamin_k_antagonist"}
    k2 = {"plan_includes": {"nutrient": "vitamin_k"}}
    assert not holds({"all": [vka, k2]}, profile, knowledge, vocab)
    assert holds({"any": [vka, k2]}, profile, knowledge, vocab)
    assert holds({"not": k2}, profile, knowledge, vocab)


def test_plan_amount_thresholds(knowledge: Knowledge, vocab: Vocabularies) -> None:
    profile = {**BASE, "plan": ["vitamin D3 50,000 IU weekly"]}  # 7143 IU/day average
    assert holds(
        {"plan_includes": {"nutrient": "vitamin_d", "min_per_day": {"value": 7000, "unit": "IU"}}},
        profile,
        knowledge,
        vocab,
    )
    assert not holds(
        {"plan_includes": {"nutrient": "vitamin_d", "min_per_day": {"value": 7200, "unit": "IU"}}},
        profile,
        knowledge,
        vocab,
    )
    assert holds(
        {"plan_includes": {"nutrient": "vitamin_d", "min_per_dose": {"value": 1.25, "unit": "mg"}}},
        profile,
        knowledge,
        vocab,
    )


def test_single_doses_count_per_dose(knowledge: Knowledge, vocab: Vocabularies) -> None:
    profile = {**BASE, "plan": ["vitamin D3 300,000 IU once"]}
    assert holds(
        {
            "plan_includes": {
                "nutrient": "vitamin_d",
                "min_per_dose": {"value": 100000, "unit": "IU"},
            }
        },
        profile,
        knowledge,
        vocab,
    )
    assert not holds({"exceeds_upper_limit": "vitamin_d"}, profile, knowledge, vocab)


def test_ckd_stage_from_egfr_or_condition(knowledge: Knowledge, vocab: Vocabularies) -> None:
    by_lab = {**BASE, "labs": [{"test": "eGFR", "value": 25, "unit": "mL/min/1.73m2"}]}
    assert holds({"ckd_stage": {"at_least": "G4"}}, by_lab, knowledge, vocab)
    assert not holds({"ckd_stage": {"at_least": "G5"}}, by_lab, knowledge, vocab)
    dialysis = {**BASE, "conditions": ["on dialysis"]}
    assert holds({"ckd_stage": {"at_least": "G5"}}, dialysis, knowledge, vocab)
    assert not holds({"ckd_stage": {"at_least": "G1"}}, BASE, knowledge, vocab)


def test_lab_categories_and_thresholds(knowledge: Knowledge, vocab: Vocabularies) -> None:
    profile = {**BASE, "labs": [{"test": "calcium", "value": 11.0, "unit": "mg/dL"}]}
    assert holds(
        {"lab": {"test": "calcium_total", "categories": ["high_mild"]}}, profile, knowledge, vocab
    )
    assert holds(
        {"lab": {"test": "calcium_total", "above": {"value": 2.6, "unit": "mmol/L"}}},
        profile,
        knowledge,
        vocab,
    )
    assert not holds(
        {"lab": {"test": "calcium_total", "below": {"value": 10, "unit": "mg/dL"}}},
        profile,
        knowledge,
        vocab,
    )


def test_profile_predicates(knowledge: Knowledge, vocab: Vocabularies) -> None:
    pregnant = {"age": 30, "sex": "female", "pregnant": True}
    assert holds({"pregnant": True}, pregnant, knowledge, vocab)
    assert not holds({"lactating": True}, pregnant, knowledge, vocab)
    assert holds({"age": {"below_years": 31}}, pregnant, knowledge, vocab)
    assert not holds({"age": {"at_least_years": 31}}, pregnant, knowledge, vocab)
