"""Tests written to kill mutants that survived a mutmut run over core/labs.py (the report
fields, the eGFR estimate, albumin adjustment and which results a rule reads)."""

from __future__ import annotations

from typing import Any

import pytest
from tests.core.screening.test_labs import creatinine, result
from tests.core.screening.test_rules import context

from d3k2.core.screening.labs import (
    adjusted_results,
    estimated_egfr,
    interpret,
    latest_readings,
    undated_alongside_dated,
)
from d3k2.core.screening.model import LabResult
from d3k2.knowledge.schema import Knowledge


def test_egfr_estimate_of_a_young_man_with_low_creatinine(knowledge: Knowledge) -> None:
    # CKD-EPI 2021, male, Scr 0.7 mg/dL (below kappa 0.9: the male alpha -0.302 applies),
    # 40 y: 142 x (0.7/0.9)^-0.302 x 0.9938^40 = 142 x 1.0788 x 0.7798 = 119.5
    (egfr,) = estimated_egfr((creatinine(0.7),), knowledge.egfr_equation, age_years=40, sex="male")
    assert egfr.value == pytest.approx(119.5, abs=0.1)
    assert (egfr.test, egfr.unit, egfr.unit_si) == ("egfr", "mL/min/1.73m2", "mL/min/1.73m2")
    assert egfr.value_si == egfr.value
    assert egfr.derived and egfr.date == "2026-11-01" and egfr.order == 0
    assert egfr.input.startswith("eGFR 119 mL/min/1.73m2 (CKD-EPI 2021")
    assert egfr.test_name == "eGFR (CKD-EPI 2021 creatinine equation)"


def test_egfr_is_estimated_from_exactly_18_years(knowledge: Knowledge) -> None:
    # female, Scr 0.6 (below kappa 0.7), 18 y: 142 x (0.6/0.7)^-0.241 x 0.9938^18 x 1.012
    (egfr,) = estimated_egfr(
        (creatinine(0.6),), knowledge.egfr_equation, age_years=18, sex="female"
    )
    assert egfr.value == pytest.approx(133.3, abs=0.1)
    assert (
        estimated_egfr((creatinine(0.6),), knowledge.egfr_equation, age_years=17.99, sex="female")
        == ()
    )


def test_interpret_reports_every_field(knowledge: Knowledge) -> None:
    reading = interpret(
        result(2.9, "mmol/L", "calcium_total", date="2026-05-01"),
        knowledge,
        "nam-2011",
        age_years=60,
    )
    assert reading.input == "2.9 mmol/L"
    assert (reading.test, reading.name) == ("calcium_total", "calcium_total")  # the test
    assert (reading.value, reading.unit, reading.unit_si) == (2.9, "mmol/L", "mmol/L")
    assert reading.value_si == pytest.approx(2.9)
    assert reading.category == "high_mild" and reading.interpretation is not None
    assert reading.interpretation.startswith("2.60 to under 3.0 mmol/L")
    assert (reading.guideline, reading.date, reading.note) == ("default", "2026-05-01", None)


def test_interpret_names_a_derived_result_by_its_test_name(knowledge: Knowledge) -> None:
    derived = LabResult(
        input="albumin-adjusted calcium: 2.30 mmol/L (from …)",
        test="calcium_total",
        test_name="albumin-adjusted calcium",
        value=2.3,
        unit="mmol/L",
        value_si=2.3,
        unit_si="mmol/L",
        date=None,
        derived=True,
    )
    assert interpret(derived, knowledge, "nam-2011").name == "albumin-adjusted calcium"


def test_interpret_without_bands_says_so(knowledge: Knowledge) -> None:
    reading = interpret(result(40, "nmol/L"), knowledge, "endocrine-2024")
    assert reading.category is None and reading.guideline == "endocrine-2024"
    assert reading.interpretation is not None and "does not endorse" in reading.interpretation
    newborn = interpret(
        result(2.2, "mmol/L", "phosphate"), knowledge, "nam-2011", age_years=10 / 365.25
    )
    assert newborn.category is None and newborn.interpretation is not None
    assert "newborns" in newborn.interpretation and newborn.note is None


