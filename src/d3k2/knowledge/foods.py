"""Load the food composition table (``data/tables/foods.yaml``).

The file explains its own format in its header. Every value of a food comes from the record
named by the food's ``source`` (or from ``value_sources`` for a value taken elsewhere); a
value the source does not report is ``None`` and stays ``None`` (never zero). Validation
checks: unique ids and names/aliases, every cited reference exists, every portion has a
positive weight and a source.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from d3k2.errors import KnowledgeError
from d3k2.knowledge.loader import read_table, reference_ids, validate_table
from d3k2.knowledge.schema import Identifier, SourceRef

FOODS_FILE: Final = "foods.yaml"

NUTRIENT_KEYS: Final = (
    "protein_g",
    "calcium_mg",
    "magnesium_mg",
    "vitamin_d_mcg",
    "vitamin_d2_mcg",
    "vitamin_d3_mcg",
    "vitamin_k1_mcg",
    "mk4_mcg",
    "mk7_mcg",
    "vitamin_k_total_mcg",
)
"""Every key of ``per_100g``; the unit is the key's suffix."""

UNITS: Final = ("g", "mg", "mcg")
"""The units a ``per_100g`` key may declare (its suffix)."""


def unit_of(key: str) -> str:
    """The unit a food-table key declares: 'vitamin_d3_mcg' -> 'mcg'."""
    unit = key.rsplit("_", 1)[-1]
    if unit not in UNITS:
        raise ValueError(f"food-table key {key!r} declares no unit of {UNITS}")
    return unit


MENAQUINONE_KEYS: Final = ("mk4_mcg", "mk7_mcg")
"""Vitamin K2 forms the table can hold separately."""

LONG_CHAIN_K2_KEYS: Final = ("mk7_mcg", "vitamin_k_total_mcg")
"""Keys that report menaquinones beyond MK-4 (MK-7, or a measured total). The USDA records
report MK-4 alone (FDC nutrient 1183 = SR 428), so a food with MK-4 only still has K2 the
table does not report: its K2 is known in part, never complete."""

VITAMIN_D_FORM_KEYS: Final = ("vitamin_d2_mcg", "vitamin_d3_mcg")
"""Vitamin D2 and D3 where the record reports them apart (reported only: intake uses the
record's D2 + D3 total, vitamin_d_mcg)."""

OWN_SOURCE_KEYS: Final = (*VITAMIN_D_FORM_KEYS, *MENAQUINONE_KEYS, "vitamin_k_total_mcg")
"""Keys never in the SR28 abbreviated file: each value names its own source and locator."""


def menaquinone_label(key: str) -> str:
    """'mk7_mcg' -> 'MK-7'."""
    return key.removesuffix("_mcg").upper().replace("MK", "MK-")


FdcDataType = Literal["SR Legacy"]
"""FoodData Central data types the table cites (SR Legacy = the SR28 foods)."""

FoodGroup = Literal[
    "dairy",
    "cheese",
    "eggs",
    "soy",
    "plant drinks",
    "juices",
    "greens",
    "vegetables",
    "mushrooms",
    "fish",
    "seafood",
    "meat",
    "nuts and seeds",
    "legumes",
    "fruit",
    "grains",
    "fortified cereals",
    "seaweed",
    "fats",
    "other",
]

