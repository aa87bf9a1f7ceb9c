"""Render a report: JSON (the contract) and text for the terminal (a view of the JSON)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from d3k2.core.model import PlanItem, Report
from d3k2.core.quantities import IU_PER_MCG_VITAMIN_D, format_number
from d3k2.errors import MAX_MESSAGE_CHARS, shorten
from d3k2.knowledge.schema import Knowledge

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


def source_json(knowledge: Knowledge, ref: str, locator: str | None = None) -> dict[str, Any]:
    """A cited source as every JSON output gives it: id, citation, url, locator."""
    reference = knowledge.references.get(ref)
    return {
        "id": ref,
        "citation": reference.citation if reference else "",
        "url": reference.url if reference else "",
        "locator": locator,
    }


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def report_json(report: Report) -> dict[str, Any]:
    """The JSON report (documented in the README; field names are a public contract)."""
    return {
        "d3k2_version": report.d3k2_version,
        "knowledge_version": report.knowledge_version,
        "guideline": report.guideline,
        "alerts": [
            {
                "id": a.id,
                "version": a.version,
                "severity": a.severity,
                "title": a.title,
                "detail": a.detail,
                "action": a.action,
                "triggers": [
                    {
                        k: v
                        for k, v in dataclasses.asdict(t).items()
                        if k != "assumption" or v is not None
                    }
                    for t in a.triggers
                ],
                "assumptions": list(a.assumptions),
                "sources": [
                    {"id": s.id, "citation": s.citation, "url": s.url, "locator": s.locator}
                    for s in a.sources
                ],
            }
            for a in report.alerts
        ],
        "labs": [
            {
                "input": lab.input,
                "test": lab.test,
                "name": lab.name,
                "value": _round(lab.value, 3),
                "unit": lab.unit,
                "value_si": _round(lab.value_si),
                "unit_si": lab.unit_si,
                "interpretation": lab.interpretation,
                "category": lab.category,
                "guideline": lab.guideline,
                "date": lab.date,
                **({"note": lab.note} if lab.note else {}),
            }
            for lab in report.labs
        ],
        "intake": [
            {
                "nutrient": row.nutrient,
                "unit": row.unit,
                "supplement_per_day": _round(row.supplement_per_day),
                "diet_per_day": _round(row.diet_per_day),
                "total_per_day": _round(row.total_per_day),
                "recommended": {"kind": row.recommended.kind, "value": row.recommended.value}
                if row.recommended
                else None,
                "upper_limit": {
                    "value": row.upper_limit.value,
                    "applies_to": row.upper_limit.applies_to,
                }
                if row.upper_limit
                else None,
                "exceeds_upper_limit": row.exceeds_upper_limit,
                "life_stage": row.life_stage,
                "current_per_day": _round(row.current_per_day),
                "single_doses": list(row.single_doses),
                **(
                    _iu_view(
                        row.supplement_per_day,
                        row.diet_per_day,
                        row.total_per_day,
                        row.upper_limit.value if row.upper_limit else None,
                    )
                    if row.nutrient == "vitamin_d"
                    else {}
                ),
                "source": {
                    "id": row.source.id,
                    "citation": row.source.citation,
                    "url": row.source.url,
                    "locator": row.source.locator,
                }
                if row.source
                else None,
            }
            for row in report.intake
        ],
        "plan": [_plan_item_json(item) for item in report.plan],
        "current_supplements": [_plan_item_json(item) for item in report.current_supplements],
        "screened": [
            {
                "kind": t.kind,
                "input": t.input,
                "matched": t.name,
                "id": t.id,
                "code": t.code,
                "method": t.method,
                **({"assumption": t.assumption} if t.assumption else {}),
            }
            for t in report.screened
        ],
        "unrecognized": [
            {"kind": u.kind, "input": u.input, "reason": u.reason} for u in report.unrecognized
        ],
        "notes": list(report.notes),
        "disclaimer": report.disclaimer,
    }


def _plan_item_json(item: PlanItem) -> dict[str, Any]:
    return {
        "input": item.input,
        "segments": [
            {
                "nutrient": s.nutrient,
                "form": s.form,
                "amount_per_dose": s.amount_per_dose,
                "unit": s.unit,
                "stated": s.stated,
                "interval_days": s.interval_days,
                "per_day_average": _round(s.per_day_average, 3),
                "start_day": s.start_day,
                "duration_days": s.duration_days,
                "description": s.describe(),
                "assumptions": list(s.assumptions),
            }
            for s in item.regimen.segments
        ],
    }


def _iu_view(
    supplement: float, diet: float | None, total: float, upper: float | None
) -> dict[str, Any]:
    def iu(mcg: float | None) -> float | None:
        return None if mcg is None else round(mcg * IU_PER_MCG_VITAMIN_D)

    return {
        "iu": {
            "supplement_per_day": iu(supplement),
            "diet_per_day": iu(diet),
            "total_per_day": iu(total),
            "upper_limit": iu(upper),
        }
    }


def _amount(value: float | None, unit: str, nutrient: str) -> str:
    if value is None:
        return "—"
    text = f"{format_number(round(value, 1))} {unit}"
    if nutrient == "vitamin_d":
        text += f" ({format_number(round(value * IU_PER_MCG_VITAMIN_D))} IU)"
    return text


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
                f"{format_number(lab.value)} {lab.unit}",
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
        table.add_row(
            row.nutrient.replace("_", " "),
            supplements,
            _amount(row.diet_per_day, row.unit, row.nutrient),
            _amount(row.total_per_day, row.unit, row.nutrient),
            f"{row.recommended.kind} {_amount(row.recommended.value, row.unit, row.nutrient)}"
            if row.recommended
            else "—",
            upper + ("  ABOVE" if row.exceeds_upper_limit else ""),
            style=style,
        )
    console.print(table)
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
