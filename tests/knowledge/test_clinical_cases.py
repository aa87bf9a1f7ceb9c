"""Realistic patients from issue 8, written as a clinician would, with the alerts (ids and
severities) a pharmacist would expect. Each case is the whole assessment, not one rule."""

from __future__ import annotations

from typing import Any

import pytest
from tests.conftest import TODAY

from d3k2.core.screening.engine import assess
from d3k2.knowledge.schema import Knowledge
from d3k2.reading.profile import Vocabularies, build_facts

SEVERITY_ORDER = ("info", "minor", "moderate", "major")


def alerts(profile: dict[str, Any], knowledge: Knowledge, vocab: Vocabularies) -> dict[str, str]:
    facts = build_facts(profile, knowledge, today=TODAY, vocabularies=vocab)
    assert facts.unrecognized == (), facts.unrecognized
    report = assess(facts, knowledge, vocab.nutrients)
    return {alert.id: alert.severity for alert in report.alerts}


def test_denosumab_ckd_g4_low_calcium_planning_only_k2(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    found = alerts(
        {
            "age": 74,
            "sex": "female",
            "conditions": ["CKD stage 4", "osteoporosis"],
            "medications": ["Prolia 60 mg every 6 months"],
            "labs": [
                {"test": "calcium", "value": 8.6, "unit": "mg/dL"},
                {"test": "25-hydroxyvitamin D", "value": 12, "unit": "ng/mL"},
            ],
            "plan": ["K2 MK-7 100 mcg daily"],
        },
        knowledge,
        vocab,
    )
    assert found["antiresorptive-advanced-ckd-or-low-calcium"] == "major"
    # Missing calcium and vitamin D is the hazard here; the usual CKD caution needs a plan
    # with calcium or vitamin D and stays silent.
    assert "ckd-g4-g5-vitamin-d-or-calcium" not in found
    assert "antiresorptive-without-calcium-or-vitamin-d" not in found


def test_denosumab_ckd_g4_with_calcium_and_vitamin_d_the_ckd_alert_names_the_exception(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    profile = {
        "age": 74,
        "sex": "female",
        "conditions": ["CKD stage 4"],
        "medications": ["denosumab 60 mg"],
        "plan": ["calcium citrate 500 mg daily", "D3 800 IU daily"],
    }
    found = alerts(profile, knowledge, vocab)
    assert found["antiresorptive-advanced-ckd-or-low-calcium"] == "major"
    assert found["ckd-g4-g5-vitamin-d-or-calcium"] == "major"
    ckd_rule = next(r for r in knowledge.rules if r.id == "ckd-g4-g5-vitamin-d-or-calcium")
    assert "denosumab" in ckd_rule.action and "do not withhold" in ckd_rule.action


def test_severe_deficiency_with_400_iu_a_day(knowledge: Knowledge, vocab: Vocabularies) -> None:
    found = alerts(
        {
            "age": 63,
            "sex": "female",
            "labs": [
                {"test": "25-hydroxyvitamin D", "value": 6, "unit": "ng/mL"},
                {"test": "calcium", "value": 1.7, "unit": "mmol/L"},
            ],
            "plan": ["D3 400 IU daily"],
        },
        knowledge,
        vocab,
    )
    assert found["severe-vitamin-d-deficiency-maintenance-dose"] == "moderate"


def test_gastric_bypass_on_maintenance_vitamin_d_and_calcium_carbonate(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    found = alerts(
        {
            "age": 41,
            "sex": "female",
            "conditions": ["Roux-en-Y gastric bypass"],
            "medications": ["ferrous sulfate 325 mg daily"],
            "plan": ["D3 1000 IU daily", "calcium carbonate 600 mg elemental twice daily"],
        },
        knowledge,
        vocab,
    )
    assert found["malabsorption-vitamin-d-or-calcium"] == "moderate"
    assert found["iron-calcium-spacing"] == "minor"


@pytest.mark.parametrize("condition", ["pregnancy", "pregnant 20 weeks"])
def test_pregnancy_only_on_the_problem_list_gets_the_pregnancy_rule_and_dris(
    knowledge: Knowledge, vocab: Vocabularies, condition: str
) -> None:
    profile = {
        "age": 29,
        "sex": "female",
        "conditions": [condition],
        "plan": ["D3 6000 IU daily"],
    }
    found = alerts(profile, knowledge, vocab)
    assert found["pregnancy-lactation-vitamin-d-above-ul"] == "major"
    assert "adult-vitamin-d-above-ul" not in found
    facts = build_facts(profile, knowledge, today=TODAY, vocabularies=vocab)
    report = assess(facts, knowledge, vocab.nutrients)
    vitamin_d = next(row for row in report.intake if row.nutrient == "vitamin_d")
    assert vitamin_d.life_stage.startswith("pregnancy")


def test_breastfeeding_only_on_the_problem_list_gets_lactation_dris(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    facts = build_facts(
        {"age": 33, "sex": "female", "conditions": ["breastfeeding"], "plan": ["D3 600 IU daily"]},
        knowledge,
        today=TODAY,
        vocabularies=vocab,
    )
    report = assess(facts, knowledge, vocab.nutrients)
    calcium = next(row for row in report.intake if row.nutrient == "calcium")
    assert calcium.life_stage.startswith("lactation")


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        (
            {"age": 6, "sex": "male", "plan": ["vitamin D3 50,000 IU weekly"]},
            {"child-large-single-dose-vitamin-d": "major", "child-above-ul": "major"},
        ),
        (
            {"age": 30, "sex": "female", "pregnant": True, "plan": ["vitamin D3 50,000 IU weekly"]},
            {
                "pregnancy-lactation-large-single-dose-vitamin-d": "major",
                "pregnancy-lactation-vitamin-d-above-ul": "major",
            },
        ),
        (
            {"age": 78, "sex": "female", "plan": ["vitamin D3 500,000 IU every 3 months"]},
            {
                "older-adult-very-large-single-dose-vitamin-d": "moderate",
                "adult-vitamin-d-above-ul": "moderate",
            },
        ),
    ],
)
def test_large_single_doses_name_both_hazards(
    knowledge: Knowledge, vocab: Vocabularies, profile: dict[str, Any], expected: dict[str, str]
) -> None:
    found = alerts(profile, knowledge, vocab)
    assert {rule: found.get(rule) for rule in expected} == expected


def test_82_year_old_on_hctz_with_high_normal_calcium(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    found = alerts(
        {
            "age": 82,
            "sex": "female",
            "medications": ["hydrochlorothiazide 25 mg daily"],
            "labs": [{"test": "calcium", "value": 10.1, "unit": "mg/dL"}],
            "plan": ["calcium carbonate 600 mg elemental twice daily", "D3 1000 IU daily"],
        },
        knowledge,
        vocab,
    )
    assert found["thiazide-with-vitamin-d-or-calcium"] == "moderate"


def test_dialysis_patient_on_calcitriol_planning_a_weekly_megadose(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    found = alerts(
        {
            "age": 61,
            "sex": "male",
            "conditions": ["ESRD on hemodialysis"],
            "medications": ["calcitriol 0.25 mcg daily", "sevelamer 800 mg three times daily"],
            "plan": ["D3 50,000 IU weekly"],
        },
        knowledge,
        vocab,
    )
    assert found["ckd-g4-g5-vitamin-d-or-calcium"] == "major"


def test_calcitriol_with_a_weekly_megadose_without_ckd_is_major(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    found = alerts(
        {
            "age": 61,
            "sex": "male",
            "medications": ["calcitriol 0.25 mcg daily"],
            "plan": ["D3 50,000 IU weekly"],
        },
        knowledge,
        vocab,
    )
    assert found["active-vitamin-d-with-pharmacological-vitamin-d"] == "major"
    assert "active-vitamin-d-with-vitamin-d-or-calcium" not in found


def test_hiv_on_biktarvy_starting_calcium(knowledge: Knowledge, vocab: Vocabularies) -> None:
    found = alerts(
        {
            "age": 52,
            "sex": "male",
            "medications": ["Biktarvy 1 tablet daily", "efavirenz 600 mg"],
            "plan": ["calcium carbonate 500 mg elemental daily", "D3 1000 IU daily"],
        },
        knowledge,
        vocab,
    )
    assert found["integrase-inhibitor-calcium-iron-spacing"] == "moderate"
    assert found["efavirenz-vitamin-d"] == "moderate"


def test_lanthanum_carbonate_is_a_phosphate_binder_not_lithium(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    found = alerts(
        {
            "age": 66,
            "sex": "female",
            "medications": ["lanthanum carbonate 500 mg three times daily", "mineral oil 15 mL"],
            "plan": ["D3 1000 IU daily"],
        },
        knowledge,
        vocab,
    )
    assert "lithium-vitamin-d-or-calcium" not in found
    assert found["phosphate-binder-vitamin-d-or-calcium"] == "moderate"
    assert found["mineral-oil-fat-soluble-vitamins"] == "minor"


def test_structured_calcium_carbonate_plan_item_is_read(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    found = alerts(
        {
            "age": 58,
            "sex": "female",
            "medications": ["omeprazole 20 mg"],
            "plan": [
                {
                    "nutrient": "calcium",
                    "form": "carbonate",
                    "amount": 500,
                    "unit": "mg",
                    "every": "day",
                }
            ],
        },
        knowledge,
        vocab,
    )
    assert found["ppi-calcium-carbonate"] == "minor"


MONITORING_RULES = (
    "enzyme-inducing-anticonvulsant-vitamin-d",
    "tuberculosis-drug-vitamin-d",
    "lithium-vitamin-d-or-calcium",
    "antibiotic-with-vka-vitamin-k-status",
    "vka-with-multivitamin",
    "levothyroxine-calcium-spacing",
    "efavirenz-vitamin-d",
)


@pytest.mark.parametrize("rule_id", MONITORING_RULES)
def test_rules_that_ask_to_monitor_are_at_least_moderate(
    knowledge: Knowledge, rule_id: str
) -> None:
    rule = next(r for r in knowledge.rules if r.id == rule_id)
    assert SEVERITY_ORDER.index(rule.severity) >= SEVERITY_ORDER.index("moderate")


def test_calcium_acetate_capsules_count_as_elemental_calcium(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    facts = build_facts(
        {
            "age": 60,
            "sex": "male",
            "medications": ["calcium acetate 667 mg, 2 capsules three times daily"],
        },
        knowledge,
        today=TODAY,
        vocabularies=vocab,
    )
    report = assess(facts, knowledge, vocab.nutrients)
    calcium = next(row for row in report.intake if row.nutrient == "calcium")
    assert calcium.supplement_per_day == pytest.approx(6 * 169, rel=0.02)


def test_pregnancy_from_the_condition_list_is_named_as_the_trigger(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    facts = build_facts(
        {
            "age": 29,
            "sex": "female",
            "conditions": ["pregnant 20 weeks"],
            "plan": ["D3 6000 IU daily"],
        },
        knowledge,
        today=TODAY,
        vocabularies=vocab,
    )
    report = assess(facts, knowledge, vocab.nutrients)
    alert = next(a for a in report.alerts if a.id == "pregnancy-lactation-vitamin-d-above-ul")
    assert ("condition", "pregnant 20 weeks") in [(t.kind, t.input) for t in alert.triggers]


def test_dialysis_on_calcitriol_gets_one_ckd_alert_naming_calcitriol_and_its_advice() -> None:
    """Issue 8, merged alerts: the CKD G4-G5 alert supersedes the active vitamin D rule and
    keeps what that rule says about this patient (its trigger and the label's advice)."""
    from d3k2.api import Engine

    engine = Engine.default()
    report = engine.assess_profile(
        {
            "age": 61,
            "sex": "male",
            "conditions": ["end-stage renal disease on haemodialysis"],
            "medications": ["calcitriol 0.25 mcg daily"],
            "plan": ["vitamin D3 1000 IU daily"],
        },
        today=TODAY,
        projection=False,
    ).report
    ids = [a.id for a in report.alerts]
    assert "ckd-g4-g5-vitamin-d-or-calcium" in ids
    assert "active-vitamin-d-with-vitamin-d-or-calcium" not in ids
    ckd = next(a for a in report.alerts if a.id == "ckd-g4-g5-vitamin-d-or-calcium")
    assert ckd.severity == "major"
    assert "calcitriol" in {t.matched for t in ckd.triggers}
    merged = {m.id: m for m in ckd.merged}
    assert "active-vitamin-d-with-vitamin-d-or-calcium" in merged
    assert "label-calcitriol" in {
        s.id for s in merged["active-vitamin-d-with-vitamin-d-or-calcium"].sources
    }


def test_high_calcium_absorbs_primary_hyperparathyroidism_and_keeps_its_advice() -> None:
    from d3k2.api import Engine

    report = (
        Engine.default()
        .assess_profile(
            {
                "age": 64,
                "sex": "female",
                "conditions": ["primary hyperparathyroidism", "kidney stones"],
                "labs": [{"test": "calcium", "value": 11.2, "unit": "mg/dL"}],
                "plan": ["calcium citrate 500 mg daily"],
            },
            today=TODAY,
            projection=False,
        )
        .report
    )
    high = next(a for a in report.alerts if a.id == "high-calcium-with-vitamin-d-or-calcium")
    assert {m.id for m in high.merged} >= {
        "primary-hyperparathyroidism-vitamin-d-or-calcium",
        "kidney-stones-calcium-or-vitamin-d",
    }
    assert {t.matched for t in high.triggers} >= {"primary hyperparathyroidism", "kidney stones"}
