"""Issue 7, profiles and labs: what people write in a profile is read, or refused with the
reason, and never read as less than it says."""

from __future__ import annotations

from typing import Any

import pytest
from tests.conftest import TODAY

from d3k2.core.screening.engine import assess, intake_rows
from d3k2.core.screening.model import PatientFacts, Report
from d3k2.core.screening.rules import RuleContext, evaluate
from d3k2.knowledge.schema import Knowledge, parse_predicate
from d3k2.reading.profile import ProfileError, Vocabularies, build_facts

BASE: dict[str, Any] = {"age": 67, "sex": "female"}


def facts(profile: dict[str, Any], knowledge: Knowledge, vocab: Vocabularies) -> PatientFacts:
    return build_facts(profile, knowledge, today=TODAY, vocabularies=vocab)


def report(profile: dict[str, Any], knowledge: Knowledge, vocab: Vocabularies) -> Report:
    return assess(facts(profile, knowledge, vocab), knowledge, vocab.nutrients)


def problems(profile: dict[str, Any], knowledge: Knowledge, vocab: Vocabularies) -> list[str]:
    with pytest.raises(ProfileError) as caught:
        facts(profile, knowledge, vocab)
    return [f"{p.where}: {p.message} ({p.hint})" for p in caught.value.problems]


