"""``d3k2 synth``: a synthetic FHIR R4 bulk export shaped like Synthea's, for tests and
benchmarks (never for clinical figures).

Resources have Synthea's shapes (US Core profiles in ``meta``, ``subject`` references,
``clinicalStatus`` / ``verificationStatus`` codings, RxNorm ``medicationCodeableConcept``,
``dosageInstruction`` with ``doseAndRate`` and ``timing.repeat``) and codes that the knowledge
base's vocabularies map (vocab/*.yaml). The shares below are round, plausible orders of
magnitude for an adult primary-care population, chosen so every screening path is exercised;
they are test data parameters, not clinical knowledge. Same seed, same export, byte for
byte.
"""

from __future__ import annotations

import datetime as dt
import gzip as gzip_module
import json
import random
import uuid
from pathlib import Path
from typing import IO, Any, Final

SNOMED: Final = "http://snomed.info/sct"
RXNORM: Final = "http://www.nlm.nih.gov/research/umls/rxnorm"
LOINC: Final = "http://loinc.org"
UCUM: Final = "http://unitsofmeasure.org"
CLINICAL: Final = "http://terminology.hl7.org/CodeSystem/condition-clinical"
VERIFICATION: Final = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
EXPORT_DATE: Final = dt.date(2026, 11, 1)

# (share of patients, SNOMED code, display) — conditions in vocab/conditions.yaml
CONDITIONS: Final = (
    (0.06, "433144002", "Chronic kidney disease stage 3 (disorder)"),
    (0.012, "431857002", "Chronic kidney disease stage 4 (disorder)"),
    (0.004, "46177005", "End-stage renal disease (disorder)"),
    (0.05, "64859006", "Osteoporosis (disorder)"),
    (0.005, "66931009", "Hypercalcemia (disorder)"),
    (0.01, "95570007", "Kidney stone (disorder)"),
    (0.003, "31541009", "Sarcoidosis (disorder)"),
    (0.2, "59621000", "Essential hypertension (disorder)"),
    (0.15, "15777000", "Prediabetes"),
)
PREGNANCY: Final = ("72892002", "Normal pregnancy (finding)")
# (share, RxNorm code, display) — MedicationRequest orders in vocab/medications.yaml; a
# product whose code the vocabulary does not list is written as text, never with a guessed
# code
ORDERS: Final = (
    (0.02, "855332", "warfarin sodium 5 MG Oral Tablet"),
    (0.02, "1364430", "apixaban"),
    (0.01, "1114195", "rivaroxaban"),
    (0.10, "310798", "Hydrochlorothiazide 25 MG Oral Tablet"),
    (0.01, None, "Prolia (denosumab) 60 MG/ML prefilled syringe"),  # text only: no code confirmed
    (0.12, "617312", "atorvastatin 10 MG Oral Tablet"),
    (0.01, "197604", "digoxin 0.125 MG Oral Tablet"),
    (0.02, "312615", "prednisone 20 MG Oral Tablet"),
    (0.03, "314076", "lisinopril 10 MG Oral Tablet"),
)
# (share, text, amount, UCUM unit) — supplements taken, as MedicationStatement with a dose
SUPPLEMENTS: Final = (
    (0.15, "Vitamin D3 (cholecalciferol) 1000 IU oral tablet", 1000, "[IU]"),
    (0.05, "Vitamin D3 (cholecalciferol) 2000 IU oral capsule", 2000, "[IU]"),
    (0.08, "calcium carbonate 600 MG oral tablet", 600, "mg"),
    (0.03, "Vitamin K2 (menaquinone-7) 100 mcg capsule", 100, "ug"),
)
VITAMIN_D_TESTS: Final = (
    (
        "62292-8",
        "25-Hydroxyvitamin D2+25-Hydroxyvitamin D3 [Mass/volume] in Serum or Plasma",
        "ng/mL",
    ),
    ("14635-7", "25-Hydroxyvitamin D3 [Moles/volume] in Serum or Plasma", "nmol/L"),
)
NMOL_PER_NG: Final = 2.496
"""25(OH)D: nmol/L per ng/mL (molar mass 400.6 g/mol), only to write both units."""


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _concept(system: str, code: str, display: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code, "display": display}], "text": display}


def _ref(patient_id: str) -> dict[str, str]:
    return {"reference": f"Patient/{patient_id}"}


def _status(system: str, code: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code}]}


