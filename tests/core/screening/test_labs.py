from __future__ import annotations

import pytest

from d3k2.core.quantities import convert_lab_value
from d3k2.core.screening.labs import band_of, interpret, interpretation_for, latest
from d3k2.core.screening.model import LabResult
from d3k2.knowledge.schema import Knowledge


def result(
    value: float, unit: str, test: str = "25ohd", date: str | None = None, order: int = 0
) -> LabResult:
    si = {"25ohd": "nmol/L", "egfr": "mL/min/1.73m2"}.get(test, "mmol/L")
    return LabResult(
        input=f"{value} {unit}",
        test=test,
        test_name=test,
        value=value,
        unit=unit,
        value_si=convert_lab_value(test, value, unit, si),
        unit_si=si,
        date=date,
        order=order,
    )


@pytest.mark.parametrize(
    ("guideline", "value", "unit", "category"),
    [
        # NAM 2011 (NIH ODS table): < 12 ng/mL (30 nmol/L) deficient, 12-20 (30-50)
        # inadequate, >= 20 (50) adequate, > 50 ng/mL (125 nmol/L) high; toxicity > 150 ng/mL.
        ("nam-2011", 20, "ng/mL", "adequate"),
        ("nam-2011", 19.9, "ng/mL", "inadequate"),
        ("nam-2011", 50, "nmol/L", "adequate"),
        ("nam-2011", 49.9, "nmol/L", "inadequate"),
        ("nam-2011", 11.9, "ng/mL", "deficient"),
        ("nam-2011", 50, "ng/mL", "high"),
        ("nam-2011", 150, "ng/mL", "toxic"),
        ("nam-2011", 375, "nmol/L", "toxic"),
        # Endocrine Society 2011: < 20 ng/mL deficient, 21-29 insufficient, >= 30 sufficient.
        ("endocrine-2011", 30, "ng/mL", "sufficient"),
        ("endocrine-2011", 29.9, "ng/mL", "insufficient"),
        ("endocrine-2011", 19.9, "ng/mL", "deficient"),
        ("endocrine-2011", 75, "nmol/L", "sufficient"),
        ("endocrine-2011", 74.9, "nmol/L", "insufficient"),
    ],
)
def test_25ohd_edges_in_the_unit_reported(
    knowledge: Knowledge, guideline: str, value: float, unit: str, category: str
) -> None:
    interpretation = interpretation_for(knowledge, "25ohd", guideline)
    assert interpretation is not None
    band = band_of(result(value, unit), interpretation)
    assert band is not None and band.category == category


def test_endocrine_2024_states_it_sets_no_thresholds(knowledge: Knowledge) -> None:
    reading = interpret(result(10, "ng/mL"), knowledge, "endocrine-2024")
    assert reading.category is None
    assert reading.interpretation is not None and "does not endorse" in reading.interpretation


def test_calcium_grades(knowledge: Knowledge) -> None:
    # 12 mg/dL = 2.99 mmol/L: still mild by the mmol/L edge of 3.0.
    assert (
        interpret(result(2.85, "mmol/L", "calcium_total"), knowledge, "nam-2011").category
        == "high_mild"
    )
    assert (
        interpret(result(14.2, "mg/dL", "calcium_total"), knowledge, "nam-2011").category
        == "high_severe"
    )
    assert (
        interpret(result(2.4, "mmol/L", "calcium_total"), knowledge, "nam-2011").category
        == "normal"
    )


def test_latest_prefers_dated_then_last_listed() -> None:
    older = result(20, "ng/mL", date="2025-01-01", order=0)
    newer = result(30, "ng/mL", date="2026-01-01", order=1)
    assert latest((newer, older), "25ohd") == newer
    a, b = result(20, "ng/mL", order=0), result(30, "ng/mL", order=1)
    assert latest((a, b), "25ohd") == b
    assert latest((a,), "calcium_total") is None


def creatinine(value_mg_dl: float) -> LabResult:
    return LabResult(
        input=f"creatinine {value_mg_dl} mg/dL",
        test="creatinine",
        test_name="creatinine",
        value=value_mg_dl,
        unit="mg/dL",
        value_si=value_mg_dl * 88.4,
        unit_si="umol/L",
        date="2026-11-01",
    )


def test_ckd_epi_2021_worked_example(knowledge: Knowledge) -> None:
    # National Kidney Foundation worked example: woman, 55 y, creatinine 0.9 mg/dL -> ~76.
    from d3k2.core.screening.labs import estimated_egfr

    (egfr,) = estimated_egfr(
        (creatinine(0.9),), knowledge.egfr_equation, age_years=55, sex="female"
    )
    assert egfr.value == pytest.approx(76, abs=1)


def test_ckd_epi_2021_high_creatinine_man(knowledge: Knowledge) -> None:
    from d3k2.core.screening.labs import estimated_egfr

    # 142 x (4.5/0.9)^-1.2 x 0.9938^70 = 142 x 0.14495 x 0.6471 = 13.3 (KDIGO G5)
    (egfr,) = estimated_egfr((creatinine(4.5),), knowledge.egfr_equation, age_years=70, sex="male")
    assert egfr.value == pytest.approx(13.3, abs=0.05)


def test_no_estimate_for_children_or_when_egfr_is_given(knowledge: Knowledge) -> None:
    from d3k2.core.screening.labs import estimated_egfr

    assert (
        estimated_egfr((creatinine(0.5),), knowledge.egfr_equation, age_years=10, sex="male") == ()
    )
    given = result(60, "mL/min/1.73m2", "egfr")
    assert (
        estimated_egfr((creatinine(1.0), given), knowledge.egfr_equation, age_years=50, sex="male")
        == ()
    )


@pytest.mark.parametrize(
    ("value", "unit", "category"),
    [
        (12, "mg/dL", "high_moderate"),
        (14, "mg/dL", "high_severe"),
        (10.4, "mg/dL", "high_mild"),
        (10.3, "mg/dL", "normal"),
    ],
)
def test_calcium_mg_dl_edges_as_published(
    knowledge: Knowledge, value: float, unit: str, category: str
) -> None:
    interpretation = interpretation_for(knowledge, "calcium_total", "default")
    assert interpretation is not None
    band = band_of(result(value, unit, "calcium_total"), interpretation)
    assert band is not None and band.category == category
