"""Dose planning: the smallest practical vitamin D3 regimen that reaches a target level.

For each real product strength and schedule (``tables/products.yaml``), from the lowest
average IU/day up, the 25(OH)D projection (:mod:`d3k2.core.kinetics.projection`) is run for a year
and the regimen is accepted when the LOWER band of the projection, at the planning
quantile (10th percentile by default: about 90% of people like this one), stays at or
above the target over the last dosing cycle. Regimens above the tolerable upper intake
level (UL) are considered only when the plan is supervised, and then the plan says which
labs to check and when.

The UL is a parameter of :func:`plan_dose`; :func:`vitamin_d_upper_limit_iu_per_day` reads
it from the DRI table (``knowledge/data/tables/dri.csv``) and :func:`guideline_target_nmol_l`
reads a guideline's lowest "adequate"/"sufficient" level from
``knowledge/data/tables/lab_bands.yaml``, so this module holds no clinical number of its own.

References
----------
.. [1] Institute of Medicine. Dietary Reference Intakes for Calcium and Vitamin D.
   Washington, DC: National Academies Press; 2011. doi:10.17226/13050 (ULs, Table 6-4).
.. [2] Aloia JF, Patel M, DiMaano R, et al. Vitamin D intake to attain a desired serum
   25-hydroxyvitamin D concentration. Am J Clin Nutr 2008;87:1952-8.
   doi:10.1093/ajcn/87.6.1952 (the spread of the response that makes a single
   "average" dose reach the target in only about half of people).
.. [3] Holick MF, Binkley NC, Bischoff-Ferrari HA, et al. Evaluation, treatment, and
   prevention of vitamin D deficiency: an Endocrine Society clinical practice guideline.
   J Clin Endocrinol Metab 2011;96:1911-30. doi:10.1210/jc.2011-0385 (sufficiency from
   30 ng/mL, 75 nmol/L).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from statistics import NormalDist
from typing import Final

from d3k2.core.dates import parse_iso_date
from d3k2.core.kinetics.projection import (
    MAX_HORIZON_DAYS,
    DoseEvent,
    Projection,
    ProjectionParameters,
    applicability_assumptions,
    baseline_age_caution,
    days_to_target,
    project,
    regimen_end_day,
    regimen_maintenance_iu_per_day,
)
from d3k2.core.quantities import amount_in
from d3k2.core.regimen import (
    NutrientCatalog,
    Regimen,
    dose_regimen,
    vitamin_d_dose_events_iu,
)
from d3k2.core.screening.dri import dri_row_for
from d3k2.core.screening.engine import DEFAULT_GUIDELINE, assess
from d3k2.core.screening.labs import latest as latest_result
from d3k2.core.screening.model import PatientFacts, PlanItem, Sex
from d3k2.errors import InputError
from d3k2.knowledge.schema import DriRow, Knowledge

ADULT_AGE_YEARS: Final = 30.0
"""Age used to look up the UL when none is given: any adult row of the DRI table (the
vitamin D UL is the same, 100 mcg/day, for every adult life stage; NAM 2011 Table S-2)."""
ADEQUATE_CATEGORIES: Final = ("adequate", "sufficient")
"""Band categories in ``lab_bands.yaml`` whose lower edge is a guideline's target level."""
LEVEL_DECIMALS: Final = 1
"""Serum 25(OH)D levels are compared with the target as they are shown: to 0.1 nmol/L
(no clinical content; it makes the plan's table and its decision agree)."""
ASSESS_HORIZON_DAYS: Final = 365
"""``d3k2 assess`` projects one year of the planned regimen, from the day it starts."""
CANDIDATE_FORM: Final = "cholecalciferol"
"""Every product of ``tables/products.yaml`` is vitamin D3."""
SCREEN_SEVERITY: Final = "major"
"""A candidate regimen that raises an alert of this severity in ``d3k2 assess`` for the same
person is not acceptable in a plan."""


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
class NotDescribed:
    """A group of people the projection model does not describe (``tables/projection.yaml``
    ``not_described``): a profile holding any of its medication or condition classes, or
    pregnancy, gets a caution naming it."""

    id: str
    label: str
    reason: str
    medication_classes: frozenset[str] = frozenset()
    condition_classes: frozenset[str] = frozenset()
    pregnancy: bool = False
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
class BlockingAlert:
    """A rule of the knowledge base that makes a candidate regimen not acceptable."""

    rule_id: str
    title: str
    severity: str


