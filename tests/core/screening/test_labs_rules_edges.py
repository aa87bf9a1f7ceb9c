"""Realistic cases of issue 8 (labs part) with the alerts a clinician would expect, and the
age-ranged band selection of core/labs.py and core/rules.py on either side of each edge."""

from __future__ import annotations

import pytest
from tests.screening_cases import alerts, born_days_ago, run

from d3k2.core.screening.labs import DAYS_PER_YEAR, age_in_days, interpret, interpretation_for
from d3k2.core.screening.model import LabResult
from d3k2.knowledge.schema import Knowledge
from d3k2.reading.profile import Vocabularies


# --------------------------------------------------------------------------- realistic cases
def test_toxic_25ohd_with_a_calcium_only_plan(knowledge: Knowledge, vocab: Vocabularies) -> None:
    report = run(
        {
            "age": 64,
            "sex": "female",
            "labs": [{"test": "25(OH)D", "value": 180, "unit": "ng/mL"}],
            "plan": ["calcium carbonate 600 mg elemental daily"],
        },
        knowledge,
        vocab,
    )
    assert alerts(report)["25ohd-above-375-without-vitamin-d"] == "major"
    assert "25ohd-above-375-with-vitamin-d" not in alerts(report)  # one alert per finding
    assert report.alerts[0].id == "25ohd-above-375-without-vitamin-d"  # shown first


