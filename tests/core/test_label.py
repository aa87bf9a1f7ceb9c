"""Supplement Facts label checks: one fixture per rule (tests/fixtures/labels), including
labels that pass. Expected figures are worked by hand from the Daily Values of 21 CFR
101.9(c)(8)(iv) (vitamin D 20 mcg, vitamin K 120 mcg, calcium 1,300 mg, magnesium 420 mg)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from d3k2.api import Engine, LabelCheck
from d3k2.core.label import expected_percent_dv
from d3k2.errors import InputError
from d3k2.reading.label import servings_from_directions
from d3k2.yamlio import read_structured, to_plain

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "labels"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.default()


def _check(engine: Engine, name: str) -> LabelCheck:
    return engine.check_label(to_plain(read_structured(FIXTURES / name)))


def _flagged(result: LabelCheck) -> set[tuple[str, str]]:
    return {(f.check, f.status) for f in result.findings if f.status in ("problem", "warning")}


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("pass_d3_k2.yaml", set()),
        ("pass_calcium_citrate.yaml", set()),
        ("fail_vitamin_d_iu_only.yaml", {("vitamin_d_unit", "problem"), ("percent_dv", "problem")}),
        ("fail_percent_dv_old_daily_value.yaml", {("percent_dv", "problem")}),
        ("fail_iu_mismatch.yaml", {("vitamin_d_unit", "problem")}),
        ("fail_implausible_mk7_mg.yaml", {("implausible_amount", "problem")}),  # no K UL
        ("warn_vitamin_k_form_not_named.yaml", {("vitamin_k_form", "warning")}),
        ("warn_calcium_salt_not_named.yaml", {("calcium_salt", "warning")}),
        ("warn_above_ul_from_directions.yaml", {("upper_limit", "warning")}),
        ("warn_no_directions.yaml", {("daily_dose", "warning")}),
        ("dsld_format_example.json", set()),
    ],
)  # fmt: skip
def test_each_fixture_flags_exactly_its_rule(
    engine: Engine, fixture: str, expected: set[tuple[str, str]]
) -> None:
    assert _flagged(_check(engine, fixture)) == expected


def test_percent_dv_uses_the_current_daily_values() -> None:
    assert expected_percent_dv(25, 20) == 125  # 25 mcg vitamin D
    assert expected_percent_dv(100, 120) == 83  # 100 mcg MK-7: 83.3 -> 83
    assert expected_percent_dv(500, 1300) == 38  # 38.46 -> 38
    assert expected_percent_dv(50, 420) == 12  # 11.9 -> 12
    assert expected_percent_dv(2.5, 1300) == 0  # below 1%: "<1%"


def test_old_daily_value_is_named_as_the_problem(engine: Engine) -> None:
    result = _check(engine, "fail_percent_dv_old_daily_value.yaml")
    calcium = next(
        f for f in result.findings if f.check == "percent_dv" and "Calcium" in (f.row or "")
    )
    assert "expected 38%" in calcium.message and "declared 50%" in calcium.message
    assert calcium.source and "cfr-21-101.9" in calcium.source


def test_daily_dose_from_the_directions_is_checked_against_every_life_stage(
    engine: Engine,
) -> None:
    result = _check(engine, "warn_above_ul_from_directions.yaml")
    dose = result.doses[0]
    assert (dose.per_serving, dose.per_day_max) == (50, 150)  # 1-3 softgels of 50 mcg
    ul = next(f for f in result.findings if f.check == "upper_limit")
    assert "19-30 y" in ul.message and ul.source and "nam-2011" in ul.source


def test_a_dose_above_only_a_childs_ul_is_information_not_a_warning(engine: Engine) -> None:
    result = _check(engine, "pass_calcium_citrate.yaml")  # Mg 100 mg/day > UL 65 mg at 1-3 y
    ul = next(
        f for f in result.findings if f.check == "upper_limit" and "Magnesium" in (f.row or "")
    )
    assert ul.status == "info" and "1-3 y" in ul.message


def test_dsld_shape_is_read(engine: Engine) -> None:
    result = _check(engine, "dsld_format_example.json")
    assert result.label.servings_per_day == (1, 2)
    assert [(r.nutrient, r.form, r.iu) for r in result.label.rows] == [
        ("vitamin_d", "cholecalciferol", 2000.0),
        ("vitamin_k", "mk7", None),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Take 1 capsule daily.", (1, 1)),
        ("Take 1-2 tablets twice daily with food", (2, 4)),
        ("Adults: take 2 softgels a day", (2, 2)),
        ("Take 1 capsule three times per day", (3, 3)),
        ("Use as directed by your physician", None),
        # weekly, monthly and every-other-day directions are averaged over their days
        ("Take 1 capsule once a week", (1 / 7, 1 / 7)),
        ("Take 1 capsule twice weekly", (2 / 7, 2 / 7)),
        ("Take 1 capsule 3 times per week", (3 / 7, 3 / 7)),
        ("Once a week, take 1 capsule.", (1 / 7, 1 / 7)),
        ("Take 1 softgel monthly", (1 / 30, 1 / 30)),
        ("Take 1 capsule every other day", (0.5, 0.5)),
        # a duration is not a frequency: daily for 8 weeks is daily
        ("Take 1 capsule daily for 8 weeks", (1, 1)),
        ("Take 2 softgels every day for 3 months", (2, 2)),
        # several amounts add up, unless "or" makes them alternatives
        ("Take 1 capsule in the morning and 1 capsule in the evening daily", (2, 2)),
        ("Take 1 capsule daily or 2 capsules with a meal", (1, 2)),
        # another sentence does not change the frequency
        ("Take 2 capsules once daily. Store for up to 6 weeks after opening.", (2, 2)),
    ],
)
def test_servings_from_directions(text: str, expected: tuple[float, float] | None) -> None:
    found = servings_from_directions(text)
    if expected is None:
        assert found is None
    else:
        assert found == pytest.approx(expected)


def test_the_upper_limit_is_checked_per_nutrient_over_all_lines(engine: Engine) -> None:
    """Vitamin D3 60 mcg and vitamin D2 60 mcg in one serving: 120 mcg of vitamin D a day,
    above the adult UL of 100 mcg, although each line alone is below it."""
    result = engine.check_label(
        {
            "product": "two forms",
            "serving": "1 softgel",
            "servings_per_day": 1,
            "ingredients": [
                {"name": "Vitamin D3 (as cholecalciferol)", "amount": 60, "unit": "mcg"},
                {"name": "Vitamin D2 (as ergocalciferol)", "amount": 60, "unit": "mcg"},
            ],
        }
    )
    ul = [f for f in result.findings if f.check == "upper_limit"]
    assert len(ul) == 1
    assert ul[0].status == "warning"
    assert ul[0].message.startswith("120 mcg/day from this product alone is above the UL")


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"servings_per_day": -3}, "servings_per_day"),
        ({"servings_per_day": 0}, "servings_per_day"),
        (
            {"ingredients": [{"name": "Vitamin D3", "amount": float("nan"), "unit": "mcg"}]},
            "amount",
        ),
        ({"ingredients": [{"name": "Vitamin D3", "amount": 1e400, "unit": "mcg"}]}, "amount"),
        ({"ingredients": [{"name": "Vitamin D3", "amount": -5, "unit": "mcg"}]}, "amount"),
    ],
)
def test_impossible_numbers_are_refused_at_their_field(
    engine: Engine, change: dict[str, Any], where: str
) -> None:
    label: dict[str, Any] = {
        "product": "x",
        "serving": "1 capsule",
        "ingredients": [{"name": "Vitamin D3", "amount": 200, "unit": "mcg"}],
        **change,
    }
    with pytest.raises(InputError) as raised:
        engine.check_label(label)
    assert raised.value.where is not None and str(raised.value.where).endswith(where)


def test_a_servings_range_written_high_first_is_put_in_order(engine: Engine) -> None:
    result = engine.check_label(
        {
            "product": "x",
            "serving": "1 capsule",
            "servings_per_day": [3, 1],
            "ingredients": [{"name": "Vitamin D3", "amount": 25, "unit": "mcg"}],
        }
    )
    assert result.label.servings_per_day == (1, 3)
