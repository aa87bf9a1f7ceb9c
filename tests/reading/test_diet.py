"""Reading diets: foods with amounts -> grams -> nutrients per day; unknown foods reported.

Expected amounts are worked by hand from the cited SR28 values (per 100 g) and SR22 weights,
e.g. cheddar (NDB 01009) 710 mg calcium/100 g x 2 slices of 28 g = 397.6 mg.
"""

from __future__ import annotations

import datetime as dt

import pytest

from d3k2.api import Engine
from d3k2.errors import InputError
from d3k2.reading.diet import FoodIndex, FoodLine, UnknownFood, read_food_item
from d3k2.reading.profile import ProfileError

TODAY = dt.date(2026, 11, 29)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.default()


@pytest.fixture(scope="module")
def index(engine: Engine) -> FoodIndex:
    return FoodIndex.build(engine.base.foods)


def _line(item: object, index: FoodIndex) -> FoodLine:
    read = read_food_item(item, index)
    assert isinstance(read, FoodLine), read
    return read


@pytest.mark.parametrize(
    ("text", "food_id", "grams", "calcium_mg"),
    [
        ("2 slices cheddar", "cheese_cheddar", 56.0, 397.6),  # 2 x 28 g x 7.10 mg/g
        ("2 slices of cheddar", "cheese_cheddar", 56.0, 397.6),
        ("30 g parmesan", "cheese_parmesan_hard", 30.0, 355.2),  # 1184 mg/100 g
        ("natto 50 g", "natto", 50.0, 108.5),  # 217 mg/100 g
        ("1 large egg", "egg_whole_raw", 50.0, 28.0),  # 56 mg/100 g, large = 50 g
        ("1 cup whole milk", "milk_whole", 244.0, 275.72),  # 113 mg/100 g, cup = 244 g
        ("100 g kale", "kale_raw", 100.0, 150.0),
    ],
)
def test_text_amounts(
    index: FoodIndex, text: str, food_id: str, grams: float, calcium_mg: float
) -> None:
    line = _line(text, index)
    assert line.food_id == food_id
    assert line.grams_per_day == pytest.approx(grams)
    assert line.per_day["calcium_mg"] == pytest.approx(calcium_mg)


def test_millilitres_use_the_foods_own_fluid_ounce_weight(index: FoodIndex) -> None:
    # fortified soy drink (NDB 16139): 1 fl oz = 30.6 g (SR22 weight), 1 fl oz = 29.5735 mL
    line = _line("200 ml fortified soy drink", index)
    assert line.grams_per_day == pytest.approx(200 * 30.6 / 29.5735295625)
    assert line.per_day["calcium_mg"] == pytest.approx(line.grams_per_day * 1.23)
    assert line.assumptions and "fl oz" in line.assumptions[0]


def test_weekly_amounts_are_averaged_per_day(index: FoodIndex) -> None:
    weekly = _line({"food": "natto", "amount": "70 g", "every": "week"}, index)
    assert weekly.grams_per_day == pytest.approx(10.0)
    text = _line("3 eggs a week", index)
    assert text.grams_per_day == pytest.approx(3 * 44 / 7)  # a bare count: one medium egg
    assert text.assumptions  # the count is stated as an assumption


def test_mapping_entry(index: FoodIndex) -> None:
    line = _line({"food": "cheddar", "amount": "2 slices"}, index)
    assert line.grams_per_day == pytest.approx(56.0)
    assert _line({"food": "sardines", "grams": 100}, index).per_day["vitamin_d_mcg"] == 4.8


def test_unknown_and_ambiguous_foods_are_reported_with_suggestions(index: FoodIndex) -> None:
    unknown = read_food_item("100 g quark", index)
    assert isinstance(unknown, UnknownFood)
    assert "unknown food" in unknown.problem
    # "milk" alone is ambiguous on purpose (fortified or not changes vitamin D)
    ambiguous = read_food_item("1 cup milk", index)
    assert isinstance(ambiguous, UnknownFood)
    assert "several" in ambiguous.problem and ambiguous.suggestions


def test_a_measure_the_table_lacks_is_an_error_naming_the_food(index: FoodIndex) -> None:
    with pytest.raises(InputError, match="Gouda: no household measure"):
        read_food_item("2 slices gouda", index)
    with pytest.raises(InputError, match="no volume measure"):
        read_food_item("1 cup salmon", index)


