"""``d3k2 project`` and ``d3k2 plan-dose`` (adapter: parse options, call the core, render).

``register(app)`` adds both commands to the main typer app. ``assess_projection`` adds a
projection section to ``d3k2 assess`` when the profile has a 25(OH)D result and a vitamin
D plan. No clinical decision is made here: the model is :mod:`d3k2.core.projection`, the
planning :mod:`d3k2.core.dosing`, the numbers come from the knowledge tables.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from d3k2.adapters.render import source_json
from d3k2.core.dates import parse_iso_date
from d3k2.core.dosing import (
    ASSESS_HORIZON_DAYS,
    LEVEL_DECIMALS,
    AssessmentProjection,
    DoseOption,
    DosePlan,
    guideline_target_nmol_l,
    percent_down,
    plan_dose,
    projection_cautions,
    projection_for_assessment,
    regimen_notes,
    rule_screen,
    vitamin_d_upper_limit_iu_per_day,
)
from d3k2.core.model import DISCLAIMER, PatientFacts
from d3k2.core.projection import (
    MAX_HORIZON_DAYS,
    DoseEvent,
    Projection,
    days_to_target,
    project,
    regimen_end_day,
    regimen_maintenance_iu_per_day,
)
from d3k2.core.quantities import (
    NMOL_L_PER_NG_ML_25OHD,
    amount_in,
    parse_body_mass_kg,
    parse_quantity,
    parse_serum_25ohd_nmol_l,
)
from d3k2.core.regimen import NutrientIndex, Regimen, parse_regimen, vitamin_d_dose_events_iu
from d3k2.errors import InputError
from d3k2.knowledge.loader import load_knowledge
from d3k2.knowledge.projection import (
    load_baseline_max_age_days,
    load_guideline_lines,
    load_monitoring_steps,
    load_planning_quantile,
    load_products,
    load_projection_parameters,
    load_projection_table,
)
from d3k2.knowledge.schema import Knowledge

SUMMARY_DAYS = (0, 7, 14, 28, 56, 90, 120, 180, 270, 365, 540, 730)
OPTION_OF_FIELD = {
    "baseline": "--baseline",
    "target": "--target",
    "weight": "--weight",
    "bmi": "--bmi",
    "age": "--age",
    "days": "--days",
    "background": "--background",
    "baseline_date": "--baseline-date",
    "pregnant": "--pregnant",
}
"""Field names of the core's errors -> the options a user typed."""
T = TypeVar("T")


class ProjectFormat(StrEnum):
    text = "text"
    json = "json"
    svg = "svg"
    png = "png"


class PlanFormat(StrEnum):
    text = "text"
    json = "json"


class SexOption(StrEnum):
    female = "female"
    male = "male"


# --------------------------------------------------------------------------- parsing
def parse_target_nmol_l(text: str) -> float:
    try:
        value = parse_serum_25ohd_nmol_l(text)
    except InputError as error:
        raise _located(error, "--target") from None
    if value <= 0:
        raise InputError(f"the target must be more than zero: {text!r}", where="--target")
    return value


def parse_background_iu_per_day(text: str) -> float:
    """``"400 IU"`` or ``"10 mcg"`` (per day) -> IU/day."""
    cleaned = text.lower().replace("/day", "").replace("per day", "").replace("/d", "").strip()
    try:
        quantity = parse_quantity(cleaned)
        if quantity.value < 0:
            raise InputError(f"background intake cannot be negative: {text!r}")
        return amount_in(quantity.value, quantity.unit, "IU", nutrient="vitamin_d")
    except InputError as error:
        raise InputError(
            error.message,
            where="--background",
            hint='give a daily vitamin D intake, e.g. "400 IU" or "10 mcg"',
        ) from None


def _located(error: InputError, option: str) -> InputError:
    return InputError(error.message, where=option, hint=error.hint)


@contextmanager
def _options() -> Iterator[None]:
    """Name the command-line option in errors the core raises with a field name."""
    try:
        yield
    except InputError as error:
        if isinstance(error.where, str) and error.where in OPTION_OF_FIELD:
            raise _located(error, OPTION_OF_FIELD[error.where]) from None
        raise


