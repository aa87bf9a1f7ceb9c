"""Dietary Reference Intakes: which life-stage row applies to a person.

The values themselves live in ``knowledge/data/tables/dri.csv`` (National Academies DRI
reports: calcium and vitamin D 2011, vitamin K 2001, magnesium 1997), each row with its
source; this module only chooses the row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from d3k2.knowledge.schema import DriRow

MONTHS_PER_YEAR = 12.0


def life_stage_state(pregnant: bool, lactating: bool) -> Literal["none", "pregnancy", "lactation"]:
    if pregnant:
        return "pregnancy"
    if lactating:
        return "lactation"
    return "none"


def dri_row_for(
    rows: Sequence[DriRow],
    nutrient: str,
    *,
    age_years: float,
    sex: str,
    pregnant: bool = False,
    lactating: bool = False,
) -> DriRow | None:
    """The DRI row for this person, or None when the table has no row for the nutrient.

    Pregnancy and lactation rows cover ages 14-50 y; outside that range the nearest
    pregnancy/lactation group is used (the DRI reports give no other).
    """
    state = life_stage_state(pregnant, lactating)
    age_months = age_years * MONTHS_PER_YEAR
    candidates = [
        r for r in rows if r.nutrient == nutrient and r.state == state and r.sex in ("any", sex)
    ]
    if not candidates and state != "none":
        return dri_row_for(rows, nutrient, age_years=age_years, sex=sex)
    for row in candidates:
        upper = row.age_to_months if row.age_to_months is not None else float("inf")
        if row.age_from_months <= age_months < upper:
            return row
    if not candidates:
        return None

    def distance(row: DriRow) -> float:
        upper = row.age_to_months if row.age_to_months is not None else float("inf")
        return min(abs(age_months - row.age_from_months), abs(age_months - upper))

    return min(candidates, key=distance)