def test_a_profile_adds_food_to_supplements_and_checks_the_calcium_ul_on_the_total(
    engine: Engine,
) -> None:
    profile = {
        "age": 72,
        "sex": "female",
        # 2 slices cheddar 397.6 + 1 cup whole milk 275.72 + 100 g sardines 382 = 1055.32 mg
        "diet": ["2 slices cheddar", "1 cup whole milk", "100 g sardines"],
        "plan": ["calcium 1000 mg daily"],
    }
    assessment = engine.assess_profile(profile, today=TODAY, projection=False)
    calcium = next(r for r in assessment.report.intake if r.nutrient == "calcium")
    assert calcium.diet_per_day == pytest.approx(1055.32)
    assert calcium.total_per_day == pytest.approx(2055.32)
    assert calcium.exceeds_upper_limit  # UL 2000 mg for > 70 y, food + supplements
    assert "adult-calcium-above-ul" in {a.id for a in assessment.report.alerts}
    # the same supplement without the foods stays under the UL
    profile["diet"] = ["100 g kale"]
    quiet = engine.assess_profile(profile, today=TODAY, projection=False)
    assert "adult-calcium-above-ul" not in {a.id for a in quiet.report.alerts}
    assert assessment.diet is not None and len(assessment.diet.foods) == 3


def test_magnesium_from_food_never_counts_against_the_supplement_ul(engine: Engine) -> None:
    profile = {"age": 40, "sex": "male", "diet": ["200 g pumpkin seeds"]}  # 1184 mg Mg
    assessment = engine.assess_profile(profile, today=TODAY, projection=False)
    magnesium = next(r for r in assessment.report.intake if r.nutrient == "magnesium")
    assert magnesium.diet_per_day == pytest.approx(1184.0)
    assert not magnesium.exceeds_upper_limit


def test_unknown_foods_are_kept_in_the_report_not_dropped(engine: Engine) -> None:
    profile = {"age": 50, "sex": "female", "diet": {"foods": ["100 g quark"], "calcium": "300 mg"}}
    assessment = engine.assess_profile(profile, today=TODAY, projection=False)
    calcium = next(r for r in assessment.report.intake if r.nutrient == "calcium")
    assert calcium.diet_per_day == pytest.approx(300.0)
    assert any("quark" in s for s in calcium.unknown_sources)
    assert any("quark" in u.input for u in assessment.report.unrecognized)


def test_a_value_not_reported_makes_the_total_a_lower_bound(engine: Engine) -> None:
    profile = {"age": 50, "sex": "female", "diet": ["30 g chia seeds"]}  # vitamin D blank
    assessment = engine.assess_profile(profile, today=TODAY, projection=False)
    vitamin_d = next(r for r in assessment.report.intake if r.nutrient == "vitamin_d")
    assert any("Chia" in s for s in vitamin_d.unknown_sources)


def test_totals_keep_their_meaning_and_errors_are_located(engine: Engine) -> None:
    read = engine.read_profile(
        {"age": 50, "sex": "female", "diet": {"calcium": "700 mg"}}, today=TODAY
    )
    assert read.facts.diet_per_day == {"calcium": 700.0}
    assert read.diet is None
    with pytest.raises(ProfileError) as caught:
        engine.read_profile(
            {"age": 50, "sex": "female", "diet": {"foods": ["2 slices gouda"]}}, today=TODAY
        )
    assert "diet.foods[0]" in str(caught.value)


def test_questionnaire_gives_a_central_estimate_and_an_honest_range(engine: Engine) -> None:
    profile = {"age": 60, "sex": "female", "diet": {"questionnaire": {"milk": 2}}}
    read = engine.read_profile(profile, today=TODAY)
    assert read.diet is not None
    # one cup: whole 113 mg/100 g x 244 g = 275.72; 2% 120 x 2.44 = 292.8;
    # skim 122 x 2.45 = 298.9; whole unfortified 113 x 2.44 = 275.72 (SR28, SR22 weights)
    central = (275.72 + 292.8 + 298.9 + 275.72) / 4 * 2
    assert read.facts.diet_per_day["calcium"] == pytest.approx(central)
    assert read.diet.range_per_day()["calcium"] == pytest.approx((551.44, 597.8))
    # vitamin D: unfortified milk (0.1 mcg/100 g) to fortified whole milk (1.3 mcg/100 g)
    low, high = read.diet.range_per_day()["vitamin_d"]
    assert low == pytest.approx(0.1 * 2.44 * 2) and high == pytest.approx(1.3 * 2.44 * 2)