def _write(output: Path, write: Callable[[Path], T]) -> T:
    try:
        return write(output)
    except OSError as error:
        raise InputError(
            f"cannot write {output}: {error.strerror or error}",
            where="--output",
            hint="give a file in a folder that exists and that you may write to",
        ) from None


def _regimen(text: str, knowledge: Knowledge) -> Regimen:
    try:
        regimen = parse_regimen(
            text, NutrientIndex.build(knowledge.nutrients), default_nutrient="vitamin_d"
        )
    except InputError as error:
        raise _located(error, "--regimen") from None
    if not any(s.nutrient == "vitamin_d" for s in regimen.segments):
        raise InputError(
            f"the regimen has no vitamin D: {text!r}",
            where="--regimen",
            hint='for example "50000 IU weekly for 8 weeks, then 2000 IU daily"',
        )
    return regimen


def _common(
    baseline: str, weight: str | None, bmi: float | None, age: float | None
) -> tuple[float, float | None]:
    try:
        baseline_nmol_l = parse_serum_25ohd_nmol_l(baseline)
    except InputError as error:
        raise _located(error, "--baseline") from None
    weight_kg = None
    if weight is not None:
        try:
            weight_kg = parse_body_mass_kg(weight)
        except InputError as error:
            raise _located(error, "--weight") from None
    if bmi is not None and not math.isfinite(bmi):
        raise InputError(f"BMI must be a number, got {bmi}", where="--bmi")
    if age is not None and not math.isfinite(age):
        raise InputError(f"age must be a number, got {age}", where="--age")
    return baseline_nmol_l, weight_kg


def _start_offset_days(
    baseline_date: str | None, start: str | None, today: dt.date, horizon_days: int
) -> int:
    """Days from the baseline test to the first dose; checks that the dates make sense."""
    baseline = parse_iso_date(baseline_date, where="--baseline-date") if baseline_date else None
    if baseline is not None and baseline > today:
        raise InputError(
            f"the baseline test date {baseline} is in the future (today is {today})",
            where="--baseline-date",
            hint="give the date the blood was taken",
        )
    if start is None:
        return 0
    if baseline is None:
        raise InputError(
            "--start needs --baseline-date (the projection counts days from the test)",
            where="--start",
        )
    first_dose = parse_iso_date(start, where="--start")
    if first_dose < baseline:
        raise InputError(
            f"the regimen starts on {first_dose}, before the baseline test on {baseline}",
            where="--start",
            hint="a baseline must be measured before the regimen starts; check the two dates",
        )
    offset = (first_dose - baseline).days
    if offset >= horizon_days:
        raise InputError(
            f"the regimen starts {offset} days after the test, beyond --days {horizon_days}",
            where="--start",
        )
    return offset


# --------------------------------------------------------------------------- rendering
def _ng(value_nmol_l: float) -> float:
    return value_nmol_l / NMOL_L_PER_NG_ML_25OHD


def _sources(knowledge: Knowledge, ids: tuple[str, ...]) -> list[dict[str, Any]]:
    return [source_json(knowledge, ref_id) for ref_id in ids]


