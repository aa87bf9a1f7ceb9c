"""Food table values that come from sources other than the SR28 abbreviated file, checked
against the records they were transcribed from.

Every expected literal below was copied from the source named in its row, not from the
table:

- FDC IDs: the FoodData Central SR Legacy JSON release 2021-10-28 (public extract; each
  record's ``fdcId``, ``ndbNumber`` and ``description``), reference ``usda-fdc-sr-legacy``.
- Vitamin D3: the SR Legacy ``food_nutrient`` rows of nutrient 1112 (Vitamin D3
  (cholecalciferol), SR nutrient 326) for the given FDC ID.
- Menaquinones: the abstracts of Kamao et al. 2007 (natto MK-7) and Fu et al. 2017
  (total vitamin K of US dairy foods).
"""

from __future__ import annotations

import pytest

from d3k2.knowledge.base import default_knowledge_base
from d3k2.knowledge.foods import FoodTable


@pytest.fixture(scope="module")
def foods() -> FoodTable:
    return default_knowledge_base().foods


# (food id, NDB number of the table's record, FDC ID, FDC description) from the FDC
# SR Legacy JSON records; the description is checked by eye against the SR28 one.
FDC_SAMPLES = [
    ("milk_whole", "NDB 01077", 171265, "Milk, whole, 3.25% milkfat, with added vitamin D"),
    ("milk_skim_calcium_fortified", "NDB 42290", 169868, "Milk, fluid, nonfat, calcium fortified"),
    ("yogurt_greek_plain_nonfat", "NDB 01256", 170894, "Yogurt, Greek, plain, nonfat"),
    ("egg_whole_raw", "NDB 01123", 171287, "Egg, whole, raw, fresh"),
    ("egg_hard_boiled", "NDB 01129", 173424, "Egg, whole, cooked, hard-boiled"),
    ("egg_white_raw", "NDB 01124", 172183, "Egg, white, raw, fresh"),
    ("almond_drink_unsweetened", "NDB 14091", 174832, "Beverages, almond milk, unsweetened"),
    ("spinach_raw", "NDB 11457", 168462, "Spinach, raw"),
    ("broccoli_raw", "NDB 11090", 170379, "Broccoli, raw"),
    ("potato_baked", "NDB 11674", 170093, "Potatoes, baked, flesh and skin, without salt"),
    ("salmon_atlantic_farmed_cooked", "NDB 15237", 175168, "Fish, salmon, Atlantic, farmed"),
    ("tuna_light_canned_water", "NDB 15121", 173709, "Fish, tuna, light, canned in water"),
    ("chicken_breast_roasted", "NDB 05064", 171477, "Chicken, broilers or fryers, breast"),
    ("beef_ground_93", "NDB 23472", 173110, "Beef, ground, 93% lean meat / 7% fat, raw"),
    ("blueberries_raw", "NDB 09050", 171711, "Blueberries, raw"),
    ("bananas", "NDB 09040", 173944, "Bananas, raw"),
    ("avocado", "NDB 09037", 171705, "Avocados, raw, all commercial varieties"),
    ("apples", "NDB 09003", 171688, "Apples, raw, with skin"),
    ("rice_brown_cooked", "NDB 20037", 169704, "Rice, brown, long-grain, cooked"),
]


@pytest.mark.parametrize(("food_id", "record", "fdc_id", "fdc_description"), FDC_SAMPLES)
def test_fdc_ids_match_the_sr_legacy_records(
    foods: FoodTable, food_id: str, record: str, fdc_id: int, fdc_description: str
) -> None:
    source = foods.by_id()[food_id].source
    assert source.record == record
    assert source.fdc_id == fdc_id, fdc_description
    assert source.fdc_data_type == "SR Legacy"
    assert source.fdc_ref == "usda-fdc-sr-legacy"


def test_only_verified_foods_carry_an_fdc_id(foods: FoodTable) -> None:
    with_id = {food.id for food in foods.foods if food.source.fdc_id is not None}
    assert with_id == {row[0] for row in FDC_SAMPLES}
    ids = [food.source.fdc_id for food in foods.foods if food.source.fdc_id is not None]
    assert len(ids) == len(set(ids))


# (food id, key, value, reference, what the locator must name)
OTHER_SOURCE_SAMPLES = [
    # FDC SR Legacy food_nutrient, nutrient 1112 (D3), by FDC ID
    ("egg_whole_raw", "vitamin_d3_mcg", 2.0, "usda-fdc-sr-legacy", "FDC 171287"),
    ("chicken_breast_roasted", "vitamin_d3_mcg", 0.1, "usda-fdc-sr-legacy", "FDC 171477"),
    ("beef_ground_93", "vitamin_d3_mcg", 0.1, "usda-fdc-sr-legacy", "FDC 173110"),
    # Kamao 2007, abstract: natto 939 micrograms MK-7 per 100 g
    ("natto", "mk7_mcg", 939, "kamao-2007-japanese-foods", "Abstract"),
    # Fu 2017, abstract: total vitamin K (mean) per 100 g
    ("milk_2pct", "vitamin_k_total_mcg", 19.4, "fu-2017-dairy-vitamin-k", "2%-fat milk"),
    ("milk_1pct", "vitamin_k_total_mcg", 12.9, "fu-2017-dairy-vitamin-k", "1%-fat milk"),
    ("milk_skim", "vitamin_k_total_mcg", 7.7, "fu-2017-dairy-vitamin-k", "nonfat milk"),
    ("cheese_blue", "vitamin_k_total_mcg", 440, "fu-2017-dairy-vitamin-k", "blue cheese"),
]


@pytest.mark.parametrize(("food_id", "key", "expected", "ref", "locator"), OTHER_SOURCE_SAMPLES)
def test_values_from_other_sources_match_and_cite_them(
    foods: FoodTable, food_id: str, key: str, expected: float, ref: str, locator: str
) -> None:
    food = foods.by_id()[food_id]
    assert food.amount_per_100g(key) == pytest.approx(expected, abs=1e-9)
    cited_ref, cited_locator = food.source_of(key)
    assert cited_ref == ref
    assert locator in cited_locator


def test_the_d3_rows_agree_with_the_records_d2_plus_d3_total(foods: FoodTable) -> None:
    # FDC nutrient 1114 (Vitamin D (D2 + D3)) of the same rows: 2.0, 0.1, 0.1 ug/100 g,
    # equal to the SR28 totals the table cites: the rows belong to the same food.
    by_id = foods.by_id()
    for food_id, total in (
        ("egg_whole_raw", 2.0),
        ("chicken_breast_roasted", 0.1),
        ("beef_ground_93", 0.1),
    ):
        assert by_id[food_id].per_100g.vitamin_d_mcg == pytest.approx(total, abs=1e-9)


def test_forms_the_read_records_do_not_report_stay_missing(foods: FoodTable) -> None:
    by_id = foods.by_id()
    # FDC 171287 (egg) has no D2 (1111) and no menaquinone-4 (1183) row.
    assert by_id["egg_whole_raw"].per_100g.vitamin_d2_mcg is None
    assert by_id["egg_whole_raw"].per_100g.mk4_mcg is None
    # Fu 2017's total is never split: the milk has no MK-n value of its own.
    assert by_id["milk_2pct"].per_100g.mk4_mcg is None
    assert by_id["milk_2pct"].per_100g.mk7_mcg is None
    counted = [food.id for food in foods.foods if food.reports_menaquinones]
    assert sorted(counted) == ["cheese_blue", "milk_1pct", "milk_2pct", "milk_skim", "natto"]
