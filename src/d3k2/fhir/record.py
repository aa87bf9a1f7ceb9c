"""A patient's FHIR R4 record (and draft orders) -> facts, through ``Engine.facts()``.

What is screened, and what is kept aside (reported, never dropped):

- **Condition**: screened when clinicalStatus is active, recurrence or relapse and
  verificationStatus is confirmed (or absent: R4 makes it optional; the report says so).
  Resolved, inactive and remission problems, and provisional, unconfirmed, differential,
  refuted and entered-in-error ones are listed as not screened with the reason. A resolved
  pregnancy is not a pregnancy; an active, confirmed one sets ``pregnant``.
- **MedicationRequest**: screened when status is active or on-hold (and unknown, with a
  note: the safer reading) and intent is an order or a plan; stopped, completed,
  cancelled, entered-in-error and draft requests and proposals are not screened.
  **MedicationStatement**: active, intended, on-hold (and unknown, noted) are screened;
  completed, stopped, not-taken and entered-in-error are not.
  The product comes from ``medicationCodeableConcept`` or a referenced or contained
  Medication (whose ingredient strengths give the dose of a tablet). A dose (doseQuantity
  x timing.repeat) makes a vitamin D, K, calcium or magnesium product count toward intake.
- **Observation**: final, amended and corrected results of the lab tests in the knowledge
  base's lab vocabulary (LOINC first, then the text); the latest result of each test is
  used. Preliminary, registered and cancelled results, entered-in-error ones, results
  without a number and results for tests d3k2 does not know are reported.
- **Draft orders** (CDS Hooks ``draftOrders``) are the plan: a vitamin D, K or calcium
  product by RxNorm code or text, with its dose.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from d3k2.errors import InputError
from d3k2.fhir.resources import Rejected, flatten, parse_resource
from d3k2.reading.coded import (
    NUTRIENT_OF_CLASS,
    SUPPLEMENT_CLASSES,
    Coding,
    FactsBuilder,
    NutrientDose,
)

if TYPE_CHECKING:
    from d3k2.api import Engine
    from d3k2.core.screening.model import PatientFacts  # type only

CONDITION_ACTIVE: Final = frozenset({"active", "recurrence", "relapse"})
VERIFICATION_SCREENED: Final = frozenset({"confirmed"})
REQUEST_SCREENED: Final = frozenset({"active", "on-hold", "unknown"})
REQUEST_INTENTS: Final = frozenset(
    {"order", "original-order", "reflex-order", "filler-order", "instance-order", "plan"}
)
STATEMENT_SCREENED: Final = frozenset({"active", "intended", "on-hold", "unknown"})
OBSERVATION_FINAL: Final = frozenset({"final", "amended", "corrected"})
DRAFT_STATUSES: Final = frozenset({"draft", "active", "on-hold", "unknown"})

UCUM_DAYS: Final = {
    "s": 1 / 86400,
    "min": 1 / 1440,
    "h": 1 / 24,
    "d": 1.0,
    "wk": 7.0,
    "mo": 30.4375,  # UCUM mo: the mean Julian month
    "a": 365.25,  # UCUM a: the mean Julian year
}
"""Days in each UCUM time unit that FHIR Timing.repeat.periodUnit allows."""

AMOUNT_UNITS: Final = {
    "[iu]": "IU",
    "iu": "IU",
    "[iu]/1": "IU",
    "ug": "mcg",
    "mcg": "mcg",
    "µg": "mcg",
    "mg": "mg",
    "g": "g",
}
"""UCUM (and common) amount units of a dose, to the units a NutrientDose takes."""

RXNORM: Final = "http://www.nlm.nih.gov/research/umls/rxnorm"


@dataclass(frozen=True)
class DraftOrder:
    """One draft order of a CDS Hooks request, as read."""

    reference: str
    """``MedicationRequest/<id>`` (what a suggestion's action points at)."""
    label: str
    nutrients: tuple[str, ...]
    doses: tuple[NutrientDose, ...]
    resource: Mapping[str, Any]
    """The draft as sent (JSON), so a suggestion can return it changed."""
    dose_problem: str | None = None


@dataclass(frozen=True)
class ReadSummary:
    """What was read, and what was not (counts by resource type and reason)."""

    read: Mapping[str, int]
    not_read: Mapping[str, int]


@dataclass(frozen=True)
class FhirFacts:
    facts: PatientFacts
    drafts: tuple[DraftOrder, ...]
    summary: ReadSummary


@dataclass
class _Record:
    patients: list[Any] = field(default_factory=list)
    conditions: list[Any] = field(default_factory=list)
    requests: list[Any] = field(default_factory=list)
    statements: list[Any] = field(default_factory=list)
    observations: list[Any] = field(default_factory=list)
    medications: dict[str, Any] = field(default_factory=dict)
    read: Counter[str] = field(default_factory=Counter)
    not_read: Counter[str] = field(default_factory=Counter)


# --------------------------------------------------------------------------- grouping
def patient_reference_id(resource: Mapping[str, Any]) -> str | None:
    """The patient a resource belongs to (its own id for a Patient)."""
    if resource.get("resourceType") == "Patient":
        value = resource.get("id")
        return value if isinstance(value, str) else None
    for key in ("subject", "patient"):
        ref = resource.get(key)
        if isinstance(ref, Mapping) and isinstance(ref.get("reference"), str):
            text: str = ref["reference"]
            return text.rsplit("/", 1)[-1].removeprefix("urn:uuid:")
    return None


def group_by_patient(
    resources: Iterable[Mapping[str, Any]],
) -> dict[str, list[Mapping[str, Any]]]:
    """Resources (Bundles opened) grouped by the patient they belong to; a Medication,
    which belongs to no patient, goes with every group."""
    groups: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    shared: list[Mapping[str, Any]] = []
    for resource in flatten(resources):
        if resource.get("resourceType") == "Medication":
            shared.append(resource)
            continue
        owner = patient_reference_id(resource)
        if owner is not None:
            groups[owner].append(resource)
    for group in groups.values():
        group.extend(shared)
    return dict(groups)


# --------------------------------------------------------------------------- reading
def facts_from_fhir(
    engine: Engine,
    resources: Iterable[Mapping[str, Any]],
    *,
    as_of: dt.date,
    patient_id: str | None = None,
    draft_orders: Iterable[Mapping[str, Any]] = (),
) -> FhirFacts:
    """The facts of one patient from FHIR R4 resources (Bundles are opened).

    Raises
    ------
    InputError
        No Patient, no usable birth date, or a sex d3k2 cannot screen for.
    """
    record = _collect(flatten(resources))
    patient = _pick_patient(record.patients, patient_id)
    sex = _sex(patient)
    birth_date, birth_note = _birth_date(patient)
    builder_notes: list[str] = []
    if birth_note:
        builder_notes.append(birth_note)
    deceased = _deceased(patient)
    if deceased:
        builder_notes.append(deceased)

    screened_conditions, aside_conditions = _split_conditions(record.conditions)
    pregnant = sex == "female" and any(
        _is_pregnancy(engine, condition) for condition, _ in screened_conditions
    )
    builder = engine.facts(
        sex=sex,
        as_of=as_of,
        birth_date=birth_date,
        patient_id=getattr(patient, "id", None) or patient_id,
        pregnant=pregnant,
    )
    for text_note in builder_notes:
        builder.note(text_note)
    for condition, condition_note in screened_conditions:
        codings, text = _concept(condition.code)
        builder.condition(codings, text)
        if condition_note:
            builder.note(condition_note)
    for label_reason, count in aside_conditions.items():
        label, reason = label_reason
        builder.not_screened("condition", _times(label, count), reason)

    _read_medications(builder, record)
    _read_observations(engine, builder, record.observations, as_of)
    drafts = _read_drafts(builder, record, draft_orders)
    if record.not_read:
        builder.note(
            "not read: "
            + "; ".join(f"{count} {what}" for what, count in sorted(record.not_read.items()))
        )
    return FhirFacts(
        builder.build(), tuple(drafts), ReadSummary(dict(record.read), dict(record.not_read))
    )


def _collect(resources: Iterable[Mapping[str, Any]]) -> _Record:
    record = _Record()
    for data in resources:
        parsed = parse_resource(data)
        if isinstance(parsed, Rejected):
            record.not_read[f"{parsed.resource_type} ({parsed.reason})"] += 1
            continue
        kind = parsed.get_resource_type()
        record.read[kind] += 1
        contained = getattr(parsed, "contained", None) or ()
        for inner in contained:
            if inner.get_resource_type() == "Medication" and inner.id:
                record.medications[f"#{inner.id}"] = inner
        if kind == "Patient":
            record.patients.append(parsed)
        elif kind == "Condition":
            record.conditions.append(parsed)
        elif kind == "MedicationRequest":
            record.requests.append(parsed)
        elif kind == "MedicationStatement":
            record.statements.append(parsed)
        elif kind == "Observation":
            record.observations.append(parsed)
        elif kind == "Medication" and parsed.id:
            record.medications[f"Medication/{parsed.id}"] = parsed
    return record


# --------------------------------------------------------------------------- patient
def _pick_patient(patients: Sequence[Any], patient_id: str | None) -> Any:
    if not patients:
        raise InputError("no Patient resource", hint="include the Patient (prefetch 'patient')")
    if patient_id is not None:
        for patient in patients:
            if patient.id == patient_id:
                return patient
        raise InputError(f"no Patient resource with id {patient_id!r}")
    return patients[0]


def _sex(patient: Any) -> Any:
    gender = patient.gender
    if gender in ("female", "male"):
        return gender
    raise InputError(
        f"Patient.gender is {gender or 'missing'!s}: d3k2's reference values are given "
        "for female and male only",
        where="Patient.gender",
    )


def _birth_date(patient: Any) -> tuple[dt.date, str | None]:
    value = patient.birthDate
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, str) and value[:4].isdigit():  # partial date: 1970 or 1970-05
        parts = [int(p) for p in value.split("-")]
        year, month = parts[0], parts[1] if len(parts) > 1 else 7
        day = 1 if len(parts) > 1 else 2
        return dt.date(year, month, day), (
            f"Patient.birthDate is partial ({len(parts)} part(s)); the middle of that "
            "period was used"
        )
    raise InputError("Patient.birthDate is missing", where="Patient.birthDate")