def projection_payload(
    projection: Projection,
    knowledge: Knowledge,
    *,
    target_nmol_l: float | None,
    extra: dict[str, Any] | None = None,
    cautions: list[str] | None = None,
    regimen_end_day: float | None = None,
) -> dict[str, Any]:
    """The JSON form of a projection: {model, sources, cautions, points,
    steady_state_nmol_l, days_to_target, ...}."""
    payload: dict[str, Any] = {
        "model": projection.model,
        "sources": _sources(knowledge, projection.sources),
        "cautions": list(cautions or []),
        "units": {"day": "days since the baseline blood test", "serum_25ohd": "nmol/L"},
        "band": {
            "low_quantile": projection.band_quantile,
            "high_quantile": round(1 - projection.band_quantile, 6),
        },
        "points": [
            {
                "day": point.day,
                "serum_25ohd_nmol_l": round(point.serum_25ohd_nmol_l, 2),
                "low": round(point.low, 2),
                "high": round(point.high, 2),
            }
            for point in projection.points
        ],
        "steady_state_on_treatment": projection.steady_state_on_treatment,
        "steady_state_nmol_l": round(projection.steady_state_nmol_l, 2),
        "steady_state_band_nmol_l": [
            round(projection.steady_state_low_nmol_l, 2),
            round(projection.steady_state_high_nmol_l, 2),
        ],
        "maintenance_iu_per_day": round(projection.maintenance_iu_per_day, 1),
        "regimen_end_day": None if regimen_end_day is None else round(regimen_end_day, 2),
        "target_nmol_l": None if target_nmol_l is None else round(target_nmol_l, 2),
        "days_to_target": None,
        "days_to_target_low": None,
        "body_mass_kg": round(projection.body_mass_kg, 1),
        "assumptions": list(projection.assumptions),
        "disclaimer": DISCLAIMER,
    }
    if target_nmol_l is not None:
        payload["days_to_target"] = days_to_target(projection, target_nmol_l)
        payload["days_to_target_low"] = days_to_target(projection, target_nmol_l, bound="low")
    if extra:
        payload.update(extra)
    return payload


def _day_text(day: int | None, horizon: int) -> str:
    return f"day {day}" if day is not None else f"not within {horizon} days"


def summary_days(horizon_days: int, regimen_start_day: int = 0) -> list[int]:
    """Days of the printed table: day 0 (the test), then the same steps counted from the
    first dose (yearly after two years), and the last day."""
    steps = [*SUMMARY_DAYS, *range(SUMMARY_DAYS[-1] + 365, horizon_days + 1, 365)]
    days = {0, horizon_days}
    days.update(
        regimen_start_day + step for step in steps if regimen_start_day + step <= horizon_days
    )
    return sorted(days)


def _steady_state_line(
    projection: Projection, share: float, regimen_end_day: float | None, start_day: int
) -> str:
    level = projection.steady_state_nmol_l
    band = (
        f"{share:.0f}% between {projection.steady_state_low_nmol_l:.0f} and "
        f"{projection.steady_state_high_nmol_l:.0f} nmol/L"
    )
    if projection.steady_state_on_treatment:
        return (
            f"  steady state on {projection.maintenance_iu_per_day:,.0f} IU/day: "
            f"{level:.0f} nmol/L ({_ng(level):.0f} ng/mL), {band}"
        )
    ends = (
        f"the regimen ends (after day {start_day + regimen_end_day:,.0f})"
        if regimen_end_day is not None
        else "nothing goes on being taken"
    )
    return (
        f"  steady state: none on treatment, {ends}; the level then returns toward the "
        f"untreated level, about {level:.0f} nmol/L ({_ng(level):.0f} ng/mL), {band}"
    )