def _patient(rng: random.Random, patient_id: str) -> dict[str, Any]:
    sex = rng.choice(("female", "male"))
    age_days = int(rng.triangular(1, 95, 50) * 365.25)
    birth = EXPORT_DATE - dt.timedelta(days=age_days)
    record: dict[str, Any] = {
        "resourceType": "Patient",
        "id": patient_id,
        "meta": {"profile": ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient"]},
        "identifier": [
            {"system": "https://github.com/synthetichealth/synthea", "value": patient_id}
        ],
        "name": [
            {
                "use": "official",
                "family": f"Family{rng.randint(1, 999)}",
                "given": [f"Given{rng.randint(1, 999)}"],
            }
        ],
        "gender": sex,
        "birthDate": birth.isoformat(),
        "address": [{"city": "Springfield", "state": "MA", "country": "US"}],
    }
    if rng.random() < 0.03:
        record["deceasedDateTime"] = (
            EXPORT_DATE - dt.timedelta(days=rng.randint(30, 4000))
        ).isoformat() + "T10:00:00-05:00"
    return record


def _condition(
    rng: random.Random,
    patient_id: str,
    code: str,
    display: str,
    clinical: str = "active",
    verification: str = "confirmed",
) -> dict[str, Any]:
    onset = EXPORT_DATE - dt.timedelta(days=rng.randint(30, 3000))
    resource: dict[str, Any] = {
        "resourceType": "Condition",
        "id": _uuid(rng),
        "meta": {
            "profile": [
                "http://hl7.org/fhir/us/core/StructureDefinition/us-core-condition-encounter-diagnosis"
            ]
        },
        "clinicalStatus": _status(CLINICAL, clinical),
        "verificationStatus": _status(VERIFICATION, verification),
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/condition-category",
                        "code": "encounter-diagnosis",
                        "display": "Encounter Diagnosis",
                    }
                ]
            }
        ],
        "code": _concept(SNOMED, code, display),
        "subject": _ref(patient_id),
        "onsetDateTime": onset.isoformat() + "T09:00:00-05:00",
        "recordedDate": onset.isoformat() + "T09:00:00-05:00",
    }
    if clinical == "resolved":
        resource["abatementDateTime"] = (onset + dt.timedelta(days=200)).isoformat()
    return resource


def _dosage(amount: float | None, unit: str | None) -> dict[str, Any]:
    quantity: dict[str, Any] = {"value": float(amount if amount is not None else 1.0)}
    if unit:
        quantity.update({"unit": unit, "system": UCUM, "code": unit})
    return {
        "sequence": 1,
        "timing": {"repeat": {"frequency": 1, "period": 1.0, "periodUnit": "d"}},
        "asNeededBoolean": False,
        "doseAndRate": [
            {
                "type": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/dose-rate-type",
                            "code": "ordered",
                            "display": "Ordered",
                        }
                    ]
                },
                "doseQuantity": quantity,
            }
        ],
    }


def _order(
    rng: random.Random, patient_id: str, code: str | None, display: str, status: str
) -> dict[str, Any]:
    return {
        "resourceType": "MedicationRequest",
        "id": _uuid(rng),
        "meta": {
            "profile": ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-medicationrequest"]
        },
        "status": status,
        "intent": "order",
        "medicationCodeableConcept": (
            _concept(RXNORM, code, display) if code else {"text": display}
        ),
        "subject": _ref(patient_id),
        "authoredOn": (EXPORT_DATE - dt.timedelta(days=rng.randint(1, 2000))).isoformat()
        + "T09:00:00-05:00",
        "dosageInstruction": [_dosage(1.0, None)],
    }


def _statement(
    rng: random.Random, patient_id: str, text: str, amount: float, unit: str
) -> dict[str, Any]:
    return {
        "resourceType": "MedicationStatement",
        "id": _uuid(rng),
        "status": "active",
        "medicationCodeableConcept": {"text": text},
        "subject": _ref(patient_id),
        "effectiveDateTime": (EXPORT_DATE - dt.timedelta(days=rng.randint(1, 900))).isoformat(),
        "dosage": [_dosage(amount, unit)],
    }


def _observation(
    rng: random.Random,
    patient_id: str,
    code: str,
    display: str,
    value: float,
    unit: str,
    status: str = "final",
) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": _uuid(rng),
        "meta": {
            "profile": ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-lab"]
        },
        "status": status,
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                        "code": "laboratory",
                        "display": "laboratory",
                    }
                ]
            }
        ],
        "code": _concept(LOINC, code, display),
        "subject": _ref(patient_id),
        "effectiveDateTime": (EXPORT_DATE - dt.timedelta(days=rng.randint(1, 700))).isoformat()
        + "T09:00:00-05:00",
        "valueQuantity": {"value": value, "unit": unit, "system": UCUM, "code": unit},
    }