CandidateScreen = Callable[["Product"], tuple[BlockingAlert, ...]]
"""Given a candidate regimen, the alerts that make it not acceptable (empty: acceptable)."""


@dataclass(frozen=True)
class DoseOption:
    """How one candidate regimen does, judged on a one-year projection.

    ``trough_low_nmol_l`` is the lowest lower-band value over the last dosing cycle;
    ``share_reaching_target`` estimates the share of people like this one at or above the
    target at that trough (log-normal reading of the band). Both are judged as shown, to
    ``LEVEL_DECIMALS``: ``reaches_target`` is True exactly when the rounded trough is at or
    above the rounded target, and then the share is at least ``1 - quantile``.
    ``blocked_by`` lists the major alerts the regimen raises in the assessment for this
    person; such an option is never suggested nor named as the closest.
    ``peak_high_nmol_l`` is the highest upper-band value of the one-year projection: with
    the adapting clearance of model v2 and later a high dose can sit above its long-term steady
    state for months, so the plan's level-of-concern warning reads the higher of the two.
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
    blocked_by: tuple[BlockingAlert, ...] = ()
    peak_high_nmol_l: float = 0.0

    @property
    def acceptable(self) -> bool:
        """No major alert for this person."""
        return not self.blocked_by


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
    assumptions: tuple[str, ...] = ()
    """Every assumption of the projections the plan was judged on (body mass, age,
    season), to be shown with the plan."""
    cautions: tuple[str, ...] = ()
    """What must be read first: a measured level already above a level of concern."""


def vitamin_d_upper_limit_iu_per_day(
    dri_rows: Sequence[DriRow], age_years: float | None
) -> tuple[float, str]:
    """The vitamin D tolerable upper intake level for the age [IU/day], and its source.

    From the DRI table (NAM 2011, Table S-2; ULs Table 6-4: 25 mcg/day at 0-6 months,
    38 mcg at 7-12 months, 63 mcg at 1-3 years, 75 mcg at 4-8 years, 100 mcg = 4,000 IU
    from 9 years). Without an age an adult is assumed, and the note says so. mcg -> IU
    with :func:`d3k2.core.quantities.amount_in` (40 IU per mcg).

    Raises
    ------
    InputError
        The table has no vitamin D UL for that age.
    """
    age = ADULT_AGE_YEARS if age_years is None else age_years
    row = dri_row_for(dri_rows, "vitamin_d", age_years=age, sex="any")
    if row is None or row.ul is None:
        raise InputError(
            "no tolerable upper intake level for vitamin D in the DRI table", where="age"
        )
    note = f"UL {row.ul:g} {row.unit}/day for {row.life_stage} ({row.source}, {row.locator})"
    if age_years is None:
        note += "; no age given, adult assumed"
    return amount_in(row.ul, row.unit, "IU", nutrient="vitamin_d"), note


def guideline_target_nmol_l(knowledge: Knowledge, guideline: str) -> float | None:
    """The lowest serum 25(OH)D the guideline calls adequate or sufficient [nmol/L].

    Read from the guideline's 25(OH)D bands in ``knowledge/data/tables/lab_bands.yaml``:
    NAM 2011 "adequate for bone health" from 50 nmol/L (20 ng/mL; NIH ODS table), Endocrine
    Society 2011 "sufficiency" from 75 nmol/L (30 ng/mL; Holick 2011). ``None`` when the
    guideline sets no such band (Endocrine Society 2024 endorses no threshold).
    """
    interpretation = knowledge.interpretation("25ohd", guideline)
    if interpretation is None:
        return None
    for band in interpretation.bands:
        if band.category in ADEQUATE_CATEGORIES and band.lower is not None:
            return band.lower
    return None


def candidate_plan_item(product: Product, nutrients: NutrientCatalog) -> PlanItem:
    """The candidate as a plan item, built from the product's numbers (no text parsed)."""
    text = f"vitamin D3 {product.amount_iu:g} IU {product.schedule}"
    regimen = dose_regimen(
        nutrients,
        nutrient="vitamin_d",
        form=CANDIDATE_FORM,
        amount=product.amount_iu,
        unit="IU",
        interval_days=product.interval_days,
        text=text,
    )
    return PlanItem(text, regimen, "candidate")


