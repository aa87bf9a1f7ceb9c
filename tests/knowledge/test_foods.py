"""The food composition table: validation, and sample values checked against their source.

Expected literals are copied from the cited USDA SR28 records (abbreviated file, per 100 g
edible portion; NDB number in the test), not computed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from d3k2.errors import KnowledgeError
from d3k2.knowledge.base import default_knowledge_base
from d3k2.knowledge.fingerprint import DATA_DIR
from d3k2.knowledge.foods import (
    NUTRIENT_KEYS,
    FoodTable,
    PerHundredGrams,
    load_food_table,
    unit_of,
)


@pytest.fixture(scope="module")
def foods() -> FoodTable:
    return default_knowledge_base().foods


# (food id, NDB number, nutrient key, value in the SR28 record)
SOURCE_SAMPLES = [
    ("cheese_cheddar", "NDB 01009", "calcium_mg", 710),
    ("cheese_cheddar", "NDB 01009", "protein_g", 22.87),
    ("cheese_cheddar", "NDB 01009", "vitamin_d_mcg", 0.6),
    ("cheese_cheddar", "NDB 01009", "vitamin_k1_mcg", 2.4),
    ("natto", "NDB 16113", "calcium_mg", 217),
    ("natto", "NDB 16113", "magnesium_mg", 115),
    ("natto", "NDB 16113", "vitamin_k1_mcg", 23.1),
    ("kale_raw", "NDB 11233", "vitamin_k1_mcg", 704.8),
    ("kale_raw", "NDB 11233", "calcium_mg", 150),
    ("spinach_raw", "NDB 11457", "magnesium_mg", 79),
    ("sardines_canned_oil_bones", "NDB 15088", "calcium_mg", 382),
    ("sardines_canned_oil_bones", "NDB 15088", "vitamin_d_mcg", 4.8),
    ("salmon_pink_canned_total", "NDB 15084", "vitamin_d_mcg", 13.7),
    ("soy_drink_fortified", "NDB 16139", "calcium_mg", 123),
    ("soy_drink_fortified", "NDB 16139", "vitamin_d_mcg", 1.1),
    ("milk_whole", "NDB 01077", "calcium_mg", 113),
    ("orange_juice_calcium_vitamin_d", "NDB 09210", "calcium_mg", 140),
    ("tofu_firm_calcium", "NDB 16126", "calcium_mg", 201),
    ("egg_whole_raw", "NDB 01123", "vitamin_d_mcg", 2.0),
    ("soy_protein_isolate", "NDB 16122", "protein_g", 88.32),
]


@pytest.mark.parametrize(("food_id", "record", "key", "expected"), SOURCE_SAMPLES)
def test_sample_values_match_the_source_record(
    foods: FoodTable, food_id: str, record: str, key: str, expected: float
) -> None:
    food = foods.by_id()[food_id]
    assert food.source.ref == "usda-sr28"
    assert food.source.record == record
    assert food.amount_per_100g(key) == pytest.approx(expected, abs=1e-9)


def test_values_not_reported_stay_missing(foods: FoodTable) -> None:
    by_id = foods.by_id()
    # SR28 leaves vitamin D and K blank for chia seeds (NDB 12006): missing, not zero.
    assert by_id["chia_seeds"].per_100g.vitamin_d_mcg is None
    assert by_id["chia_seeds"].per_100g.vitamin_k1_mcg is None
    # Cheddar's USDA record (FDC 173414) reports MK-4 (8.6 mcg/100 g) and no longer
    # menaquinone: MK-7 stays unknown, not zero, and its K2 counts as only partly known.
    assert by_id["cheese_cheddar"].per_100g.mk4_mcg == pytest.approx(8.6, abs=1e-9)
    assert by_id["cheese_cheddar"].per_100g.mk7_mcg is None
    assert by_id["cheese_cheddar"].reports_menaquinones
    assert not by_id["cheese_cheddar"].reports_long_chain_menaquinones


def test_household_portions_come_from_the_weight_file(foods: FoodTable) -> None:
    cheddar = foods.by_id()["cheese_cheddar"]
    slice_ = next(p for p in cheddar.portions if p.unit_word == "slice")
    assert (slice_.amount, slice_.grams, slice_.ref) == (1, 28, "usda-sr22-weight")
    egg = foods.by_id()["egg_whole_raw"]
    large = next(p for p in egg.portions if p.unit == "large")
    assert large.grams == 50


def test_table_size_and_every_value_sourced(foods: FoodTable) -> None:
    assert len(foods.foods) >= 150
    for food in foods.foods:
        for key in NUTRIENT_KEYS:
            if food.amount_per_100g(key) is not None:
                ref, locator = food.source_of(key)
                assert ref and locator


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def test_a_duplicate_alias_is_rejected(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    path = data / "tables" / "foods.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("aliases: [kefir]", "aliases: [kefir, cheddar]"), "utf-8")
    with pytest.raises(KnowledgeError, match="cheddar"):
        load_food_table(data / "tables", data / "references")


def test_an_unknown_reference_is_rejected(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    path = data / "tables" / "foods.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            'ref: usda-sr28, record: "NDB 16113"', 'ref: nowhere-2099, record: "NDB 16113"'
        ),
        "utf-8",
    )
    with pytest.raises(KnowledgeError, match="nowhere-2099"):
        load_food_table(data / "tables", data / "references")


def test_a_negative_value_is_rejected(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    path = data / "tables" / "foods.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("calcium_mg: 710,", "calcium_mg: -710,"), "utf-8")
    with pytest.raises(KnowledgeError):
        load_food_table(data / "tables", data / "references")


def _table_with(tmp_path: Path, old: str, new: str) -> tuple[Path, Path]:
    data = _copy_data(tmp_path)
    path = data / "tables" / "foods.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    return data / "tables", data / "references"


def test_a_menaquinone_value_without_its_own_source_is_rejected(tmp_path: Path) -> None:
    # American cheese with vitamin D (NDB 01042) has no FDC record (its candidate failed the
    # five-value check), hence no MK-4 of its own
    tables, references = _table_with(
        tmp_path, "calcium_mg: 1045,", "calcium_mg: 1045, mk4_mcg: 10,"
    )
    with pytest.raises(KnowledgeError, match="mk4_mcg needs its own value_sources"):
        load_food_table(tables, references)


def test_an_fdc_id_without_its_data_type_and_reference_is_rejected(tmp_path: Path) -> None:
    tables, references = _table_with(
        tmp_path,
        'description: "CHEESE,PAST PROCESS,AMERICAN,FORT W/ VITAMIN D"}',
        'description: "CHEESE,PAST PROCESS,AMERICAN,FORT W/ VITAMIN D", fdc_id: 1}',
    )
    with pytest.raises(KnowledgeError, match="all or none"):
        load_food_table(tables, references)


def test_vitamin_d_forms_above_the_records_total_are_rejected(tmp_path: Path) -> None:
    tables, references = _table_with(tmp_path, "vitamin_d3_mcg: 2.0", "vitamin_d3_mcg: 2.5")
    with pytest.raises(KnowledgeError, match="exceed vitamin_d_mcg"):
        load_food_table(tables, references)


def test_every_nutrient_key_declares_its_unit() -> None:
    fields = tuple(PerHundredGrams.model_fields)
    assert set(fields) == set(NUTRIENT_KEYS)
    assert {key: unit_of(key) for key in ("protein_g", "calcium_mg", "vitamin_d3_mcg")} == {
        "protein_g": "g",
        "calcium_mg": "mg",
        "vitamin_d3_mcg": "mcg",
    }
    for key in fields:
        assert unit_of(key) in ("g", "mg", "mcg")
    with pytest.raises(ValueError, match="declares no unit"):
        unit_of("vitamin_d_iu")