def projection_text(
    projection: Projection,
    *,
    baseline_nmol_l: float,
    regimen_text: str,
    target_nmol_l: float | None,
    notes: list[str],
    with_disclaimer: bool = True,
    cautions: list[str] | None = None,
    regimen_start_day: int = 0,
    regimen_end_day: float | None = None,
) -> str:
    horizon = projection.points[-1].day
    share = 100 * (1 - 2 * projection.band_quantile)
    lines = ["25(OH)D projection"]
    lines += [f"  CAUTION: {caution}" for caution in cautions or []]
    lines += [
        f"  baseline   {baseline_nmol_l:.1f} nmol/L ({_ng(baseline_nmol_l):.1f} ng/mL)",
        f"  regimen    {regimen_text}",
        f"  body mass  {projection.body_mass_kg:.1f} kg"
        + (" (assumed)" if projection.body_mass_assumed else ""),
        "",
    ]
    delayed = regimen_start_day > 0
    header = f"  {'day':>5}" + (f"  {'dose day':>8}" if delayed else "")
    lines.append(f"{header}  {'central':>18}  {f'{share:.0f}% of people like this':>30}")
    for day in summary_days(horizon, regimen_start_day):
        point = projection.points[day]
        level = point.serum_25ohd_nmol_l
        row = f"  {day:>5}"
        if delayed:
            row += f"  {day - regimen_start_day if day >= regimen_start_day else '-':>8}"
        lines.append(
            f"{row}  {level:6.1f} nmol/L ({_ng(level):4.1f})"
            f"  {point.low:6.1f} - {point.high:6.1f} nmol/L "
            f"({_ng(point.low):4.1f} - {_ng(point.high):4.1f})"
        )
        if day == 0 and delayed:
            lines.append(
                f"  {'':>5}  {'':>8}  no dose until day {regimen_start_day:,}: untreated, assumed "
                "from the result (held, or its seasonal drift; not measured)"
            )
    lines += ["", _steady_state_line(projection, share, regimen_end_day, regimen_start_day)]
    if target_nmol_l is not None:
        central = days_to_target(projection, target_nmol_l)
        low = days_to_target(projection, target_nmol_l, bound="low")
        lines.append(
            f"  target {target_nmol_l:.0f} nmol/L ({_ng(target_nmol_l):.0f} ng/mL): central line "
            f"{_day_text(central, horizon)}; {100 * (1 - projection.band_quantile):.0f}% of people "
            f"{_day_text(low, horizon)}"
        )
    for note in list(projection.assumptions) + notes:
        lines.append(f"  note: {note}")
    lines += ["", f"  model {projection.model}; sources: {', '.join(projection.sources)}"]
    if with_disclaimer:
        lines.append(f"  {DISCLAIMER}")
    return "\n".join(lines)


def _option_payload(option: DoseOption | None) -> dict[str, Any] | None:
    if option is None:
        return None
    return {
        "product": option.product.id,
        "regimen": option.product.describe(),
        "dose_iu": option.product.amount_iu,
        "interval_days": option.product.interval_days,
        "iu_per_day": round(option.iu_per_day, 1),
        "above_upper_limit": option.above_upper_limit,
        "reaches_target": option.reaches_target,
        "trough_low_nmol_l": round(option.trough_low_nmol_l, LEVEL_DECIMALS),
        "trough_central_nmol_l": round(option.trough_central_nmol_l, 1),
        "steady_state_nmol_l": round(option.steady_state_nmol_l, 1),
        "steady_state_high_nmol_l": round(option.steady_state_high_nmol_l, 1),
        "days_to_target_low": option.days_to_target_low,
        "days_to_target_central": option.days_to_target_central,
        "share_reaching_target": math.floor(option.share_reaching_target * 1000 + 1e-6) / 1000,
        "acceptable": option.acceptable,
        "not_acceptable_because": [
            {"rule": alert.rule_id, "title": alert.title, "severity": alert.severity}
            for alert in option.blocked_by
        ],
    }


def plan_payload(plan: DosePlan, knowledge: Knowledge, ul_note: str) -> dict[str, Any]:
    return {
        "baseline_nmol_l": round(plan.baseline_nmol_l, 2),
        "target_nmol_l": round(plan.target_nmol_l, 2),
        "quantile": plan.quantile,
        "reaches_for_share_of_people": round(1 - plan.quantile, 3),
        "upper_limit_iu_per_day": plan.upper_limit_iu_per_day,
        "upper_limit_source": ul_note,
        "supervised": plan.supervised,
        "cautions": list(plan.cautions),
        "already_at_target": plan.already_at_target,
        "recommended": _option_payload(plan.recommended),
        "closest": _option_payload(plan.closest),
        "considered": [_option_payload(o) for o in plan.considered],
        "monitoring": [
            {
                "tests": list(step.tests),
                "after_days": step.after_days,
                "why": step.why,
                "sources": _sources(knowledge, step.sources),
            }
            for step in plan.monitoring
        ],
        "messages": list(plan.messages),
        "assumptions": list(plan.assumptions),
        "model": plan.projection.model if plan.projection else None,
        "sources": _sources(knowledge, load_projection_parameters().sources),
        "disclaimer": DISCLAIMER,
    }


