from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from d3k2.core.regimen import max_concurrent_per_day, vitamin_d_dose_events_iu
from d3k2.errors import InputError
from d3k2.knowledge.loader import DATA_DIR
from d3k2.knowledge.schema import Nutrients
from d3k2.reading.regimen import NutrientIndex, parse_regimen, parse_structured_item
from d3k2.yamlio import read_structured, to_plain

INDEX = NutrientIndex.build(
    Nutrients.model_validate(
        to_plain(read_structured(DATA_DIR / "vocab" / "nutrients.yaml"))
    ).nutrients
)


def test_weekly_loading_then_daily() -> None:
    regimen = parse_regimen("vitamin D3 50,000 IU weekly for 8 weeks, then 2000 IU daily", INDEX)
    first, second = regimen.segments
    assert (first.nutrient, first.form) == ("vitamin_d", "cholecalciferol")
    assert first.amount_per_dose == pytest.approx(1250)  # mcg
    assert first.interval_days == 7
    assert first.duration_days == 56
    assert first.per_day_average == pytest.approx(1250 / 7)
    assert second.start_day == 56
    assert second.amount_per_dose == pytest.approx(50)
    assert second.interval_days == 1
    assert second.duration_days is None
    assert second.form == "cholecalciferol"


def test_events_for_projection() -> None:
    regimen = parse_regimen(
        "50000 IU weekly for 8 weeks, then 2000 IU daily", INDEX, default_nutrient="vitamin_d"
    )
    events = vitamin_d_dose_events_iu(regimen, 60)
    weekly = [e for e in events if e[1] == pytest.approx(50000)]
    daily = [e for e in events if e[1] == pytest.approx(2000)]
    assert [d for d, _ in weekly] == [0, 7, 14, 21, 28, 35, 42, 49]
    assert [d for d, _ in daily] == [56, 57, 58, 59]


@pytest.mark.parametrize(
    ("text", "nutrient", "form", "amount", "interval"),
    [
        ("D3 2000 IU/day", "vitamin_d", "cholecalciferol", 50, 1),
        ("K2 MK-7 100 mcg daily", "vitamin_k", "mk7", 100, 1),
        ("calcium citrate 600 mg elemental twice daily", "calcium", "calcium_citrate", 600, 0.5),
        ("vitamin D3 50,000 IU every 2 weeks", "vitamin_d", "cholecalciferol", 1250, 14),
        ("vitamin D 100,000 IU monthly", "vitamin_d", None, 2500, 30),
        ("magnesium glycinate 200 mg bid", "magnesium", "magnesium_glycinate", 200, 0.5),
        ("vitamin D3 1000 IU 3 times a week", "vitamin_d", "cholecalciferol", 25, 7 / 3),
    ],
)
def test_text_items(
    text: str, nutrient: str, form: str | None, amount: float, interval: float
) -> None:
    (segment,) = parse_regimen(text, INDEX).segments
    assert segment.nutrient == nutrient
    if form is not None:
        assert segment.form == form
    assert segment.amount_per_dose == pytest.approx(amount)
    assert segment.interval_days == pytest.approx(interval)


def test_single_dose_has_no_daily_average() -> None:
    (segment,) = parse_regimen("vitamin D3 100000 IU once", INDEX).segments
    assert segment.interval_days is None
    assert segment.per_day_average is None
    assert segment.dose_days(365) == [0]


def test_salt_without_elemental_is_an_assumption() -> None:
    (segment,) = parse_regimen("calcium carbonate 1000 mg daily", INDEX).segments
    assert segment.amount_per_dose == 1000
    assert any("elemental amount is 400" in a for a in segment.assumptions)


def test_a_labelled_salt_strength_is_read_as_salt_weight() -> None:
    # 1250 mg calcium carbonate = 500 mg calcium (Calcichew-D3 SmPC); 667 mg calcium acetate
    # = 169 mg calcium (label); both are stated by their salt weight on every label.
    (carbonate,) = parse_regimen("calcium carbonate 1250 mg daily", INDEX).segments
    assert carbonate.amount_per_dose == 500
    assert any("weight of the calcium carbonate salt" in a for a in carbonate.assumptions)
    (acetate,) = parse_regimen("calcium acetate 667 mg daily", INDEX).segments
    assert acetate.amount_per_dose == pytest.approx(166.75)