def patient_resources(rng: random.Random) -> list[dict[str, Any]]:
    """One synthetic patient's resources (Patient first)."""
    patient_id = _uuid(rng)
    patient = _patient(rng, patient_id)
    out: list[dict[str, Any]] = [patient]
    age = (EXPORT_DATE - dt.date.fromisoformat(patient["birthDate"])).days / 365.25
    adult = age >= 18
    older = max(0.0, (age - 40) / 40)  # conditions and orders rise with age
    for share, code, display in CONDITIONS:
        if adult and rng.random() < share * (0.5 + older):
            status = "resolved" if rng.random() < 0.1 else "active"
            verification = "refuted" if rng.random() < 0.03 else "confirmed"
            out.append(_condition(rng, patient_id, code, display, status, verification))
    if patient["gender"] == "female" and 18 <= age < 45 and rng.random() < 0.04:
        out.append(_condition(rng, patient_id, *PREGNANCY))
    if adult:
        for share, rxnorm, product in ORDERS:
            if rng.random() < share * (0.5 + older):
                if rng.random() < 0.4:  # Synthea keeps the stopped orders of a renewal
                    out.append(_order(rng, patient_id, rxnorm, product, "stopped"))
                out.append(_order(rng, patient_id, rxnorm, product, "active"))
        for share, text, amount, unit in SUPPLEMENTS:
            if rng.random() < share:
                out.append(_statement(rng, patient_id, text, amount, unit))
    if adult and rng.random() < 0.4:
        code, display, unit = rng.choice(VITAMIN_D_TESTS)
        nmol_l = rng.lognormvariate(4.05, 0.45)  # median ~57 nmol/L
        value = round(nmol_l if unit == "nmol/L" else nmol_l / NMOL_PER_NG, 1)
        status = "entered-in-error" if rng.random() < 0.01 else "final"
        out.append(_observation(rng, patient_id, code, display, value, unit, status))
    if adult and rng.random() < 0.2:
        out.append(
            _observation(
                rng,
                patient_id,
                "17861-6",
                "Calcium [Mass/volume] in Serum or Plasma",
                round(rng.gauss(9.5, 0.45), 1),
                "mg/dL",
            )
        )
    return out


def write_export(
    out: Path,
    patients: int,
    *,
    seed: int = 1,
    bad_lines: int = 0,
    gzip: bool = False,
    patients_per_file: int = 50_000,
) -> int:
    """Write the export (one file set per ``patients_per_file`` patients, and a bulk data
    manifest). Returns the number of lines written."""
    rng = random.Random(seed)  # noqa: S311 - test data, reproducible by seed
    out.mkdir(parents=True, exist_ok=True)
    suffix = ".ndjson.gz" if gzip else ".ndjson"

    def opener(path: Path) -> IO[str]:  # closed in the finally below
        if gzip:
            return gzip_module.open(path, "wt", encoding="utf-8", compresslevel=4)
        return path.open("w", encoding="utf-8")

    bad_at = set(rng.sample(range(patients), min(bad_lines, patients)))
    handles: dict[str, IO[str]] = {}
    counts: dict[str, int] = {}
    written = 0
    part = -1
    try:
        for index in range(patients):
            if index % patients_per_file == 0:
                for handle in handles.values():
                    handle.close()
                handles.clear()
                part += 1
            for resource in patient_resources(rng):
                kind = resource["resourceType"]
                name = f"{kind}.{part:03d}{suffix}"
                if kind not in handles or handles[kind].closed:
                    handles[kind] = opener(out / name)
                line = json.dumps(resource, separators=(",", ":"))
                handles[kind].write(line + "\n")
                counts[name] = counts.get(name, 0) + 1
                written += 1
            if index in bad_at:  # a line cut short, as a failed write leaves it
                handles["Patient"].write(line[: len(line) // 2] + "\n")
                written += 1
    finally:
        for handle in handles.values():
            handle.close()
    manifest = {
        "transactionTime": f"{EXPORT_DATE.isoformat()}T00:00:00Z",
        "request": "https://example.org/fhir/$export",
        "requiresAccessToken": False,
        "output": [
            {
                "type": name.split(".", 1)[0],
                "url": f"https://example.org/bulk/{name}",
                "count": count,
            }
            for name, count in sorted(counts.items())
        ],
        "error": [],
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2), "utf-8")
    return written
