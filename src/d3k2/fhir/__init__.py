"""FHIR R4 -> d3k2 facts (codes first: RxNorm, SNOMED CT, ICD-10-CM, LOINC; UCUM units).

Needs the ``fhir`` extra (fhir.resources); imported only by the doors that read FHIR.
"""

from d3k2.fhir.record import (
    DraftOrder,
    FhirFacts,
    ReadSummary,
    facts_from_fhir,
    group_by_patient,
    patient_reference_id,
)
from d3k2.fhir.resources import Rejected, flatten, parse_resource, read_ndjson

__all__ = [
    "DraftOrder",
    "FhirFacts",
    "ReadSummary",
    "Rejected",
    "facts_from_fhir",
    "flatten",
    "group_by_patient",
    "parse_resource",
    "patient_reference_id",
    "read_ndjson",
]