def _deceased(patient: Any) -> str | None:
    if patient.deceasedBoolean or patient.deceasedDateTime is not None:
        return "the record says this patient has died (Patient.deceased)"
    return None


# --------------------------------------------------------------------------- conditions
def _status_code(concept: Any) -> str | None:
    if concept is None:
        return None
    for coding in concept.coding or ():
        if coding.code:
            return str(coding.code)
    return None


def _split_conditions(
    conditions: Sequence[Any],
) -> tuple[list[tuple[Any, str | None]], Counter[tuple[str, str]]]:
    screened: list[tuple[Any, str | None]] = []
    aside: Counter[tuple[str, str]] = Counter()
    for condition in conditions:
        clinical = _status_code(condition.clinicalStatus)
        verification = _status_code(condition.verificationStatus)
        label = _label(condition.code)
        if verification == "entered-in-error":
            aside[(label, "entered in error")] += 1
        elif verification is not None and verification not in VERIFICATION_SCREENED:
            aside[(label, f"verification status {verification}: not a confirmed problem")] += 1
        elif clinical is None and condition.abatementDateTime is None:
            screened.append((condition, f"'{label}' has no clinical status: screened as active"))
        elif clinical not in CONDITION_ACTIVE:
            aside[(label, f"clinical status {clinical or 'abated'}: not an active problem")] += 1
        else:
            note = (
                None
                if verification is not None
                else f"'{label}' has no verification status: screened as confirmed"
            )
            screened.append((condition, note))
    return screened, aside


