"""Dose planning: smallest real regimen that reaches the target for most people like this,
never above the UL unless supervised (then with monitoring)."""

from __future__ import annotations

import pytest

from d3k2.core.dosing import DosePlan, MonitoringStep, Product, plan_dose
from d3k2.core.projection import ProjectionParameters
from d3k2.errors import InputError
from d3k2.knowledge.projection import (
    load_guideline_lines,
    load_monitoring_steps,
    load_products,
    load_projection_parameters,
)

ADULT_UL_IU_PER_DAY = 4000.0  # NAM 2011 Table 6-4: 100 mcg/day for adults


@pytest.fixture(scope="module")
def params() -> ProjectionParameters:
    return load_projection_parameters()


@pytest.fixture(scope="module")
def products() -> tuple[Product, ...]:
    return load_products()


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
        "monitoring": load_monitoring_steps(),
        "guideline_lines": load_guideline_lines(),
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
    # A child's UL (NAM 2011: 63 mcg = 2,520 IU/day at 1-3 years) caps the search.
    result = plan(params, products, 30.0, 75.0, upper_limit_iu_per_day=2520.0)
    assert all(o.iu_per_day <= 2520.0 for o in result.considered)


def test_supervised_may_exceed_the_upper_limit_with_monitoring(
    params: ProjectionParameters, products: tuple[Product, ...]
) -> None:
    result = plan(params, products, 20.0, 100.0, weight_kg=100, supervised=True)
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