def plan_text(plan: DosePlan, ul_note: str) -> str:
    share = 100 * (1 - plan.quantile)
    lines = ["Vitamin D3 dose plan"]
    lines += [f"  CAUTION: {caution}" for caution in plan.cautions]
    lines += [
        f"  baseline {plan.baseline_nmol_l:.1f} nmol/L ({_ng(plan.baseline_nmol_l):.1f} ng/mL) -> "
        f"target {plan.target_nmol_l:.1f} nmol/L ({_ng(plan.target_nmol_l):.1f} ng/mL)",
        f"  rule: the smallest real product strength, daily or intermittent, whose projected "
        f"lower band ({100 * plan.quantile:.0f}th percentile) stays at or above the target: "
        f"about {share:.0f}% of people like this reach it",
        f"  upper intake level: {plan.upper_limit_iu_per_day:,.0f} IU/day ({ul_note})"
        + ("; supervised: may exceed it" if plan.supervised else ""),
        "",
    ]
    option = plan.recommended
    if plan.already_at_target:
        lines.append("  no dose needed to reach the target: the measured level is already there")
    if option is not None:
        lines += [
            f"  suggested: {option.product.name}, {option.product.schedule} "
            f"({option.iu_per_day:,.0f} IU/day on average)",
            f"    {share:.0f}% of people like this reach the target by "
            f"{_day_text(option.days_to_target_low, 365)}; the central line by "
            f"{_day_text(option.days_to_target_central, 365)}",
            f"    steady state about {option.steady_state_nmol_l:.0f} nmol/L "
            f"({_ng(option.steady_state_nmol_l):.0f} ng/mL); {share:.0f}% stay below "
            f"{option.steady_state_high_nmol_l:.0f} nmol/L",
        ]
    elif plan.closest is not None:
        closest = plan.closest
        lines.append(
            f"  closest: {closest.product.name}, {closest.product.schedule}: reaches the target "
            f"for about {percent_down(closest.share_reaching_target)}% of people like this"
        )
    if plan.monitoring:
        lines.append("  monitoring (needed above the upper intake level):")
        lines += [f"    - {step.describe()}" for step in plan.monitoring]
    lines += [f"  note: {message}" for message in plan.messages]
    lines += [f"  assumption: {assumption}" for assumption in plan.assumptions]
    if plan.considered:
        target = f"{plan.target_nmol_l:.{LEVEL_DECIMALS}f}"
        lines += [
            "",
            f"  {'considered':<26} {'IU/day':>8} {'lower band at trough':>21} {'share':>6}  "
            f"reaches {target} nmol/L?",
        ]
        for considered in plan.considered:
            verdict = "yes" if considered.reaches_target else "no"
            if not considered.acceptable:
                verdict += "; not acceptable: " + "; ".join(
                    alert.title for alert in considered.blocked_by
                )
            lines.append(
                f"  {considered.product.describe():<26} {considered.iu_per_day:8,.0f} "
                f"{considered.trough_low_nmol_l:14.{LEVEL_DECIMALS}f} nmol/L "
                f"{percent_down(considered.share_reaching_target):5d}%  {verdict}"
            )
        lines.append(
            f"  (levels to {0.1**LEVEL_DECIMALS:g} nmol/L, compared as shown; shares rounded down)"
        )
    lines += ["", f"  {DISCLAIMER}"]
    return "\n".join(lines)