def _is_pregnancy(engine: Engine, condition: Any) -> bool:
    codings, text = _concept(condition.code)
    index = engine.vocabularies.conditions
    for coding in codings:
        term = index.match_code(coding.system, coding.code, text or coding.code)
        if term is not None:
            return "pregnancy" in term.classes
    return False


# --------------------------------------------------------------------------- medications
def _read_medications(builder: FactsBuilder, record: _Record) -> None:
    aside: Counter[tuple[str, str]] = Counter()
    seen: set[tuple[Any, ...]] = set()
    entries = [(r, "MedicationRequest") for r in record.requests] + [
        (s, "MedicationStatement") for s in record.statements
    ]
    for resource, kind in entries:
        codings, text, medication = _product(resource, record)
        label = text or _label_of(codings)
        reason = _medication_aside(resource, kind)
        if reason is not None:
            aside[(label, reason)] += 1
            continue
        if resource.status == "unknown":
            builder.note(f"'{label}' has status unknown: screened as taken (the safer reading)")
        dosages = resource.dosageInstruction if kind == "MedicationRequest" else resource.dosage
        doses, problem = doses_of(dosages or (), medication, builder)
        key = (tuple((c.system, c.code) for c in codings), text, doses)
        if key in seen:
            continue
        seen.add(key)
        terms = builder.medication(codings, text, doses=doses)
        if problem and terms and _supplies_nutrient(terms):
            builder.note(f"'{label}': {problem}; it is not counted in the intake totals")
    for (label, reason), count in aside.items():
        builder.not_screened("medication", _times(label, count), reason)


