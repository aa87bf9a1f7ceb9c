"""Requests of the CDS Hooks tests: patients, draft orders and prefetch, built in the style
of the FHIR fixtures (Synthea-like resources)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FHIR_FIXTURES = Path(__file__).parents[1] / "fhir" / "fixtures"
FIXTURES = Path(__file__).parent / "fixtures"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
SNOMED = "http://snomed.info/sct"


def fixture(name: str) -> dict[str, Any]:
    path = FIXTURES / name if (FIXTURES / name).exists() else FHIR_FIXTURES / name
    return json.loads(path.read_text())


def resources_of(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    return [entry["resource"] for entry in bundle["entry"]]


def searchset(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(resources),
        "entry": [{"resource": r, "search": {"mode": "match"}} for r in resources],
    }


def prefetch_of(resources: list[dict[str, Any]]) -> dict[str, Any]:
    """The prefetch an EHR would send for d3k2's templates."""

    def of(kind: str) -> list[dict[str, Any]]:
        return [r for r in resources if r["resourceType"] == kind]

    (patient,) = of("Patient")
    return {
        "patient": patient,
        "medicationRequests": searchset(of("MedicationRequest")),
        "medicationStatements": searchset(of("MedicationStatement")),
        "conditions": searchset(of("Condition")),
        "observations": searchset(of("Observation")),
    }


def draft(
    draft_id: str,
    text: str,
    amount: float,
    unit: str,
    *,
    period: float = 1,
    period_unit: str = "d",
    code: str | None = None,
) -> dict[str, Any]:
    concept: dict[str, Any] = {"text": text}
    if code:
        concept["coding"] = [{"system": RXNORM, "code": code, "display": text}]
    return {
        "resourceType": "MedicationRequest",
        "id": draft_id,
        "status": "draft",
        "intent": "order",
        "medicationCodeableConcept": concept,
        "subject": {"reference": "Patient/x"},
        "dosageInstruction": [
            {
                "timing": {"repeat": {"frequency": 1, "period": period, "periodUnit": period_unit}},
                "doseAndRate": [{"doseQuantity": {"value": amount, "unit": unit, "code": unit}}],
            }
        ],
    }


def order_sign(
    patient_id: str, drafts: list[dict[str, Any]], prefetch: dict[str, Any] | None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "hookInstance": "3b5f5c1e-9f6a-4e0c-8a57-1a2b3c4d5e6f",
        "hook": "order-sign",
        "context": {
            "userId": "Practitioner/example",
            "patientId": patient_id,
            "draftOrders": {"resourceType": "Bundle", "entry": [{"resource": d} for d in drafts]},
        },
    }
    if prefetch is not None:
        body["prefetch"] = prefetch
    return body


def condition(
    condition_id: str, patient_id: str, code: str, display: str, clinical: str, verification: str
) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": condition_id,
        "clinicalStatus": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                    "code": clinical,
                }
            ]
        },
        "verificationStatus": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                    "code": verification,
                }
            ]
        },
        "code": {"coding": [{"system": SNOMED, "code": code, "display": display}], "text": display},
        "subject": {"reference": f"urn:uuid:{patient_id}"},
    }
