"""FHIR R4 JSON -> validated resource models (the edge), and Bundles flattened.

Resources are validated with fhir.resources' R4B models, which accept R4 content for the
resources d3k2 reads (Patient, Condition, MedicationRequest, MedicationStatement,
Medication, Observation, Bundle). A resource that does not validate is not dropped: it is
returned as a :class:`Rejected` entry with the reason, and the report says it was not read.

Two leniencies, both seen in published examples:

- ``dosageInstruction.doseAndRate`` given as one object instead of a list (the CDS Hooks
  order-sign and order-select R4 examples do this) is read as a list of one;
- resource types d3k2 does not read are skipped with a count (an order-sign Bundle may hold
  a NutritionOrder or ServiceRequest).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

READ_TYPES: Final = frozenset(
    {
        "Patient",
        "Condition",
        "MedicationRequest",
        "MedicationStatement",
        "Medication",
        "Observation",
    }
)
"""Resource types d3k2 reads; others in a Bundle are counted, not read."""

BUNDLE_TYPES: Final = frozenset({"searchset", "collection", "transaction", "batch", "document"})


@dataclass(frozen=True)
class Rejected:
    """A resource that could not be read, and why (no patient data in ``reason``)."""

    resource_type: str
    resource_id: str | None
    reason: str


@cache
def _model_class(resource_type: str) -> Any:
    from fhir.resources.R4B import get_fhir_model_class

    return get_fhir_model_class(resource_type)


def _lenient(data: Mapping[str, Any]) -> dict[str, Any]:
    """A copy with known harmless deviations from R4 put right (see the module docstring)."""
    fixed = dict(data)
    dosages = fixed.get("dosageInstruction") or fixed.get("dosage")
    if isinstance(dosages, list) and any(
        isinstance(d, Mapping) and isinstance(d.get("doseAndRate"), Mapping) for d in dosages
    ):
        dosages = copy.deepcopy(dosages)
        for dosage in dosages:
            if isinstance(dosage, dict) and isinstance(dosage.get("doseAndRate"), dict):
                dosage["doseAndRate"] = [dosage["doseAndRate"]]
        fixed["dosageInstruction" if "dosageInstruction" in fixed else "dosage"] = dosages
    return fixed


def parse_resource(data: Mapping[str, Any]) -> Any:
    """One resource as its fhir.resources model, or :class:`Rejected`."""
    resource_type = data.get("resourceType")
    resource_id = data.get("id") if isinstance(data.get("id"), str) else None
    if not isinstance(resource_type, str):
        return Rejected("(none)", resource_id, "no resourceType")
    if resource_type not in READ_TYPES:
        return Rejected(resource_type, resource_id, "resource type not read by d3k2")
    try:
        return _model_class(resource_type).model_validate(_lenient(data))
    except Exception as error:  # pydantic.ValidationError and friends; reason without values
        return Rejected(resource_type, resource_id, _validation_summary(error))


def _validation_summary(error: Exception) -> str:
    """Where validation failed, without echoing the (patient) values."""
    errors = getattr(error, "errors", None)
    if callable(errors):
        try:
            places = sorted(
                {".".join(str(p) for p in item.get("loc", ())) for item in errors()[:5]}
            )
        except Exception:
            places = []
        if places:
            return "not valid FHIR R4 at " + ", ".join(p or "(root)" for p in places)
    return f"not valid FHIR R4 ({type(error).__name__})"


def flatten(items: Iterable[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    """Resources, with every Bundle (searchset, collection, transaction …) opened, nested ones
    too. An entry without a resource (a transaction's bare request) is skipped."""
    for item in items:
        if not isinstance(item, Mapping):
            continue
        if item.get("resourceType") == "Bundle":
            for entry in item.get("entry") or ():
                if isinstance(entry, Mapping) and isinstance(entry.get("resource"), Mapping):
                    yield from flatten([entry["resource"]])
            continue
        yield item


def read_ndjson(lines: Iterable[str]) -> Iterator[Mapping[str, Any]]:
    """Resources of FHIR Bulk Data NDJSON (one JSON resource a line; blank lines skipped)."""
    import json

    for line in lines:
        stripped = line.strip()
        if stripped:
            yield json.loads(stripped)