# --------------------------------------------------------------------------- the issue
def test_issue_example_reaches_the_noael_and_the_calcium_ul(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    result = report(
        {
            **BASE,
            "diet": {"calcium": "900 mg"},
            "plan": ["D3 50000 IU twice weekly", "calcium 600 mg 3 times daily"],
        },
        knowledge,
        vocab,
    )
    intake = {row.nutrient: row for row in result.intake}
    assert round(intake["vitamin_d"].supplement_per_day * 40) == 14286
    assert intake["calcium"].total_per_day == 2700
    severities = {a.id: a.severity for a in result.alerts}
    assert severities["adult-vitamin-d-at-or-above-noael"] == "major"
    assert "adult-calcium-above-ul" in severities


def test_brands_with_a_dose_are_counted_in_medications_and_plan(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    result = report(
        {
            **BASE,
            "medications": ["Drisdol 50000 units weekly", "Dekristol 20000 IE 1x/Woche"],
            "plan": ["Dekristol 20000 IE 1x/Woche"],
        },
        knowledge,
        vocab,
    )
    vitamin_d = next(row for row in result.intake if row.nutrient == "vitamin_d")
    assert vitamin_d.current_per_day == pytest.approx((1250 + 500) / 7)
    assert vitamin_d.supplement_per_day == pytest.approx((1250 + 500 + 500) / 7)
    assert "adult-vitamin-d-at-or-above-noael" in {a.id for a in result.alerts}  # 321 mcg/day


def test_combination_products_keep_every_ingredient(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    result = report({**BASE, "medications": ["Adcal-D3 1 tablet twice daily"]}, knowledge, vocab)
    intake = {row.nutrient: row for row in result.intake}
    assert intake["calcium"].current_per_day == 1200
    assert intake["vitamin_d"].current_per_day == 20  # 2 x 400 IU
    assert intake["calcium"].unknown_sources == ()


def test_unknown_strengths_are_unknown_never_zero(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    profile = {**BASE, "medications": ["Centrum Silver daily", "Os-Cal 500 + D twice daily"]}
    result = report(profile, knowledge, vocab)
    intake = {row.nutrient: row for row in result.intake}
    assert intake["vitamin_d"].unknown_sources == (
        "Centrum Silver daily",
        "Os-Cal 500 + D twice daily",
    )
    assert intake["magnesium"].unknown_sources == ("Centrum Silver daily",)
    assert intake["calcium"].current_per_day == 1000  # the Os-Cal calcium is known
    assert any("may be higher than shown" in note for note in result.notes)
    # the plan refuses a product of unknown strength, asking for the label amounts
    found = problems({**BASE, "plan": ["Os-Cal 500 + D twice daily"]}, knowledge, vocab)
    assert any("not known" in p and "label" in p for p in found)


def test_a_supplement_line_without_a_dose_is_unknown(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    result = report({**BASE, "medications": ["vitamin D3"]}, knowledge, vocab)
    vitamin_d = next(row for row in result.intake if row.nutrient == "vitamin_d")
    assert vitamin_d.unknown_sources == ("vitamin D3",)


def test_a_semicolon_separates_plan_items(knowledge: Knowledge, vocab: Vocabularies) -> None:
    result = facts({**BASE, "plan": ["D3 1000 IU daily; K2 100 mcg daily"]}, knowledge, vocab)
    assert [item.input for item in result.plan] == ["D3 1000 IU daily", "K2 100 mcg daily"]
    assert all(s.start_day == 0 for item in result.plan for s in item.regimen.segments)


# --------------------------------------------------------------------------- profile keys
def test_unknown_fields_are_notes_not_errors(knowledge: Knowledge, vocab: Vocabularies) -> None:
    result = facts(
        {**BASE, "notes": "seen today", "mrn": "123", "allergies": ["penicillin"]},
        knowledge,
        vocab,
    )
    for key in ("notes", "mrn", "allergies"):
        assert any(f"'{key}' is not used" in note for note in result.notes)
    assert not any("123" in note or "penicillin" in note for note in result.notes)


@pytest.mark.parametrize(
    ("key", "meant"),
    [
        ("Age", "age"),
        ("Sex", "sex"),
        ("medicaitons", "medications"),
        ("supplements", "medications"),
    ],
)
def test_near_misses_get_did_you_mean(
    key: str, meant: str, knowledge: Knowledge, vocab: Vocabularies
) -> None:
    profile: dict[str, Any] = {**BASE, key: "x"}
    if key == "Age":
        profile = {"Age": 60, "sex": "male"}
    elif key == "Sex":
        profile = {"age": 60, "Sex": "male"}
    found = problems(profile, knowledge, vocab)
    assert any(
        p.startswith(f"{key}: unknown field") and f"did you mean {meant!r}" in p for p in found
    )


# --------------------------------------------------------------------------- labs
def test_extra_lab_keys_are_noted_not_refused(knowledge: Knowledge, vocab: Vocabularies) -> None:
    result = facts(
        {
            **BASE,
            "labs": [
                {
                    "test": "25-hydroxyvitamin D",
                    "value": 18,
                    "unit": "ng/mL",
                    "flag": "L",
                    "reference_range": "30-100",
                    "note": "fasting",
                }
            ],
        },
        knowledge,
        vocab,
    )
    assert result.labs[0].value == 18
    assert any("'flag', 'reference_range' not used" in note for note in result.notes)
    assert any("fasting" in note for note in result.notes)
    found = problems(
        {**BASE, "labs": [{"test": "calcium", "value": 2.4, "unit": "mmol/L", "dat": "x"}]},
        knowledge,
        vocab,
    )
    assert any("did you mean 'date'" in p for p in found)


def test_the_labs_table_names_the_test_as_written(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    result = report(
        {
            **BASE,
            "labs": [
                {"test": "25-hydroxyvitamin D", "value": 18, "unit": "ng/mL"},
                {"loinc": "62292-8", "value": 45, "unit": "nmol/L"},
            ],
        },
        knowledge,
        vocab,
    )
    assert result.labs[0].name == "25-hydroxyvitamin D"
    assert "62292-8" not in result.labs[1].name


@pytest.mark.parametrize(
    ("lab", "category", "qualifier"),
    [
        ({"test": "25(OH)D", "value": "<10 ng/mL"}, "deficient", "<"),
        ({"test": "25(OH)D", "value": "<10", "unit": "ng/mL"}, "deficient", "<"),
        ({"test": "eGFR", "value": ">60", "unit": "mL/min/1.73m2"}, None, ">"),
        ({"test": "eGFR", "value": "≥ 90", "unit": "mL/min/1.73m2"}, "g1", ">="),
        ({"test": "eGFR", "value": "<15", "unit": "mL/min/1.73m2"}, "g5", "<"),
    ],
)
def test_censored_values(
    lab: dict[str, Any],
    category: str | None,
    qualifier: str,
    knowledge: Knowledge,
    vocab: Vocabularies,
) -> None:
    (reading,) = report({**BASE, "labs": [lab]}, knowledge, vocab).labs
    assert reading.qualifier == qualifier
    assert reading.category == category
    if category is None:  # ">60": G2 or G1, said so, not a single band
        assert reading.interpretation is not None and " or " in reading.interpretation
        assert reading.note is not None and "censored" in reading.note


def _holds(
    when: dict[str, Any], labs: list[dict[str, Any]], knowledge: Knowledge, vocab: Vocabularies
) -> bool:
    f = facts({**BASE, "labs": labs}, knowledge, vocab)
    ctx = RuleContext(f, knowledge, vocab.nutrients, intake_rows(f, knowledge))
    return evaluate(parse_predicate(when), ctx) is not None


def test_a_censored_value_never_meets_a_condition_it_might_not_meet(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    above_60 = [{"test": "eGFR", "value": ">60", "unit": "mL/min/1.73m2"}]
    below_60 = {"lab": {"test": "egfr", "below": {"value": 60, "unit": "mL/min/1.73m2"}}}
    above_90 = {"lab": {"test": "egfr", "above": {"value": 90, "unit": "mL/min/1.73m2"}}}
    above_59 = {"lab": {"test": "egfr", "above": {"value": 59, "unit": "mL/min/1.73m2"}}}
    assert not _holds(below_60, above_60, knowledge, vocab)
    assert not _holds(above_90, above_60, knowledge, vocab)
    assert _holds(above_59, above_60, knowledge, vocab)
    assert not _holds({"ckd_stage": {"at_least": "G3a"}}, above_60, knowledge, vocab)
    below_30 = [{"test": "eGFR", "value": "<30", "unit": "mL/min/1.73m2"}]
    assert _holds({"ckd_stage": {"at_least": "G4"}}, below_30, knowledge, vocab)
    assert not _holds({"ckd_stage": {"at_least": "G5"}}, below_30, knowledge, vocab)
    low_d = [{"test": "25(OH)D", "value": "<10", "unit": "ng/mL"}]
    assert _holds({"lab": {"test": "25ohd", "categories": ["deficient"]}}, low_d, knowledge, vocab)
    high_d = [{"test": "25(OH)D", "value": ">100", "unit": "ng/mL"}]
    assert not _holds({"lab": {"test": "25ohd", "categories": ["high"]}}, high_d, knowledge, vocab)


def test_a_censored_egfr_does_not_fire_the_ckd_rules(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    result = report(
        {
            **BASE,
            "labs": [{"test": "eGFR", "value": ">60", "unit": "mL/min/1.73m2"}],
            "plan": ["D3 1000 IU daily"],
        },
        knowledge,
        vocab,
    )
    assert not any(a.id.startswith("ckd-") for a in result.alerts)