def _medication_aside(resource: Any, kind: str) -> str | None:
    status = resource.status
    if kind == "MedicationRequest":
        if status == "entered-in-error":
            return "entered in error"
        if status not in REQUEST_SCREENED:
            return f"status {status}: not a current medication"
        if resource.intent not in REQUEST_INTENTS:
            return f"intent {resource.intent}: not an order"
        return None
    if status == "entered-in-error":
        return "entered in error"
    if status not in STATEMENT_SCREENED:
        return f"status {status}: not taken now"
    return None


def _product(resource: Any, record: _Record) -> tuple[list[Coding], str | None, Any]:
    """Codings, text and (when referenced or contained) the Medication of an order."""
    concept = getattr(resource, "medicationCodeableConcept", None)
    if concept is not None:
        codings, text = _concept(concept)
        return codings, text, None
    reference = getattr(resource, "medicationReference", None)
    if reference is not None:
        medication = record.medications.get(reference.reference or "")
        if medication is not None and medication.code is not None:
            codings, text = _concept(medication.code)
            return codings, text, medication
        return [], reference.display, medication
    return [], None, None


def _supplies_nutrient(terms: Sequence[Any]) -> bool:
    return any(c in NUTRIENT_OF_CLASS for t in terms for c in t.classes)


def doses_of(
    dosages: Sequence[Any], medication: Any, builder: FactsBuilder
) -> tuple[tuple[NutrientDose, ...], str | None]:
    """Nutrient doses of FHIR Dosage entries (doseQuantity x timing), or why not."""
    doses: list[NutrientDose] = []
    for dosage in dosages:
        interval, duration, problem = _interval_days(dosage.timing)
        if problem:
            return (), problem
        quantity = None
        for dose_and_rate in dosage.doseAndRate or ():
            quantity = dose_and_rate.doseQuantity or quantity
        if quantity is None or quantity.value is None:
            return (), "the dose has no doseQuantity"
        unit = str(quantity.code or quantity.unit or "").strip()
        amount_unit = AMOUNT_UNITS.get(unit.lower())
        if amount_unit is not None:
            doses.append(
                NutrientDose(float(quantity.value), amount_unit, interval, duration_days=duration)
            )
            continue
        per_unit = _ingredient_doses(medication, builder)
        if not per_unit:
            return (), (
                f"the dose is {quantity.value} {unit or '(no unit)'} and the strength of one "
                "unit is not known (give the Medication with its ingredient strengths)"
            )
        doses.extend(
            NutrientDose(
                float(quantity.value) * amount,
                amount_unit_of,
                interval,
                nutrient=nutrient,
                duration_days=duration,
            )
            for nutrient, amount, amount_unit_of in per_unit
        )
    return tuple(doses), None