def rule_screen(
    knowledge: Knowledge,
    nutrients: NutrientCatalog,
    *,
    today: dt.date,
    age_years: float | None,
    sex: Sex | None = None,
    pregnant: bool = False,
    lactating: bool = False,
    weight_kg: float | None = None,
) -> CandidateScreen:
    """Screen candidate regimens with the same rules as ``d3k2 assess``.

    Each candidate becomes the plan of a person with the given age, sex, pregnancy,
    lactation and weight, which the engine assesses (:func:`d3k2.core.screening.engine.assess`);
    every ``SCREEN_SEVERITY`` alert that the candidate adds to the same person without a
    plan makes it not acceptable. Without an age an adult is assumed (as for the UL);
    without a sex, both are screened and either one's alerts count; pregnancy or lactation
    implies female.

    Pure: ``knowledge`` is passed in and ``today`` is the facts' date.

    Raises
    ------
    InputError
        Pregnant or lactating with sex male (``where="pregnant"``).
    """
    if sex == "male" and (pregnant or lactating):
        raise InputError(
            "pregnant or lactating is set for sex male",
            where="pregnant",
            hint="check the sex and pregnancy options",
        )
    sexes: tuple[Sex, ...] = (
        (sex,) if sex is not None else ("female",) if pregnant or lactating else ("female", "male")
    )
    age = ADULT_AGE_YEARS if age_years is None else age_years

    def alerts(chosen_sex: Sex, plan: tuple[PlanItem, ...]) -> dict[str, BlockingAlert]:
        facts = PatientFacts(
            age_years=age,
            sex=chosen_sex,
            pregnant=pregnant,
            lactating=lactating,
            weight_kg=weight_kg,
            plan=plan,
            as_of=today.isoformat(),
        )
        report = assess(facts, knowledge, nutrients, guideline=DEFAULT_GUIDELINE)
        return {
            alert.id: BlockingAlert(alert.id, alert.title, alert.severity)
            for alert in report.alerts
            if alert.severity == SCREEN_SEVERITY
        }

    without_plan = {chosen: alerts(chosen, ()) for chosen in sexes}

    def screen(product: Product) -> tuple[BlockingAlert, ...]:
        found: dict[str, BlockingAlert] = {}
        item = candidate_plan_item(product, nutrients)
        for chosen in sexes:
            with_plan = alerts(chosen, (item,))
            found.update(
                (rule_id, alert)
                for rule_id, alert in with_plan.items()
                if rule_id not in without_plan[chosen]
            )
        return tuple(found[rule_id] for rule_id in sorted(found))

    return screen


def levels_exceeded(
    serum_25ohd_nmol_l: float, guideline_lines: Sequence[GuidelineLine]
) -> tuple[GuidelineLine, ...]:
    """The levels of concern a measured or projected level is above, highest first."""
    above = [line for line in guideline_lines if serum_25ohd_nmol_l > line.serum_25ohd_nmol_l]
    return tuple(sorted(above, key=lambda line: -line.serum_25ohd_nmol_l))


def baseline_caution(
    baseline_nmol_l: float, guideline_lines: Sequence[GuidelineLine]
) -> str | None:
    """A caution when the measured level is already above a level of concern (the highest
    one it exceeds, e.g. NAM 2011 / NIH ODS toxicity above 375 nmol/L), else None."""
    exceeded = levels_exceeded(baseline_nmol_l, guideline_lines)
    if not exceeded:
        return None
    line = exceeded[0]
    return (
        f"the measured level, {baseline_nmol_l:.0f} nmol/L, is already above "
        f"{line.serum_25ohd_nmol_l:g} nmol/L ({line.label}): review it with a clinician "
        "before any vitamin D is taken"
    )


