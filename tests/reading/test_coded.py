"""Facts from codes and numbers (what a FHIR adapter holds) mean what a profile file means."""

from __future__ import annotations

import datetime as dt

import pytest

from d3k2.api import Engine
from d3k2.errors import InputError
from d3k2.reading.coded import Coding, NutrientDose

TODAY = dt.date(2026, 11, 29)
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"


def _alerts(facts: object) -> dict[str, str]:
    report = Engine.default().assess(facts, projection=False).report  # type: ignore[arg-type]
    return {alert.id: alert.severity for alert in report.alerts}


def test_a_coded_supplement_with_a_dose_counts_like_a_typed_one() -> None:
    engine = Engine.default()
    builder = engine.facts(sex="female", age_years=67, as_of=TODAY, patient_id="p-1")
    builder.medication(
        [Coding(RXNORM, "855332", "warfarin sodium 5 MG Oral Tablet")],
    )
    builder.medication(
        [Coding(RXNORM, "1897", "calcium carbonate")],
        doses=[NutrientDose(600, "mg", 1.0 / 3)],  # 600 mg three times a day
    )
    coded = builder.build()
    typed = engine.read_profile(
        {
            "age": 67,
            "sex": "female",
            "medications": [
                "warfarin 5 mg",
                "calcium carbonate 600 mg elemental three times daily",
            ],
        },
        today=TODAY,
    ).facts
    coded_report = engine.assess(coded, projection=False).report
    typed_report = engine.assess(typed, projection=False).report
    calcium = {row.nutrient: row for row in coded_report.intake}["calcium"]
    assert calcium.supplement_per_day == pytest.approx(1800.0)
    assert calcium.supplement_per_day == pytest.approx(
        {row.nutrient: row for row in typed_report.intake}["calcium"].supplement_per_day
    )
    assert _alerts(coded) == _alerts(typed)
    assert coded.patient_id == "p-1"


def test_a_planned_order_with_a_dose_is_the_plan() -> None:
    engine = Engine.default()
    builder = engine.facts(sex="male", age_years=50, as_of=TODAY)
    builder.medication(
        [Coding(RXNORM, "0", "cholecalciferol")],
        doses=[NutrientDose(50_000, "IU", 1.0)],
        planned=True,
    )
    facts = builder.build()
    assert [s.nutrient for item in facts.plan for s in item.regimen.segments] == ["vitamin_d"]
    # 50,000 IU a day is 1,250 mcg/day: at or above the NOAEL of 250 mcg/day (NAM 2011)
    assert _alerts(facts).get("adult-vitamin-d-at-or-above-noael") == "major"


def test_codes_first_then_text_and_nothing_dropped() -> None:
    engine = Engine.default()
    builder = engine.facts(sex="female", birth_date=dt.date(1950, 5, 1), as_of=TODAY)
    builder.condition([Coding(SNOMED, "431857002", "Chronic kidney disease stage 4")])
    builder.condition([Coding(SNOMED, "999999999", "Sarcoidosis")])  # unknown code, known text
    builder.condition([Coding(SNOMED, "888888888", "Something unheard of")])
    builder.lab([Coding(LOINC, "62292-8")], 18, "ng/mL", date=dt.date(2026, 10, 1))
    builder.lab([Coding(LOINC, "00000-0", "Mystery assay")], 3.0, "mg/dL")
    facts = builder.build()
    assert {t.id for t in facts.conditions} >= {"sarcoidosis"}
    assert any(t.ckd_stage == "G4" for t in facts.conditions)
    assert [lab.test for lab in facts.labs] == ["25ohd"]
    assert {u.input for u in facts.unrecognized} == {
        "Something unheard of",
        "Mystery assay: 3 mg/dL",
    }
    assert 76 < facts.age_years < 77


def test_a_wrong_lab_unit_is_an_input_error() -> None:
    builder = Engine.default().facts(sex="female", age_years=40, as_of=TODAY)
    with pytest.raises(InputError, match="not a unit"):
        builder.lab([Coding(LOINC, "62292-8")], 18, "mmol/L")


def test_a_combination_product_needs_the_nutrient_of_each_dose() -> None:
    builder = Engine.default().facts(sex="female", age_years=70, as_of=TODAY)
    with pytest.raises(InputError, match="say which nutrient"):
        builder.medication([], "Adcal-D3", doses=[NutrientDose(600, "mg", 1.0)])
    builder.medication(
        [],
        "Adcal-D3",
        doses=[
            NutrientDose(600, "mg", 0.5, nutrient="calcium"),
            NutrientDose(400, "IU", 0.5, nutrient="vitamin_d"),
        ],
    )
    facts = builder.build()
    report = Engine.default().assess(facts, projection=False).report
    intake = {row.nutrient: row.supplement_per_day for row in report.intake}
    assert intake["calcium"] == pytest.approx(1200.0)
    assert intake["vitamin_d"] == pytest.approx(20.0)  # 800 IU = 20 mcg


def test_a_coded_salt_strength_is_read_as_typed_text_is() -> None:
    """RxNorm strengths of calcium carbonate are the salt's weight (1250 mg = 500 mg
    calcium): a coded dose gets the same reading and assumption as the typed one."""
    engine = Engine.default()
    builder = engine.facts(sex="female", age_years=70, as_of=TODAY)
    builder.medication(
        [Coding(RXNORM, "1897", "calcium carbonate")], doses=[NutrientDose(1250, "mg", 1.0)]
    )
    report = engine.assess(builder.build(), projection=False).report
    calcium = {row.nutrient: row for row in report.intake}["calcium"]
    assert calcium.supplement_per_day == pytest.approx(500.0)
    assert any("salt" in a for a in calcium.assumptions)
