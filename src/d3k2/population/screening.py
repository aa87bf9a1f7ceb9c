"""One patient's raw FHIR resources -> findings, a summary row and error rows.

Both engines (DuckDB and Spark) call :func:`screen_group` for every patient: the facts come
from :func:`d3k2.fhir.facts_from_fhir` (the CDS Hooks door's reader, so statuses are read
the same way: stopped orders, resolved or refuted conditions and entered-in-error results
are not screened) and the findings from :meth:`d3k2.api.Engine.assess`. Nothing clinical is
decided here; this module only routes and tabulates.

A proposed protocol (``--plan``) is read once by the engine's profile reader and added to
every living patient's plan; an alert one of whose triggers is a plan item is marked
``from_protocol``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from d3k2.errors import InputError

if TYPE_CHECKING:
    from d3k2.api import Engine
    from d3k2.core.screening.model import PatientFacts, PlanItem, Report

VITAMIN_D_TEST: Final = "25ohd"
"""The lab vocabulary id of serum 25(OH)D (vocab/labs.yaml)."""
AGE_BANDS: Final = ((0, 1), (1, 19), (19, 51), (51, 71), (71, 200))
"""Life-stage bands of the DRI tables (years, lower inclusive): the report's age bands."""
NUTRIENT_CLASSES: Final = {
    "vitamin_d_supplement": "takes_vitamin_d",
    "calcium_supplement": "takes_calcium",
    "vitamin_k_supplement": "takes_vitamin_k",
}
SEVERITY_RANK: Final = {"critical": 0, "major": 1, "moderate": 2, "minor": 3, "info": 4}

FINDING_COLUMNS: Final = (
    "patient_id",
    "rule_id",
    "version",
    "severity",
    "title",
    "from_protocol",
    "triggers",
)
SUMMARY_COLUMNS: Final = (
    "patient_id",
    "status",
    "sex",
    "age_years",
    "age_band",
    "alerts",
    "protocol_alerts",
    "top_severity",
    "serum_25ohd_nmol_l",
    "serum_25ohd_category",
    "takes_vitamin_d",
    "takes_calcium",
    "takes_vitamin_k",
    "medication_classes",
    "conditions",
    "not_screened",
    "note",
)
ERROR_COLUMNS: Final = ("file", "line", "patient_id", "kind", "detail")


@dataclass(frozen=True)
class ScreenSettings:
    """What every patient is screened with (pickled once to each worker)."""

    engine: Engine
    as_of: dt.date
    plan: tuple[PlanItem, ...] = ()
    guideline: str | None = None


@dataclass
class Rows:
    """Rows of the three output tables, column by column (cheap to ship and to load)."""

    findings: dict[str, list[Any]] = field(default_factory=lambda: {c: [] for c in FINDING_COLUMNS})
    summary: dict[str, list[Any]] = field(default_factory=lambda: {c: [] for c in SUMMARY_COLUMNS})
    errors: dict[str, list[Any]] = field(default_factory=lambda: {c: [] for c in ERROR_COLUMNS})
    resources: int = 0
    done: list[str] = field(default_factory=list)
    """Every patient id handled, with or without a summary row (a resume skips them)."""

    def add(self, table: dict[str, list[Any]], **values: Any) -> None:
        for column, cells in table.items():
            cells.append(values.get(column))

    def extend(self, other: Rows) -> None:
        for mine, theirs in (
            (self.findings, other.findings),
            (self.summary, other.summary),
            (self.errors, other.errors),
        ):
            for column in mine:
                mine[column].extend(theirs[column])
        self.resources += other.resources
        self.done.extend(other.done)

    @property
    def patients(self) -> int:
        return len(self.done)