def albumin(value: float, date: str | None) -> LabResult:
    return LabResult(
        input=f"albumin: {value} g/L",
        test="albumin",
        test_name="albumin",
        value=value,
        unit="g/L",
        value_si=value,
        unit_si="g/L",
        date=date,
        order=5,
    )


def test_albumin_adjustment_uses_the_same_day_companion(knowledge: Knowledge) -> None:
    calcium = result(2.0, "mmol/L", "calcium_total", date="2026-05-01", order=1)
    (adjusted,) = adjusted_results((calcium, albumin(30, "2026-05-01")), knowledge.corrections)
    # 2.0 + 0.02 x (40 - 30) = 2.2 mmol/L (Payne 1973)
    assert adjusted.value == pytest.approx(2.2)
    assert adjusted.value_si == pytest.approx(2.2)
    assert (adjusted.unit, adjusted.unit_si) == ("mmol/L", "mmol/L")
    assert adjusted.test == "calcium_total" and adjusted.test_name == "albumin-adjusted calcium"
    assert adjusted.derived and adjusted.adjusts == 1 and adjusted.order == 1
    assert adjusted.date == "2026-05-01"
    assert adjusted.input.startswith("albumin-adjusted calcium: 2.20 mmol/L (from 2.0 mmol/L;")
    # a companion from another day is not used; a result already corrected is not re-adjusted
    assert adjusted_results((calcium, albumin(30, "2026-04-01")), knowledge.corrections) == ()
    corrected = LabResult(
        input="Corrected calcium: 2.0 mmol/L",
        test="calcium_total",
        test_name="calcium",
        value=2.0,
        unit="mmol/L",
        value_si=2.0,
        unit_si="mmol/L",
        date="2026-05-01",
    )
    assert adjusted_results((corrected, albumin(30, "2026-05-01")), knowledge.corrections) == ()
    # a derived value is never itself adjusted again
    assert adjusted_results((adjusted, albumin(30, "2026-05-01")), knowledge.corrections) == ()


def test_latest_readings_are_the_latest_the_undated_and_their_adjustments() -> None:
    old = result(2.9, "mmol/L", "calcium_total", date="2026-01-01", order=0)
    new = result(2.3, "mmol/L", "calcium_total", date="2026-06-01", order=1)
    undated = result(2.8, "mmol/L", "calcium_total", order=2)
    derived = LabResult(
        input="adjusted",
        test="calcium_total",
        test_name="albumin-adjusted calcium",
        value=2.5,
        unit="mmol/L",
        value_si=2.5,
        unit_si="mmol/L",
        date="2026-06-01",
        order=1,
        derived=True,
        adjusts=1,
    )
    other = result(1.0, "mmol/L", "magnesium", date="2026-06-01", order=3)
    chosen = latest_readings((old, new, undated, derived, other), "calcium_total")
    assert chosen == [new, undated, derived]
    assert latest_readings((other,), "calcium_total") == []
    assert undated_alongside_dated((old, new, undated, other)) == ["calcium_total"]
    assert undated_alongside_dated((old, new, other)) == []


def test_plan_includes_names_plan_items_and_listed_supplements(
    knowledge: Knowledge, vocab: Any
) -> None:
    from d3k2.core.screening.rules import evaluate
    from d3k2.knowledge.schema import parse_predicate

    profile = {
        "age": 50,
        "sex": "female",
        "medications": ["Vigantol"],
        "plan": ["D3 1000 IU daily"],
    }
    ctx = context(profile, knowledge, vocab)
    got = evaluate(parse_predicate({"plan_includes": {"nutrient": "vitamin_d"}}), ctx)
    assert got is not None
    assert [(t.kind, t.input, t.matched) for t in got] == [
        ("plan", "D3 1000 IU daily", "vitamin D"),
        ("medication", "Vigantol", "vitamin D"),
    ]
    # with an amount threshold, a supplement whose amount is unknown does not count
    got = evaluate(
        parse_predicate(
            {
                "plan_includes": {
                    "nutrient": "vitamin_d",
                    "min_per_day": {"value": 25, "unit": "mcg"},
                }
            }
        ),
        ctx,
    )
    assert got is not None and [t.kind for t in got] == ["plan"]