# --------------------------------------------------------------------------- commands
def _project(
    baseline: str,
    regimen: str,
    weight: str | None,
    bmi: float | None,
    age: float | None,
    days: int,
    target: str | None,
    output_format: ProjectFormat,
    output: Path | None,
    baseline_date: str | None,
    latitude: float | None,
    background: str | None,
    start: str | None = None,
    today: dt.date | None = None,
) -> None:
    knowledge = load_knowledge()
    baseline_nmol_l, weight_kg = _common(baseline, weight, bmi, age)
    target_nmol_l = parse_target_nmol_l(target) if target else None
    parsed = _regimen(regimen, knowledge)
    if not 1 <= days <= MAX_HORIZON_DAYS:
        raise InputError(f"--days must be 1 to {MAX_HORIZON_DAYS}, got {days}", where="--days")
    today = today or dt.date.today()
    offset_days = _start_offset_days(baseline_date, start, today, days)
    events = [
        DoseEvent(day + offset_days, iu)
        for day, iu in vitamin_d_dose_events_iu(parsed, days - offset_days)
    ]
    maintenance_iu = regimen_maintenance_iu_per_day([parsed])
    end_day = regimen_end_day([parsed])
    day_of_year = (
        parse_iso_date(baseline_date, where="--baseline-date").timetuple().tm_yday
        if baseline_date
        else None
    )
    if latitude is not None and not -90 <= latitude <= 90:
        raise InputError(f"latitude must be -90 to 90, got {latitude}", where="--latitude")
    background_iu = parse_background_iu_per_day(background) if background else 0.0
    with _options():
        projection = project(
            baseline_nmol_l,
            events,
            days,
            parameters=load_projection_parameters(),
            weight_kg=weight_kg,
            bmi_kg_m2=bmi,
            age_years=age,
            background_iu_per_day=background_iu,
            baseline_day_of_year=day_of_year,
            southern_hemisphere=latitude is not None and latitude < 0,
            maintenance_iu_per_day=maintenance_iu,
        )
    lines = load_guideline_lines()
    notes = list(regimen_notes(parsed))
    days_since_test = (
        (today - parse_iso_date(baseline_date, where="--baseline-date")).days
        if baseline_date
        else None
    )
    cautions = list(
        projection_cautions(
            projection,
            baseline_nmol_l,
            lines,
            days_since_test=days_since_test,
            baseline_max_age_days=load_baseline_max_age_days(),
        )
    )
    if output_format in (ProjectFormat.svg, ProjectFormat.png):
        from d3k2.adapters.charts import render_projection_chart

        chart = render_projection_chart(
            projection,
            chart_format=output_format.value,  # type: ignore[arg-type]
            target_nmol_l=target_nmol_l,
            guideline_lines=lines,
            title=f"25(OH)D on {regimen}",
            regimen_start_day=offset_days,
        )
        if output is None:
            if output_format is ProjectFormat.png:
                raise InputError("a PNG chart needs --output FILE", where="--output")
            typer.echo(chart.decode("utf-8"))
        else:
            _write(output, lambda path: path.write_bytes(chart))
            typer.echo(f"wrote {output}")
        return
    if output_format is ProjectFormat.json:
        text = json.dumps(
            projection_payload(
                projection,
                knowledge,
                target_nmol_l=target_nmol_l,
                extra={
                    "regimen": regimen,
                    "notes": notes,
                    "baseline_nmol_l": round(baseline_nmol_l, 2),
                    "regimen_start_day": offset_days,
                },
                cautions=cautions,
                regimen_end_day=None if end_day is None else offset_days + end_day,
            ),
            indent=2,
            ensure_ascii=False,
            allow_nan=False,
        )
    else:
        text = projection_text(
            projection,
            baseline_nmol_l=baseline_nmol_l,
            regimen_text=regimen,
            target_nmol_l=target_nmol_l,
            notes=notes,
            cautions=cautions,
            regimen_start_day=offset_days,
            regimen_end_day=end_day,
        )
    if output is not None:
        _write(output, lambda path: path.write_text(text + "\n", encoding="utf-8"))
        typer.echo(f"wrote {output}")
    else:
        typer.echo(text)