def band_cautions(
    projection: Projection, guideline_lines: Sequence[GuidelineLine]
) -> tuple[str, ...]:
    """A caution for each level of concern the projection's upper band goes above, lowest
    line first (e.g. NAM 2011 / ODS potential adverse effects above 125 nmol/L)."""
    peak = max(projection.points, key=lambda point: point.high)
    return tuple(
        f"the upper band reaches {peak.high:.0f} nmol/L on day {peak.day}, "
        f"above {line.serum_25ohd_nmol_l:.0f} nmol/L ({line.label})"
        for line in sorted(guideline_lines, key=lambda line: line.serum_25ohd_nmol_l)
        if peak.high > line.serum_25ohd_nmol_l
    )


def projection_cautions(
    projection: Projection | None,
    baseline_nmol_l: float,
    guideline_lines: Sequence[GuidelineLine],
    *,
    days_since_test: int | None,
    baseline_max_age_days: int,
) -> tuple[str, ...]:
    """Everything to read before a projection: a measured level above a level of concern,
    a result too old to plan from, and an upper band that crosses a level of concern."""
    cautions: list[str] = []
    above = baseline_caution(baseline_nmol_l, guideline_lines)
    if above is not None:
        cautions.append(above)
    if days_since_test is not None:
        stale = baseline_age_caution(days_since_test, baseline_max_age_days)
        if stale is not None:
            cautions.append(stale)
    if projection is not None:
        cautions += band_cautions(projection, guideline_lines)
    return tuple(cautions)


def not_described_cautions(
    facts: PatientFacts, not_described: Sequence[NotDescribed]
) -> tuple[str, ...]:
    """A caution for each group in ``not_described`` this person belongs to, naming what in
    the profile put them there ("90% of people like this" does not hold for them)."""
    cautions: list[str] = []
    for group in not_described:
        found = [
            term.input for term in facts.medications if group.medication_classes & term.classes
        ] + [term.input for term in facts.conditions if group.condition_classes & term.classes]
        if group.pregnancy and (facts.pregnant or facts.lactating):
            found.append("pregnant" if facts.pregnant else "lactating")
        if found:
            cautions.append(
                f"the projection does not describe {group.label} ({', '.join(found)}): "
                f"{group.reason}"
            )
    return tuple(cautions)


def regimen_notes(regimen: Regimen) -> tuple[str, ...]:
    """What the projection of ``regimen`` leaves out: vitamin D2, and other nutrients."""
    notes: list[str] = []
    if any(s.form == "ergocalciferol" for s in regimen.segments if s.nutrient == "vitamin_d"):
        notes.append(
            "the model is calibrated on vitamin D3; vitamin D2 raises 25(OH)D less, so the "
            "projection overstates a D2 regimen (Armas 2004)"
        )
    if any(s.nutrient != "vitamin_d" for s in regimen.segments):
        notes.append("only the vitamin D part of the regimen is projected")
    return tuple(notes)


