"""The regimen model built from structured numbers (no text read): dose days, per-day
averages, concurrent totals, vitamin D dose events, elemental amounts and the wording of
intervals. Reading regimen text is tested in tests/reading/test_regimen.py."""

from __future__ import annotations

import pytest

from d3k2.core.quantities import Quantity
from d3k2.core.regimen import (
    NutrientCatalog,
    Regimen,
    RegimenSegment,
    amount_in_dri_unit,
    describe_interval,
    dose_regimen,
    max_concurrent_per_day,
    vitamin_d_dose_events_iu,
)
from d3k2.errors import InputError
from d3k2.knowledge.loader import DATA_DIR
from d3k2.knowledge.schema import Nutrients
from d3k2.yamlio import read_structured, to_plain

CATALOG = NutrientCatalog(
    {
        n.id: n
        for n in Nutrients.model_validate(
            to_plain(read_structured(DATA_DIR / "vocab" / "nutrients.yaml"))
        ).nutrients
    }
)


def test_weekly_dose_from_numbers() -> None:
    regimen = dose_regimen(
        CATALOG,
        nutrient="vitamin_d",
        form="cholecalciferol",
        amount=50_000,
        unit="IU",
        interval_days=7,
        duration_days=56,
    )
    (segment,) = regimen.segments
    assert segment.amount_per_dose == pytest.approx(1250)  # mcg: 50,000 IU / 40 IU per mcg
    assert segment.per_day_average == pytest.approx(1250 / 7)
    assert segment.end_day == 56
    assert segment.dose_days(400) == [0, 7, 14, 21, 28, 35, 42, 49]
    assert vitamin_d_dose_events_iu(regimen, 15) == [(0, 50_000), (7, 50_000), (14, 50_000)]
    assert segment.describe() == "1,250 mcg (50,000 IU) weekly for 56 days"


def test_weekday_pattern_follows_the_days() -> None:
    segment = RegimenSegment("vitamin_d", "cholecalciferol", 25.0, "mcg", 7 / 3, weekdays=(0, 2, 4))
    assert segment.dose_days(14) == [0, 2, 4, 7, 9, 11]
    assert segment.describe() == "25 mcg (1,000 IU) 3 times weekly (Mon/Wed/Fri)"


def test_single_dose_has_one_day_and_no_average() -> None:
    (segment,) = dose_regimen(
        CATALOG, nutrient="vitamin_d", form=None, amount=100_000, unit="IU", interval_days=None
    ).segments
    assert segment.per_day_average is None
    assert segment.dose_days(30) == [0]
    assert segment.form == "vitamin_d_unspecified"


def test_concurrent_regimens_add_up_while_they_overlap() -> None:
    loading = RegimenSegment("calcium", "calcium_citrate", 500.0, "mg", 1.0, duration_days=30)
    later = RegimenSegment("calcium", "calcium_citrate", 300.0, "mg", 0.5, start_day=30)
    other = RegimenSegment("calcium", "calcium_citrate", 200.0, "mg", 1.0)
    assert max_concurrent_per_day([Regimen((loading, later)), Regimen((other,))], "calcium") == (
        pytest.approx(800)
    )
    assert max_concurrent_per_day([Regimen((other,))], "magnesium") == 0


def test_a_listed_salt_strength_is_salt_weight_unless_stated_elemental() -> None:
    calcium = CATALOG.nutrients["calcium"]
    carbonate = CATALOG.form("calcium", "calcium_carbonate")
    amount, assumptions = amount_in_dri_unit(Quantity(1250, "mg"), calcium, carbonate)
    assert amount == pytest.approx(500)  # 1250 mg x 0.40 elemental share
    assert len(assumptions) == 1
    amount, assumptions = amount_in_dri_unit(
        Quantity(1250, "mg"), calcium, carbonate, stated_elemental=True
    )
    assert (amount, assumptions) == (1250, [])


def test_a_named_salt_of_unknown_share_is_an_assumption() -> None:
    magnesium = CATALOG.nutrients["magnesium"]
    unspecified = CATALOG.form("magnesium", None)
    amount, assumptions = amount_in_dri_unit(
        Quantity(300, "mg"), magnesium, unspecified, salt_named="oxide"
    )
    assert amount == 300
    assert any("oxide salt" in a for a in assumptions)


@pytest.mark.parametrize(
    ("interval_days", "words"),
    [(1, "daily"), (0.5, "twice daily"), (3.5, "twice weekly"), (30, "monthly (every 30 days)")],
)
def test_interval_words(interval_days: float, words: str) -> None:
    assert describe_interval(interval_days) == words


@pytest.mark.parametrize(
    ("field", "change"),
    [("amount", {"amount": 0.0}), ("interval", {"interval_days": 0.01}), ("unit", {"unit": "IU"})],
)
def test_bad_numbers_name_the_field(field: str, change: dict[str, object]) -> None:
    arguments: dict[str, object] = {
        "nutrient": "calcium",
        "form": None,
        "amount": 500.0,
        "unit": "mg",
        "interval_days": 1.0,
    }
    with pytest.raises(InputError) as caught:
        dose_regimen(CATALOG, **{**arguments, **change})  # type: ignore[arg-type]
    assert caught.value.where == field