def _ingredient_doses(medication: Any, builder: FactsBuilder) -> list[tuple[str, float, str]]:
    """(nutrient, amount, unit) in one unit (tablet, capsule, mL) of a Medication."""
    if medication is None:
        return []
    found: list[tuple[str, float, str]] = []
    index = builder.vocabularies.medications
    for ingredient in medication.ingredient or ():
        concept = getattr(ingredient, "itemCodeableConcept", None)
        strength = ingredient.strength
        if concept is None or strength is None or strength.numerator is None:
            continue
        numerator = strength.numerator
        unit = AMOUNT_UNITS.get(str(numerator.code or numerator.unit or "").lower())
        denominator = strength.denominator.value if strength.denominator else 1
        if unit is None or numerator.value is None or not denominator:
            continue
        codings, text = _concept(concept)
        nutrient = next(
            (
                NUTRIENT_OF_CLASS[c]
                for term in _match_terms(index, codings, text)
                for c in sorted(term.classes)
                if c in NUTRIENT_OF_CLASS
            ),
            None,
        )
        if nutrient is not None:
            found.append((nutrient, float(numerator.value) / float(denominator), unit))
    return found


def _interval_days(timing: Any) -> tuple[float | None, float | None, str | None]:
    """(interval between doses in days, duration in days, problem)."""
    if timing is None or timing.repeat is None:
        return None, None, "the dose has no timing (how often is not known)"
    repeat = timing.repeat
    if repeat.period is None or repeat.periodUnit not in UCUM_DAYS:
        return None, None, "the timing has no period (how often is not known)"
    frequency = repeat.frequency or 1
    interval = float(repeat.period) * UCUM_DAYS[repeat.periodUnit] / frequency
    duration = None
    bounds = repeat.boundsDuration
    if bounds is not None and bounds.value is not None:
        unit = str(bounds.code or bounds.unit or "")
        if unit in UCUM_DAYS:
            duration = float(bounds.value) * UCUM_DAYS[unit]
    if repeat.count is not None and repeat.count > 0 and duration is None:
        duration = interval * repeat.count
    return interval, duration, None


# --------------------------------------------------------------------------- drafts
def _read_drafts(
    builder: FactsBuilder, record: _Record, draft_orders: Iterable[Mapping[str, Any]]
) -> list[DraftOrder]:
    drafts: list[DraftOrder] = []
    for data in flatten(draft_orders):
        if data.get("resourceType") != "MedicationRequest":
            continue
        parsed = parse_resource(data)
        if isinstance(parsed, Rejected):
            builder.not_screened("plan", f"draft {parsed.resource_type}", parsed.reason)
            continue
        if parsed.status not in DRAFT_STATUSES:
            continue
        for inner in getattr(parsed, "contained", None) or ():
            if inner.get_resource_type() == "Medication" and inner.id:
                record.medications[f"#{inner.id}"] = inner
        codings, text, medication = _product(parsed, record)
        label = text or _label_of(codings)
        doses, problem = doses_of(parsed.dosageInstruction or (), medication, builder)
        index = builder.vocabularies.medications
        matched = _match_terms(index, codings, text)
        nutrients = tuple(
            sorted(
                {
                    NUTRIENT_OF_CLASS[c]
                    for t in matched
                    for c in t.classes
                    if c in SUPPLEMENT_CLASSES and c in NUTRIENT_OF_CLASS
                }
            )
        )
        reference = f"MedicationRequest/{parsed.id}" if parsed.id else "MedicationRequest"
        if not nutrients:
            # Not a supplement: it is screened as a medication being started.
            builder.medication(codings, text)
            drafts.append(DraftOrder(reference, label, (), (), data, None))
            continue
        if doses:
            try:
                builder.medication(codings, text, doses=doses, planned=True)
            except InputError as error:
                problem = error.message
                doses = ()
        if not doses:
            # A supplement ordered without a usable dose: its identity still counts.
            builder.medication(codings, text)
            builder.note(f"draft order '{label}': {problem or 'no dose'}; the dose was not checked")
        drafts.append(DraftOrder(reference, label, nutrients, doses, data, problem))
    return drafts


