"""Cockcroft-Gault creatinine clearance (core/screening/labs.py): worked values, properties of
the equation, when d3k2 computes it, and the rule predicate that reads it."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.screening_cases import run

from d3k2.core.screening.labs import (
    creatinine_clearance_cockcroft_gault,
    estimated_creatinine_clearance,
)
from d3k2.core.screening.model import LabResult
from d3k2.knowledge.schema import ClearanceEquation, Knowledge
from d3k2.reading.profile import Vocabularies

ZOLEDRONIC_RULE = "antiresorptive-advanced-ckd-or-low-calcium"


@pytest.fixture(scope="module")
def equation(knowledge: Knowledge) -> ClearanceEquation:
    assert knowledge.clearance_equation is not None
    return knowledge.clearance_equation


def test_the_knowledge_base_holds_the_published_constants(equation: ClearanceEquation) -> None:
    # Cockcroft & Gault 1976: (140 - age) x weight / (72 x Scr), x 0.85 for women
    assert equation.age_offset_years == 140
    assert equation.divisor == 72
    assert equation.female_factor == 0.85
    assert equation.weight == "actual"
    assert equation.min_age_years == 18


@pytest.mark.parametrize(
    ("age", "weight_kg", "scr_mg_dl", "female", "expected_ml_min"),
    [
        # (140 - 60) x 80 / (72 x 1.2) = 6400 / 86.4
        (60, 80, 1.2, False, 74.07),
        # (140 - 65) x 70 / (72 x 1.4) = 5250 / 100.8
        (65, 70, 1.4, False, 52.08),
        # (140 - 45) x 65 / (72 x 0.9) x 0.85 = 6175 / 64.8 x 0.85
        (45, 65, 0.9, True, 81.00),
        # the zoledronic acid edge of the rule examples: 80 y, female, creatinine 1.2 mg/dL
        (80, 59.2, 1.2, True, 34.94),
        (80, 59.3, 1.2, True, 35.00),
    ],
)
def test_worked_values(
    age: float,
    weight_kg: float,
    scr_mg_dl: float,
    female: bool,
    expected_ml_min: float,
    equation: ClearanceEquation,
) -> None:
    value = creatinine_clearance_cockcroft_gault(
        scr_mg_dl=scr_mg_dl, age_years=age, weight_kg=weight_kg, female=female, equation=equation
    )
    assert value == pytest.approx(expected_ml_min, abs=0.01)


ages = st.floats(min_value=18, max_value=110)
weights = st.floats(min_value=30, max_value=250)
creatinines = st.floats(min_value=0.2, max_value=15)


def crcl(knowledge: Knowledge, *, scr: float, age: float, weight: float, female: bool) -> float:
    assert knowledge.clearance_equation is not None
    return creatinine_clearance_cockcroft_gault(
        scr_mg_dl=scr,
        age_years=age,
        weight_kg=weight,
        female=female,
        equation=knowledge.clearance_equation,
    )


@settings(max_examples=200, deadline=None)
@given(age=ages, weight=weights, scr=creatinines, factor=st.floats(1.01, 5), female=st.booleans())
def test_clearance_falls_as_creatinine_rises(
    age: float, weight: float, scr: float, factor: float, female: bool, knowledge: Knowledge
) -> None:
    person = {"age": age, "weight": weight, "female": female}
    assert crcl(knowledge, scr=scr * factor, **person) < crcl(knowledge, scr=scr, **person)


@settings(max_examples=200, deadline=None)
@given(age=ages, extra=st.floats(0.5, 20), weight=weights, scr=creatinines, female=st.booleans())
def test_clearance_falls_with_age(
    age: float, extra: float, weight: float, scr: float, female: bool, knowledge: Knowledge
) -> None:
    person = {"scr": scr, "weight": weight, "female": female}
    assert crcl(knowledge, age=age + extra, **person) < crcl(knowledge, age=age, **person)


@settings(max_examples=200, deadline=None)
@given(age=ages, weight=weights, extra_kg=st.floats(0.5, 50), scr=creatinines)
def test_clearance_rises_with_weight_and_women_get_085_of_men(
    age: float, weight: float, extra_kg: float, scr: float, knowledge: Knowledge
) -> None:
    man = {"scr": scr, "age": age, "female": False}
    assert crcl(knowledge, weight=weight + extra_kg, **man) > crcl(knowledge, weight=weight, **man)
    woman = crcl(knowledge, scr=scr, age=age, weight=weight, female=True)
    assert woman == pytest.approx(0.85 * crcl(knowledge, weight=weight, **man), rel=1e-12)


# ------------------------------------------------------------------- when it is computed
def creatinine(value: float, unit: str, qualifier: Any = None) -> LabResult:
    si = value if unit == "umol/L" else value * 88.42
    return LabResult(
        input=f"creatinine: {value} {unit}",
        test="creatinine",
        test_name="creatinine",
        value=value,
        unit=unit,
        value_si=si,
        unit_si="umol/L",
        qualifier=qualifier,
    )


def test_computed_from_umol_l_creatinine_and_marked_derived(equation: ClearanceEquation) -> None:
    # 106.1 umol/L = 1.2 mg/dL (creatinine 113.12 g/mol)
    (result,) = estimated_creatinine_clearance(
        (creatinine(106.1, "umol/L"),), equation, age_years=60, sex="male", weight_kg=80
    )
    assert result.test == "creatinine_clearance" and result.derived
    assert result.unit == "mL/min"
    assert result.value == pytest.approx(74.07, abs=0.05)
    assert "Cockcroft-Gault" in result.input and "actual body weight 80 kg" in result.input


@pytest.mark.parametrize(
    ("labs", "age", "weight_kg"),
    [
        pytest.param((creatinine(1.2, "mg/dL"),), 60, None, id="no weight"),
        pytest.param((creatinine(0.5, "mg/dL"),), 17.9, 60, id="under 18"),
        pytest.param((creatinine(0.5, "mg/dL", "<"),), 60, 70, id="censored creatinine"),
        pytest.param((), 60, 70, id="no creatinine"),
        pytest.param(
            (
                creatinine(1.2, "mg/dL"),
                LabResult(
                    input="creatinine clearance 50 mL/min",
                    test="creatinine_clearance",
                    test_name="creatinine clearance",
                    value=50,
                    unit="mL/min",
                    value_si=50,
                    unit_si="mL/min",
                ),
            ),
            60,
            70,
            id="a measured clearance is given",
        ),
    ],
)
def test_not_computed(
    labs: tuple[LabResult, ...], age: float, weight_kg: float | None, equation: ClearanceEquation
) -> None:
    assert (
        estimated_creatinine_clearance(
            labs, equation, age_years=age, sex="female", weight_kg=weight_kg
        )
        == ()
    )


# ------------------------------------------------------------------ through the rule engine


def zoledronic_profile(**changes: Any) -> dict[str, Any]:
    profile: dict[str, Any] = {
        "age": 80,
        "sex": "female",
        "weight": "59.2 kg",
        "medications": ["Reclast 5 mg yearly"],
        "labs": [{"test": "creatinine", "value": 1.2, "unit": "mg/dL"}],
        "plan": ["calcium citrate 500 mg daily", "vitamin D3 800 IU daily"],
    }
    return {**profile, **changes}


def test_zoledronic_acid_below_35_ml_min_fires_with_the_clearance_as_trigger(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    report = run(zoledronic_profile(), knowledge, vocab)
    alert = next(a for a in report.alerts if a.id == ZOLEDRONIC_RULE)
    assert alert.severity == "major"
    assert any(t.input.startswith("creatinine clearance 34.9 mL/min") for t in alert.triggers)
    reading = next(r for r in report.labs if r.test == "creatinine_clearance")
    assert reading.value == pytest.approx(34.94, abs=0.01)
    # eGFR of the same patient is G3a (about 46): the version 1 rule was silent here
    egfr = next(r for r in report.labs if r.test == "egfr")
    assert 45 <= egfr.value < 60


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"weight": "59.3 kg"}, id="35.0 mL/min, at the limit"),
        pytest.param({"weight": None}, id="no weight: clearance unknown, eGFR G3a"),
        pytest.param(
            {"medications": ["Prolia 60 mg every 6 months"]}, id="denosumab: not its limit"
        ),
    ],
)
def test_silent_when_the_clearance_is_35_or_unknown_or_the_drug_is_not_zoledronic_acid(
    changes: dict[str, Any], knowledge: Knowledge, vocab: Vocabularies
) -> None:
    profile = {k: v for k, v in zoledronic_profile(**changes).items() if v is not None}
    assert ZOLEDRONIC_RULE not in {a.id for a in run(profile, knowledge, vocab).alerts}


def test_the_derived_result_carries_the_creatinine_s_date_and_order(
    equation: ClearanceEquation,
) -> None:
    measured = LabResult(
        input="creatinine: 0.5 mg/dL",
        test="creatinine",
        test_name="creatinine",
        value=0.5,
        unit="mg/dL",
        value_si=44.21,
        unit_si="umol/L",
        date="2026-10-01",
        order=3,
    )
    # exactly 18 years (the equation's lower age limit) and a creatinine below 1 mg/dL:
    # (140 - 18) x 70 / (72 x 0.5) = 237.2 mL/min for a man
    (result,) = estimated_creatinine_clearance(
        (measured,), equation, age_years=18, sex="male", weight_kg=70
    )
    assert result.value == pytest.approx(237.22, abs=0.01)
    assert result.value_si == result.value
    assert result.unit_si == "mL/min"
    assert result.test_name == "creatinine clearance (Cockcroft-Gault 1976)"
    assert (result.date, result.order, result.code) == ("2026-10-01", 3, None)


def test_the_rule_trigger_names_the_clearance_as_a_lab(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    profile = zoledronic_profile(
        labs=[{"test": "creatinine clearance", "value": 30, "unit": "mL/min"}]
    )
    alert = next(a for a in run(profile, knowledge, vocab).alerts if a.id == ZOLEDRONIC_RULE)
    trigger = next(t for t in alert.triggers if t.input.startswith("creatinine clearance"))
    assert (trigger.kind, trigger.matched) == ("lab", "creatinine clearance")
    assert trigger.code == "loinc:2164-2"


def test_an_older_reported_clearance_does_not_hide_a_newer_creatinine(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    """A clearance of 60 mL/min from 2021 and a creatinine of 1.3 mg/dL from 2026 (70 y,
    female, 50 kg: 31.8 mL/min): the estimate from the newer creatinine is what the rule
    reads; a clearance reported on the creatinine's date (or later) is used instead."""
    labs: list[dict[str, Any]] = [
        {"test": "creatinine clearance", "value": 60, "unit": "mL/min", "date": "2021-03-01"},
        {"test": "creatinine", "value": 1.3, "unit": "mg/dL", "date": "2026-11-01"},
    ]
    profile = zoledronic_profile(age=70, weight="50 kg", labs=labs)
    assert ZOLEDRONIC_RULE in {a.id for a in run(profile, knowledge, vocab).alerts}
    same_day = [dict(labs[0], date="2026-11-01"), labs[1]]
    profile = zoledronic_profile(age=70, weight="50 kg", labs=same_day)
    assert ZOLEDRONIC_RULE not in {a.id for a in run(profile, knowledge, vocab).alerts}


def test_an_older_reported_egfr_does_not_hide_a_newer_creatinine(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    labs: list[dict[str, Any]] = [
        {"test": "eGFR", "value": 75, "unit": "mL/min/1.73m2", "date": "2022-05-01"},
        {"test": "creatinine", "value": 3.5, "unit": "mg/dL", "date": "2026-11-01"},
    ]
    profile = {"age": 70, "sex": "female", "labs": labs, "plan": ["vitamin D3 1000 IU daily"]}
    alerts = {a.id for a in run(profile, knowledge, vocab).alerts}
    assert "ckd-g4-g5-vitamin-d-or-calcium" in alerts
    current = [dict(labs[0], date="2026-11-02"), labs[1]]
    profile = {**profile, "labs": current}
    assert "ckd-g4-g5-vitamin-d-or-calcium" not in {
        a.id for a in run(profile, knowledge, vocab).alerts
    }
