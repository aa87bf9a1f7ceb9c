"""What the labs section says about each result (core/screening/labs.py ``interpret``): the
name shown, the guideline used, results without bands, censored results; and what a CKD
stage taken from the condition list puts in an alert's triggers (rules.py ``ckd``)."""

from __future__ import annotations

from tests.conftest import TODAY
from tests.screening_cases import run

from d3k2.core.screening.engine import assess
from d3k2.core.screening.model import LabReading, Report
from d3k2.knowledge.schema import Knowledge
from d3k2.reading.profile import Vocabularies, build_facts


def reading(report: Report, test: str) -> LabReading:
    return next(r for r in report.labs if r.test == test)


def test_a_result_without_bands_is_shown_with_a_note_not_a_guess(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    report = run(
        {"age": 60, "sex": "male", "labs": [{"test": "INR", "value": 2.5}]}, knowledge, vocab
    )
    inr = reading(report, "inr")
    assert (inr.interpretation, inr.category) == (None, None)
    assert inr.guideline == "default"
    assert inr.note == "no interpretation bands for this test in the knowledge base"


def test_the_name_is_the_one_written_and_a_derived_value_names_its_derivation(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    report = run(
        {
            "age": 60,
            "sex": "female",
            "labs": [
                {"test": "serum calcium", "value": 2.1, "unit": "mmol/L", "date": "2026-10-01"},
                {"test": "albumin", "value": 30, "unit": "g/L", "date": "2026-10-01"},
            ],
        },
        knowledge,
        vocab,
    )
    measured = next(
        r for r in report.labs if r.test == "calcium_total" and r.input.startswith("serum")
    )
    assert measured.name == "serum calcium"
    assert measured.guideline == "default"
    adjusted = [r for r in report.labs if r.test == "calcium_total" and r is not measured]
    assert adjusted and all(r.name != "serum calcium" for r in adjusted)
    assert all("albumin" in r.name.lower() or "adjust" in r.name.lower() for r in adjusted)


def test_a_guideline_dependent_test_reports_the_chosen_guideline_and_others_the_default(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    facts = build_facts(
        {
            "age": 60,
            "sex": "female",
            "labs": [
                {"test": "25(OH)D", "value": 25, "unit": "ng/mL"},
                {"test": "calcium", "value": 2.3, "unit": "mmol/L"},
            ],
        },
        knowledge,
        today=TODAY,
        vocabularies=vocab,
    )
    report = assess(facts, knowledge, vocab.nutrients, guideline="endocrine-2011")
    assert reading(report, "25ohd").guideline == "endocrine-2011"
    assert reading(report, "calcium_total").guideline == "default"


def test_a_censored_result_lists_every_band_it_could_be_in_and_keeps_its_qualifier(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    report = run(
        {
            "age": 60,
            "sex": "male",
            "labs": [{"test": "eGFR", "value": ">60", "unit": "mL/min/1.73m2"}],
        },
        knowledge,
        vocab,
    )
    egfr = reading(report, "egfr")
    assert egfr.qualifier == ">"
    assert egfr.category is None
    assert egfr.interpretation is not None and " or " in egfr.interpretation
    assert egfr.note is not None and egfr.note.startswith("a censored result (>60 ")


def test_a_ckd_stage_from_the_condition_list_is_a_trigger_with_its_code(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    report = run(
        {
            "age": 70,
            "sex": "female",
            "conditions": ["chronic kidney disease stage 4"],
            "plan": ["vitamin D3 1000 IU daily"],
        },
        knowledge,
        vocab,
    )
    alert = next(a for a in report.alerts if a.id == "ckd-g4-g5-vitamin-d-or-calcium")
    trigger = next(t for t in alert.triggers if t.kind == "condition")
    assert trigger.input == "chronic kidney disease stage 4"
    assert trigger.matched == "chronic kidney disease stage 4"
    assert trigger.code == "snomed:431857002"


def test_the_more_advanced_of_a_condition_stage_and_an_egfr_stage_is_used(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    # condition says stage 3, eGFR 12 says G5: the G4-G5 rule fires, triggered by the eGFR
    report = run(
        {
            "age": 70,
            "sex": "female",
            "conditions": ["CKD stage 3"],
            "labs": [{"test": "eGFR", "value": 12, "unit": "mL/min/1.73m2"}],
            "plan": ["vitamin D3 1000 IU daily"],
        },
        knowledge,
        vocab,
    )
    alert = next(a for a in report.alerts if a.id == "ckd-g4-g5-vitamin-d-or-calcium")
    assert any(t.kind == "lab" and t.matched == "eGFR category G5" for t in alert.triggers)