def _match_terms(index: Any, codings: Sequence[Coding], text: str | None) -> list[Any]:
    for coding in codings:
        term = index.match_code(coding.system, coding.code, text or coding.code)
        if term is not None:
            return [term]
    for candidate in [text, *(c.display for c in codings)]:
        if candidate:
            matched = index.match(candidate)
            if isinstance(matched, list):
                return matched
    return []


# --------------------------------------------------------------------------- observations
def _read_observations(
    engine: Engine, builder: FactsBuilder, observations: Sequence[Any], as_of: dt.date
) -> None:
    latest: dict[str, tuple[dt.date | None, Any]] = {}
    index = engine.vocabularies.labs
    for observation in observations:
        codings, text = _concept(observation.code)
        label = text or _label_of(codings)
        status = observation.status
        if status == "entered-in-error":
            builder.not_screened("lab", label, "entered in error")
            continue
        if status not in OBSERVATION_FINAL:
            builder.not_screened("lab", label, f"status {status}: not a final result")
            continue
        quantity = observation.valueQuantity
        if quantity is None or quantity.value is None:
            builder.not_screened("lab", label, "no numeric value (valueQuantity)")
            continue
        test_id = _lab_test_id(index, codings, text)
        if test_id is None:
            # not a test d3k2 knows: the builder reports it as not recognised
            unit = str(quantity.code or quantity.unit or "") or None
            builder.lab(codings, float(quantity.value), unit, text=text)
            continue
        date = _effective_date(observation)
        if date is not None and date > as_of:
            builder.not_screened("lab", label, f"dated {date.isoformat()}, after {as_of}")
            continue
        current = latest.get(test_id)
        if current is None or (date is not None and (current[0] is None or date > current[0])):
            latest[test_id] = (date, observation)
    for test_id in sorted(latest):
        date, observation = latest[test_id]
        codings, text = _concept(observation.code)
        quantity = observation.valueQuantity
        unit = str(quantity.code or quantity.unit or "") or None
        try:
            builder.lab(codings, float(quantity.value), unit, date=date, text=text)
        except InputError as error:
            builder.not_screened("lab", text or _label_of(codings), error.message)


def _lab_test_id(index: Any, codings: Sequence[Coding], text: str | None) -> str | None:
    for coding in codings:
        term = index.match_code(coding.system, coding.code, text or coding.code)
        if term is not None:
            return str(term.id)
    if text:
        matched = index.match(text)
        if isinstance(matched, list) and matched:
            return str(matched[0].id)
    return None


def _effective_date(observation: Any) -> dt.date | None:
    value = observation.effectiveDateTime
    if value is None and observation.effectivePeriod is not None:
        value = observation.effectivePeriod.start
    if value is None:
        value = observation.issued
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        return dt.date.fromisoformat(value[:10])
    return None


# --------------------------------------------------------------------------- helpers
def _concept(concept: Any) -> tuple[list[Coding], str | None]:
    if concept is None:
        return [], None
    codings = [
        Coding(str(c.system or ""), str(c.code), c.display)
        for c in concept.coding or ()
        if c.code is not None
    ]
    return codings, concept.text


def _label(concept: Any) -> str:
    codings, text = _concept(concept)
    return text or _label_of(codings)


def _label_of(codings: Sequence[Coding]) -> str:
    for coding in codings:
        if coding.display:
            return coding.display
    return " ".join(f"{c.system}|{c.code}" for c in codings) or "(no code or text)"


def _times(label: str, count: int) -> str:
    return label if count == 1 else f"{label} (x{count})"
