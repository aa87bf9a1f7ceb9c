"""Load the supplement-label rules (``data/tables/daily_values.yaml``): Daily Values, %DV
rounding and the vitamin D unit rule, each with its source."""

from __future__ import annotations

from pathlib import Path
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from d3k2.errors import KnowledgeError
from d3k2.knowledge.loader import read_table, reference_ids, validate_table
from d3k2.knowledge.schema import Identifier, NutrientId

LABELS_FILE: Final = "daily_values.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class _Cited(_Strict):
    """A value or rule with its source."""

    ref: Identifier
    locator: str = Field(min_length=1)
    locator_verified: bool = True
    """False when the locator could not be checked in the source's text (shown with the
    finding)."""
    note: str | None = None
    """What was and was not verified in the source."""

    @property
    def cited(self) -> str:
        """``ref: locator``, flagged when the locator is not verified."""
        flag = "" if self.locator_verified else " (locator not verified)"
        return f"{self.ref}: {self.locator}{flag}"


class DailyValue(_Cited):
    nutrient: NutrientId
    amount: float = Field(gt=0)
    unit: Literal["mcg", "mg", "g"]


class PercentDvRule(_Cited):
    rounding: Literal["nearest whole percent"]
    below_one_percent_text: list[str] = Field(min_length=1)
    tolerance_percent_points: float = Field(ge=0)


class VitaminDUnitRule(_Cited):
    required: Literal["mcg"]
    optional_in_parentheses: Literal["IU"]
    iu_per_mcg: float = Field(gt=0)


class LabelRules(_Strict):
    daily_values: list[DailyValue] = Field(min_length=1)
    percent_dv: PercentDvRule
    vitamin_d_units: VitaminDUnitRule

    def daily_value(self, nutrient: str) -> DailyValue | None:
        return next((dv for dv in self.daily_values if dv.nutrient == nutrient), None)


def load_label_rules(tables_dir: Path, references_dir: Path) -> LabelRules:
    path = tables_dir / LABELS_FILE
    rules = validate_table(LabelRules, read_table(path), path)
    known = reference_ids(references_dir)
    cited = [dv.ref for dv in rules.daily_values]
    cited += [rules.percent_dv.ref, rules.vitamin_d_units.ref]
    unknown = sorted({ref for ref in cited if ref not in known})
    if unknown:
        raise KnowledgeError([f"{path}: cites unknown reference {ref!r}" for ref in unknown])
    nutrients = [dv.nutrient for dv in rules.daily_values]
    if len(set(nutrients)) != len(nutrients):
        raise KnowledgeError([f"{path}: a nutrient has two Daily Values"])
    return rules