def read_protocol(engine: Engine, text: str, *, as_of: dt.date) -> tuple[PlanItem, ...]:
    """A proposed protocol ("vitamin D3 1000 IU daily; vitamin K2 MK-7 100 mcg daily") read
    once by the engine's own profile reader (the same reading as a profile's ``plan``).

    Raises InputError naming ``--plan`` when it cannot be read.
    """
    try:
        read = engine.read_profile({"age": 50, "sex": "female", "plan": [text]}, today=as_of)
    except InputError as error:
        raise InputError(str(error), where="--plan") from None
    if not read.facts.plan:
        raise InputError(f"the protocol {text!r} has no item d3k2 can read", where="--plan")
    return read.facts.plan


def age_band(age_years: float) -> str:
    for low, high in AGE_BANDS:
        if low <= age_years < high:
            return f"{low}+" if high >= 200 else f"{low}-{high - 1}"
    return "unknown"


def is_deceased(patient: Mapping[str, Any], as_of: dt.date) -> bool:
    """Patient.deceasedBoolean true, or a deceasedDateTime on or before ``as_of``."""
    if patient.get("deceasedBoolean") is True:
        return True
    when = patient.get("deceasedDateTime")
    return isinstance(when, str) and when[:10] <= as_of.isoformat()


def _with_protocol(facts: PatientFacts, plan: Sequence[PlanItem]) -> PatientFacts:
    if not plan:
        return facts
    return dataclasses.replace(facts, plan=(*facts.plan, *plan))


def patient_facts(
    settings: ScreenSettings, resources: Sequence[Mapping[str, Any]], patient_id: str
) -> PatientFacts:
    """The facts the screen assesses for one patient (the protocol added): the one-patient
    FHIR reader's facts, nothing else."""
    from d3k2.fhir import facts_from_fhir

    facts = facts_from_fhir(
        settings.engine, resources, as_of=settings.as_of, patient_id=patient_id
    ).facts
    return _with_protocol(facts, settings.plan)