def test_structured_item() -> None:
    item = {"nutrient": "vitamin K2", "form": "MK-7", "amount": 100, "unit": "mcg", "every": "day"}
    (segment,) = parse_structured_item(item, INDEX).segments
    assert (segment.nutrient, segment.form, segment.amount_per_dose) == ("vitamin_k", "mk7", 100)
    weekly = {
        "nutrient": "vitamin D3",
        "amount": "50,000",
        "unit": "IU",
        "every": "week",
        "for": "8 weeks",
    }
    (segment,) = parse_structured_item(weekly, INDEX).segments
    assert segment.per_day_average == pytest.approx(1250 / 7)
    assert segment.duration_days == 56


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("vitamin D3 2000 daily", "no amount with a unit"),
        ("vitamin D3 2000 IU", "how often"),
        ("2000 IU daily", "which nutrient"),
        ("vitamin D3 -2000 IU daily", "negative"),
        ("vitamin D3 2000 IU daily, then 1000 IU daily", "no duration"),
        ("vitamin K2 100 IU daily", "IU is not a unit"),
        ("vitamin D3 0 IU daily", "more than zero"),
        ("", "empty"),
    ],
)
def test_bad_regimens(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_regimen(text, INDEX)


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"nutrient": "vitamin D3", "amount": 100, "unit": "furlong", "every": "day"}, "unit"),
        ({"nutrient": "vitamin D3", "amount": -1, "unit": "IU", "every": "day"}, "amount"),
        ({"nutrient": "unobtainium", "amount": 1, "unit": "mg", "every": "day"}, "nutrient"),
        ({"nutrient": "vitamin D3", "amount": 1, "unit": "mcg", "every": "fortnightish"}, "every"),
        (
            {"nutrient": "vitamin D3", "amount": 1, "unit": "mcg", "every": "day", "colour": 1},
            "colour",
        ),
    ],
)
def test_bad_structured_items_name_the_field(item: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_structured_item(item, INDEX)
    assert caught.value.where == field


def test_concurrent_items_add_up() -> None:
    a = parse_regimen("vitamin D3 1000 IU daily", INDEX)
    b = parse_regimen("vitamin D3 50000 IU weekly for 4 weeks, then 1000 IU daily", INDEX)
    assert max_concurrent_per_day([a, b], "vitamin_d") == pytest.approx(25 + 1250 / 7)


amounts = st.integers(min_value=1, max_value=100_000)
periods = st.sampled_from(
    [
        ("daily", 1.0),
        ("weekly", 7.0),
        ("monthly", 30.0),
        ("every 2 weeks", 14.0),
        ("twice daily", 0.5),
        ("every 3 days", 3.0),
    ]
)


@given(amounts, periods, st.integers(min_value=1, max_value=52))
def test_text_round_trip(amount: int, period: tuple[str, float], weeks: int) -> None:
    assume(weeks * 7 >= period[1])
    text = f"vitamin D3 {amount:,} IU {period[0]} for {weeks} weeks"
    (segment,) = parse_regimen(text, INDEX).segments
    assert segment.amount_per_dose == pytest.approx(amount / 40)
    assert segment.interval_days == pytest.approx(period[1])
    assert segment.duration_days == pytest.approx(weeks * 7)


@given(amounts, periods, st.integers(min_value=1, max_value=400))
def test_dose_count_matches_interval(amount: int, period: tuple[str, float], horizon: int) -> None:
    regimen = parse_regimen(f"vitamin D3 {amount} IU {period[0]}", INDEX)
    events = vitamin_d_dose_events_iu(regimen, horizon)
    expected = -(-horizon // period[1])  # ceiling
    assert len(events) == pytest.approx(expected, abs=1)
    assert sum(iu for _, iu in events) == pytest.approx(len(events) * amount)


def test_duration_shorter_than_interval_is_an_error() -> None:
    with pytest.raises(InputError, match="shorter than the dosing interval"):
        parse_regimen("vitamin D3 100000 IU monthly for 1 week", INDEX)


def test_dot_grouped_thousands_are_ambiguous() -> None:
    with pytest.raises(InputError, match="could mean 50 IU or 50,000 IU"):
        parse_regimen("Vitamin D3 50.000 IU daily", INDEX)


@pytest.mark.parametrize(
    "text",
    [
        "D3 2 x 2000 IU daily",
        "D3 2000 IU 2 tablets daily",
        "vitamin D3 2 capsules of 2000 IU daily",
        "D3 2000 IU (2 capsules) daily",
    ],
)
def test_units_per_dose_multiply(text: str) -> None:
    (segment,) = parse_regimen(text, INDEX).segments
    assert segment.amount_per_dose == pytest.approx(100)  # 2 x 2000 IU = 4000 IU = 100 mcg
    assert any("4,000 IU per dose" in a for a in segment.assumptions)


def test_space_grouped_thousands_and_product_names_with_digits() -> None:
    (weekly,) = parse_regimen("D3 20 000 IU weekly", INDEX).segments
    assert weekly.amount_per_dose == pytest.approx(500)
    (mk7,) = parse_regimen("K2 MK-7 100 mcg daily", INDEX).segments
    assert mk7.amount_per_dose == 100


def test_salt_without_known_fraction_is_flagged() -> None:
    (segment,) = parse_regimen("magnesium glycinate 500 mg twice daily", INDEX).segments
    assert any("elemental amount is lower" in a for a in segment.assumptions)
    (acetate,) = parse_regimen("calcium acetate 667 mg three times daily", INDEX).segments
    assert any("calcium acetate" in a or "acetate salt" in a for a in acetate.assumptions)


@pytest.mark.parametrize(
    ("text", "iu_per_dose"),
    [
        ("D3 drops 400 IU daily", 400),  # the 3 of D3 is not a count
        ("D2 capsules 50000 IU weekly", 50000),
        ("D3 1000 IU x 2 daily", 2000),
        ("D3 400 IU/drop, 5 drops daily", 2000),
        ("D3 50,000 IU weekly x 8 weeks", 50000),  # x 8 weeks is a duration
    ],
)
def test_counts_are_read_only_where_written(text: str, iu_per_dose: float) -> None:
    segment = parse_regimen(text, INDEX).segments[0]
    assert segment.amount_per_dose * 40 == pytest.approx(iu_per_dose)


@pytest.mark.parametrize(
    "text", ["D3 50000 IU every 0 weeks", "D3 1000 IU 0 times a day", "D3 1000 IU 0x daily"]
)
def test_zero_intervals_are_errors(text: str) -> None:
    with pytest.raises(InputError):
        parse_regimen(text, INDEX)


@pytest.mark.parametrize("amount", [float("inf"), float("nan")])
def test_non_finite_amounts_are_errors(amount: float) -> None:
    with pytest.raises(InputError, match="finite"):
        parse_structured_item(
            {"nutrient": "D3", "amount": amount, "unit": "IU", "every": "day"}, INDEX
        )


@pytest.mark.parametrize(
    ("text", "interval"),
    [
        ("vitamin D3 10000 IU single capsule daily", 1.0),  # "single" is not a frequency
        ("D3 5000 IU daily, single-strength", 1.0),
        ("D3 50000 IU weekly x 1 month", 7.0),  # "x 1 month" is a duration
        ("vitamin D3 500,000 IU once a year", 365.0),
        ("D3 500000 IU yearly", 365.0),
    ],
)
def test_frequency_words(text: str, interval: float) -> None:
    assert parse_regimen(text, INDEX).segments[0].interval_days == interval


def test_single_dose_and_a_schedule_together_is_an_error() -> None:
    with pytest.raises(InputError, match="both"):
        parse_regimen("D3 100000 IU single dose daily", INDEX)


def test_combination_product_gives_one_segment_per_nutrient() -> None:
    calcium, vitamin_d = parse_regimen("Calcium 600 mg + D3 400 IU twice daily", INDEX).segments
    assert (calcium.nutrient, calcium.amount_per_dose, calcium.interval_days) == (
        "calcium",
        600,
        0.5,
    )
    assert (vitamin_d.nutrient, vitamin_d.amount_per_dose, vitamin_d.interval_days) == (
        "vitamin_d",
        10,
        0.5,
    )
    assert calcium.start_day == vitamin_d.start_day == 0


def test_two_amounts_of_one_nutrient_are_an_error() -> None:
    with pytest.raises(InputError, match="more than one amount"):
        parse_regimen("D3 1000 IU 2000 IU daily", INDEX)
    with pytest.raises(InputError, match="same nutrient"):
        parse_regimen("D3 1000 IU + vitamin D3 2000 IU daily", INDEX)


@pytest.mark.parametrize(
    ("form", "form_id"),
    [
        ("carbonate", "calcium_carbonate"),
        ("citrate", "calcium_citrate"),
        ("Carbonate", "calcium_carbonate"),
    ],
)
def test_structured_item_form_written_without_its_nutrient(form: str, form_id: str) -> None:
    # issue 8: "nutrient: calcium, form: carbonate" was refused ("unknown form").
    item = {"nutrient": "calcium", "form": form, "amount": 500, "unit": "mg", "every": "day"}
    (segment,) = parse_structured_item(item, INDEX).segments
    assert (segment.nutrient, segment.form, segment.amount_per_dose) == ("calcium", form_id, 500)


def test_structured_item_form_of_another_nutrient_is_still_refused() -> None:
    item = {"nutrient": "calcium", "form": "MK-7", "amount": 500, "unit": "mg", "every": "day"}
    with pytest.raises(InputError, match="unknown form"):
        parse_structured_item(item, INDEX)
