from __future__ import annotations

from typing import Any

import pytest
from tests.conftest import TODAY

from d3k2.core.screening.engine import assess
from d3k2.core.screening.model import Report
from d3k2.errors import InputError
from d3k2.knowledge.schema import Knowledge
from d3k2.reading.profile import Vocabularies, build_facts

EXAMPLE: dict[str, Any] = {
    "age": 67,
    "sex": "female",
    "weight": "82 kg",
    "conditions": ["atrial fibrillation", "chronic kidney disease stage 4"],
    "medications": ["Coumadin 3mg", "HCTZ 25 mg"],
    "labs": [
        {"test": "25-hydroxyvitamin D", "value": 18, "unit": "ng/mL", "date": "2026-10-01"},
        {"test": "calcium", "value": 2.85, "unit": "mmol/L", "date": "2026-10-01"},
    ],
    "diet": {"calcium": "700 mg", "vitamin_d": "4 mcg"},
    "plan": [
        "vitamin D3 50,000 IU weekly",
        {"nutrient": "vitamin K2", "form": "MK-7", "amount": 100, "unit": "mcg", "every": "day"},
        {"nutrient": "calcium", "amount": 500, "unit": "mg", "every": "day"},
    ],
}


def run(
    profile: dict[str, Any], knowledge: Knowledge, vocab: Vocabularies, guideline: str = "nam-2011"
) -> Report:
    facts = build_facts(profile, knowledge, today=TODAY, vocabularies=vocab)
    return assess(facts, knowledge, vocab.nutrients, guideline=guideline)


def test_issue_example(knowledge: Knowledge, vocab: Vocabularies) -> None:
    report = run(EXAMPLE, knowledge, vocab)
    ids = [a.id for a in report.alerts]
    for expected in (
        "vka-with-vitamin-k",
        "ckd-g4-g5-vitamin-d-or-calcium",
        "high-calcium-with-vitamin-d-or-calcium",
        "thiazide-with-vitamin-d-or-calcium",
        "adult-vitamin-d-above-ul",
    ):
        assert expected in ids
    assert "ckd-g3-vitamin-d-or-calcium" not in ids  # G4 must not also fire the G3 rule
    assert report.alerts[0].id == "vka-with-vitamin-k"  # the critical interaction first
    vka = next(a for a in report.alerts if a.id == "vka-with-vitamin-k")
    assert {t.matched for t in vka.triggers} >= {"warfarin"}
    assert any(t.kind == "plan" for t in vka.triggers)
    assert all(s.url.startswith("http") for a in report.alerts for s in a.sources)


def test_doac_instead_of_warfarin(knowledge: Knowledge, vocab: Vocabularies) -> None:
    profile = {**EXAMPLE, "medications": ["Eliquis 5 mg"]}
    ids = {a.id for a in run(profile, knowledge, vocab).alerts}
    assert "vka-with-vitamin-k" not in ids