def test_severe_hypercalcaemia_with_a_k2_only_plan(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    report = run(
        {
            "age": 78,
            "sex": "male",
            "labs": [{"test": "calcium", "value": 3.6, "unit": "mmol/L"}],
            "plan": ["K2 MK-7 180 mcg daily"],
        },
        knowledge,
        vocab,
    )
    assert alerts(report) == {"moderate-or-severe-hypercalcaemia": "major"}
    assert report.labs[0].category == "high_severe"


def test_severe_hypercalcaemia_with_vitamin_d_gives_one_alert(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    report = run(
        {
            "age": 78,
            "sex": "male",
            "labs": [{"test": "calcium", "value": 3.6, "unit": "mmol/L"}],
            "plan": ["D3 1000 IU daily"],
        },
        knowledge,
        vocab,
    )
    found = alerts(report)
    assert found["high-calcium-with-vitamin-d-or-calcium"] == "major"
    assert "moderate-or-severe-hypercalcaemia" not in found


def test_severe_deficiency_with_hypocalcaemia_on_400_iu(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    report = run(
        {
            "age": 46,
            "sex": "female",
            "labs": [
                {"test": "25-hydroxyvitamin D", "value": 6, "unit": "ng/mL"},
                {"test": "calcium", "value": 1.7, "unit": "mmol/L"},
            ],
            "plan": ["vitamin D3 400 IU daily"],
        },
        knowledge,
        vocab,
    )
    assert alerts(report)["moderate-or-severe-hypocalcaemia"] == "major"
    alert = next(a for a in report.alerts if a.id == "moderate-or-severe-hypocalcaemia")
    assert "maintenance" in alert.title and "not treatment" in alert.detail
    assert [t.input for t in alert.triggers] == ["calcium: 1.7 mmol/L"]


def test_a_five_day_old_with_normal_newborn_calcium_gets_no_major_alert(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    profile = {
        "birth_date": born_days_ago(5),
        "sex": "male",
        "labs": [{"test": "calcium", "value": 10.8, "unit": "mg/dL"}],
        "plan": ["vitamin D3 400 IU daily"],
    }
    report = run(profile, knowledge, vocab)
    assert "major" not in alerts(report).values()
    assert report.labs[0].category == "normal"
    assert "newborn" in (report.labs[0].interpretation or "")
    # the same value in an adult is mild hypercalcaemia, with the major alert
    adult = run({**profile, "birth_date": None, "age": 40}, knowledge, vocab)
    assert alerts(adult)["high-calcium-with-vitamin-d-or-calcium"] == "major"


def test_a_newborn_above_the_neonatal_hypercalcaemia_edge_is_alerted(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    report = run(
        {
            "birth_date": born_days_ago(5),
            "sex": "female",
            "labs": [{"test": "calcium", "value": 12.4, "unit": "mg/dL"}],
            "plan": ["vitamin D3 400 IU daily"],
        },
        knowledge,
        vocab,
    )
    assert alerts(report)["high-calcium-with-vitamin-d-or-calcium"] == "major"


def test_ppi_with_low_magnesium_and_a_calcium_plan(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    report = run(
        {
            "age": 74,
            "sex": "female",
            "medications": ["omeprazole 40 mg daily"],
            "labs": [{"test": "magnesium", "value": 0.48, "unit": "mmol/L"}],
            "plan": ["calcium citrate 500 mg twice daily", "D3 1000 IU daily"],
        },
        knowledge,
        vocab,
    )
    found = alerts(report)
    assert found["ppi-with-low-magnesium"] == "moderate"
    assert found["hypomagnesaemia-with-calcium-or-vitamin-d"] == "moderate"


def test_dialysis_with_high_phosphate_and_calcium(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    report = run(
        {
            "age": 61,
            "sex": "male",
            "conditions": ["end-stage renal disease on hemodialysis"],
            "labs": [{"test": "phosphate", "value": 7.1, "unit": "mg/dL"}],
            "plan": ["calcium carbonate 500 mg elemental three times daily"],
        },
        knowledge,
        vocab,
    )
    found = alerts(report)
    assert found["hyperphosphataemia-ckd-calcium-or-vitamin-d"] == "moderate"
    assert found["ckd-g4-g5-vitamin-d-or-calcium"] == "major"


def test_a_newborn_on_oral_vitamin_k_gets_the_prophylaxis_context(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    report = run(
        {
            "birth_date": born_days_ago(10),
            "sex": "female",
            "plan": ["vitamin K1 1 mg weekly"],
        },
        knowledge,
        vocab,
    )
    assert alerts(report)["infant-vitamin-k-supplement-not-prophylaxis"] == "minor"


# --------------------------------------------------------------------------- band selection
def ca(value: float, unit: str = "mmol/L", test: str = "calcium_total") -> LabResult:
    return LabResult(
        input=f"calcium: {value} {unit}",
        test=test,
        test_name=test,
        value=value,
        unit=unit,
        value_si=value,
        unit_si="mmol/L",
        date=None,
        code=None,
        order=0,
    )


@pytest.mark.parametrize(
    ("age_days", "newborn"),
    [(0, True), (27.9, True), (28, False), (400, False)],
)
def test_the_newborn_interpretation_ends_at_28_days(
    knowledge: Knowledge, age_days: float, newborn: bool
) -> None:
    chosen = interpretation_for(
        knowledge, "calcium_total", "nam-2011", age_years=age_days / DAYS_PER_YEAR
    )
    assert chosen is not None
    assert (chosen.age_below_days == 28) is newborn


def test_without_an_age_the_general_bands_apply(knowledge: Knowledge) -> None:
    chosen = interpretation_for(knowledge, "calcium_total", "default")
    assert chosen is not None and not chosen.age_bounded
    assert age_in_days(None) is None
    assert age_in_days(1.0) == pytest.approx(365.25)


@pytest.mark.parametrize(
    ("age_years", "value", "category"),
    [
        (5 / DAYS_PER_YEAR, 2.72, "normal"),
        (5 / DAYS_PER_YEAR, 2.73, "high_mild"),
        (30.0, 2.59, "normal"),
        (30.0, 2.60, "high_mild"),
        (5 / DAYS_PER_YEAR, 2.06, "normal"),
        (5 / DAYS_PER_YEAR, 2.05, "low"),
        (30.0, 2.05, "low"),
        (30.0, 1.99, "low_moderate"),
    ],
)
def test_interpret_reads_the_bands_for_the_age(
    knowledge: Knowledge, age_years: float, value: float, category: str
) -> None:
    reading = interpret(ca(value), knowledge, "nam-2011", age_years=age_years)
    assert reading.category == category


def test_guideline_dependent_tests_still_follow_the_guideline(knowledge: Knowledge) -> None:
    chosen = interpretation_for(knowledge, "25ohd", "endocrine-2011", age_years=0.01)
    assert chosen is not None and chosen.guideline == "endocrine-2011"
    fallback = interpretation_for(knowledge, "calcium_total", "endocrine-2011", age_years=40)
    assert fallback is not None and fallback.guideline == "default"


def test_phosphate_has_no_general_bands(knowledge: Knowledge) -> None:
    assert interpretation_for(knowledge, "phosphate", "default") is None
    adult = interpretation_for(knowledge, "phosphate", "default", age_years=18)
    assert adult is not None and adult.age_at_least_days == 6574
    child = interpretation_for(knowledge, "phosphate", "default", age_years=17.99)
    assert child is not None and child.age_below_days == 6574 and child.bands
    newborn = interpretation_for(knowledge, "phosphate", "default", age_years=27 / DAYS_PER_YEAR)
    assert newborn is not None and newborn.bands == []
