"""Choosing the DRI row (values themselves are tested in tests/knowledge/test_dri_values.py)."""

from __future__ import annotations

import pytest

from d3k2.core.screening.dri import dri_row_for
from d3k2.knowledge.schema import Knowledge


@pytest.mark.parametrize(
    ("nutrient", "age", "sex", "pregnant", "lactating", "life_stage", "ul"),
    [
        ("vitamin_d", 0.25, "female", False, False, "0-6 mo", 25),
        ("vitamin_d", 0.75, "male", False, False, "7-12 mo", 37.5),
        ("vitamin_d", 2, "male", False, False, "1-3 y", 62.5),
        ("vitamin_d", 71, "female", False, False, ">70 y", 100),
        ("calcium", 55, "female", False, False, "51-70 y", 2000),
        ("calcium", 30, "female", True, False, "pregnancy 19-30 y", 2500),
        ("calcium", 17, "female", False, True, "lactation 14-18 y", 3000),
        ("magnesium", 40, "male", False, False, "31-50 y", 350),
    ],
)
def test_row_for_life_stage(
    knowledge: Knowledge,
    nutrient: str,
    age: float,
    sex: str,
    pregnant: bool,
    lactating: bool,
    life_stage: str,
    ul: float,
) -> None:
    row = dri_row_for(
        knowledge.dri, nutrient, age_years=age, sex=sex, pregnant=pregnant, lactating=lactating
    )
    assert row is not None
    assert row.life_stage == life_stage
    assert row.ul == ul  # 37.5 and 62.5 mcg are 1,500 and 2,500 IU (NAM 2011)


def test_pregnancy_outside_14_to_50_uses_the_nearest_pregnancy_group(knowledge: Knowledge) -> None:
    row = dri_row_for(knowledge.dri, "calcium", age_years=13, sex="female", pregnant=True)
    assert row is not None and row.life_stage == "pregnancy 14-18 y"


def test_vitamin_k_has_no_upper_limit(knowledge: Knowledge) -> None:
    row = dri_row_for(knowledge.dri, "vitamin_k", age_years=40, sex="female")
    assert row is not None and row.ul is None and row.recommended == 90


def test_unknown_nutrient(knowledge: Knowledge) -> None:
    assert dri_row_for(knowledge.dri, "zinc", age_years=40, sex="female") is None
