"""The 25(OH)D projection against published behaviour (values are literals from the papers,
with explicit tolerances; none is computed by a sibling function)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from d3k2.api import Engine
from d3k2.core.kinetics.projection import (
    DoseEvent,
    Projection,
    ProjectionParameters,
    applicability_assumptions,
    baseline_age_caution,
    clearance_factor_at_steady_state,
    days_to_target,
    intake_for_steady_state_iu_per_kg_day,
    production_level_nmol_l,
    project,
    regimen_end_day,
    regimen_maintenance_iu_per_day,
    schedule_iu_per_day,
    steady_state_25ohd_nmol_l,
)
from d3k2.core.regimen import Regimen, RegimenSegment
from d3k2.errors import InputError


@pytest.fixture(scope="module")
def params() -> ProjectionParameters:
    return Engine.default().projection_parameters


def daily(iu: float, days: int) -> list[DoseEvent]:
    return [DoseEvent(float(day), iu) for day in range(days)]


def rise(projection: Projection, day: int, baseline: float) -> float:
    return projection.points[day].serum_25ohd_nmol_l - baseline


# --------------------------------------------------------------------------- time course
def test_single_dose_peaks_about_two_weeks_after(params: ProjectionParameters) -> None:
    # Armas 2004: after 50,000 IU D3 once, 25(OH)D kept rising and peaked at day 14.
    projection = project(70.0, [DoseEvent(0, 50_000)], 60, parameters=params)
    peak_day = max(projection.points, key=lambda p: p.serum_25ohd_nmol_l).day
    assert 10 <= peak_day <= 18


def test_single_dose_decays_with_a_half_life_of_about_two_weeks(
    params: ProjectionParameters,
) -> None:
    # Jones 2008: 25(OH)D half-life about 15 days. Late in the decay the excess over the
    # baseline halves in roughly that time (the D3 pool adds a little).
    projection = project(50.0, [DoseEvent(0, 100_000)], 150, parameters=params)
    excess_60 = rise(projection, 60, 50.0)
    excess_90 = rise(projection, 90, 50.0)
    half_life = 30 * math.log(2) / math.log(excess_60 / excess_90)
    assert 12.0 <= half_life <= 22.0


def test_ilahi_2008_single_100000_iu(params: ProjectionParameters) -> None:
    # Ilahi 2008: 27.1 -> 42.0 ng/mL maximum (67.6 -> 104.8 nmol/L) after 100,000 IU once,
    # and "dosing interval should be <= 2 months" (the rise has largely gone by then).
    projection = project(67.6, [DoseEvent(0, 100_000)], 120, parameters=params)
    peak = max(p.serum_25ohd_nmol_l for p in projection.points)
    assert peak == pytest.approx(104.8, abs=12.0)
    assert rise(projection, 60, 67.6) < 0.4 * (peak - 67.6)
    assert projection.points[120].serum_25ohd_nmol_l == pytest.approx(67.6, abs=5.0)


def test_steady_state_is_reached_in_three_to_four_months(params: ProjectionParameters) -> None:
    # Vieth 2001 and Heaney 2003: daily dosing plateaus from about month 3 (below the
    # induction threshold, where the clearance does not adapt: 45 -> about 72 nmol/L).
    projection = project(45.0, daily(1000, 365), 365, parameters=params, weight_kg=70)
    final = rise(projection, 365, 45.0)
    assert rise(projection, 30, 45.0) < 0.85 * final
    assert rise(projection, 90, 45.0) > 0.93 * final
    assert rise(projection, 120, 45.0) > 0.97 * final
    assert projection.steady_state_nmol_l == pytest.approx(
        projection.points[365].serum_25ohd_nmol_l, abs=1.0
    )


def test_intermittent_doses_rise_and_fall(params: ProjectionParameters) -> None:
    events = [DoseEvent(float(day), 50_000) for day in range(0, 365, 30)]
    projection = project(40.0, events, 365, parameters=params)
    cycle = [p.serum_25ohd_nmol_l for p in projection.points[300:330]]
    assert max(cycle) - min(cycle) > 10.0


def test_daily_keeps_a_higher_trough_than_monthly_chel_2008(params: ProjectionParameters) -> None:
    # Chel 2008: same 600 IU/day average for 4 months: daily 69.9, monthly 53.1 nmol/L.
    daily_arm = project(25.0, daily(600, 120), 120, parameters=params)
    monthly_arm = project(
        25.0, [DoseEvent(d, 18_000) for d in (0.0, 30.0, 60.0, 90.0)], 120, parameters=params
    )
    assert daily_arm.points[120].serum_25ohd_nmol_l > monthly_arm.points[120].serum_25ohd_nmol_l


# --------------------------------------------------------------------------- dose response
def test_heaney_2003_high_dose_slope(params: ProjectionParameters) -> None:
    # Heaney 2003: 250 ug/day for about 20 weeks from 70.3 nmol/L; slope 0.70 nmol/L per
    # ug/day; the 250 ug arm reached about 220 nmol/L (Hathcock 2007 table).
    projection = project(70.3, daily(10_000, 140), 140, parameters=params)
    slope = rise(projection, 140, 70.3) / 250.0
    assert slope == pytest.approx(0.70, abs=0.15)
    assert projection.points[140].serum_25ohd_nmol_l == pytest.approx(220.0, abs=30.0)


def test_saturation_smaller_rise_per_100_iu_at_high_doses(params: ProjectionParameters) -> None:
    low_dose = project(45.0, daily(400, 365), 365, parameters=params)
    high_dose = project(45.0, daily(4000, 365), 365, parameters=params)
    per_100_low = rise(low_dose, 365, 45.0) / 4
    per_100_high = rise(high_dose, 365, 45.0) / 40
    assert per_100_high > 0
    assert per_100_low > 1.5 * per_100_high


def _long_term_level(params: ProjectionParameters, untreated: float, iu_per_day: float) -> float:
    """Steady state (eq. 5) at 70 kg for a person whose untreated level is ``untreated``."""
    own = float(intake_for_steady_state_iu_per_kg_day(untreated, params))
    return float(steady_state_25ohd_nmol_l(own + iu_per_day / 70.0, params))


def test_ekwaru_2014_long_term_slope_falls_at_high_doses(params: ProjectionParameters) -> None:
    # Ekwaru 2014 (abstract): 12.0 nmol/L per 1,000 IU between 0 and 1,000 IU/day, 1.1 nmol/L
    # per 1,000 IU between 15,000 and 20,000 IU/day (between-person curve, self-reported
    # doses). Since model v3 neither figure is fitted (60 nmol/L untreated and 70 kg assumed):
    # the long-term slope falls at high doses as Ekwaru's does, but the model misses the
    # high-dose value (3.9 against 1.1; docs/projection.md). The low-dose slope, about 17,
    # is held within 6 nmol/L of the published 12.0; the high-dose one is pinned at the
    # documented 3.9 so that a change of it is seen.
    low = _long_term_level(params, 60.0, 1000.0) - _long_term_level(params, 60.0, 0.0)
    high = (_long_term_level(params, 60.0, 20000.0) - _long_term_level(params, 60.0, 15000.0)) / 5
    assert low == pytest.approx(12.0, abs=6.0)
    assert high == pytest.approx(3.9, abs=0.2)
    assert low > 4 * high


def test_kimball_2017_about_100_nmol_l_on_6000_iu(params: ProjectionParameters) -> None:
    # Kimball 2017 (abstract): 6,000 IU/day (normal BMI) for a mean above 100 nmol/L after
    # 6-18 months; held to 100 with an SD of 15 in the fit (untreated level 60 assumed).
    assert _long_term_level(params, 60.0, 6000.0) == pytest.approx(100.0, abs=15.0)


def test_high_daily_dose_overshoots_then_settles(params: ProjectionParameters) -> None:
    # The clearance adapts slowly above the induction threshold (eq. 4): on 10,000 IU/day the
    # level at 3 years is below the level at 3 months, and tends to the adapted steady state.
    projection = project(78.4, daily(10_000, 1095), 1095, parameters=params, weight_kg=70)
    at_3_months = projection.points[91].serum_25ohd_nmol_l
    at_3_years = projection.points[1095].serum_25ohd_nmol_l
    assert at_3_years < at_3_months - 20.0
    assert projection.steady_state_nmol_l < at_3_years
    # Below the threshold nothing adapts: E_ss = 1 and the level equals the production.
    assert clearance_factor_at_steady_state(60.0, params) == 1.0
    assert float(steady_state_25ohd_nmol_l(0.5, params)) == pytest.approx(
        float(production_level_nmol_l(0.5, params)), rel=1e-12
    )


def test_adapted_steady_state_solves_equation_5(params: ProjectionParameters) -> None:
    # E_ss(C) C = G(u) at a high input: 10,000 IU/day at 70 kg from nothing.
    intake = 10_000 / 70.0
    level = float(steady_state_25ohd_nmol_l(intake, params))
    production = float(production_level_nmol_l(intake, params))
    assert level * float(clearance_factor_at_steady_state(level, params)) == pytest.approx(
        production, rel=1e-9
    )
    assert level < production


def test_larger_rise_from_a_low_baseline(params: ProjectionParameters) -> None:
    from_low = project(25.0, daily(1000, 365), 365, parameters=params)
    from_high = project(90.0, daily(1000, 365), 365, parameters=params)
    assert rise(from_low, 365, 25.0) > 1.3 * rise(from_high, 365, 90.0)


def test_obesity_lowers_the_rise(params: ProjectionParameters) -> None:
    # Ekwaru 2014, Zittermann 2014: the same dose raises 25(OH)D less in heavier people.
    lean = project(45.0, daily(2000, 365), 365, parameters=params, weight_kg=65)
    obese = project(45.0, daily(2000, 365), 365, parameters=params, weight_kg=120)
    by_bmi = project(45.0, daily(2000, 365), 365, parameters=params, bmi_kg_m2=40)
    assert rise(obese, 365, 45.0) < 0.75 * rise(lean, 365, 45.0)
    assert rise(by_bmi, 365, 45.0) < rise(lean, 365, 45.0)


def test_no_dose_no_date_stays_at_baseline(params: ProjectionParameters) -> None:
    projection = project(52.0, [], 200, parameters=params)
    assert all(p.serum_25ohd_nmol_l == pytest.approx(52.0, abs=1e-6) for p in projection.points)


def test_placebo_drifts_with_the_season(params: ProjectionParameters) -> None:
    # Shoben 2011 / Kasahara 2013: untreated 25(OH)D lowest in late winter, highest in August.
    north = project(50.0, [], 180, parameters=params, baseline_day_of_year=46)
    south = project(
        50.0, [], 180, parameters=params, baseline_day_of_year=46, southern_hemisphere=True
    )
    assert north.points[180].serum_25ohd_nmol_l > 55.0
    assert south.points[180].serum_25ohd_nmol_l < 45.0


def test_background_intake_adds_to_the_regimen(params: ProjectionParameters) -> None:
    plain = project(45.0, daily(1000, 200), 200, parameters=params)
    extra = project(45.0, daily(1000, 200), 200, parameters=params, background_iu_per_day=400)
    assert extra.points[200].serum_25ohd_nmol_l > plain.points[200].serum_25ohd_nmol_l


# --------------------------------------------------------------------------- band
def test_band_brackets_the_central_line(params: ProjectionParameters) -> None:
    projection = project(40.0, daily(2000, 200), 200, parameters=params)
    for point in projection.points:
        assert point.low < point.serum_25ohd_nmol_l < point.high
    # The band widens as the dose effect (which varies between people) grows.
    first, last = projection.points[0], projection.points[200]
    assert (last.high - last.low) > (first.high - first.low)


def test_band_at_day_zero_is_the_within_person_variation(params: ProjectionParameters) -> None:
    # Hofmann 2010: within-person CV 14.9%; the 10th percentile of a log-normal with that CV
    # is 0.827 x the median (z = 1.2816).
    projection = project(60.0, [DoseEvent(0, 1000)], 10, parameters=params)
    assert projection.points[0].low / 60.0 == pytest.approx(0.827, abs=0.005)


# --------------------------------------------------------------------------- targets
def test_days_to_target(params: ProjectionParameters) -> None:
    projection = project(40.0, daily(2000, 365), 365, parameters=params)
    central = days_to_target(projection, 75.0)
    low = days_to_target(projection, 75.0, bound="low")
    assert central is not None and 10 <= central <= 90
    assert low is None or low > central
    assert days_to_target(projection, 400.0) is None
    assert days_to_target(projection, 30.0) == 0


# --------------------------------------------------------------------------- equation (3)
@settings(max_examples=60, deadline=None)
@given(st.floats(min_value=0.0, max_value=2000.0))
def test_steady_state_inverse_round_trip(intake: float) -> None:
    params = Engine.default().projection_parameters
    level = steady_state_25ohd_nmol_l(intake, params)
    assert intake_for_steady_state_iu_per_kg_day(level, params) == pytest.approx(
        intake, rel=1e-6, abs=1e-6
    )


@settings(max_examples=25, deadline=None)
@given(
    st.floats(min_value=10.0, max_value=150.0),
    st.floats(min_value=0.0, max_value=8000.0),
    st.floats(min_value=0.0, max_value=8000.0),
)
def test_more_vitamin_d_never_lowers_the_level(
    baseline: float, dose_a: float, dose_b: float
) -> None:
    params = Engine.default().projection_parameters
    small, large = sorted((dose_a, dose_b))
    low = project(baseline, daily(small, 60), 60, parameters=params)
    high = project(baseline, daily(large, 60), 60, parameters=params)
    low_levels = np.array([p.serum_25ohd_nmol_l for p in low.points])
    high_levels = np.array([p.serum_25ohd_nmol_l for p in high.points])
    assert np.all(high_levels >= low_levels - 1e-9)


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"baseline_nmol_l": -5.0}, "baseline"),
        ({"baseline_nmol_l": 0.0}, "baseline"),
        ({"dose_events": [DoseEvent(0, -1000)]}, "negative"),
        ({"dose_events": [DoseEvent(-3, 1000)]}, "before the baseline"),
        ({"horizon_days": 0}, "1 to 3650"),
        ({"weight_kg": 0.0}, "weight"),
        ({"bmi_kg_m2": 3.0}, "BMI"),
        ({"age_years": 300.0}, "age"),
        ({"background_iu_per_day": -1.0}, "background"),
        ({"baseline_day_of_year": 400}, "day of the year"),
    ],
)
def test_invalid_input_raises_input_error(
    params: ProjectionParameters, kwargs: dict[str, object], fragment: str
) -> None:
    arguments: dict[str, object] = {
        "baseline_nmol_l": 40.0,
        "dose_events": [DoseEvent(0, 1000)],
        "horizon_days": 30,
    }
    arguments.update(kwargs)
    with pytest.raises(InputError, match=fragment):
        project(
            arguments.pop("baseline_nmol_l"),  # type: ignore[arg-type]
            arguments.pop("dose_events"),  # type: ignore[arg-type]
            arguments.pop("horizon_days"),  # type: ignore[arg-type]
            parameters=params,
            **arguments,  # type: ignore[arg-type]
        )


def test_bad_target_and_bound(params: ProjectionParameters) -> None:
    projection = project(40.0, [], 10, parameters=params)
    with pytest.raises(InputError):
        days_to_target(projection, -1.0)
    with pytest.raises(InputError):
        days_to_target(projection, 50.0, bound="median")
    with pytest.raises(InputError):
        projection.at(11)


# --------------------------------------------------------------------------- steady state
def _regimen(*segments: RegimenSegment) -> Regimen:
    return Regimen(segments=segments)


def _vitamin_d(
    mcg: float,
    interval_days: float | None,
    *,
    start_day: float = 0.0,
    duration_days: float | None = None,
) -> RegimenSegment:
    return RegimenSegment(
        "vitamin_d", "cholecalciferol", mcg, "mcg", interval_days, start_day, duration_days
    )


def test_maintenance_of_an_intermittent_regimen_is_dose_over_interval() -> None:
    # 100,000 IU (2,500 mcg) every 3 months (90 days): 1,111.1 IU/day; 50,000 IU monthly:
    # 1,666.7 IU/day. An 8-week window gave 0 (at 400 days) or 1,786 (at 365 days).
    quarterly = _regimen(_vitamin_d(2500.0, 90.0))
    monthly = _regimen(_vitamin_d(1250.0, 30.0))
    assert regimen_maintenance_iu_per_day([quarterly]) == pytest.approx(1111.1, abs=0.1)
    assert regimen_maintenance_iu_per_day([monthly]) == pytest.approx(1666.7, abs=0.1)


def test_maintenance_is_the_final_phase_and_regimens_add_up() -> None:
    loading_then_daily = _regimen(
        _vitamin_d(1250.0, 7.0, duration_days=56.0), _vitamin_d(50.0, 1.0, start_day=56.0)
    )
    # Even before the final phase starts, the steady state is the maintenance phase's.
    assert regimen_maintenance_iu_per_day([loading_then_daily]) == pytest.approx(2000.0)
    once = _regimen(_vitamin_d(2500.0, None))
    assert regimen_maintenance_iu_per_day([once]) == 0.0
    daily = _regimen(_vitamin_d(50.0, 1.0))
    monthly = _regimen(_vitamin_d(1250.0, 30.0))
    assert regimen_maintenance_iu_per_day([daily, monthly]) == pytest.approx(3666.7, abs=0.1)


def test_a_regimen_that_ends_holds_nothing_at_any_horizon(params: ProjectionParameters) -> None:
    # "50,000 IU weekly for 8 weeks" gave 7,143 IU/day at a 30-day horizon and 0 at 365 days:
    # a regimen that ends has no treated steady state, whatever the horizon.
    loading_only = _regimen(_vitamin_d(1250.0, 7.0, duration_days=56.0))
    assert regimen_maintenance_iu_per_day([loading_only]) == 0.0
    assert regimen_end_day([loading_only]) == 56.0
    assert regimen_end_day([_regimen(_vitamin_d(50.0, 1.0))]) is None
    for horizon in (30, 365):
        events = [DoseEvent(float(day), 50_000) for day in range(0, min(56, horizon), 7)]
        projection = project(
            44.93,
            events,
            horizon,
            parameters=params,
            weight_kg=70,
            maintenance_iu_per_day=regimen_maintenance_iu_per_day([loading_only]),
        )
        assert not projection.steady_state_on_treatment
        assert projection.steady_state_nmol_l == pytest.approx(44.93, abs=0.01)


def test_an_ongoing_regimen_has_a_treated_steady_state(params: ProjectionParameters) -> None:
    projection = project(44.93, daily(2000, 365), 365, parameters=params, weight_kg=70)
    assert projection.steady_state_on_treatment
    assert projection.steady_state_nmol_l > 70


def test_an_old_baseline_result_is_cautioned() -> None:
    assert baseline_age_caution(365, 365) is None
    caution = baseline_age_caution(1428, 365)
    assert caution is not None and "re-measure before planning" in caution
    assert "1,428 days" in caution


@pytest.mark.parametrize(
    ("dose_iu", "interval", "horizon", "expected"),
    [(100_000, 90, 400, 1111.1), (100_000, 90, 365, 1111.1), (50_000, 30, 365, 1666.7)],
)
def test_projection_steady_state_uses_the_schedule_not_a_window(
    params: ProjectionParameters, dose_iu: float, interval: int, horizon: int, expected: float
) -> None:
    events = [DoseEvent(float(day), dose_iu) for day in range(0, horizon, interval)]
    projection = project(44.93, events, horizon, parameters=params, weight_kg=70)
    assert projection.maintenance_iu_per_day == pytest.approx(expected, abs=0.1)


def test_schedule_that_stopped_holds_nothing() -> None:
    loading = [DoseEvent(float(day), 50_000) for day in range(0, 56, 7)]
    assert schedule_iu_per_day(loading, 365) == 0.0
    assert schedule_iu_per_day([DoseEvent(0, 100_000)], 365) == 0.0
    assert schedule_iu_per_day(loading, 56) == pytest.approx(7142.9, abs=0.1)


def test_given_maintenance_overrides_the_events(params: ProjectionParameters) -> None:
    projection = project(44.93, daily(2000, 365), 365, parameters=params, maintenance_iu_per_day=0)
    assert projection.maintenance_iu_per_day == 0.0
    assert projection.steady_state_nmol_l == pytest.approx(44.93, abs=0.01)


# --------------------------------------------------------------------------- age
def test_infants_are_refused(params: ProjectionParameters) -> None:
    # The reviewer's case: a 3 kg newborn on 2,000 IU/day was projected at about
    # 747 nmol/L, while 400 IU/day took breast-fed infants from about 40 to 109 nmol/L
    # (Wagner 2010). The model is not calibrated for infants, so it refuses.
    with pytest.raises(InputError, match="not available below 1 year") as caught:
        project(40.0, daily(2000, 120), 120, parameters=params, weight_kg=3.0, age_years=0.01)
    assert caught.value.where == "age"


def test_a_preterm_infant_is_told_about_age_not_weight(params: ProjectionParameters) -> None:
    with pytest.raises(InputError, match="1 year"):
        project(30.0, daily(400, 60), 60, parameters=params, weight_kg=1.8, age_years=0.1)


def test_children_need_a_measured_weight(params: ProjectionParameters) -> None:
    for bmi in (None, 16.0):
        with pytest.raises(InputError, match="measured body weight") as caught:
            project(25.0, daily(1000, 90), 90, parameters=params, age_years=4, bmi_kg_m2=bmi)
        assert caught.value.where == "weight"
        assert caught.value.hint and "--weight" in caught.value.hint
    child = project(25.0, daily(1000, 90), 90, parameters=params, age_years=4, weight_kg=16)
    assert any("calibrated on adult trials" in a for a in child.assumptions)
    assert not child.body_mass_assumed


def test_adults_carry_no_age_caveat_but_a_missing_age_is_said(
    params: ProjectionParameters,
) -> None:
    adult = project(45.0, daily(1000, 30), 30, parameters=params, age_years=19, weight_kg=60)
    assert not any("age" in a for a in adult.assumptions)
    unknown = project(45.0, daily(1000, 30), 30, parameters=params)
    assert any("no age given" in a for a in unknown.assumptions)
    assert any("70 kg is assumed" in a for a in unknown.assumptions)


def test_applicability_limits_come_from_the_table(params: ProjectionParameters) -> None:
    assert params.minimum_age_years == 1.0
    assert params.adult_age_years == 19.0
    assert "wagner-2010-breastfed-infants" in params.sources
    assert applicability_assumptions(params, age_years=30, weight_kg=None) == ()


# --------------------------------------------------------------------------- one integrator
@settings(max_examples=25, deadline=None)
@given(
    baseline=st.floats(5.0, 250.0),
    dose=st.floats(0.0, 100_000.0),
    interval=st.sampled_from([1, 7, 14, 30, 90]),
    day_of_year=st.one_of(st.none(), st.integers(1, 366)),
    weight=st.floats(40.0, 150.0),
)
def test_plain_float_integrator_equals_the_batch_one(
    params: ProjectionParameters,
    baseline: float,
    dose: float,
    interval: int,
    day_of_year: int | None,
    weight: float,
) -> None:
    """``project`` runs on plain floats; the numpy batch integrator (benchmarks, population
    runs) must give the same trajectories to 1e-9 nmol/L."""
    from d3k2.core.kinetics.projection import (
        _doses_on_grid,
        _per_kg_factor,
        band_multipliers,
        seasonal_factor,
        simulate_25ohd_nmol_l,
    )

    horizon = 120
    events = [DoseEvent(float(day), dose) for day in range(0, horizon, interval)]
    projection = project(
        baseline,
        events,
        horizon,
        parameters=params,
        weight_kg=weight,
        baseline_day_of_year=day_of_year,
    )
    steps_per_day = round(1 / params.time_step_days)
    steps = horizon * steps_per_day
    grid = np.array(_doses_on_grid(events, steps, params.time_step_days, 0.0))
    untreated = None
    if day_of_year is not None:
        season = np.asarray(
            seasonal_factor(
                day_of_year + np.arange(steps + 1) * params.time_step_days, params, southern=False
            )
        )
        untreated = np.tile(baseline * season / season[0], (3, 1))
    levels = simulate_25ohd_nmol_l(
        np.full(3, baseline),
        np.tile(grid, (3, 1)),
        parameters=params,
        per_kg_factor=np.full(3, _per_kg_factor(weight, params)),
        response_multiplier=np.array(band_multipliers(params)),
        untreated_nmol_l=untreated,
    )[:, ::steps_per_day]
    central = [point.serum_25ohd_nmol_l for point in projection.points]
    assert np.max(np.abs(levels[1] - np.array(central))) <= 1e-9
