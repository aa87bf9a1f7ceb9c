"""d3k2 alerts -> CDS Hooks 2.0 cards (summary, indicator, markdown detail, source, links,
suggestions with actions, override reasons, selection behaviour)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from d3k2.cds_hooks.settings import CdsSettings
from d3k2.fhir import DraftOrder

Alert = Any  # d3k2's Alert (report.alerts); doors do not import the core

INDICATOR: Final = {"major": "critical", "moderate": "warning", "minor": "info", "info": "info"}
RULE_SYSTEM: Final = "urn:d3k2:rule"
OVERRIDE_SYSTEM: Final = "urn:d3k2:cds:override-reason"
OVERRIDE_REASONS: Final = (
    {
        "code": "prescriber-agreed",
        "system": OVERRIDE_SYSTEM,
        "display": "Agreed with the prescriber or clinic concerned",
    },
    {"code": "will-monitor", "system": OVERRIDE_SYSTEM, "display": "Will monitor (labs, INR)"},
    {
        "code": "record-wrong",
        "system": OVERRIDE_SYSTEM,
        "display": "The record is wrong or out of date",
    },
    {
        "code": "not-relevant",
        "system": OVERRIDE_SYSTEM,
        "display": "Not relevant for this patient",
    },
)
SUMMARY_MAX: Final = 139


@dataclass(frozen=True)
class BuiltCard:
    card: dict[str, Any]
    rule_id: str
    severity: str


def summary(text: str) -> str:
    """At most 139 characters (the specification asks for fewer than 140), cut at a word."""
    text = " ".join(text.split())
    if len(text) <= SUMMARY_MAX:
        return text
    cut = text[: SUMMARY_MAX - 1].rsplit(" ", 1)[0].rstrip(",;:(")
    return cut + "…"


def _detail(alert: Alert, drafts_named: Sequence[str]) -> str:
    lines = [f"**What to do:** {' '.join(alert.action.split())}", ""]
    lines += [f"**Why:** {' '.join(alert.detail.split())}", ""]
    if alert.triggers:
        lines.append("**Found:**")
        lines += [
            f"- {trigger.input} ({'this order' if trigger.input in drafts_named else trigger.kind}"
            f": {trigger.matched})"
            for trigger in alert.triggers
        ]
        lines.append("")
    if alert.assumptions:
        lines.append("**Assumed:** " + "; ".join(alert.assumptions))
        lines.append("")
    if alert.sources:
        lines.append("**Sources:**")
        lines += [
            f"- [{source.citation}]({source.url})"
            + (f" ({source.locator})" if source.locator else "")
            for source in alert.sources
        ]
        lines.append("")
    lines.append(
        f"_d3k2 rule `{alert.id}` v{alert.version}. It supports, and does not replace, a "
        "clinician's judgement._"
    )
    return "\n".join(lines)


def _source(alert: Alert) -> dict[str, Any]:
    first = alert.sources[0] if alert.sources else None
    source: dict[str, Any] = {
        "label": summary(f"d3k2 · {first.citation}" if first else "d3k2")[:100],
        "topic": {"system": RULE_SYSTEM, "code": alert.id, "display": summary(alert.title)},
    }
    if first and first.url:
        source["url"] = first.url
    return source


def delete_suggestion(draft: DraftOrder) -> dict[str, Any]:
    return {
        "label": summary(f"Remove {draft.label} from this order"),
        "uuid": str(uuid.uuid4()),
        "isRecommended": True,
        "actions": [
            {
                "type": "delete",
                "description": f"Remove the draft order {draft.label}",
                "resourceId": [draft.reference],
            }
        ],
    }


def weekly_suggestion(draft: DraftOrder, resource: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "label": summary(f"Change {draft.label} to once a week (probable unit slip)"),
        "uuid": str(uuid.uuid4()),
        "isRecommended": True,
        "actions": [
            {
                "type": "update",
                "description": "The same dose once a week instead of every day",
                "resource": dict(resource),
            }
        ],
    }


def build_card(
    alert: Alert,
    *,
    settings: CdsSettings,
    drafts: Sequence[DraftOrder] = (),
    weekly: Mapping[str, Mapping[str, Any]] | None = None,
) -> BuiltCard:
    """One card; ``weekly`` maps a draft's reference to its corrected (weekly) resource."""
    undosed = {d.label for d in drafts if d.nutrients and not d.doses}
    named = {
        trigger.input
        for trigger in alert.triggers
        if trigger.kind == "plan" or (trigger.kind == "medication" and trigger.input in undosed)
    }
    drafts_named = [d for d in drafts if d.label in named]
    suggestions: list[dict[str, Any]] = []
    for draft in drafts_named:
        corrected = (weekly or {}).get(draft.reference)
        if corrected is not None:
            suggestions.append(weekly_suggestion(draft, corrected))
    if alert.severity == "major":
        suggestions += [delete_suggestion(draft) for draft in drafts_named]
    if len([s for s in suggestions if s.get("isRecommended")]) > 1:
        for extra in suggestions[1:]:
            extra["isRecommended"] = False
    card: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "summary": summary(alert.title),
        "indicator": INDICATOR[alert.severity],
        "detail": _detail(alert, [d.label for d in drafts_named])
        + "".join(
            f"\n\n**Dose not checked:** {d.label}: {d.dose_problem or 'no dose given'}."
            for d in drafts_named
            if d.nutrients and not d.doses
        ),
        "source": _source(alert),
        "overrideReasons": list(OVERRIDE_REASONS),
    }
    if suggestions:
        card["suggestions"] = suggestions
        card["selectionBehavior"] = "at-most-one"
    if settings.report_url:
        card["links"] = [
            {
                "label": "d3k2: this rule, its sources and the full report",
                "url": f"{settings.report_url.rstrip('/')}/rules/{alert.id}",
                "type": "absolute",
            }
        ]
    return BuiltCard(card, alert.id, alert.severity)
