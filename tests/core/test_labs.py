from __future__ import annotations

import pytest

from d3k2.core.labs import band_of, interpret, interpretation_for, latest
from d3k2.core.model import LabResult
from d3k2.core.quantities import convert_lab_value
from d3k2.knowledge.schema import Knowledge


def result(
    value: float, unit: str, test: str = "25ohd", date: str | None = None, order: int = 0
) -> LabResult:
    si = "nmol/L" if test == "25ohd" else "mmol/L"
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