def _triggers_json(alert: Any) -> str:
    return json.dumps(
        [
            {"kind": t.kind, "input": t.input, "matched": t.matched, "code": t.code}
            for t in alert.triggers
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _where(
    label: str, lines: Sequence[str], files: Sequence[str], numbers: Sequence[int]
) -> tuple[str | None, int | None]:
    """File and line of the first resource that names ``label`` (for an unknown code)."""
    needle = json.dumps(label, ensure_ascii=False)[1:-1]
    for text, file, number in zip(lines, files, numbers, strict=True):
        if needle and needle in text:
            return file, number
    return None, None


def screen_group(
    settings: ScreenSettings,
    patient_id: str,
    lines: Sequence[str],
    files: Sequence[str],
    numbers: Sequence[int],
    rows: Rows,
) -> None:
    """Screen one patient's resources (raw NDJSON lines with their file and line number)
    and append the rows. Never raises for bad data: it becomes an error row."""
    rows.resources += len(lines)
    rows.done.append(patient_id)
    resources: list[Mapping[str, Any]] = []
    patient: Mapping[str, Any] | None = None
    patient_at: tuple[str | None, int | None] = (None, None)
    for text, file, number in zip(lines, files, numbers, strict=True):
        try:
            data = json.loads(text)
        except ValueError:
            rows.add(
                rows.errors,
                file=file,
                line=number,
                patient_id=patient_id,
                kind="malformed JSON",
                detail="the line is not valid JSON",
            )
            continue
        if not isinstance(data, dict) or not isinstance(data.get("resourceType"), str):
            rows.add(
                rows.errors,
                file=file,
                line=number,
                patient_id=patient_id,
                kind="no resourceType",
                detail="the line is not a FHIR resource",
            )
            continue
        if data["resourceType"] == "Patient" and data.get("id") == patient_id:
            patient, patient_at = data, (file, number)
        resources.append(data)
    if patient is None:
        first = (files[0], numbers[0]) if files else (None, None)
        rows.add(
            rows.errors,
            file=first[0],
            line=first[1],
            patient_id=patient_id,
            kind="no Patient resource",
            detail=f"{len(lines)} resource(s) refer to a patient the export does not hold",
        )
        return
    if is_deceased(patient, settings.as_of):
        _unscreened(
            rows,
            patient_id,
            patient,
            "deceased",
            "the record says this patient has died: reported apart, not screened",
        )
        return
    try:
        facts = patient_facts(settings, resources, patient_id)
        assessment = settings.engine.assess(facts, guideline=settings.guideline, projection=False)
    except InputError as error:
        rows.add(
            rows.errors,
            file=patient_at[0],
            line=patient_at[1],
            patient_id=patient_id,
            kind="patient not screened",
            detail=str(error),
        )
        _unscreened(rows, patient_id, patient, "not screened", str(error))
        return
    _tabulate(patient_id, facts, assessment.report, rows, lines, files, numbers)


STATUS_REASONS: Final = ("entered in error", "status ", "dated ")
"""Reasons the FHIR reader gives for results it deliberately leaves out (their status or
date): not data problems. Any other reason (no value, a unit that does not fit the test,
an implausible value) is one, and goes to the errors table."""


def _unreadable_lab(item: Any) -> bool:
    return bool(item.kind == "lab" and not item.reason.startswith(STATUS_REASONS))


def _unscreened(
    rows: Rows, patient_id: str, patient: Mapping[str, Any], status: str, note: str
) -> None:
    """The summary row of a patient who was read but not screened (deceased, unreadable)."""
    rows.add(
        rows.summary,
        patient_id=patient_id,
        status=status,
        sex=patient.get("gender"),
        alerts=0,
        protocol_alerts=0,
        not_screened=0,
        medication_classes=[],
        conditions=[],
        note=note,
    )


def _tabulate(
    patient_id: str,
    facts: PatientFacts,
    report: Report,
    rows: Rows,
    lines: Sequence[str],
    files: Sequence[str],
    numbers: Sequence[int],
) -> None:
    protocol_alerts = 0
    for alert in report.alerts:
        from_protocol = any(t.kind == "plan" for t in alert.triggers)
        protocol_alerts += from_protocol
        rows.add(
            rows.findings,
            patient_id=patient_id,
            rule_id=alert.id,
            version=alert.version,
            severity=alert.severity,
            title=alert.title,
            from_protocol=from_protocol,
            triggers=_triggers_json(alert),
        )
    vitamin_d = [lab for lab in report.labs if lab.test == VITAMIN_D_TEST]
    latest = vitamin_d[-1] if vitamin_d else None
    classes = sorted({c for term in facts.medications for c in term.classes})
    taking = {column: cls in classes for cls, column in NUTRIENT_CLASSES.items()}
    not_screened = 0
    for item in facts.unrecognized:
        if item.unknown or _unreadable_lab(item):
            file, line = _where(item.input.split(":")[0], lines, files, numbers)
            rows.add(
                rows.errors,
                file=file,
                line=line,
                patient_id=patient_id,
                kind=f"unknown {item.kind}" if item.unknown else "lab not read",
                detail=f"{item.input}: {item.reason}",
            )
        else:
            not_screened += 1
    rows.add(
        rows.summary,
        patient_id=patient_id,
        status="screened",
        sex=facts.sex,
        age_years=round(facts.age_years, 2),
        age_band=age_band(facts.age_years),
        alerts=len(report.alerts),
        protocol_alerts=protocol_alerts,
        top_severity=min(
            (a.severity for a in report.alerts),
            key=lambda s: SEVERITY_RANK.get(s, 9),
            default=None,
        ),
        serum_25ohd_nmol_l=None if latest is None else round(latest.value_si, 1),
        serum_25ohd_category=None if latest is None else latest.category,
        medication_classes=classes,
        conditions=sorted({term.id for term in facts.conditions}),
        not_screened=not_screened,
        note=None,
        **taking,
    )


def screen_groups(
    settings: ScreenSettings,
    groups: Iterable[tuple[str, Sequence[str], Sequence[str], Sequence[int]]],
) -> Rows:
    rows = Rows()
    for patient_id, lines, files, numbers in groups:
        screen_group(settings, patient_id, lines, files, numbers, rows)
    return rows
