"""Engine methods the doors share for issue 12: ``diet`` and ``check_label``."""

from __future__ import annotations

import datetime as dt

import pytest

from d3k2.api import Engine
from d3k2.errors import InputError

TODAY = dt.date(2026, 11, 1)


def test_diet_takes_a_list_a_mapping_or_a_profile() -> None:
    engine = Engine.default()
    alone = engine.diet(["2 slices cheddar"], today=TODAY)
    assert alone.report is None
    assert alone.diet is not None
    assert alone.diet.per_day()["calcium"] == pytest.approx(397.6, abs=0.1)
    profile = {
        "age": 72,
        "sex": "female",
        "plan": ["calcium 1000 mg elemental daily"],
        "diet": {"foods": ["2 slices cheddar"], "calcium": "800 mg"},
        "medications": ["warfarin"],  # not a field the diet command uses
    }
    both = engine.diet(profile, today=TODAY)
    assert both.report is not None
    calcium = next(row for row in both.report.intake if row.nutrient == "calcium")
    assert calcium.supplement_per_day == pytest.approx(1000.0)
    assert calcium.diet_per_day == pytest.approx(1197.6, abs=0.1)  # 397.6 listed + 800 stated
    assert calcium.exceeds_upper_limit is True  # 2197.6 mg > 2,000 mg UL from 51 years
    with_options = engine.diet({"foods": ["1 cup whole milk"]}, today=TODAY, age=30, sex="male")
    assert with_options.report is not None


def test_diet_refuses_what_is_not_a_diet() -> None:
    with pytest.raises(InputError, match="list of foods or a mapping"):
        Engine.default().diet("cheese", today=TODAY)


def test_a_label_value_the_reader_cannot_take_is_an_input_error() -> None:
    label = {
        "product": "x",
        "serving": "1 tablet",
        "ingredients": [{"name": "Vitamin D3", "amount": "abc", "unit": "mcg"}],
    }
    with pytest.raises(InputError) as raised:
        Engine.default().check_label(label)
    assert raised.value.where == "ingredients[0].amount"
    assert "amount is a number" in raised.value.message
