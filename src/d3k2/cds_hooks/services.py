"""The three CDS services, as data: hook, title, description and prefetch templates.

The Observation template asks for the LOINC codes of the knowledge base's lab vocabulary
(25(OH)D, calcium, albumin, creatinine, eGFR, phosphate, magnesium, PTH, INR …), so the
prefetch follows the knowledge base instead of a list written here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from d3k2.api import Engine

LOINC: Final = "http://loinc.org"


@dataclass(frozen=True)
class Service:
    id: str
    hook: str
    title: str
    description: str
    order_hook: bool


SERVICES: Final = {
    service.id: service
    for service in (
        Service(
            "d3k2-patient-view",
            "patient-view",
            "d3k2: vitamin D, K and calcium safety",
            "When a chart is opened, says only what matters (major or moderate findings) about "
            "the patient's vitamin D, vitamin K and calcium products against their medicines, "
            "problems and latest labs.",
            order_hook=False,
        ),
        Service(
            "d3k2-order-select",
            "order-select",
            "d3k2: vitamin D, K and calcium order check",
            "Checks a selected vitamin D, vitamin K or calcium order (product and dose) against "
            "the patient's medicines (warfarin and other VKAs, thiazides, digoxin …), problems "
            "(advanced CKD, hypercalcaemia, sarcoidosis …) and latest labs.",
            order_hook=True,
        ),
        Service(
            "d3k2-order-sign",
            "order-sign",
            "d3k2: vitamin D, K and calcium order check at signing",
            "Checks vitamin D, vitamin K and calcium orders about to be signed against the "
            "patient's record, with suggestions (remove the order, correct a probable unit "
            "slip).",
            order_hook=True,
        ),
    )
}


def prefetch_templates(engine: Engine) -> dict[str, str]:
    codes = sorted(
        {code.code for lab in engine.knowledge.labs for code in lab.codes if code.system == "loinc"}
    )
    loinc = ",".join(f"{LOINC}|{code}" for code in codes)
    return {
        "patient": "Patient/{{context.patientId}}",
        "medicationRequests": (
            "MedicationRequest?patient={{context.patientId}}&status=active,on-hold"
        ),
        "medicationStatements": (
            "MedicationStatement?patient={{context.patientId}}&status=active,intended,on-hold"
        ),
        "conditions": (
            "Condition?patient={{context.patientId}}&clinical-status=active,recurrence,relapse"
        ),
        "observations": (
            f"Observation?patient={{{{context.patientId}}}}&code={loinc}&_sort=-date&_count=200"
        ),
    }


def discovery(engine: Engine) -> dict[str, Any]:
    prefetch = prefetch_templates(engine)
    return {
        "services": [
            {
                "hook": service.hook,
                "title": service.title,
                "description": service.description,
                "id": service.id,
                "prefetch": prefetch,
                "usageRequirements": (
                    "Send the draft MedicationRequests of vitamin D, K or calcium products "
                    "with doseAndRate.doseQuantity and timing.repeat."
                    if service.order_hook
                    else "None beyond the prefetch."
                ),
            }
            for service in SERVICES.values()
        ]
    }


def fill_template(template: str, context: Mapping[str, Any]) -> str | None:
    """A prefetch template with ``{{context.x}}`` tokens filled; None if a token is missing."""
    result = template
    while "{{" in result:
        start = result.index("{{")
        end = result.index("}}", start)
        token = result[start + 2 : end].strip()
        if not token.startswith("context."):
            return None
        value = context.get(token.removeprefix("context."))
        if not isinstance(value, str) or not value:
            return None
        result = result[:start] + value + result[end + 2 :]
    return result