def _plan(
    baseline: str,
    target: str,
    weight: str | None,
    bmi: float | None,
    age: float | None,
    supervised: bool,
    output_format: PlanFormat,
    sex: SexOption | None = None,
    pregnant: bool = False,
    lactating: bool = False,
    today: dt.date | None = None,
) -> None:
    knowledge = load_knowledge()
    baseline_nmol_l, weight_kg = _common(baseline, weight, bmi, age)
    target_nmol_l = parse_target_nmol_l(target)
    if sex is SexOption.male and (pregnant or lactating):
        raise InputError(
            "--pregnant or --lactating is set with --sex male",
            where="--pregnant",
            hint="check the sex and pregnancy options",
        )
    with _options():
        ul_iu, ul_note = vitamin_d_upper_limit_iu_per_day(knowledge.dri, age)
        # Every candidate is screened by the rules of `d3k2 assess` for this person.
        screen = rule_screen(
            knowledge,
            today=today or dt.date.today(),
            age_years=age,
            sex=None if sex is None else sex.value,
            pregnant=pregnant,
            lactating=lactating,
            weight_kg=weight_kg,
        )
        plan = plan_dose(
            baseline_nmol_l,
            target_nmol_l,
            products=load_products(),
            parameters=load_projection_parameters(),
            upper_limit_iu_per_day=ul_iu,
            quantile=load_planning_quantile(),
            horizon_days=load_projection_table().planning.horizon_days,
            weight_kg=weight_kg,
            bmi_kg_m2=bmi,
            age_years=age,
            supervised=supervised,
            monitoring=load_monitoring_steps(),
            guideline_lines=load_guideline_lines(),
            screen=screen,
        )
    if output_format is PlanFormat.json:
        typer.echo(
            json.dumps(
                plan_payload(plan, knowledge, ul_note),
                indent=2,
                ensure_ascii=False,
                allow_nan=False,
            )
        )
    else:
        typer.echo(plan_text(plan, ul_note))


def register(app: typer.Typer) -> None:
    """Add ``project`` and ``plan-dose`` to the main ``d3k2`` app."""

    @app.command("project")
    def project_command(
        baseline: Annotated[str, typer.Option(help='Measured serum 25(OH)D, e.g. "18 ng/mL".')],
        regimen: Annotated[
            str,
            typer.Option(
                help='Vitamin D3 regimen, e.g. "50000 IU weekly for 8 weeks, then 2000 IU daily".'
            ),
        ],
        weight: Annotated[str | None, typer.Option(help='Body weight, e.g. "82 kg".')] = None,
        bmi: Annotated[float | None, typer.Option(help="BMI [kg/m2], used when no weight.")] = None,
        age: Annotated[float | None, typer.Option(help="Age [years].")] = None,
        days: Annotated[int, typer.Option(help="Days to project.")] = 365,
        target: Annotated[str | None, typer.Option(help='Target level, e.g. "30 ng/mL".')] = None,
        output_format: Annotated[
            ProjectFormat, typer.Option("--format", "-f", help="text, json, svg or png")
        ] = ProjectFormat.text,
        output: Annotated[Path | None, typer.Option(help="Write to this file.")] = None,
        baseline_date: Annotated[
            str | None,
            typer.Option(help="Date of the baseline test (YYYY-MM-DD): adds the seasonal drift."),
        ] = None,
        latitude: Annotated[
            float | None, typer.Option(help="Latitude [degrees]; negative = southern hemisphere.")
        ] = None,
        background: Annotated[
            str | None,
            typer.Option(help='Extra daily intake starting with the regimen, e.g. "400 IU".'),
        ] = None,
        start: Annotated[
            str | None,
            typer.Option(
                help="Date of the first dose (YYYY-MM-DD), on or after --baseline-date; "
                "default: the day of the test."
            ),
        ] = None,
    ) -> None:
        """Project serum 25(OH)D day by day under a regimen, with a prediction band."""
        _project(
            baseline,
            regimen,
            weight,
            bmi,
            age,
            days,
            target,
            output_format,
            output,
            baseline_date,
            latitude,
            background,
            start,
        )

    @app.command("plan-dose")
    def plan_dose_command(
        baseline: Annotated[str, typer.Option(help='Measured serum 25(OH)D, e.g. "18 ng/mL".')],
        target: Annotated[
            str, typer.Option(help='Target chosen by the clinician, e.g. "30 ng/mL".')
        ],
        weight: Annotated[str | None, typer.Option(help='Body weight, e.g. "82 kg".')] = None,
        bmi: Annotated[float | None, typer.Option(help="BMI [kg/m2], used when no weight.")] = None,
        age: Annotated[
            float | None,
            typer.Option(
                help="Age [years]: sets the upper intake level; under 19 a measured "
                "--weight is required; no plan below 1 year."
            ),
        ] = None,
        supervised: Annotated[
            bool, typer.Option(help="Allow doses above the upper intake level, with monitoring.")
        ] = False,
        output_format: Annotated[
            PlanFormat, typer.Option("--format", "-f", help="text or json")
        ] = PlanFormat.text,
        sex: Annotated[
            SexOption | None,
            typer.Option(
                help="female or male, for the safety rules every candidate is screened with; "
                "default: both are screened."
            ),
        ] = None,
        pregnant: Annotated[
            bool, typer.Option(help="Pregnant (screened with the pregnancy rules; implies female).")
        ] = False,
        lactating: Annotated[
            bool, typer.Option(help="Breastfeeding (screened with the lactation rules).")
        ] = False,
    ) -> None:
        """Smallest real vitamin D3 regimen reaching a target level for most people like this."""
        _plan(
            baseline,
            target,
            weight,
            bmi,
            age,
            supervised,
            output_format,
            sex=sex,
            pregnant=pregnant,
            lactating=lactating,
        )