Amount = Annotated[float, Field(ge=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class FoodRecord(_Strict):
    """The source record all of a food's values come from."""

    ref: Identifier
    record: str = Field(min_length=1)
    """The record's key in the source (e.g. ``NDB 01009``)."""
    description: str = Field(min_length=1)
    """The source's own name for the record, as printed there."""
    fdc_id: int | None = Field(default=None, gt=0)
    """The record's FoodData Central ID, where the NDB -> FDC mapping was verified."""
    fdc_data_type: FdcDataType | None = None
    fdc_ref: Identifier | None = None
    """The reference through which the FDC ID was verified."""

    @model_validator(mode="after")
    def _fdc_complete(self) -> FoodRecord:
        given = (self.fdc_id is not None, self.fdc_data_type is not None, self.fdc_ref is not None)
        if any(given) and not all(given):
            raise ValueError("fdc_id, fdc_data_type and fdc_ref go together (all or none)")
        return self


class PerHundredGrams(_Strict):
    """Nutrients per 100 g edible portion; None = not reported by the source."""

    protein_g: Amount | None
    calcium_mg: Amount | None
    magnesium_mg: Amount | None
    vitamin_d_mcg: Amount | None
    vitamin_k1_mcg: Amount | None
    vitamin_d2_mcg: Amount | None = None
    vitamin_d3_mcg: Amount | None = None
    mk4_mcg: Amount | None = None
    mk7_mcg: Amount | None = None
    vitamin_k_total_mcg: Amount | None = None
    """Total vitamin K (phylloquinone + menaquinones) where an analysis reports only the
    sum; it is never split into K1 and K2 here."""


class Portion(_Strict):
    """A household measure: ``amount`` ``unit`` weighs ``grams``."""

    amount: float = Field(gt=0)
    unit: str = Field(min_length=1)
    grams: float = Field(gt=0)
    ref: Identifier

    @property
    def grams_per_unit(self) -> float:
        return self.grams / self.amount

    @property
    def unit_word(self) -> str:
        """The first word of the unit, singular and lower case ('slice (1 oz)' -> 'slice')."""
        word = re.split(r"[\s,(]", self.unit.strip().lower(), maxsplit=1)[0]
        return word


class Food(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_]*$")]
    name: str = Field(min_length=2)
    aliases: list[str] = []
    group: FoodGroup
    source: FoodRecord
    per_100g: PerHundredGrams
    value_sources: dict[str, SourceRef] = {}
    portions: list[Portion] = []

    @model_validator(mode="after")
    def _value_sources_name_nutrients(self) -> Food:
        for key in self.value_sources:
            if key not in NUTRIENT_KEYS:
                raise ValueError(f"value_sources names {key!r}, not one of {NUTRIENT_KEYS}")
            if getattr(self.per_100g, key) is None:
                raise ValueError(f"value_sources cites a source for {key!r}, which is null")
        for key in OWN_SOURCE_KEYS:
            if getattr(self.per_100g, key) is not None and key not in self.value_sources:
                raise ValueError(f"{key} needs its own value_sources entry (ref and locator)")
        forms = [getattr(self.per_100g, key) for key in VITAMIN_D_FORM_KEYS]
        total = self.per_100g.vitamin_d_mcg
        known = sum(f for f in forms if f is not None)
        # 0.05: the records print one decimal, so D2 + D3 may round past the total by that.
        if total is not None and known > total + 0.05:
            raise ValueError(f"vitamin D2 + D3 ({known:g}) exceed vitamin_d_mcg ({total:g})")
        return self

    @property
    def reports_long_chain_menaquinones(self) -> bool:
        """True when MK-7 or a measured total vitamin K is known (MK-4 alone is not enough)."""
        return any(getattr(self.per_100g, key) is not None for key in LONG_CHAIN_K2_KEYS)

    @property
    def reports_menaquinones(self) -> bool:
        """True when a menaquinone value (a form or a total including them) is known."""
        keys = (*MENAQUINONE_KEYS, "vitamin_k_total_mcg")
        return any(getattr(self.per_100g, key) is not None for key in keys)

    def amount_per_100g(self, key: str) -> float | None:
        value: float | None = getattr(self.per_100g, key)
        return value

    def source_of(self, key: str) -> tuple[str, str]:
        """(reference id, locator) of one value."""
        cited = self.value_sources.get(key)
        if cited is not None:
            return cited.ref, cited.locator or ""
        return self.source.ref, f"{self.source.record} ({self.source.description})"


class FoodTable(_Strict):
    foods: list[Food]

    @model_validator(mode="after")
    def _unique(self) -> FoodTable:
        seen: dict[str, str] = {}
        for food in self.foods:
            for label in (food.id, food.id.replace("_", " "), food.name, *food.aliases):
                key = normalise_food_name(label)
                owner = seen.get(key)
                if owner is not None and owner != food.id:
                    raise ValueError(f"{label!r} names both {owner!r} and {food.id!r}")
                seen[key] = food.id
        return self

    def by_id(self) -> dict[str, Food]:
        return {food.id: food for food in self.foods}


class ServingExample(_Strict):
    food: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_]*$")]
    portion: str = Field(min_length=1)
    count: float = Field(default=1.0, gt=0)


class QuestionnaireCategory(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_]*$")]
    per: Literal["day", "week"]
    ask: str = Field(min_length=5)
    serving: str = Field(min_length=2)
    examples: list[ServingExample] = Field(min_length=1)


class Questionnaire(_Strict):
    categories: list[QuestionnaireCategory] = Field(min_length=1)

    def category(self, category_id: str) -> QuestionnaireCategory | None:
        return next((c for c in self.categories if c.id == category_id), None)


def serving_grams(example: ServingExample, food: Food) -> float:
    """Grams of one serving: the named portion of the food, times ``count``."""
    portion = next(p for p in food.portions if p.unit == example.portion)
    return portion.grams_per_unit * example.count


def normalise_food_name(text: str) -> str:
    """Lower case, '&' as 'and', punctuation as spaces, single spaces."""
    lowered = text.lower().replace("&", " and ").replace("'s ", "s ")
    return " ".join(re.sub(r"[^a-z0-9%.]+", " ", lowered).split())


QUESTIONNAIRE_FILE: Final = "diet_questionnaire.yaml"


def load_questionnaire(tables_dir: Path, foods: FoodTable) -> Questionnaire:
    """The diet questionnaire; every example names a food and one of its portions."""
    path = tables_dir / QUESTIONNAIRE_FILE
    questionnaire = validate_table(Questionnaire, read_table(path), path)
    by_id = foods.by_id()
    problems: list[str] = []
    ids = [c.id for c in questionnaire.categories]
    if len(set(ids)) != len(ids):
        problems.append(f"{path}: duplicate category id")
    for category in questionnaire.categories:
        for example in category.examples:
            food = by_id.get(example.food)
            if food is None:
                problems.append(f"{path}: {category.id}: no food {example.food!r}")
            elif not any(p.unit == example.portion for p in food.portions):
                problems.append(
                    f"{path}: {category.id}: {example.food} has no portion {example.portion!r}"
                )
    if problems:
        raise KnowledgeError(problems)
    return questionnaire


def load_food_table(tables_dir: Path, references_dir: Path) -> FoodTable:
    """The validated food table; KnowledgeError naming every problem."""
    path = tables_dir / FOODS_FILE
    table = validate_table(FoodTable, read_table(path), path)
    known = reference_ids(references_dir)
    problems: list[str] = []
    for key in NUTRIENT_KEYS:
        try:
            unit_of(key)
        except ValueError as error:
            problems.append(f"{path}: {error}")
    for food in table.foods:
        cited = [food.source.ref, *(s.ref for s in food.value_sources.values())]
        cited += [food.source.fdc_ref] if food.source.fdc_ref else []
        cited += [portion.ref for portion in food.portions]
        problems += [
            f"{path}: food {food.id!r} cites unknown reference {ref!r}"
            for ref in sorted(set(cited))
            if ref not in known
        ]
    if problems:
        raise KnowledgeError(problems)
    return table
