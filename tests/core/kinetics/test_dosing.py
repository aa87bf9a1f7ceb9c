"""Dose planning: smallest real regimen that reaches the target for most people like this,
never above the UL unless supervised (then with monitoring)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from d3k2.api import Engine
from d3k2.core.kinetics.dosing import (
    ASSESS_HORIZON_DAYS,
    LEVEL_DECIMALS,
    AssessmentProjection,
    BlockingAlert,
    DoseOption,
    DosePlan,
    MonitoringStep,
    Product,
    baseline_caution,
    guideline_target_nmol_l,
    percent_down,
    plan_dose,
    projection_for_assessment,
    rule_screen,
    vitamin_d_upper_limit_iu_per_day,
)
from d3k2.core.kinetics.projection import ProjectionParameters
from d3k2.core.screening.model import LabResult, PatientFacts, PlanItem
from d3k2.errors import InputError
from d3k2.knowledge.loader import load_knowledge
from d3k2.knowledge.schema import Knowledge
from d3k2.reading.regimen import NutrientIndex, parse_regimen

ADULT_UL_IU_PER_DAY = 4000.0  # NAM 2011 Table 6-4: 100 mcg/day for adults


@pytest.fixture(scope="module")
def params() -> ProjectionParameters:
    return Engine.default().projection_parameters


@pytest.fixture(scope="module")
def products() -> tuple[Product, ...]:
    return Engine.default().products


def plan(
    params: ProjectionParameters,
    available: tuple[Product, ...],
    baseline: float,
    target: float,
    **kwargs: object,
) -> DosePlan:
    arguments: dict[str, object] = {
        "products": available,
        "parameters": params,
        "upper_limit_iu_per_day": ADULT_UL_IU_PER_DAY,
        "quantile": 0.10,
        "monitoring": Engine.default().monitoring_steps,
        "guideline_lines": Engine.default().guideline_lines,
    }
    arguments.update(kwargs)
    return plan_dose(baseline, target, **arguments)  # type: ignore[arg-type]


def test_products_are_real_strengths(products: tuple[Product, ...]) -> None:
    strengths = {p.amount_iu for p in products}
    assert {400.0, 1000.0, 2000.0, 5000.0, 50_000.0} <= strengths
    weekly = [p for p in products if p.amount_iu == 50_000.0 and p.schedule == "weekly"]
    assert weekly and weekly[0].iu_per_day == pytest.approx(7142.9, abs=0.1)


def test_recommends_the_smallest_regimen_that_reaches_the_target(
    params: ProjectionParameters, products: tuple[Product, ...]
) -> None:
    result = plan(params, products, 50.0, 62.5, weight_kg=65)
    assert result.recommended is not None
    assert result.recommended.reaches_target
    assert result.recommended.trough_low_nmol_l >= 62.5
    # Everything smaller was tried first and fell short.
    smaller = [o for o in result.considered if o is not result.recommended]
    assert smaller and all(not o.reaches_target for o in smaller)
    assert all(o.iu_per_day <= result.recommended.iu_per_day for o in smaller)
    assert result.recommended.iu_per_day <= ADULT_UL_IU_PER_DAY
    assert result.monitoring == ()


def test_a_bigger_gap_needs_a_bigger_dose(
    params: ProjectionParameters, products: tuple[Product, ...]
) -> None:
    small_gap = plan(params, products, 55.0, 62.5, weight_kg=70)
    big_gap = plan(params, products, 55.0, 75.0, weight_kg=70, supervised=True)
    assert small_gap.recommended is not None and big_gap.recommended is not None
    assert big_gap.recommended.iu_per_day > small_gap.recommended.iu_per_day


def test_heavier_people_need_more(
    params: ProjectionParameters, products: tuple[Product, ...]
) -> None:
    light = plan(params, products, 45.0, 62.5, weight_kg=55, supervised=True)
    heavy = plan(params, products, 45.0, 62.5, weight_kg=130, supervised=True)
    assert light.recommended is not None and heavy.recommended is not None
    assert heavy.recommended.iu_per_day > light.recommended.iu_per_day


def test_never_above_the_upper_limit_unless_supervised(
    params: ProjectionParameters, products: tuple[Product, ...]
) -> None:
    result = plan(params, products, 20.0, 100.0, weight_kg=100)
    assert all(o.iu_per_day <= ADULT_UL_IU_PER_DAY for o in result.considered)
    assert result.recommended is None
    assert result.closest is not None
    assert 0.0 < result.closest.share_reaching_target < 0.9
    assert any("no regimen within the upper intake level" in m for m in result.messages)


def test_the_upper_limit_is_a_parameter(
    params: ProjectionParameters, products: tuple[Product, ...]
) -> None:
    # A child's UL (NAM 2011: 2,500 IU/day at 1-3 years) caps the search.
    result = plan(params, products, 30.0, 75.0, upper_limit_iu_per_day=2500.0)
    assert all(o.iu_per_day <= 2500.0 for o in result.considered)


def test_supervised_may_exceed_the_upper_limit_with_monitoring(
    params: ProjectionParameters, products: tuple[Product, ...]
) -> None:
    # 20 -> 85 nmol/L at 80 kg: only 50,000 IU weekly (7,143 IU/day) reaches it for 90%.
    result = plan(params, products, 20.0, 85.0, weight_kg=80, supervised=True)
    assert result.recommended is not None
    assert result.recommended.above_upper_limit
    assert result.monitoring, "a plan above the UL must say what to monitor"
    tests = {test for step in result.monitoring for test in step.tests}
    assert "serum 25(OH)D" in tests
    assert any("calcium" in test for test in tests)
    assert any(step.after_days == 90 for step in result.monitoring)
    assert any("above the upper intake level" in m for m in result.messages)


def test_monitoring_only_when_the_plan_exceeds_the_limit(
    params: ProjectionParameters, products: tuple[Product, ...]
) -> None:
    step = MonitoringStep("x", ("serum calcium",), 30, "because it is a test step")
    result = plan(params, products, 50.0, 62.5, weight_kg=65, supervised=True, monitoring=[step])
    assert result.recommended is not None and not result.recommended.above_upper_limit
    assert result.monitoring == ()


def test_already_at_target(params: ProjectionParameters, products: tuple[Product, ...]) -> None:
    result = plan(params, products, 80.0, 75.0)
    assert result.already_at_target
    assert result.recommended is None
    assert result.considered == ()


def test_warns_when_the_target_is_above_the_level_of_concern(
    params: ProjectionParameters, products: tuple[Product, ...]
) -> None:
    result = plan(params, products, 50.0, 150.0, supervised=True)
    assert any("potential adverse effects" in m for m in result.messages)


@pytest.mark.parametrize(
    ("baseline", "target", "kwargs"),
    [
        (40.0, 0.0, {}),
        (40.0, -10.0, {}),
        (-1.0, 75.0, {}),
        (40.0, 75.0, {"quantile": 0.7}),
        (40.0, 75.0, {"upper_limit_iu_per_day": 0.0}),
        (40.0, 75.0, {"products": ()}),
    ],
)
def test_invalid_input(
    params: ProjectionParameters,
    products: tuple[Product, ...],
    baseline: float,
    target: float,
    kwargs: dict[str, object],
) -> None:
    with pytest.raises(InputError):
        plan(params, products, baseline, target, **kwargs)


# --------------------------------------------------------------------------- review fixes
def test_a_supervised_closest_option_above_the_limit_comes_with_monitoring(
    params: ProjectionParameters, products: tuple[Product, ...]
) -> None:
    # 18 -> 60 ng/mL (44.93 -> 149.8 nmol/L), supervised: nothing reaches the target for
    # 90% of people, so the plan names the closest option, which is above the UL.
    result = plan(params, products, 44.93, 149.8, supervised=True)
    assert result.recommended is None
    assert result.closest is not None and result.closest.above_upper_limit
    assert {step.after_days for step in result.monitoring} == {30, 90}
    assert all(step.sources for step in result.monitoring)
    assert any("only under medical supervision" in m for m in result.messages)


def test_the_plan_carries_every_assumption_of_its_projections(
    params: ProjectionParameters, products: tuple[Product, ...]
) -> None:
    result = plan(params, products, 44.93, 74.88)
    assert any("70 kg is assumed" in a for a in result.assumptions)
    assert any("no age given" in a for a in result.assumptions)
    assert any("no seasonal drift" in a for a in result.assumptions)
    weighed = plan(params, products, 44.93, 74.88, weight_kg=82, age_years=67)
    assert not any("assumed" in a for a in weighed.assumptions if "kg" in a)


def test_children_need_a_weight_and_infants_are_not_planned(
    params: ProjectionParameters, products: tuple[Product, ...]
) -> None:
    with pytest.raises(InputError, match="measured body weight") as caught:
        plan(params, products, 20.0, 74.88, age_years=4, supervised=True)
    assert caught.value.where == "weight"
    for baseline in (20.0, 90.0):  # also when the infant is already at the target
        with pytest.raises(InputError, match="1 year") as infant:
            plan(params, products, baseline, 74.88, age_years=0.5, weight_kg=7.5)
        assert infant.value.where == "age"
    child = plan(params, products, 20.0, 74.88, age_years=4, weight_kg=16, supervised=True)
    assert any("calibrated on adult trials" in a for a in child.assumptions)


def test_the_steady_state_of_an_option_is_its_dose_over_its_interval(
    params: ProjectionParameters, products: tuple[Product, ...]
) -> None:
    monthly = tuple(p for p in products if p.amount_iu == 50_000 and p.schedule == "monthly")
    result = plan(params, monthly, 20.0, 200.0, supervised=True, weight_kg=70)
    option = result.considered[0]
    # Worked example of eqs. (3)-(5) with the table's (model v3) C_sat 55.77, u_50 1.733,
    # s_lin 1.088, C_ind 75, S_ind 83.64: u_bg(20 nmol/L) = 0.897 IU/kg/day (below C_ind,
    # E = 1); u = 0.897 + 1,666.7 / 70 = 24.71; G = 55.77 x 24.71 / 26.44 + 1.088 x 24.71
    # = 79.0; above C_ind: C^2 + (83.64 - 75) C - 83.64 x 79.0 = 0 gives C = 77.1 nmol/L.
    assert option.iu_per_day == pytest.approx(1666.7, abs=0.1)
    assert option.steady_state_nmol_l == pytest.approx(77.1, abs=0.3)


@pytest.mark.parametrize(
    ("age", "expected_iu"),
    # NAM 2011 Table 6-4 ULs: 1,500 IU (7-12 mo), 2,500 IU (1-3 y), 3,000 IU (4-8 y),
    # 4,000 IU (adults).
    [(0.5, 1500.0), (3.0, 2500.0), (6.0, 3000.0), (67.0, 4000.0), (None, 4000.0)],
)
def test_vitamin_d_upper_limit_from_the_dri_table(age: float | None, expected_iu: float) -> None:
    ul, note = vitamin_d_upper_limit_iu_per_day(load_knowledge().dri, age)
    assert ul == pytest.approx(expected_iu)
    assert "nam-2011-dri-calcium-vitamin-d" in note
    assert ("adult assumed" in note) is (age is None)


@pytest.mark.parametrize(
    ("guideline", "expected"),
    # NAM 2011 adequate from 50 nmol/L; Endocrine Society 2011 sufficient from 75 nmol/L;
    # Endocrine Society 2024 sets no threshold.
    [("nam-2011", 50.0), ("endocrine-2011", 75.0), ("endocrine-2024", None)],
)
def test_guideline_target(guideline: str, expected: float | None) -> None:
    assert guideline_target_nmol_l(load_knowledge(), guideline) == expected


# --------------------------------------------------------------------------- rule screen
@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge()


TODAY = dt.date(2026, 11, 29)


def _by_regimen(result: DosePlan) -> dict[str, DoseOption]:
    return {option.product.describe(): option for option in result.considered}


def test_rule_screen_blocks_a_stoss_dose_for_a_child(knowledge: Knowledge) -> None:
    # The repro: assess flags 50,000 IU every 2 weeks at age 12 as MAJOR
    # (child-large-single-dose-vitamin-d); the plan must not name it.
    screen = rule_screen(
        knowledge, Engine.default().vocabularies.nutrients, today=TODAY, age_years=12, weight_kg=45
    )
    by_product = {p.describe(): p for p in Engine.default().products}
    blocked = screen(by_product["50,000 IU every 2 weeks"])
    assert [alert.rule_id for alert in blocked] == ["child-large-single-dose-vitamin-d"]
    assert blocked[0].severity == "major" and "stoss" in blocked[0].title
    assert screen(by_product["2,000 IU daily"]) == ()


def test_rule_screen_for_an_adult_and_in_pregnancy(knowledge: Knowledge) -> None:
    fortnightly = next(
        p for p in Engine.default().products if p.describe() == "50,000 IU every 2 weeks"
    )
    assert (
        rule_screen(knowledge, Engine.default().vocabularies.nutrients, today=TODAY, age_years=40)(
            fortnightly
        )
        == ()
    )
    pregnant = rule_screen(
        knowledge, Engine.default().vocabularies.nutrients, today=TODAY, age_years=30, pregnant=True
    )(fortnightly)
    assert [a.rule_id for a in pregnant] == ["pregnancy-lactation-large-single-dose-vitamin-d"]
    with pytest.raises(InputError) as caught:
        rule_screen(
            knowledge,
            Engine.default().vocabularies.nutrients,
            today=TODAY,
            age_years=30,
            sex="male",
            pregnant=True,
        )
    assert caught.value.where == "pregnant"


def test_a_blocked_candidate_is_never_suggested_nor_closest(
    params: ProjectionParameters, products: tuple[Product, ...], knowledge: Knowledge
) -> None:
    screen = rule_screen(
        knowledge, Engine.default().vocabularies.nutrients, today=TODAY, age_years=12, weight_kg=45
    )
    arguments = {"weight_kg": 45, "age_years": 12}
    unscreened = plan(params, products, 24.96, 89.86, **arguments)
    assert unscreened.closest is not None
    assert unscreened.closest.product.describe() == "50,000 IU every 2 weeks"
    result = plan(params, products, 24.96, 89.86, screen=screen, **arguments)
    assert result.closest is not None and result.closest.acceptable
    assert result.closest.product.describe() == "3,000 IU daily"
    stoss = _by_regimen(result)["50,000 IU every 2 weeks"]
    assert not stoss.acceptable
    assert any("child-large-single-dose-vitamin-d" in m for m in result.messages)


def test_a_blocked_candidate_that_reaches_the_target_is_skipped(
    params: ProjectionParameters, products: tuple[Product, ...]
) -> None:
    free = plan(params, products, 50.0, 62.5, weight_kg=65)
    assert free.recommended is not None
    first_choice = free.recommended.product

    def block_first_choice(product: Product) -> tuple[BlockingAlert, ...]:
        return (
            (BlockingAlert("demo-rule", "Demo rule", "major"),) if product == first_choice else ()
        )

    result = plan(params, products, 50.0, 62.5, weight_kg=65, screen=block_first_choice)
    assert result.recommended is not None and result.recommended.acceptable
    assert result.recommended.product != first_choice
    assert result.recommended.iu_per_day >= free.recommended.iu_per_day
    blocked = next(o for o in result.considered if o.product == first_choice)
    assert blocked.reaches_target and blocked.blocked_by[0].title == "Demo rule"


# --------------------------------------------------------------------------- rounding
def test_the_decision_agrees_with_the_figures_shown(
    params: ProjectionParameters, products: tuple[Product, ...]
) -> None:
    # age 8, 40 kg, 10 -> 30 ng/mL: 2,000 IU daily was shown at "75 nmol/L, 90%" but rejected.
    result = plan(params, products, 24.96, 74.88, weight_kg=40, age_years=8)
    for option in result.considered:
        shown_low = round(option.trough_low_nmol_l, LEVEL_DECIMALS)
        assert option.reaches_target == (shown_low >= round(74.88, LEVEL_DECIMALS))
        assert option.reaches_target == (percent_down(option.share_reaching_target) >= 90)
    daily_2000 = _by_regimen(result)["2,000 IU daily"]
    assert not daily_2000.reaches_target
    assert daily_2000.trough_low_nmol_l == pytest.approx(74.1, abs=1e-9)  # model v3
    assert percent_down(daily_2000.share_reaching_target) == 89


def test_percent_down() -> None:
    assert percent_down(0.8996) == 89
    assert percent_down(0.9) == 90
    assert percent_down(0.96) == 96


# --------------------------------------------------------------------------- cautions
def test_a_baseline_above_the_toxicity_line_is_cautioned(
    params: ProjectionParameters, products: tuple[Product, ...]
) -> None:
    lines = Engine.default().guideline_lines
    toxicity = max(line.serum_25ohd_nmol_l for line in lines)  # 375 nmol/L (NAM 2011, ODS)
    caution = baseline_caution(499.2, lines)
    assert caution is not None and f"{toxicity:g} nmol/L" in caution
    assert baseline_caution(60.0, lines) is None
    result = plan(params, products, 499.2, 74.88)
    assert result.already_at_target and result.recommended is None
    assert result.cautions == (caution,)
    assert any("no supplement is needed" in m for m in result.messages)


# --------------------------------------------------------------------------- assess section
def _assess_facts(lab_date: str | None, regimen: str = "2000 IU daily") -> PatientFacts:
    parsed = parse_regimen(
        regimen, NutrientIndex.build(load_knowledge().nutrients), default_nutrient="vitamin_d"
    )
    lab = LabResult(
        input="25(OH)D 18 ng/mL",
        test="25ohd",
        test_name="25-hydroxyvitamin D",
        value=18.0,
        unit="ng/mL",
        value_si=44.93,
        unit_si="nmol/L",
        date=lab_date,
    )
    return PatientFacts(
        age_years=67,
        sex="female",
        weight_kg=82.0,
        labs=(lab,),
        plan=(PlanItem(input=regimen, regimen=parsed, field="plan[0]"),),
    )


def _assessment(
    params: ProjectionParameters, facts: PatientFacts, today: dt.date | None
) -> AssessmentProjection | None:
    return projection_for_assessment(
        facts,
        today=today,
        parameters=params,
        guideline_lines=Engine.default().guideline_lines,
        target_nmol_l=75.0,
        baseline_max_age_days=365,
    )


def test_the_assess_projection_starts_the_regimen_on_the_assessment_date(
    params: ProjectionParameters,
) -> None:
    result = _assessment(params, _assess_facts("2026-10-01"), dt.date(2026, 11, 29))
    assert result is not None and result.skipped is None and result.projection is not None
    assert result.regimen_start_day == 59  # 2026-10-01 -> 2026-11-29
    assert len(result.projection.points) == 59 + ASSESS_HORIZON_DAYS + 1
    assert result.cautions == ()
    assert any("no latitude" in note for note in result.notes)


def test_the_assess_projection_skips_a_result_dated_after_today(
    params: ProjectionParameters,
) -> None:
    result = _assessment(params, _assess_facts("2026-10-01"), dt.date(2026, 9, 1))
    assert result is not None and result.projection is None
    assert result.skipped is not None and "after the assessment date" in result.skipped


def test_the_assess_projection_cautions_an_old_result_and_a_high_band(
    params: ProjectionParameters,
) -> None:
    facts = _assess_facts("2023-01-01", "50000 IU weekly")
    result = _assessment(params, facts, dt.date(2026, 11, 29))
    assert result is not None and result.skipped is None
    assert any("1,428 days old" in c for c in result.cautions)
    assert any("upper band reaches" in c and "above 125 nmol/L" in c for c in result.cautions)
    too_old = _assessment(params, _assess_facts("2010-01-01"), dt.date(2026, 11, 29))
    assert too_old is not None and too_old.skipped is not None and "too old" in too_old.skipped


def test_no_assess_projection_without_a_result_or_a_plan(params: ProjectionParameters) -> None:
    facts = _assess_facts("2026-10-01")
    assert _assessment(params, replace(facts, labs=()), dt.date(2026, 11, 29)) is None
    assert _assessment(params, replace(facts, plan=()), dt.date(2026, 11, 29)) is None


# --------------------------------------------------------------------------- target limits
def test_a_target_at_the_adverse_effects_line_is_refused_unless_supervised(
    params: ProjectionParameters, products: tuple[Product, ...]
) -> None:
    # NAM 2011 / ODS: potential adverse effects above 125 nmol/L; toxicity above 375 nmol/L.
    with pytest.raises(InputError) as refused:
        plan(params, products, 44.93, 125.0, guideline_lines=Engine.default().guideline_lines)
    assert refused.value.where == "target" and "125 nmol/L" in refused.value.message
    assert refused.value.hint and "below 125 nmol/L" in refused.value.hint
    supervised = plan(
        params,
        products,
        44.93,
        125.0,
        supervised=True,
        guideline_lines=Engine.default().guideline_lines,
    )
    assert any("at or above the level linked" in m for m in supervised.messages)
    assert plan(params, products, 44.93, 124.9, guideline_lines=Engine.default().guideline_lines)


def test_a_target_at_the_toxicity_line_is_refused_even_supervised(
    params: ProjectionParameters, products: tuple[Product, ...]
) -> None:
    for target in (375.0, 499.2):  # 499.2 nmol/L = 200 ng/mL
        with pytest.raises(InputError) as refused:
            plan(
                params,
                products,
                44.93,
                target,
                supervised=True,
                guideline_lines=Engine.default().guideline_lines,
            )
        assert refused.value.where == "target" and "375 nmol/L" in refused.value.message


def test_a_first_year_peak_above_a_level_of_concern_is_said(
    params: ProjectionParameters, products: tuple[Product, ...]
) -> None:
    # Model v2 and later: the clearance adapts slowly above 75 nmol/L, so on 5,000 IU daily
    # at 90 kg (30 -> 75 nmol/L) the long-term upper band (about 121 nmol/L, model v3) is
    # below the NAM 2011 line of 125 nmol/L while the one-year upper band (about 162) passes
    # it for months: the plan must still warn.
    result = plan(params, products, 30.0, 75.0, weight_kg=90, supervised=True)
    assert result.recommended is not None
    option = result.recommended
    assert option.product.amount_iu == 5000.0
    assert option.steady_state_high_nmol_l < 125.0 < option.peak_high_nmol_l
    assert any(
        "in the first year the upper band reaches" in m and "125 nmol/L" in m
        for m in result.messages
    )