# --------------------------------------------------------------------------- assess
def _skipped(reason: str) -> tuple[dict[str, Any], str]:
    return {"skipped": reason}, f"25(OH)D projection not shown: {reason}"


def assess_projection(
    facts: PatientFacts, knowledge: Knowledge, guideline: str
) -> tuple[dict[str, Any], str] | None:
    """A one-year projection for ``d3k2 assess`` (the decisions are
    :func:`d3k2.core.dosing.projection_for_assessment`); None when the profile has no
    25(OH)D result or no vitamin D plan.

    This section never withholds the safety report: when the projection cannot be made
    for this person, it returns ``({"skipped": reason}, one line)``.
    """
    try:
        today = parse_iso_date(facts.as_of, where="as_of") if facts.as_of else None
        result = projection_for_assessment(
            facts,
            today=today,
            parameters=load_projection_parameters(),
            guideline_lines=load_guideline_lines(),
            target_nmol_l=guideline_target_nmol_l(knowledge, guideline),
            baseline_max_age_days=load_baseline_max_age_days(),
            horizon_days=ASSESS_HORIZON_DAYS,
        )
        return None if result is None else _render_assessment(result, knowledge)
    except InputError as error:
        return _skipped(error.message)
    except Exception as error:  # the safety report must never be withheld
        return _skipped(
            f"the projection failed ({type(error).__name__}); this is a bug in d3k2, please "
            "report it. The rest of the report is complete"
        )


def _render_assessment(
    result: AssessmentProjection, knowledge: Knowledge
) -> tuple[dict[str, Any], str]:
    if result.skipped is not None or result.projection is None or result.baseline_nmol_l is None:
        return _skipped(result.skipped or "no projection")
    start = result.regimen_start_day
    end_day = result.regimen_end_day
    payload = projection_payload(
        result.projection,
        knowledge,
        target_nmol_l=result.target_nmol_l,
        extra={
            "regimen": result.regimen_text,
            "notes": list(result.notes),
            "baseline_nmol_l": round(result.baseline_nmol_l, 2),
            "baseline_date": None
            if result.baseline_date is None
            else result.baseline_date.isoformat(),
            "regimen_start_day": start,
        },
        cautions=list(result.cautions),
        regimen_end_day=None if end_day is None else start + end_day,
    )
    text = projection_text(
        result.projection,
        baseline_nmol_l=result.baseline_nmol_l,
        regimen_text=result.regimen_text,
        target_nmol_l=result.target_nmol_l,
        notes=list(result.notes),
        with_disclaimer=False,
        cautions=list(result.cautions),
        regimen_start_day=start,
        regimen_end_day=end_day,
    )
    return payload, text
