"""What each predicate reports as its trigger, exactly, and the edges of the comparisons
(written to kill the mutants mutmut found surviving in core/rules.py and core/labs.py:
every alert must say exactly which input fired it)."""

from __future__ import annotations

from typing import Any

import pytest
from tests.core.screening.test_rules import context

from d3k2.core.screening.labs import latest
from d3k2.core.screening.model import Trigger
from d3k2.core.screening.rules import evaluate
from d3k2.knowledge.schema import Knowledge, parse_predicate


def triggers(
    when: dict[str, Any], profile: dict[str, Any], knowledge: Knowledge, vocab: Any
) -> list[Trigger] | None:
    return evaluate(parse_predicate(when), context(profile, knowledge, vocab))


BASE: dict[str, Any] = {"age": 50, "sex": "female"}


def test_medication_trigger(knowledge: Knowledge, vocab: Any) -> None:
    profile = {**BASE, "medications": ["cumadin 5 mg"]}
    found = triggers({"medication": "warfarin"}, profile, knowledge, vocab)
    assert found == [
        Trigger(
            "medication",
            "cumadin 5 mg",
            "warfarin",
            "rxnorm:11289",
            "read 'cumadin' as 'coumadin' (warfarin) — confirm",
        )
    ]
    # by id, not only through an ingredient list
    assert triggers(
        {"medication": "warfarin"}, {**BASE, "medications": ["Coumadin"]}, knowledge, vocab
    )
    assert triggers({"medication": "heparin"}, profile, knowledge, vocab) is None


def test_condition_trigger(knowledge: Knowledge, vocab: Any) -> None:
    profile = {**BASE, "conditions": ["sarcoidosis"]}
    found = triggers({"condition_class": "granulomatous_disease"}, profile, knowledge, vocab)
    assert found is not None and len(found) == 1
    trigger = found[0]
    assert (trigger.kind, trigger.input, trigger.matched) == (
        "condition",
        "sarcoidosis",
        "sarcoidosis",
    )
    assert trigger.code is not None and trigger.assumption is None


def test_lab_trigger(knowledge: Knowledge, vocab: Any) -> None:
    profile = {**BASE, "labs": [{"test": "calcium", "value": 1.7, "unit": "mmol/L"}]}
    found = triggers(
        {"lab": {"test": "calcium_total", "categories": ["low_severe"]}}, profile, knowledge, vocab
    )
    assert found is not None
    assert [(t.kind, t.input, t.matched) for t in found] == [
        ("lab", "calcium: 1.7 mmol/L", "calcium")
    ]


@pytest.mark.parametrize(
    ("value", "below", "above"),
    [(1.99, True, False), (2.0, False, False), (2.01, False, True)],
)
def test_lab_below_and_above_are_strict(
    knowledge: Knowledge, vocab: Any, value: float, below: bool, above: bool
) -> None:
    profile = {**BASE, "labs": [{"test": "calcium", "value": value, "unit": "mmol/L"}]}
    below_spec = {"lab": {"test": "calcium_total", "below": {"value": 2.0, "unit": "mmol/L"}}}
    above_spec = {"lab": {"test": "calcium_total", "above": {"value": 2.0, "unit": "mmol/L"}}}
    assert (triggers(below_spec, profile, knowledge, vocab) is not None) is below
    assert (triggers(above_spec, profile, knowledge, vocab) is not None) is above


@pytest.mark.parametrize(("age", "at_least", "below"), [(17.99, False, True), (18, True, False)])
def test_age_edges_and_trigger(
    knowledge: Knowledge, vocab: Any, age: float, at_least: bool, below: bool
) -> None:
    profile = {**BASE, "age": age}
    got = triggers({"age": {"at_least_years": 18}}, profile, knowledge, vocab)
    assert (got is not None) is at_least
    assert (triggers({"age": {"below_years": 18}}, profile, knowledge, vocab) is not None) is below
    if got is not None:
        assert got == [Trigger("profile", "age: 18 years", "age")]


def test_age_trigger_rounds_to_two_decimals(knowledge: Knowledge, vocab: Any) -> None:
    got = triggers({"age": {"below_years": 1}}, {**BASE, "age": "5 months"}, knowledge, vocab)
    assert got == [Trigger("profile", "age: 0.42 years", "age")]