def test_questionnaire_weekly_items_and_errors(engine: Engine) -> None:
    weekly = engine.read_profile(
        {"age": 60, "sex": "female", "diet": {"questionnaire": {"eggs": 7}}}, today=TODAY
    )
    # eggs are asked per week: 7 a week = 1 large egg (50 g, 56 mg/100 g) a day
    assert weekly.facts.diet_per_day["calcium"] == pytest.approx(28.0)
    with pytest.raises(ProfileError) as caught:
        engine.read_profile(
            {"age": 60, "sex": "female", "diet": {"questionnaire": {"kefir": 1}}}, today=TODAY
        )
    assert "diet.questionnaire.kefir" in str(caught.value)


def test_questionnaire_high_end_above_the_ul_is_noted(engine: Engine) -> None:
    # milk 5 a day: central 5 x 285.785 = 1428.9 mg, high 5 x 298.9 = 1494.5 mg; with 520 mg
    # calcium the central total (1948.9) stays under the 2000 mg UL (> 70 y), the high end
    # (2014.5) does not
    profile = {
        "age": 72,
        "sex": "female",
        "diet": {"questionnaire": {"milk": 5}},
        "plan": ["calcium 520 mg daily"],
    }
    assessment = engine.assess_profile(profile, today=TODAY, projection=False)
    calcium = next(r for r in assessment.report.intake if r.nutrient == "calcium")
    assert not calcium.exceeds_upper_limit
    assert any("could reach 2014" in n for n in assessment.report.notes)
    profile["plan"] = ["calcium 400 mg daily"]  # high end 1894.5: no note
    quiet = engine.assess_profile(profile, today=TODAY, projection=False)
    assert not any("could reach" in n for n in quiet.report.notes)


def test_menaquinones_a_food_reports_are_counted_and_listed(engine: Engine) -> None:
    profile = {"age": 60, "sex": "female", "diet": ["40 g natto", "2 slices cheddar"]}
    assessment = engine.assess_profile(profile, today=TODAY, projection=False)
    diet = assessment.diet
    assert diet is not None
    # natto: MK-7 939 mcg/100 g (Kamao 2007) x 40 g = 375.6 mcg; K1 23.1 x 0.4 = 9.24;
    # cheddar: K1 2.4 mcg/100 g x 56 g = 1.344; MK-4 8.6 mcg/100 g (FDC 173414) x 56 g =
    # 4.816, its longer menaquinones not reported (K2 partly known: still listed)
    assert diet.menaquinones_per_day() == pytest.approx({"mk7_mcg": 375.6, "mk4_mcg": 4.816})
    vitamin_k = next(r for r in assessment.report.intake if r.nutrient == "vitamin_k")
    assert vitamin_k.diet_per_day == pytest.approx(375.6 + 9.24 + 1.344 + 4.816)
    assert diet.k2_not_reported() == ("Cheddar cheese",)
    note = next(n for n in assessment.report.notes if n.startswith("diet: vitamin K"))
    assert "MK-7 375.6 mcg/day" in note and "MK-4 4.8 mcg/day" in note
    assert "Cheddar cheese" in note and "at least" in note


def test_a_measured_vitamin_k_total_replaces_k1_and_is_never_added_to_it(
    engine: Engine,
) -> None:
    read = engine.read_profile({"age": 60, "sex": "female", "diet": ["1 cup 2% milk"]}, today=TODAY)
    assert read.diet is not None
    # Fu 2017: 19.4 mcg total vitamin K/100 g x 244 g = 47.336 (not + SR28 K1 0.2 x 2.44)
    assert read.facts.diet_per_day["vitamin_k"] == pytest.approx(47.336)
    assert read.diet.k2_in_total() == ("Milk, reduced fat (2%), vitamins A and D added",)
    assert read.diet.k2_not_reported() == ()
    assert read.diet.menaquinones_per_day() == {}


def test_questionnaire_counts_k2_only_when_every_example_reports_it(engine: Engine) -> None:
    milk = engine.read_profile(
        {"age": 60, "sex": "female", "diet": {"questionnaire": {"milk": 1}}}, today=TODAY
    )
    assert milk.diet is not None
    line = milk.diet.foods[0]
    # whole and unfortified milk have no total: the 2% and skim totals do not stand for them
    assert line.per_day["vitamin_k_total_mcg"] is None
    assert milk.diet.k2_not_reported() == (line.food_name,)
    natto = engine.read_profile(
        {"age": 60, "sex": "female", "diet": {"questionnaire": {"natto": 7}}}, today=TODAY
    )
    assert natto.diet is not None
    # 7 servings a week = 1/4 cup (175 g x 0.25 = 43.75 g) a day x 939 mcg/100 g
    assert natto.diet.menaquinones_per_day()["mk7_mcg"] == pytest.approx(410.8125)