@dataclass(frozen=True)
class AssessmentProjection:
    """The projection section of ``d3k2 assess`` (:func:`projection_for_assessment`).

    Either ``skipped`` says why no projection is shown, or ``projection`` holds it. Day 0
    is the date of the 25(OH)D result; the regimen starts on ``regimen_start_day``.
    ``regimen_end_day`` counts from the regimen's start [days] (None: it goes on).
    """

    skipped: str | None = None
    projection: Projection | None = None
    baseline_nmol_l: float | None = None
    baseline_date: dt.date | None = None
    regimen_text: str = ""
    regimen_start_day: int = 0
    regimen_end_day: float | None = None
    target_nmol_l: float | None = None
    cautions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def projection_for_assessment(
    facts: PatientFacts,
    *,
    today: dt.date | None,
    parameters: ProjectionParameters,
    guideline_lines: Sequence[GuidelineLine],
    target_nmol_l: float | None,
    baseline_max_age_days: int,
    horizon_days: int = ASSESS_HORIZON_DAYS,
    not_described: Sequence[NotDescribed] = (),
) -> AssessmentProjection | None:
    """Project the latest 25(OH)D result under the planned vitamin D regimen(s).

    Parameters
    ----------
    facts
        The person; reads the latest 25(OH)D lab, the plan, weight, BMI and age.
    today
        The assessment date; the regimen starts then (None: on the day of the test).
    parameters, guideline_lines, baseline_max_age_days
        From ``tables/projection.yaml`` (``d3k2.knowledge.projection``).
    target_nmol_l
        The guideline's target level [nmol/L], or None.
    horizon_days
        How long the regimen is projected from its start [days].
    not_described
        Groups the model does not describe (``tables/projection.yaml``); the person's
        membership of any is a caution of the projection.

    Returns None when there is no 25(OH)D result or no vitamin D in the plan; an
    :class:`AssessmentProjection` with ``skipped`` set when this person cannot be
    projected (the reason in plain words).
    """
    latest = latest_result(facts.labs, "25ohd")
    plan_items = [
        item for item in facts.plan if any(s.nutrient == "vitamin_d" for s in item.regimen.segments)
    ]
    if latest is None or not plan_items:
        return None
    if latest.qualifier is not None:
        return AssessmentProjection(
            skipped=f"the 25(OH)D result is censored ('{latest.input}'): a projection needs a "
            "measured value"
        )
    if latest.unit_si != "nmol/L":
        return AssessmentProjection(
            skipped=f"the 25(OH)D result is in {latest.unit_si}, not nmol/L"
        )
    try:
        lab_date = parse_iso_date(latest.date, where="labs") if latest.date else None
    except InputError as error:
        return AssessmentProjection(skipped=error.message)
    notes: list[str] = []
    offset_days = 0
    if lab_date is None or today is None:
        notes.append(
            "the 25(OH)D result or the profile has no date: the regimen is assumed to start "
            "on the day of the blood test"
        )
    elif lab_date > today:
        return AssessmentProjection(
            skipped=f"the 25(OH)D result is dated {lab_date}, after the assessment date {today}"
        )
    else:
        offset_days = (today - lab_date).days
        if offset_days + horizon_days > MAX_HORIZON_DAYS:
            return AssessmentProjection(
                skipped=f"the 25(OH)D result ({lab_date}) is too old to project from "
                f"({offset_days} days before {today})"
            )
        if offset_days:
            notes.append(
                f"day 0 is the 25(OH)D result of {lab_date}; the regimen starts on {today} "
                f"(day {offset_days}), and the level is assumed unchanged until then"
            )
    notes.append(
        "why no seasonal drift: the profile has no latitude, so the hemisphere (and when "
        "its seasons fall) is unknown"
    )
    events = sorted(
        (
            DoseEvent(day + offset_days, iu)
            for item in plan_items
            for day, iu in vitamin_d_dose_events_iu(item.regimen, horizon_days)
        ),
        key=lambda event: event.day,
    )
    regimens = [item.regimen for item in plan_items]
    baseline_nmol_l = float(latest.value_si)
    try:
        projection = project(
            baseline_nmol_l,
            events,
            offset_days + horizon_days,
            parameters=parameters,
            weight_kg=facts.weight_kg,
            bmi_kg_m2=facts.bmi_kg_m2,
            age_years=facts.age_years,
            maintenance_iu_per_day=regimen_maintenance_iu_per_day(regimens),
        )
    except InputError as error:  # e.g. an infant, or a child without a measured weight
        return AssessmentProjection(skipped=error.message)
    notes += [note for regimen in regimens for note in regimen_notes(regimen)]
    return AssessmentProjection(
        projection=projection,
        baseline_nmol_l=baseline_nmol_l,
        baseline_date=lab_date,
        regimen_text="; ".join(item.input for item in plan_items),
        regimen_start_day=offset_days,
        regimen_end_day=regimen_end_day(regimens),
        target_nmol_l=target_nmol_l,
        cautions=projection_cautions(
            projection,
            baseline_nmol_l,
            guideline_lines,
            days_since_test=None if lab_date is None else offset_days,
            baseline_max_age_days=baseline_max_age_days,
        )
        + not_described_cautions(facts, not_described),
        notes=tuple(notes),
    )


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
        maintenance_iu_per_day=product.iu_per_day,
    )
    cycle_days = max(1, math.ceil(product.interval_days))
    last_cycle = projection.points[horizon_days - cycle_days :]
    trough = min(last_cycle, key=lambda point: point.low)
    central_trough = min(point.serum_25ohd_nmol_l for point in last_cycle)
    # Judged as shown: the trough and the target to LEVEL_DECIMALS, and the share read from
    # those same rounded values, so that share >= 1 - quantile exactly when it reaches.
    trough_low = round(trough.low, LEVEL_DECIMALS)
    target = round(target_nmol_l, LEVEL_DECIMALS)
    reaches = trough_low >= target
    z = -NormalDist().inv_cdf(parameters.band_quantile)
    sigma = math.log(trough.serum_25ohd_nmol_l / trough_low) / z
    share = NormalDist().cdf(math.log(trough.serum_25ohd_nmol_l / target) / sigma)
    required = 1.0 - parameters.band_quantile
    share = max(share, required) if reaches else min(share, math.nextafter(required, 0.0))
    option = DoseOption(
        product=product,
        iu_per_day=product.iu_per_day,
        above_upper_limit=product.iu_per_day > upper_limit_iu_per_day,
        reaches_target=reaches,
        trough_low_nmol_l=trough_low,
        trough_central_nmol_l=central_trough,
        steady_state_nmol_l=projection.steady_state_nmol_l,
        steady_state_high_nmol_l=projection.steady_state_high_nmol_l,
        days_to_target_low=days_to_target(projection, target_nmol_l, bound="low"),
        days_to_target_central=days_to_target(projection, target_nmol_l),
        share_reaching_target=share,
        peak_high_nmol_l=max(point.high for point in projection.points),
    )
    return option, projection