def test_pregnancy_and_lactation_triggers(knowledge: Knowledge, vocab: Any) -> None:
    pregnant = {**BASE, "age": 30, "pregnant": True}
    assert triggers({"pregnant": True}, pregnant, knowledge, vocab) == [
        Trigger("profile", "pregnant: true", "pregnancy")
    ]
    assert triggers({"pregnant": False}, pregnant, knowledge, vocab) is None
    lactating = {**BASE, "age": 30, "lactating": True}
    assert triggers({"lactating": True}, lactating, knowledge, vocab) == [
        Trigger("profile", "lactating: true", "lactation")
    ]
    assert triggers({"lactating": False}, BASE, knowledge, vocab) == [
        Trigger("profile", "lactating: false", "lactation")
    ]


def test_upper_limit_trigger_text(knowledge: Knowledge, vocab: Any) -> None:
    profile = {**BASE, "plan": ["D3 5000 IU daily"]}
    got = triggers({"exceeds_upper_limit": "vitamin_d"}, profile, knowledge, vocab)
    assert got is not None and len(got) == 1
    assert got[0].kind == "plan" and got[0].matched == "vitamin D"
    assert got[0].input.startswith("vitamin D 125 mcg/day")
    assert "above the UL of 100 mcg/day" in got[0].input


def test_ckd_stage_takes_the_highest_and_names_its_source(knowledge: Knowledge, vocab: Any) -> None:
    egfr_20 = {"test": "eGFR", "value": 20, "unit": "mL/min/1.73m2"}
    # eGFR G4 above a G3a condition: the eGFR is the trigger
    got = triggers(
        {"ckd_stage": {"at_least": "G4"}},
        {**BASE, "conditions": ["CKD stage 3a"], "labs": [egfr_20]},
        knowledge,
        vocab,
    )
    assert got == [Trigger("lab", "eGFR: 20 mL/min/1.73m2", "eGFR category G4", "loinc:33914-3")]
    # a tie between a G4 condition and a G4 eGFR keeps the condition (first found)
    got = triggers(
        {"ckd_stage": {"at_least": "G4"}},
        {**BASE, "conditions": ["CKD stage 4"], "labs": [egfr_20]},
        knowledge,
        vocab,
    )
    assert got is not None and [(t.kind, t.input) for t in got] == [("condition", "CKD stage 4")]
    # of two conditions, the higher stage wins, whatever the order
    for conditions in (["CKD stage 3a", "CKD stage 5"], ["CKD stage 5", "CKD stage 3a"]):
        got = triggers(
            {"ckd_stage": {"at_least": "G3a"}}, {**BASE, "conditions": conditions}, knowledge, vocab
        )
        assert got is not None and [t.input for t in got] == ["CKD stage 5"]
    # a lower eGFR category does not replace a higher condition stage
    got = triggers(
        {"ckd_stage": {"at_least": "G3a"}},
        {
            **BASE,
            "conditions": ["CKD stage 5"],
            "labs": [{"test": "eGFR", "value": 50, "unit": "mL/min/1.73m2"}],
        },
        knowledge,
        vocab,
    )
    assert got is not None and [t.input for t in got] == ["CKD stage 5"]
    # an eGFR alone, 60 or more (G2), is not CKD G3a
    assert (
        triggers(
            {"ckd_stage": {"at_least": "G3a"}},
            {**BASE, "labs": [{"test": "eGFR", "value": 60, "unit": "mL/min/1.73m2"}]},
            knowledge,
            vocab,
        )
        is None
    )


def test_latest_result_is_by_date_not_input_order(knowledge: Knowledge, vocab: Any) -> None:
    profile = {
        **BASE,
        "labs": [
            {"test": "calcium", "value": 2.9, "unit": "mmol/L", "date": "2026-06-01"},
            {"test": "calcium", "value": 2.3, "unit": "mmol/L", "date": "2026-01-01"},
        ],
    }
    ctx = context(profile, knowledge, vocab)
    newest = latest(ctx.facts.labs, "calcium_total")
    assert newest is not None and newest.value == 2.9
    high = {"lab": {"test": "calcium_total", "categories": ["high_mild"]}}
    assert triggers(high, profile, knowledge, vocab) is not None


def test_a_fuzzy_condition_trigger_carries_its_code_and_assumption(
    knowledge: Knowledge, vocab: Any
) -> None:
    profile = {**BASE, "conditions": ["sarcoidossis"]}
    found = triggers({"condition_class": "granulomatous_disease"}, profile, knowledge, vocab)
    assert found is not None and len(found) == 1
    assert found[0].code is not None and found[0].code.startswith("snomed:")
    assert found[0].assumption is not None and "sarcoidossis" in found[0].assumption
    assert found[0].matched == "sarcoidosis"