def test_misspelt_warfarin_still_alerts_with_the_assumption(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    profile = {
        "age": 70,
        "sex": "male",
        "medications": ["cumadin 5mg"],
        "plan": ["K2 MK-7 100 mcg daily"],
    }
    report = run(profile, knowledge, vocab)
    vka = next(a for a in report.alerts if a.id == "vka-with-vitamin-k")
    assert vka.assumptions and "cumadin" in vka.assumptions[0]


def test_intake_against_reference_values(knowledge: Knowledge, vocab: Vocabularies) -> None:
    report = run(EXAMPLE, knowledge, vocab)
    intake = {row.nutrient: row for row in report.intake}
    vitamin_d = intake["vitamin_d"]
    # 50,000 IU weekly = 1250/7 mcg/day; + 4 mcg food; NAM 2011: RDA 15 mcg (51-70 y), UL 100.
    assert vitamin_d.supplement_per_day == pytest.approx(178.571, abs=1e-3)
    assert vitamin_d.total_per_day == pytest.approx(182.571, abs=1e-3)
    assert vitamin_d.recommended is not None and vitamin_d.recommended.value == 15
    assert vitamin_d.upper_limit is not None and vitamin_d.upper_limit.value == 100
    assert vitamin_d.exceeds_upper_limit
    calcium = intake["calcium"]
    # 500 + 700 = 1200 mg; women 51-70: RDA 1200, UL 2000.
    assert calcium.total_per_day == 1200
    assert calcium.recommended is not None and calcium.recommended.value == 1200
    assert not calcium.exceeds_upper_limit
    vitamin_k = intake["vitamin_k"]
    assert vitamin_k.upper_limit is None  # no UL set for vitamin K (IOM 2001)


def test_magnesium_ul_counts_supplements_only(knowledge: Knowledge, vocab: Vocabularies) -> None:
    profile = {
        "age": 40,
        "sex": "female",
        "diet": {"magnesium": "300 mg"},
        "plan": ["magnesium citrate 300 mg elemental daily"],
    }
    row = next(r for r in run(profile, knowledge, vocab).intake if r.nutrient == "magnesium")
    assert row.upper_limit is not None and row.upper_limit.value == 350
    assert row.upper_limit.applies_to == "supplements and medicines only"
    assert not row.exceeds_upper_limit  # 300 mg supplement; food does not count (IOM 1997)


def test_guidelines_interpret_differently(knowledge: Knowledge, vocab: Vocabularies) -> None:
    profile = {
        "age": 40,
        "sex": "female",
        "labs": [{"test": "25(OH)D", "value": 25, "unit": "ng/mL"}],
    }
    nam = run(profile, knowledge, vocab, "nam-2011").labs[0]
    endo = run(profile, knowledge, vocab, "endocrine-2011").labs[0]
    es2024 = run(profile, knowledge, vocab, "endocrine-2024").labs[0]
    assert nam.category == "adequate"  # 62 nmol/L >= 50
    assert endo.category == "insufficient"  # 62 nmol/L in 50-75
    assert es2024.category is None and es2024.interpretation


def test_implausible_amount_asks_to_confirm(knowledge: Knowledge, vocab: Vocabularies) -> None:
    for plan in ("vitamin D3 5000 mcg daily", "K2 MK-7 100 mg daily"):
        report = run({"age": 50, "sex": "male", "plan": [plan]}, knowledge, vocab)
        assert "implausible-dose" in {a.id for a in report.alerts}, plan
    sane = run({"age": 50, "sex": "male", "plan": ["vitamin D3 5000 IU daily"]}, knowledge, vocab)
    assert "implausible-dose" not in {a.id for a in sane.alerts}


def test_unknown_guideline(knowledge: Knowledge, vocab: Vocabularies) -> None:
    facts = build_facts({"age": 40, "sex": "male"}, knowledge, today=TODAY, vocabularies=vocab)
    with pytest.raises(InputError, match="unknown guideline"):
        assess(facts, knowledge, vocab.nutrients, guideline="made-up")


def test_same_answer_for_one_and_for_many(knowledge: Knowledge, vocab: Vocabularies) -> None:
    """The engine keeps no state between patients: one run equals the same run in a batch."""
    alone = run(EXAMPLE, knowledge, vocab)
    other = {"age": 30, "sex": "male", "plan": ["D3 1000 IU daily"]}
    batch = [run(p, knowledge, vocab) for p in (other, EXAMPLE, other)]
    assert batch[1] == alone


def test_supplements_already_taken_count_towards_the_upper_limit(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    profile = {
        "age": 45,
        "sex": "female",
        "medications": ["Vitamin D3 5000 IU daily"],
        "plan": ["D3 2000 IU daily"],
    }
    report = run(profile, knowledge, vocab)
    row = next(r for r in report.intake if r.nutrient == "vitamin_d")
    assert row.current_per_day == pytest.approx(125)  # 5000 IU
    assert row.supplement_per_day == pytest.approx(175)  # + 2000 IU planned
    assert row.exceeds_upper_limit
    assert any("counted in the intake totals" in n for n in report.notes)


def test_a_supplement_already_taken_triggers_condition_rules(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    profile = {
        "age": 45,
        "sex": "male",
        "conditions": ["sarcoidosis"],
        "medications": ["vitamin D3 1000 IU daily"],
    }
    alert = next(
        a
        for a in run(profile, knowledge, vocab).alerts
        if a.id == "granulomatous-disease-vitamin-d"
    )
    assert any(t.kind == "medication" for t in alert.triggers)


def test_a_supplement_without_a_readable_amount_is_noted_not_counted(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    profile = {
        "age": 45,
        "sex": "male",
        "conditions": ["sarcoidosis"],
        "medications": ["cholecalciferol"],
    }
    report = run(profile, knowledge, vocab)
    assert "granulomatous-disease-vitamin-d" in {a.id for a in report.alerts}
    row = next(r for r in report.intake if r.nutrient == "vitamin_d")
    assert row.supplement_per_day == 0
    assert row.unknown_sources == ("cholecalciferol",)  # shown as unknown, not as 0
    assert any("could not be read" in n and "may be higher" in n for n in report.notes)


def test_class_phrases_in_the_medication_list_do_not_become_supplements(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    profile = {
        "age": 70,
        "sex": "male",
        "medications": [
            "Sintrom (vitamin K antagonist) 2 mg daily",
            "amlodipine (calcium channel blocker) 5 mg daily",
        ],
        "plan": ["D3 1000 IU daily"],
    }
    report = run(profile, knowledge, vocab)
    assert "vka-with-vitamin-k" not in {a.id for a in report.alerts}
    intake = {r.nutrient: r for r in report.intake}
    assert intake["vitamin_k"].supplement_per_day == 0
    assert intake["calcium"].supplement_per_day == 0


def test_urine_calcium_is_not_serum_calcium(knowledge: Knowledge, vocab: Vocabularies) -> None:
    profile = {
        "age": 60,
        "sex": "female",
        "plan": ["D3 1000 IU daily"],
        "labs": [{"test": "urine calcium", "value": 4.1, "unit": "mmol/L"}],
    }
    report = run(profile, knowledge, vocab)
    assert "high-calcium-with-vitamin-d-or-calcium" not in {a.id for a in report.alerts}
    assert [u.kind for u in report.unrecognized] == ["lab"]


def test_albumin_adjusted_calcium_reveals_hypercalcaemia(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    # 2.55 + 0.02 x (40 - 25) = 2.85 mmol/L (Payne 1973 adjustment in mmol/L): mild high.
    profile = {
        "age": 70,
        "sex": "female",
        "plan": ["D3 1000 IU daily"],
        "labs": [
            {"test": "calcium", "value": 2.55, "unit": "mmol/L", "date": "2026-11-01"},
            {"test": "albumin", "value": 25, "unit": "g/L", "date": "2026-11-01"},
        ],
    }
    report = run(profile, knowledge, vocab)
    adjusted = next(lab for lab in report.labs if "albumin-adjusted" in lab.input)
    assert adjusted.value == pytest.approx(2.85, abs=1e-9)
    assert adjusted.category == "high_mild"
    alert = next(a for a in report.alerts if a.id == "high-calcium-with-vitamin-d-or-calcium")
    assert any("albumin-adjusted" in t.input for t in alert.triggers)
    assert any("unreliable in chronic kidney disease" in n for n in report.notes)


def test_albumin_from_another_day_is_not_used(knowledge: Knowledge, vocab: Vocabularies) -> None:
    profile = {
        "age": 70,
        "sex": "female",
        "plan": ["D3 1000 IU daily"],
        "labs": [
            {"test": "calcium", "value": 2.55, "unit": "mmol/L", "date": "2026-11-01"},
            {"test": "albumin", "value": 25, "unit": "g/L", "date": "2026-06-01"},
        ],
    }
    report = run(profile, knowledge, vocab)
    assert not any("albumin-adjusted" in lab.input for lab in report.labs)
    assert "high-calcium-with-vitamin-d-or-calcium" not in {a.id for a in report.alerts}


@pytest.mark.parametrize(
    "medication",
    [
        "calcium channel blocker",
        "vitamin K antagonist 5 mg daily",
        "stopped warfarin 2019",
        "off warfarin",
    ],
)
def test_class_phrases_and_stopped_medicines_are_not_screened_as_taken(
    knowledge: Knowledge, vocab: Vocabularies, medication: str
) -> None:
    profile = {
        "age": 70,
        "sex": "male",
        "medications": [medication],
        "plan": ["K2 MK-7 100 mcg daily", "D3 1000 IU daily"],
        "labs": [{"test": "calcium", "value": 2.8, "unit": "mmol/L"}],
    }
    report = run(profile, knowledge, vocab)
    assert [u.input for u in report.unrecognized] == [medication]
    assert all(t.input != medication for a in report.alerts for t in a.triggers)
    intake = {r.nutrient: r for r in report.intake}
    assert intake["vitamin_k"].current_per_day == 0 and intake["calcium"].current_per_day == 0


def test_salt_assumptions_of_supplements_already_taken_are_shown(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    profile = {"age": 60, "sex": "female", "medications": ["calcium carbonate 1250 mg bid"]}
    report = run(profile, knowledge, vocab)
    assert any("calcium carbonate 1250 mg bid" in n and "elemental" in n for n in report.notes)
    assert [item.input for item in report.current_supplements] == ["calcium carbonate 1250 mg bid"]


def test_a_supplement_read_from_an_unlisted_name_is_screened_not_unrecognised(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    profile = {"age": 60, "sex": "female", "medications": ["Mg taurate 200 mg daily"]}
    report = run(profile, knowledge, vocab)
    assert report.unrecognized == ()
    assert any(t.id == "magnesium_supplement" for t in report.screened)
    row = next(r for r in report.intake if r.nutrient == "magnesium")
    assert row.current_per_day == pytest.approx(200)


def test_a_vitamin_d_metabolite_in_the_plan_is_not_converted(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    from d3k2.reading.profile import ProfileError

    with pytest.raises(ProfileError, match="metabolite or analogue"):
        run({"age": 60, "sex": "female", "plan": ["calcifediol 20 mcg daily"]}, knowledge, vocab)


def test_an_undated_high_calcium_is_not_hidden_by_a_dated_normal_one(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    profile = {
        "age": 60,
        "sex": "female",
        "plan": ["D3 1000 IU daily"],
        "labs": [
            {"test": "calcium", "value": 12.5, "unit": "mg/dL"},
            {"test": "calcium", "value": 9.5, "unit": "mg/dL", "date": "2026-10-01"},
        ],
    }
    report = run(profile, knowledge, vocab)
    assert "high-calcium-with-vitamin-d-or-calcium" in {a.id for a in report.alerts}
    assert any("undated results were screened" in n for n in report.notes)


def test_upper_limit_alerts_carry_the_reading_assumption(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    profile = {"age": 60, "sex": "female", "plan": ["calcium carbonate 1200 mg twice daily"]}
    report = run(profile, knowledge, vocab)
    alert = next(a for a in report.alerts if a.id == "adult-calcium-above-ul")
    assert any("elemental" in assumption for assumption in alert.assumptions)


def test_a_strength_labelled_as_salt_weight_is_converted_and_said_so(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    """1250 mg calcium carbonate is the 500 mg calcium tablet (Calcichew-D3 SmPC): read as
    salt weight, so twice daily is 1,000 mg calcium, not 2,500 mg, and the report says so."""
    profile = {"age": 60, "sex": "female", "plan": ["calcium carbonate 1250 mg twice daily"]}
    report = run(profile, knowledge, vocab)
    calcium = next(row for row in report.intake if row.nutrient == "calcium")
    assert calcium.supplement_per_day == pytest.approx(1000.0)
    assert any("weight of the calcium carbonate salt" in a for a in calcium.assumptions)
    assert "adult-calcium-above-ul" not in {a.id for a in report.alerts}
    written = {**profile, "plan": ["calcium carbonate 1250 mg elemental twice daily"]}
    elemental = next(r for r in run(written, knowledge, vocab).intake if r.nutrient == "calcium")
    assert elemental.supplement_per_day == pytest.approx(2500.0)