def percent_down(share: float) -> int:
    """A share as a whole percentage, rounded down, so that a regimen shown at 90% does
    reach the target for 90% of people (the guard absorbs floating-point noise)."""
    return math.floor(100.0 * share + 1e-9)


def _opt_float(value: float | int | bool | None) -> float | None:
    return None if value is None else float(value)


def _check_target(
    target_nmol_l: float, guideline_lines: Sequence[GuidelineLine], *, supervised: bool
) -> None:
    """Refuse a target at or above the lowest level of concern (NAM 2011 / ODS potential
    adverse effects, 125 nmol/L), or, when supervised, at or above the highest (toxicity,
    375 nmol/L): a plan never aims at a level the guidelines warn about."""
    if not guideline_lines:
        return
    ordered = sorted(guideline_lines, key=lambda line: line.serum_25ohd_nmol_l)
    limit = ordered[-1] if supervised else ordered[0]
    if target_nmol_l < limit.serum_25ohd_nmol_l:
        return
    hint = f"choose a target below {limit.serum_25ohd_nmol_l:g} nmol/L"
    if not supervised and len(ordered) > 1:
        hint += (
            f"; a target from {limit.serum_25ohd_nmol_l:g} up to (not including) "
            f"{ordered[-1].serum_25ohd_nmol_l:g} nmol/L is only planned under medical "
            "supervision"
        )
    raise InputError(
        f"the target, {target_nmol_l:.0f} nmol/L, is at or above "
        f"{limit.serum_25ohd_nmol_l:g} nmol/L ({limit.label}): no plan aims there"
        + ("" if supervised else " without medical supervision"),
        where="target",
        hint=hint,
    )


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
    screen: CandidateScreen | None = None,
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
        Labs to suggest when the option the plan names (recommended, or closest) is above
        the UL.
    guideline_lines
        Levels of concern; a warning is added when the upper band would cross the lowest,
        and a caution when the measured level is already above one.
    screen
        The alerts that make a candidate not acceptable for this person
        (:func:`rule_screen`: the rules of ``d3k2 assess``). Such a candidate is shown with
        its reason but never suggested nor named as the closest, supervised or not.

    Raises
    ------
    InputError
        Non-positive target or UL, a quantile outside (0, 0.5), no products, a person
        the projection does not apply to (an infant; a child without a measured weight),
        or a target at or above the lowest of ``guideline_lines`` (the highest when
        supervised).
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
    person_assumptions = applicability_assumptions(
        parameters, age_years=age_years, weight_kg=weight_kg
    )
    parameters = replace(parameters, band_quantile=quantile)
    messages: list[str] = []
    lowest_concern = min(guideline_lines, key=lambda line: line.serum_25ohd_nmol_l, default=None)
    _check_target(target_nmol_l, guideline_lines, supervised=supervised)
    if lowest_concern is not None and target_nmol_l >= lowest_concern.serum_25ohd_nmol_l:
        messages.append(
            f"the target is at or above the level linked to {lowest_concern.label} "
            f"({lowest_concern.serum_25ohd_nmol_l:g} nmol/L)"
        )
    caution = baseline_caution(baseline_nmol_l, guideline_lines)
    cautions = () if caution is None else (caution,)
    if baseline_nmol_l >= target_nmol_l:
        messages.append(
            "the measured level is already at or above the target; no supplement is needed "
            "to reach it"
            + ("" if caution is not None else " (whether to maintain it is a clinical choice)")
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
            assumptions=person_assumptions,
            cautions=cautions,
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
    assumptions: list[str] = list(person_assumptions)
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
        if screen is not None:
            option = replace(option, blocked_by=screen(product))
        considered.append(option)
        assumptions += [a for a in projection.assumptions if a not in assumptions]
        if not option.acceptable:
            titles = "; ".join(f"{a.title} ({a.rule_id}, {a.severity})" for a in option.blocked_by)
            messages.append(f"not acceptable for this person: {product.describe()}: {titles}")
            continue
        if option.reaches_target:
            recommended, chosen_projection = option, projection
            break
    acceptable = [option for option in considered if option.acceptable]
    closest = None
    if recommended is None and acceptable:
        closest = max(acceptable, key=lambda option: option.trough_low_nmol_l)
        share = closest.share_reaching_target
        limit = (
            ""
            if supervised
            else f" within the upper intake level ({upper_limit_iu_per_day:,.0f} IU/day)"
        )
        messages.append(
            f"no regimen{limit} reaches the target for {100 * (1 - quantile):.0f}% of people "
            f"like this; the closest, {closest.product.describe()}, reaches it for about "
            f"{percent_down(share)}%"
        )
    if not allowed:
        messages.append(
            "every product is above the upper intake level and the plan is not supervised"
        )
    elif not acceptable:
        messages.append("no product considered is acceptable for this person")
    plan_monitoring: tuple[MonitoringStep, ...] = ()
    named = recommended if recommended is not None else closest
    if named is not None and named.above_upper_limit:
        # Whatever option the plan names, above the UL it comes with its labs and timing.
        plan_monitoring = tuple(sorted(monitoring, key=lambda step: step.after_days))
        messages.append(
            f"{named.product.describe()} ({named.iu_per_day:,.0f} IU/day on average) "
            f"is above the upper intake level of {upper_limit_iu_per_day:,.0f} IU/day: only under "
            "medical supervision, with monitoring"
        )
    if recommended is not None and lowest_concern is not None:
        concern = lowest_concern.serum_25ohd_nmol_l
        peak = recommended.peak_high_nmol_l
        if recommended.steady_state_high_nmol_l > concern:
            messages.append(
                f"at steady state {100 * (1 - quantile):.0f}% of people like this stay below "
                f"{recommended.steady_state_high_nmol_l:.0f} nmol/L, which is above the level "
                f"linked to {lowest_concern.label} ({concern:g} nmol/L)"
                + (
                    f"; in the first year the upper band reaches {peak:.0f} nmol/L"
                    if round(peak) > round(recommended.steady_state_high_nmol_l)
                    else ""
                )
            )
        elif peak > concern:
            messages.append(
                f"in the first year the upper band reaches {peak:.0f} "
                f"nmol/L, above the level linked to {lowest_concern.label} ({concern:g} "
                "nmol/L), before the long-term level settles lower"
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
        assumptions=tuple(assumptions),
        cautions=cautions,
    )
