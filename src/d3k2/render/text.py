"""Text for the terminal: the report, the projection, the dose plan and the sun estimate.

A view of the same results as the JSON contract (:mod:`d3k2.render.contract`); prose and
rounding for display live here, never in the core.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from d3k2.api import Assessment, LabelCheck
from d3k2.core.kinetics.dosing import LEVEL_DECIMALS, DosePlan, percent_down
from d3k2.core.kinetics.projection import Projection, days_to_target
from d3k2.core.lifestyle import LifestyleReport
from d3k2.core.quantities import IU_PER_MCG_VITAMIN_D, NMOL_L_PER_NG_ML_25OHD, format_number
from d3k2.core.screening.model import DISCLAIMER, Report
from d3k2.errors import MAX_MESSAGE_CHARS, shorten
from d3k2.knowledge.foods import menaquinone_label
from d3k2.knowledge.schema import Reference
from d3k2.reading.diet import DietReading

if TYPE_CHECKING:
    from d3k2.core.sun.model import SunExposureEstimate

MAX_ITEMS_LISTED = 100
"""Longest list (plan lines, screened, not recognised) the text report prints; the rest is
counted, and the JSON report has them all."""
MAX_TRIGGERS_LISTED = 10
"""Most triggers named under one alert in the text report."""

SEVERITY_STYLE = {
    "major": "bold white on red",
    "moderate": "bold black on yellow",
    "minor": "bold black on cyan",
    "info": "bold white on blue",
}


def _amount(value: float | None, unit: str, nutrient: str) -> str:
    if value is None:
        return "—"
    text = f"{format_number(round(value, 1))} {unit}"
    if nutrient == "vitamin_d":
        text += f" ({format_number(round(value * IU_PER_MCG_VITAMIN_D))} IU)"
    return text


def assessment_text(assessment: Assessment, console: Console) -> None:
    """The whole ``d3k2 assess`` report: the screening report, then the projection."""
    section = assessment.projection
    extra: list[Any] = []
    if assessment.diet is not None:
        extra.append(diet_table(assessment.diet))
    if assessment.lifestyle is not None:
        extra.append(lifestyle_text(assessment.lifestyle))
    if section is not None:
        if section.skipped is not None or section.projection is None:
            extra.append(f"25(OH)D projection not shown: {section.skipped or 'no projection'}")
        elif section.baseline_nmol_l is not None:
            extra.append(
                projection_text(
                    section.projection,
                    baseline_nmol_l=section.baseline_nmol_l,
                    regimen_text=section.regimen_text,
                    target_nmol_l=section.target_nmol_l,
                    notes=list(section.notes),
                    with_disclaimer=False,
                    cautions=list(section.cautions),
                    regimen_start_day=section.regimen_start_day,
                    regimen_end_day=section.regimen_end_day,
                )
            )
    render_text(
        assessment.report,
        console,
        extra=[Text(block) if isinstance(block, str) else block for block in extra],
    )


DIET_COLUMNS = (
    ("calcium", "calcium_mg", "mg"),
    ("vitamin D", "vitamin_d_mcg", "mcg"),
    ("vitamin K1", "vitamin_k1_mcg", "mcg"),
    ("magnesium", "magnesium_mg", "mg"),
    ("protein", "protein_g", "g"),
)


def lifestyle_text(report: LifestyleReport) -> Group:
    """Lifestyle: each suggestion with why, the answers behind it and its sources."""
    parts: list[Any] = [
        Text("Lifestyle: habits that support bone and calcium balance", style="bold")
    ]
    if not report.suggestions:
        parts.append(Text("  No suggestion from the answers given.", style="green"))
    for item in report.suggestions:
        parts.append(Text.assemble("  • ", (item.suggestion, "bold")))
        parts.append(Text(f"    Why: {item.why}"))
        parts.append(Text(f"    Because: {'; '.join(item.because)}", style="dim"))
        parts.append(
            Text(
                "    Sources: " + "; ".join(f"[{ref}] {loc}" for ref, loc in item.sources),
                style="dim",
            )
        )
    if report.not_answered:
        parts.append(Text("  Not answered: " + ", ".join(report.not_answered), style="dim"))
    return Group(*parts)


def diet_report_text(diet: DietReading | None, report: Report | None, console: Console) -> None:
    """``d3k2 diet``: the foods read; with a report, the whole report around them."""
    parts: list[Any] = [] if diet is None else [diet_table(diet)]
    if report is not None:
        render_text(report, console, extra=parts)
        return
    for part in parts:
        console.print(part)
    if diet is not None:
        totals = diet.per_day()
        units = {"calcium": "mg", "magnesium": "mg", "vitamin_d": "mcg", "vitamin_k": "mcg"}
        line = ", ".join(
            f"{k.replace('_', ' ')} {format_number(round(v, 1))} {units.get(k, '')}".rstrip()
            for k, v in totals.items()
        )
        protein = diet.protein_g_per_day()
        if protein is not None:
            line += f", protein {format_number(round(protein, 1))} g"
        console.print(Text(f"Per day: {line}", style="bold"))
        for nutrient, foods in diet.unknown_for().items():
            console.print(
                Text(
                    f"{nutrient.replace('_', ' ')}: at least this; not reported for "
                    + ", ".join(foods),
                    style="yellow",
                )
            )
        console.print(Text("Give --age and --sex to compare with the DRIs.", style="dim"))
    console.print(Text(DISCLAIMER, style="dim"))


def vitamin_k2_line(diet: DietReading) -> str:
    """Vitamin K2 (menaquinones) from the listed foods: the forms counted, the foods whose K2
    sits in a measured total, and those for which it is not reported (never read as zero)."""
    forms = diet.menaquinones_per_day()
    counted = ", ".join(
        f"{menaquinone_label(key)} {format_number(round(value, 1))} mcg"
        for key, value in sorted(forms.items())
    )
    text = f"Vitamin K2 from food per day: {counted or 'none reported'}"
    in_total = diet.k2_in_total()
    if in_total:
        text += f"; inside a measured total vitamin K for {', '.join(in_total)}"
    missing = diet.k2_not_reported()
    if missing:
        text += f"; not (fully) reported for {', '.join(missing)} (at least this, not zero)"
    return text


def diet_table(diet: DietReading) -> Group:
    """The foods behind the diet column: amount read, nutrients per day, source record."""
    table = Table(title="Diet: foods per day (food composition table; — = not reported)")
    table.add_column("food")
    table.add_column("read as")
    for label, _, unit in DIET_COLUMNS:
        table.add_column(f"{label} {unit}", justify="right")
    table.add_column("source")
    for line in diet.foods:
        cells = [
            "—"
            if line.per_day.get(key) is None
            else format_number(round(line.per_day[key] or 0, 1))
            for _, key, _ in DIET_COLUMNS
        ]
        table.add_row(f"{line.input}\n→ {line.food_name}", line.how, *cells, line.source)
    parts: list[Any] = [table]
    for item in diet.unknown:
        hint = f" — did you mean: {'; '.join(item.suggestions)}?" if item.suggestions else ""
        parts.append(
            Text(f"Not counted: '{item.input}': {item.problem}{hint}", style="bold yellow")
        )
    for line in diet.foods:
        for assumption in line.assumptions:
            parts.append(Text(f"  {line.input}: {assumption}"))
    if diet.foods:
        parts.append(Text(vitamin_k2_line(diet), style="yellow" if diet.k2_not_reported() else ""))
    ranges = diet.range_per_day()
    if ranges:
        units = {"calcium": "mg", "magnesium": "mg", "vitamin_d": "mcg", "vitamin_k": "mcg"}
        shown = ", ".join(
            f"{k.replace('_', ' ')} {format_number(round(low))}–{format_number(round(high))} "
            f"{units.get(k, '')}"
            for k, (low, high) in ranges.items()
        )
        parts.append(
            Text(
                f"Questionnaire estimate, range per day: {shown} (the intake table uses the "
                "central value; list foods for a narrower estimate)",
                style="bold",
            )
        )
    if diet.stated_per_day:
        stated = ", ".join(
            f"{k.replace('_', ' ')} {format_number(round(v, 1))}"
            for k, v in diet.stated_per_day.items()
        )
        parts.append(Text(f"Added from stated totals (food not listed): {stated}"))
    return Group(*parts)


def render_text(report: Report, console: Console, extra: Sequence[Any] = ()) -> None:
    """The terminal report: most severe first, what to do and why, sources one step away.
    ``extra`` renderables (the projection) come after the tables, before the disclaimer."""
    console.print(
        Text(
            f"d3k2 {report.d3k2_version} · knowledge {report.knowledge_version} · "
            f"25(OH)D guideline: {report.guideline}",
            style="dim",
        )
    )
    if not report.alerts:
        console.print(Text("No alerts from the rules for this profile and plan.", style="green"))
    for alert in report.alerts:
        body: list[Any] = [
            Text(f"rule {alert.id} v{alert.version}", style="dim"),
            Text(alert.detail),
            Text.assemble(("What to do: ", "bold"), alert.action),
            Text(
                "Triggered by: "
                + "; ".join(
                    f"{t.kind} '{shorten(t.input)}'"
                    + (f" → {t.matched}" if t.matched != t.input else "")
                    for t in alert.triggers[:MAX_TRIGGERS_LISTED]
                )
                + (
                    f"; and {len(alert.triggers) - MAX_TRIGGERS_LISTED} more"
                    if len(alert.triggers) > MAX_TRIGGERS_LISTED
                    else ""
                )
                if alert.triggers
                else "Triggered by: profile",
                style="dim",
            ),
        ]
        body.extend(Text(f"Assumption: {a}", style="bold yellow") for a in alert.assumptions)
        for merged in alert.merged:
            body.append(
                Text.assemble(
                    (f"Also ({merged.severity}, rule {merged.id} v{merged.version}): ", "bold"),
                    (merged.title, "bold"),
                    ". ",
                    merged.action,
                )
            )
        body.append(
            Text(
                "Sources: "
                + "; ".join(
                    f"[{s.id}] {s.locator or ''} {s.url}".replace("  ", " ") for s in alert.sources
                ),
                style="dim",
            )
        )
        title = Text.assemble(
            (f" {alert.severity.upper()} ", SEVERITY_STYLE[alert.severity]),
            " ",
            (alert.title, "bold"),
        )
        console.print(Panel(Group(*body), title=title, title_align="left"))

    if report.labs:
        table = Table(title="Labs", title_justify="left")
        for column in ("test", "value", "SI", "interpretation", "guideline"):
            table.add_column(column)
        for lab in report.labs:
            table.add_row(
                lab.name,
                f"{lab.qualifier or ''}{format_number(lab.value)} {lab.unit}",
                f"{format_number(round(lab.value_si, 2))} {lab.unit_si}",
                lab.interpretation or "—",
                lab.guideline,
            )
        console.print(table)

    table = Table(
        title="Intake per day (supplements averaged over their dosing interval)",
        title_justify="left",
    )
    for column in ("nutrient", "supplements", "food", "total", "recommended", "upper limit"):
        table.add_column(column)
    for row in report.intake:
        upper = (
            "none set"
            if row.upper_limit is None
            else (
                _amount(row.upper_limit.value, row.unit, row.nutrient)
                + (" (supplements only)" if row.upper_limit.supplements_only else "")
            )
        )
        style = "bold red" if row.exceeds_upper_limit else None
        supplements = _amount(row.supplement_per_day, row.unit, row.nutrient)
        if row.single_doses:
            supplements += "; single dose " + ", ".join(
                _amount(dose, row.unit, row.nutrient) for dose in row.single_doses
            )
        total = _amount(row.total_per_day, row.unit, row.nutrient)
        diet = _amount(row.diet_per_day, row.unit, row.nutrient)
        from_diet = [s for s in row.unknown_sources if s.startswith("diet: ")]
        if len(from_diet) < len(row.unknown_sources):  # never shown as 0: at least this
            counted = row.supplement_per_day > 0 or row.single_doses
            supplements = supplements + " + unknown" if counted else "unknown"
        if from_diet:
            diet = diet + " + unknown" if row.diet_per_day else "unknown"
        if row.unknown_sources:
            total = total + " + unknown" if row.total_per_day > 0 else "unknown"
        table.add_row(
            row.nutrient.replace("_", " "),
            supplements,
            diet,
            total,
            f"{row.recommended.kind} {_amount(row.recommended.value, row.unit, row.nutrient)}"
            if row.recommended
            else "—",
            upper + ("  ABOVE" if row.exceeds_upper_limit else ""),
            style=style,
        )
    console.print(table)
    unknown = sorted({source for row in report.intake for source in row.unknown_sources})
    if unknown:
        console.print(
            Text(
                "Totals may be higher than shown: the amount in "
                + ", ".join(f"'{source}'" for source in unknown)
                + " is not known (marked 'unknown')",
                style="bold yellow",
            )
        )
    for heading, items in (
        ("Plan", report.plan),
        (
            "Supplements already taken (from medications; counted in intake)",
            report.current_supplements,
        ),
    ):
        if not items:
            continue
        console.print(Text(heading, style="bold"))
        for item in items[:MAX_ITEMS_LISTED]:
            for s in item.regimen.segments:
                per_day = (
                    f" = {_amount(s.per_day_average, s.unit, s.nutrient)}/day average"
                    if s.per_day_average is not None and s.interval_days != 1
                    else ""
                )
                # User text is always a Text: "[cholecalciferol]" is not rich markup.
                console.print(Text(f"  • {shorten(item.input)}: {s.describe()}{per_day}"))
        _more(console, len(items))
    if report.screened:
        console.print(
            Text("Screened: ", style="bold")
            + Text(
                ", ".join(
                    f"{shorten(t.input)} → {t.name}"
                    if t.input.lower() != t.name.lower()
                    else t.name
                    for t in report.screened[:MAX_ITEMS_LISTED]
                )
            )
        )
        _more(console, len(report.screened))
    if report.unrecognized:
        console.print(Text("Not recognised, so NOT screened:", style="bold red"))
        for u in report.unrecognized[:MAX_ITEMS_LISTED]:
            console.print(Text(f"  • {u.kind}: {shorten(u.input)} ({u.reason})"))
        _more(console, len(report.unrecognized))
    for note in report.notes[:MAX_ITEMS_LISTED]:
        console.print(Text(f"Note: {shorten(note, MAX_MESSAGE_CHARS)}", style="yellow"))
    _more(console, len(report.notes))
    for renderable in extra:
        console.print(Text(renderable) if isinstance(renderable, str) else renderable)
    console.print(Text(report.disclaimer, style="italic"))


def _more(console: Console, count: int) -> None:
    if count > MAX_ITEMS_LISTED:
        console.print(
            Text(
                f"  … and {count - MAX_ITEMS_LISTED} more (the JSON report lists them all)",
                style="dim",
            )
        )


# --------------------------------------------------------------------------- projection
SUMMARY_DAYS = (0, 7, 14, 28, 56, 90, 120, 180, 270, 365, 540, 730)


def _ng(value_nmol_l: float) -> float:
    return value_nmol_l / NMOL_L_PER_NG_ML_25OHD


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


# --------------------------------------------------------------------------- dose plan
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


# --------------------------------------------------------------------------- sun
def sun_text(estimate: SunExposureEstimate, references: Mapping[str, Reference]) -> str:
    e = estimate
    lat = f"{abs(e.latitude_deg):.2f}{'N' if e.latitude_deg >= 0 else 'S'}"
    lon = f"{abs(e.longitude_deg):.2f}{'E' if e.longitude_deg >= 0 else 'W'}"
    uv_note = (
        f"given {e.uv_index_ignored:g} ignored: the sun is down"
        if e.uv_index_ignored is not None
        else "given"
        if e.uv_index_source == "given"
        else f"clear-sky estimate, {e.ozone_du:g} DU ozone"
        + (f", altitude {e.altitude_m:g} m" if e.altitude_m else "")
        + (
            f", cloud factor {e.cloud_modification_factor:g}"
            if e.cloud_modification_factor is not None
            else ""
        )
    )
    lines = [
        "Sun exposure estimate",
        f"  {DISCLAIMER}",
        "",
    ]
    for warning in e.warnings:
        marker = {"danger": "!!", "caution": "! ", "info": "- "}[warning.severity]
        lines.append(f"{marker} {warning.message}")
    burn = "never (no UV)" if e.minutes_to_med is None else f"about {e.minutes_to_med:.0f} min"
    if (
        e.minutes_to_med is not None
        and e.daylight_minutes_left is not None
        and e.minutes_to_med > e.daylight_minutes_left > 0
    ):
        burn += " at this UV index: more than the daylight left"
    daylight = (
        "no sunset within 24 h"
        if e.daylight_minutes_left is None
        else "none (the sun is down)"
        if e.daylight_minutes_left <= 0
        else f"about {e.daylight_minutes_left:.0f} min to sunset"
    )
    season = (
        "vitamin D winter (too little UV for the standard dose even at noon)"
        if e.vitamin_d_winter
        else "midnight sun, but the sun stays low (too little UV for the standard dose)"
        if e.low_sun_all_day
        else "vitamin D can be made when the sun is up"
    )
    noon_dose = (
        "the sun does not rise today"
        if e.noon_minutes_to_standard_vitamin_d_dose is None
        else f"about {e.noon_minutes_to_standard_vitamin_d_dose:.0f} min at clear-sky noon "
        f"for {e.standard_dose_oral_iu:,.0f} IU with {e.standard_dose_exposed_percent:g}% of "
        "the skin bare"
    )
    iu = e.oral_equivalent_iu
    lines += [
        "",
        f"Place and time     {lat} {lon}, {e.when_utc:%Y-%m-%d %H:%M} UTC",
        f"Solar zenith angle {e.solar_zenith_deg:.1f} degrees",
        f"Noon sun today     zenith {e.noon_solar_zenith_deg:.1f} degrees: {season}",
        f"Daylight left      {daylight}",
        f"UV index           {e.uv_index:.1f} ({uv_note})",
        f"Skin               type {e.skin_type} (typical MED {e.med_j_m2:g} J/m2), "
        f"{e.exposed_percent:g}% exposed for {e.minutes:g} min"
        + (
            f" ({e.minutes_counted:.0f} before sunset counted)"
            if e.minutes_counted is not None
            and e.minutes_counted < e.minutes
            and e.daylight_minutes_left
            else ""
        ),
        f"Time to sunburn    {burn}",
        f"Erythemal dose     {e.erythemal_dose_j_m2:.0f} J/m2 ({e.fraction_of_med:.0%} of one MED)",
        f"Vitamin D dose     {e.vitamin_d_weighted_dose_j_m2:.0f} J/m2 CIE 174-weighted "
        f"(ratio {e.vitamin_d_to_erythema_ratio:.2f})",
        f"Standard dose      {noon_dose}",
        f"Oral equivalent    about {iu.central:,.0f} IU (range {iu.low:,.0f}-{iu.high:,.0f} IU)"
        + (
            "; the sun stays low: little vitamin D expected"
            if e.low_sun_all_day
            else "; little or no vitamin D expected"
            if e.little_or_no_vitamin_d
            else ""
        ),
        "",
        "Assumptions",
    ]
    lines += [f"  - {item}" for item in e.assumptions]
    lines += ["", "Sources"]
    lines += [
        f"  - {s.ref}: {s.locator}" + (f" {references[s.ref].url}" if s.ref in references else "")
        for s in e.sources
    ]
    return "\n".join(lines)


LABEL_STATUS_STYLE = {"problem": "bold red", "warning": "yellow", "pass": "green", "info": ""}


def label_text(result: LabelCheck, console: Console) -> None:
    """``d3k2 label``: the label's lines, then every check, problems first."""
    label = result.label
    per_day = (
        "not stated"
        if label.servings_per_day is None
        else "–".join(dict.fromkeys(f"{n:g}" for n in label.servings_per_day))
    )
    console.print(Text(f"{label.product}  ·  {label.source}", style="bold"))
    console.print(f"Serving: {label.serving}; servings a day: {per_day}")
    order = {"problem": 0, "warning": 1, "info": 2, "pass": 3}
    table = Table(title="Label checks")
    for column in ("status", "check", "line", "finding", "source"):
        table.add_column(column, overflow="fold")
    for finding in sorted(result.findings, key=lambda f: order[f.status]):
        table.add_row(
            Text(finding.status, style=LABEL_STATUS_STYLE[finding.status]),
            finding.check,
            finding.row or "",
            finding.message,
            finding.source or "",
        )
    console.print(table)
    problems = sum(1 for f in result.findings if f.status == "problem")
    console.print(Text(f"{problems} problem(s)", style="bold red" if problems else "green"))
    console.print(Text(DISCLAIMER, style="dim"))
