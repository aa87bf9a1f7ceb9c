from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from d3k2.core.quantities import (
    IU_PER_MCG_VITAMIN_D,
    MAX_ABS_NUMBER,
    NMOL_L_PER_NG_ML_25OHD,
    Quantity,
    amount_in,
    checked_number,
    convert_lab_value,
    format_number,
    normalize_unit,
    parse_body_mass_kg,
    parse_number,
    parse_quantity,
    parse_serum_25ohd_nmol_l,
)
from d3k2.errors import InputError

positive = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)


def test_vitamin_d_iu_definition() -> None:
    # IOM 2011: 1 mcg vitamin D = 40 IU.
    assert IU_PER_MCG_VITAMIN_D == 40
    assert amount_in(4000, "IU", "mcg", nutrient="vitamin_d") == pytest.approx(100)
    assert amount_in(1.25, "mg", "IU", nutrient="vitamin_d") == pytest.approx(50_000)


def test_25ohd_factor_from_molar_mass() -> None:
    # NIH ODS: 1 nmol/L = 0.4 ng/mL; molar mass 400.64 g/mol gives 2.496.
    assert NMOL_L_PER_NG_ML_25OHD == pytest.approx(2.496, abs=5e-4)
    assert parse_serum_25ohd_nmol_l("18 ng/mL") == pytest.approx(44.93, abs=0.01)
    assert parse_serum_25ohd_nmol_l("30 ng/mL") == pytest.approx(74.88, abs=0.01)
    assert parse_serum_25ohd_nmol_l("50 nmol/L") == 50


def test_calcium_conversions() -> None:
    # 10 mg/dL calcium = 2.495 mmol/L (molar mass 40.078); 1 mmol/L Ca2+ = 2 mEq/L.
    assert convert_lab_value("calcium_total", 10, "mg/dL", "mmol/L") == pytest.approx(2.495, 1e-3)
    assert convert_lab_value("calcium_total", 2.5, "mmol/L", "mEq/L") == pytest.approx(5.0)
    assert convert_lab_value("calcium_ionized", 4.8, "mg/dL", "mmol/L") == pytest.approx(
        1.198, 1e-3
    )


def test_other_lab_conversions() -> None:
    # Creatinine 1 mg/dL = 88.4 umol/L (Young 1987); PTH 1 pg/mL ~ 0.106 pmol/L.
    assert convert_lab_value("creatinine", 1, "mg/dL", "umol/L") == pytest.approx(88.4, abs=0.05)
    assert convert_lab_value("pth", 50, "pg/mL", "pmol/L") == pytest.approx(5.3, abs=0.01)
    assert convert_lab_value("albumin", 4.0, "g/dL", "g/L") == pytest.approx(40)
    with pytest.raises(InputError):
        convert_lab_value("25ohd", 10, "mEq/L", "nmol/L")


def test_pounds() -> None:
    assert parse_body_mass_kg("180 lb") == pytest.approx(81.65, abs=0.01)
    assert parse_body_mass_kg("82 kg") == 82
    with pytest.raises(InputError):
        parse_body_mass_kg("82 mg")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("50,000 IU", Quantity(50000, "IU")),
        ("2.85 mmol/L", Quantity(2.85, "mmol/L")),
        ("2,85 mmol/l", Quantity(2.85, "mmol/L")),
        ("18 ng/ml", Quantity(18, "ng/mL")),
        ("100 µg", Quantity(100, "mcg")),
        ("100μg", Quantity(100, "mcg")),
        ("22 mL/min/1.73 m²", Quantity(22, "mL/min/1.73m2")),
    ],
)
def test_parse_quantity(text: str, expected: Quantity) -> None:
    assert parse_quantity(text) == expected


@pytest.mark.parametrize("text", ["18", "eighteen ng/mL", "18 furlongs", ""])
def test_parse_quantity_rejects(text: str) -> None:
    with pytest.raises(InputError):
        parse_quantity(text)


def test_number_without_unit_is_an_error() -> None:
    with pytest.raises(InputError, match="no unit"):
        parse_quantity(18)  # type: ignore[arg-type]


def test_iu_is_not_a_unit_for_vitamin_k() -> None:
    with pytest.raises(InputError, match="IU is not a unit"):
        amount_in(100, "IU", "mcg", nutrient="vitamin_k")


@given(positive)
def test_vitamin_d_round_trip(mcg: float) -> None:
    iu = amount_in(mcg, "mcg", "IU", nutrient="vitamin_d")
    assert amount_in(iu, "IU", "mcg", nutrient="vitamin_d") == pytest.approx(mcg, rel=1e-12)


@given(positive, st.sampled_from(["mcg", "mg", "g"]), st.sampled_from(["mcg", "mg", "g"]))
def test_mass_round_trip(value: float, a: str, b: str) -> None:
    there = amount_in(value, a, b, nutrient="calcium")
    assert amount_in(there, b, a, nutrient="calcium") == pytest.approx(value, rel=1e-12)


@given(
    positive,
    st.sampled_from(
        [
            ("25ohd", "ng/mL", "nmol/L"),
            ("calcium_total", "mg/dL", "mmol/L"),
            ("calcium_total", "mEq/L", "mg/dL"),
            ("magnesium", "mg/dL", "mEq/L"),
            ("phosphate", "mg/dL", "mmol/L"),
            ("pth", "pg/mL", "pmol/L"),
            ("calcitriol_serum", "pg/mL", "pmol/L"),
        ]
    ),
)
def test_lab_round_trip(value: float, case: tuple[str, str, str]) -> None:
    test, a, b = case
    there = convert_lab_value(test, value, a, b)
    assert there > 0
    assert convert_lab_value(test, there, b, a) == pytest.approx(value, rel=1e-9)


@given(st.integers(min_value=0, max_value=10**9))
def test_thousands_separator(number: int) -> None:
    assert parse_number(f"{number:,}") == number


@given(st.floats(min_value=0.01, max_value=1e7, allow_nan=False))
def test_format_then_parse(value: float) -> None:
    # Display precision: 3 significant digits below 1, 4 above (at worst 0.5 % off).
    text = format_number(value)
    assert math.isclose(parse_number(text), value, rel_tol=5e-3)


@given(st.sampled_from(["NG/ML", "ng/mL", " ng/ml ", "Nmol/L", "MMOL/L", "Mg/dL", "IU", "mcg"]))
def test_normalize_unit_is_idempotent(unit: str) -> None:
    once = normalize_unit(unit)
    assert normalize_unit(once) == once


@pytest.mark.parametrize("value", [10**309, -(10**309), float("inf"), float("nan"), 1e13, -1e13])
def test_checked_number_refuses_what_cannot_be_computed_with(value: float) -> None:
    with pytest.raises(InputError):
        checked_number(value)


@pytest.mark.parametrize("text", ["1" + "0" * 400, "1" + "0" * 13, "1e400"])
def test_parse_number_refuses_huge_numbers_quoting_a_short_text(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_number(text)
    assert len(caught.value.message) < 200


def test_checked_number_keeps_ordinary_numbers() -> None:
    assert checked_number(50_000) == 50_000.0
    assert checked_number(-2.5) == -2.5
    assert checked_number(MAX_ABS_NUMBER) == MAX_ABS_NUMBER
