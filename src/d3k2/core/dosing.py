"""Dose planning: the smallest practical vitamin D3 regimen that reaches a target level.

For each real product strength and schedule (``tables/products.yaml``), from the lowest
average IU/day up, the 25(OH)D projection (:mod:`d3k2.core.projection`) is run for a year
and the regimen is accepted when the LOWER band of the projection, at the planning
quantile (10th percentile by default: about 90% of people like this one), stays at or
above the target over the last dosing cycle. Regimens above the tolerable upper intake
level (UL) are considered only when the plan is supervised, and then the plan says which
labs to check and when.

The UL is a parameter (from the DRI table for the person's life stage), so this module
holds no clinical number of its own.

References
----------
.. [1] Institute of Medicine. Dietary Reference Intakes for Calcium and Vitamin D.
   Washington, DC: National Academies Press; 2011. doi:10.17226/13050 (ULs, Table 6-4).
.. [2] Aloia JF, Patel M, DiMaano R, et al. Vitamin D intake to attain a desired serum
   25-hydroxyvitamin D concentration. Am J Clin Nutr 2008;87:1952-8.
   doi:10.1093/ajcn/87.6.1952 (the spread of the response that makes a single
   "average" dose reach the target in only about half of people).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from scipy.special import ndtr, ndtri

from d3k2.core.projection import (
    DoseEvent,
    Projection,
    ProjectionParameters,
    days_to_target,
    project,
)
from d3k2.errors import InputError


@dataclass(frozen=True)
class Product:
    """One unit of a real product taken on a schedule (``interval_days`` apart)."""

    id: str
    name: str
    amount_iu: float
    schedule: str
    interval_days: float
    sources: tuple[str, ...] = ()

    @property
    def iu_per_day(self) -> float:
        """Average intake [IU/day]."""
        return self.amount_iu / self.interval_days

    def describe(self) -> str:
        return f"{self.amount_iu:,.0f} IU {self.schedule}"


@dataclass(frozen=True)
class GuidelineLine:
    """A serum 25(OH)D level of guideline concern [nmol/L], with its sources."""

    id: str
    label: str
    serum_25ohd_nmol_l: float
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class MonitoringStep:
    """Labs to check ``after_days`` after starting a regimen, and why."""

    id: str
    tests: tuple[str, ...]
    after_days: int
    why: str
    sources: tuple[str, ...] = ()

    def describe(self) -> str:
        weeks = self.after_days / 7
        when = f"about {self.after_days} days" + (f" ({weeks:.0f} weeks)" if weeks >= 2 else "")
        return f"{' and '.join(self.tests)} at {when}: {self.why}"


@dataclass(frozen=True)
class DoseOption:
    """How one candidate regimen does, judged on a one-year projection.

    ``trough_low_nmol_l`` is the lowest lower-band value over the last dosing cycle;
    ``share_reaching_target`` estimates the share of people like this one at or above the
    target at that trough (log-normal reading of the band).
    """

    product: Product
    iu_per_day: float
    above_upper_limit: bool
    reaches_target: bool
    trough_low_nmol_l: float
    trough_central_nmol_l: float
    steady_state_nmol_l: float
    steady_state_high_nmol_l: float
    days_to_target_low: int | None
    days_to_target_central: int | None
    share_reaching_target: float


@dataclass(frozen=True)
class DosePlan:
    """The outcome of :func:`plan_dose`.

    ``recommended`` is ``None`` when the person is already at the target or when no
    allowed regimen reaches it for ``1 - quantile`` of people; ``closest`` is then the
    allowed option that comes nearest.
    """

    baseline_nmol_l: float
    target_nmol_l: float
    quantile: float
    upper_limit_iu_per_day: float
    supervised: bool
    already_at_target: bool
    recommended: DoseOption | None
    closest: DoseOption | None
    considered: tuple[DoseOption, ...]
    monitoring: tuple[MonitoringStep, ...]
    messages: tuple[str, ...]
    projection: Projection | None


def _regimen_events(product: Product, horizon_days: int) -> list[DoseEvent]:
    count = math.ceil(horizon_days / product.interval_days)
    return [DoseEvent(i * product.interval_days, product.amount_iu) for i in range(count)]


def _evaluate(
    product: Product,
    baseline_nmol_l: float,
    target_nmol_l: float,
    upper_limit_iu_per_day: float,
    horizon_days: int,
    parameters: ProjectionParameters,
    kwargs: dict[str, float | int | bool | None],
) -> tuple[DoseOption, Projection]:
    projection = project(
        baseline_nmol_l,
        _regimen_events(product, horizon_days),
        horizon_days,
        parameters=parameters,
        weight_kg=_opt_float(kwargs["weight_kg"]),
        bmi_kg_m2=_opt_float(kwargs["bmi_kg_m2"]),
        age_years=_opt_float(kwargs["age_years"]),
        baseline_day_of_year=None,
    )
    cycle_days = max(1, math.ceil(product.interval_days))
    last_cycle = projection.points[horizon_days - cycle_days :]
    trough = min(last_cycle, key=lambda point: point.low)
    central_trough = min(point.serum_25ohd_nmol_l for point in last_cycle)
    z = float(-ndtri(parameters.band_quantile))
    sigma = math.log(trough.serum_25ohd_nmol_l / trough.low) / z
    share = float(ndtr(math.log(trough.serum_25ohd_nmol_l / target_nmol_l) / sigma))
    option = DoseOption(
        product=product,
        iu_per_day=product.iu_per_day,
        above_upper_limit=product.iu_per_day > upper_limit_iu_per_day,
        reaches_target=trough.low >= target_nmol_l,
        trough_low_nmol_l=trough.low,
        trough_central_nmol_l=central_trough,
        steady_state_nmol_l=projection.steady_state_nmol_l,
        steady_state_high_nmol_l=projection.steady_state_high_nmol_l,
        days_to_target_low=days_to_target(projection, target_nmol_l, bound="low"),
        days_to_target_central=days_to_target(projection, target_nmol_l),
        share_reaching_target=share,
    )
    return option, projection


def _opt_float(value: float | int | bool | None) -> float | None:
    return None if value is None else float(value)


def plan_dose(
    baseline_nmol_l: float,
    target_nmol_l: float,
    *,
    products: Sequence[Product],
    parameters: ProjectionParameters,
    upper_limit_iu_per_day: float,
    quantile: float,
    horizon_days: int = 365,
    weight_kg: float | None = None,
    bmi_kg_m2: float | None = None,
    age_years: float | None = None,
    supervised: bool = False,
    monitoring: Sequence[MonitoringStep] = (),
    guideline_lines: Sequence[GuidelineLine] = (),
) -> DosePlan:
    """Smallest practical regimen whose projection reaches the target for most people.

    Parameters
    ----------
    baseline_nmol_l, target_nmol_l
        Measured and target serum 25(OH)D [nmol/L].
    products
        Usable (strength, schedule) pairs.
    parameters
        Projection model parameters.
    upper_limit_iu_per_day
        The tolerable upper intake level for the person's life stage [IU/day] (adults:
        4,000 IU/day, NAM 2011 Table 6-4), looked up by the caller.
    quantile
        Lower band quantile that must reach the target (0.10: about 90% of people).
    horizon_days
        Length of the projection each option is judged on [days].
    weight_kg, bmi_kg_m2, age_years
        Passed to the projection.
    supervised
        Allow regimens above the UL; the plan then lists ``monitoring``.
    monitoring
        Labs to suggest when the recommended regimen is above the UL.
    guideline_lines
        Levels of concern; a warning is added when the upper band would cross the lowest.

    Raises
    ------
    InputError
        Non-positive target or UL, a quantile outside (0, 0.5), or no products.
    """
    if not math.isfinite(target_nmol_l) or target_nmol_l <= 0:
        raise InputError(f"the target must be more than zero, got {target_nmol_l}", where="target")
    if not math.isfinite(upper_limit_iu_per_day) or upper_limit_iu_per_day <= 0:
        raise InputError(
            f"the upper intake level must be more than zero, got {upper_limit_iu_per_day}",
            where="upper_limit",
        )
    if not 0 < quantile < 0.5:
        raise InputError(f"quantile must be between 0 and 0.5, got {quantile}", where="quantile")
    if not products:
        raise InputError("no products to choose from", where="products")
    if not math.isfinite(baseline_nmol_l) or baseline_nmol_l <= 0:
        raise InputError(
            f"baseline serum 25(OH)D must be more than zero, got {baseline_nmol_l}",
            where="baseline",
        )
    parameters = replace(parameters, band_quantile=quantile)
    messages: list[str] = []
    lowest_concern = min(guideline_lines, key=lambda line: line.serum_25ohd_nmol_l, default=None)
    if lowest_concern is not None and target_nmol_l > lowest_concern.serum_25ohd_nmol_l:
        messages.append(
            f"the target is above the level linked to {lowest_concern.label} "
            f"({lowest_concern.serum_25ohd_nmol_l:g} nmol/L)"
        )
    if baseline_nmol_l >= target_nmol_l:
        messages.append(
            "the measured level is already at or above the target; no supplement is needed "
            "to reach it (whether to maintain it is a clinical choice)"
        )
        return DosePlan(
            baseline_nmol_l=baseline_nmol_l,
            target_nmol_l=target_nmol_l,
            quantile=quantile,
            upper_limit_iu_per_day=upper_limit_iu_per_day,
            supervised=supervised,
            already_at_target=True,
            recommended=None,
            closest=None,
            considered=(),
            monitoring=(),
            messages=tuple(messages),
            projection=None,
        )
    kwargs: dict[str, float | int | bool | None] = {
        "weight_kg": weight_kg,
        "bmi_kg_m2": bmi_kg_m2,
        "age_years": age_years,
    }
    candidates = sorted(products, key=lambda p: (p.iu_per_day, p.interval_days))
    allowed = [p for p in candidates if supervised or p.iu_per_day <= upper_limit_iu_per_day]
    considered: list[DoseOption] = []
    recommended: DoseOption | None = None
    chosen_projection: Projection | None = None
    for product in allowed:
        option, projection = _evaluate(
            product,
            baseline_nmol_l,
            target_nmol_l,
            upper_limit_iu_per_day,
            horizon_days,
            parameters,
            kwargs,
        )
        considered.append(option)
        if option.reaches_target:
            recommended, chosen_projection = option, projection
            break
    closest = None
    if recommended is None and considered:
        closest = max(considered, key=lambda option: option.trough_low_nmol_l)
        share = closest.share_reaching_target
        limit = (
            ""
            if supervised
            else f" within the upper intake level ({upper_limit_iu_per_day:,.0f} IU/day)"
        )
        messages.append(
            f"no regimen{limit} reaches the target for {100 * (1 - quantile):.0f}% of people "
            f"like this; the closest, {closest.product.describe()}, reaches it for about "
            f"{100 * share:.0f}%"
        )
    if not allowed:
        messages.append(
            "every product is above the upper intake level and the plan is not supervised"
        )
    plan_monitoring: tuple[MonitoringStep, ...] = ()
    if recommended is not None and recommended.above_upper_limit:
        plan_monitoring = tuple(sorted(monitoring, key=lambda step: step.after_days))
        messages.append(
            f"{recommended.product.describe()} ({recommended.iu_per_day:,.0f} IU/day on average) "
            f"is above the upper intake level of {upper_limit_iu_per_day:,.0f} IU/day: only under "
            "medical supervision, with monitoring"
        )
    if (
        recommended is not None
        and lowest_concern is not None
        and recommended.steady_state_high_nmol_l > lowest_concern.serum_25ohd_nmol_l
    ):
        messages.append(
            f"at steady state {100 * (1 - quantile):.0f}% of people like this stay below "
            f"{recommended.steady_state_high_nmol_l:.0f} nmol/L, which is above the level linked "
            f"to {lowest_concern.label} ({lowest_concern.serum_25ohd_nmol_l:g} nmol/L)"
        )
    return DosePlan(
        baseline_nmol_l=baseline_nmol_l,
        target_nmol_l=target_nmol_l,
        quantile=quantile,
        upper_limit_iu_per_day=upper_limit_iu_per_day,
        supervised=supervised,
        already_at_target=False,
        recommended=recommended,
        closest=closest,
        considered=tuple(considered),
        monitoring=plan_monitoring,
        messages=tuple(messages),
        projection=chosen_projection,
    )
