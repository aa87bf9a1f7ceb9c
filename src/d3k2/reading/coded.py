"""Facts from coded, structured data: what a FHIR adapter, an EHR or a batch job holds.

A door that has codes (RxNorm, SNOMED CT, ICD-10-CM, LOINC), numbers and units never
writes text for d3k2 to parse again: it fills a :class:`FactsBuilder` (``Engine.facts()``)
entry by entry and calls :meth:`FactsBuilder.build`. Codes are matched first; the display
text is matched (with the same matching as a profile file) only when no code maps. What
cannot be read is kept as "not recognised", never dropped.

A supplement with a dose (an RxNorm cholecalciferol order of 50,000 IU weekly) counts
toward intake exactly as a typed regimen does: its dose becomes a regimen built from the
numbers (:func:`d3k2.core.regimen.dose_regimen`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from d3k2.core.regimen import Regimen, RegimenSegment, dose_regimen
from d3k2.core.screening.model import (
    SUPPLEMENT_CLASS_NUTRIENT,
    LabResult,
    PatientFacts,
    PlanItem,
    RecognizedTerm,
    Sex,
    Unrecognized,
)
from d3k2.core.screening.model import SUPPLEMENT_CLASSES as SUPPLEMENT_CLASSES
from d3k2.errors import InputError
from d3k2.knowledge.schema import Knowledge
from d3k2.reading.matching import VocabularyIndex
from d3k2.reading.profile import DAYS_PER_YEAR, Vocabularies, _lab_result

NUTRIENT_OF_CLASS: Final = SUPPLEMENT_CLASS_NUTRIENT
"""The supplement classes of the medication vocabulary and the nutrient each supplies."""


@dataclass(frozen=True)
class Coding:
    """One code of a coded entry: system (URL or short name), code, display."""

    system: str
    code: str
    display: str | None = None


@dataclass(frozen=True)
class NutrientDose:
    """How much of one nutrient one administration gives, and how often.

    ``nutrient`` (``vitamin_d``, ``calcium`` …) may be None when the product supplies one
    nutrient only (it is then read from the product's class); ``form`` is a form id
    (``cholecalciferol``, ``calcium_carbonate``) or None. ``amount`` is per
    administration in ``unit`` (IU, mcg, mg, g), already multiplied by the number of
    tablets; ``interval_days`` is None for a single dose. ``elemental`` says the amount of a
    mineral is elemental; by default it is read exactly as typed text is (a strength labels
    state as the salt's weight, such as calcium carbonate 1250 mg, is converted), with the
    reading shown as an assumption.
    """

    amount: float
    unit: str
    interval_days: float | None
    nutrient: str | None = None
    form: str | None = None
    duration_days: float | None = None
    elemental: bool = False


@dataclass
class FactsBuilder:
    """Collects coded entries for one person; :meth:`build` returns the facts."""

    knowledge: Knowledge
    vocabularies: Vocabularies
    sex: Sex
    as_of: dt.date
    age_years: float | None = None
    birth_date: dt.date | None = None
    patient_id: str | None = None
    pregnant: bool = False
    lactating: bool = False
    weight_kg: float | None = None
    height_cm: float | None = None
    _medications: list[RecognizedTerm] = field(default_factory=list)
    _conditions: list[RecognizedTerm] = field(default_factory=list)
    _labs: list[LabResult] = field(default_factory=list)
    _current: list[PlanItem] = field(default_factory=list)
    _plan: list[PlanItem] = field(default_factory=list)
    _unrecognized: list[Unrecognized] = field(default_factory=list)
    _notes: list[str] = field(default_factory=list)

    # ----------------------------------------------------------------- entries
    def medication(
        self,
        codings: Sequence[Coding],
        text: str | None = None,
        *,
        doses: Sequence[NutrientDose] = (),
        planned: bool = False,
    ) -> list[RecognizedTerm]:
        """A medication taken (or, with ``planned``, a proposed order: the plan).

        With ``doses``, a supplement counts toward intake; a medication that is not a
        supplement is screened by its codes and its doses are not counted.
        """
        label = _label(codings, text)
        terms = self._match(self.vocabularies.medications, codings, text, label)
        if terms is None:
            if planned:
                raise InputError(f"the ordered product {label!r} is not in the vocabulary")
            return []
        if not planned:
            self._medications.extend(terms)
        if doses:
            regimen = self._regimen(terms, doses, label)
            if regimen is not None:
                item = PlanItem(label, regimen, "plan" if planned else "medications")
                (self._plan if planned else self._current).append(item)
        return terms

    def condition(self, codings: Sequence[Coding], text: str | None = None) -> None:
        """An active, confirmed problem (the door filters status before calling)."""
        terms = self._match(self.vocabularies.conditions, codings, text, _label(codings, text))
        if terms is not None:
            self._conditions.extend(terms)

    def lab(
        self,
        codings: Sequence[Coding],
        value: float,
        unit: str | None,
        *,
        date: dt.date | None = None,
        text: str | None = None,
    ) -> LabResult | None:
        """A final lab result; None (and "not recognised") when the test is unknown.

        Raises InputError for a unit that does not fit the test or an implausible value.
        """
        label = _label(codings, text)
        term = next(
            (
                found
                for coding in codings
                if (found := self.vocabularies.labs.match_code(coding.system, coding.code, label))
            ),
            None,
        )
        if term is None and text:
            matched = self.vocabularies.labs.match(text)
            term = None if isinstance(matched, Unrecognized) else matched[0]
        if term is None:
            self._unrecognized.append(Unrecognized("lab", f"{label}: {value:g} {unit or ''}"))
            return None
        test = next(lab for lab in self.knowledge.labs if lab.id == term.id)
        item = {"test": label, "value": value, "unit": unit, "date": date}
        result = _lab_result(test, item, term, len(self._labs), self.as_of)
        self._labs.append(result)
        return result

    def note(self, text: str) -> None:
        """Something the door wants the report to say (what it could not read, and why)."""
        self._notes.append(text)

    def not_screened(self, kind: str, text: str, reason: str) -> None:
        """An entry read but deliberately not screened (stopped, refuted, in error)."""
        self._unrecognized.append(Unrecognized(kind, text, reason, unknown=False))  # type: ignore[arg-type]

    # ----------------------------------------------------------------- the facts
    def build(self) -> PatientFacts:
        """The facts. Raises InputError when neither age nor birth date is known."""
        age = self.age_years
        if age is None:
            if self.birth_date is None:
                raise InputError("age is required", where="age", hint="give a birth date")
            if self.birth_date > self.as_of:
                raise InputError(f"birth date {self.birth_date} is after {self.as_of}")
            age = (self.as_of - self.birth_date).days / DAYS_PER_YEAR
        bmi = (
            self.weight_kg / (self.height_cm / 100) ** 2
            if self.weight_kg is not None and self.height_cm is not None
            else None
        )
        notes = [
            *self._notes,
            *(
                f"'{item.input}' (medications) is counted in the intake totals as a supplement "
                "already taken"
                for item in self._current
            ),
        ]
        return PatientFacts(
            age_years=age,
            sex=self.sex,
            pregnant=self.pregnant,
            lactating=self.lactating,
            weight_kg=self.weight_kg,
            height_cm=self.height_cm,
            bmi_kg_m2=bmi,
            medications=tuple(self._medications),
            conditions=tuple(self._conditions),
            labs=tuple(self._labs),
            plan=tuple(self._plan),
            current_supplements=tuple(self._current),
            unrecognized=tuple(self._unrecognized),
            as_of=self.as_of.isoformat(),
            notes=tuple(dict.fromkeys(notes)),
            patient_id=self.patient_id,
        )

    # ----------------------------------------------------------------- helpers
    def _match(
        self,
        index: VocabularyIndex,
        codings: Sequence[Coding],
        text: str | None,
        label: str,
    ) -> list[RecognizedTerm] | None:
        """Codes first, then the display text; None (kept as not recognised) otherwise."""
        for coding in codings:
            term = index.match_code(coding.system, coding.code, label)
            if term is not None:
                return [term]
        for candidate in [text, *(c.display for c in codings)]:
            if candidate:
                matched = index.match(candidate)
                if isinstance(matched, Unrecognized):
                    if not matched.unknown:  # read, but deliberately not screened
                        self._unrecognized.append(matched)
                        return None
                    continue
                return matched
        self._unrecognized.append(Unrecognized(index.kind, label))
        return None

    def _regimen(
        self, terms: Sequence[RecognizedTerm], doses: Sequence[NutrientDose], label: str
    ) -> Regimen | None:
        supplied = sorted(
            {NUTRIENT_OF_CLASS[c] for t in terms for c in t.classes if c in SUPPLEMENT_CLASSES}
        )
        if not supplied:
            return None
        segments: list[RegimenSegment] = []
        for dose in doses:
            nutrient = dose.nutrient or (supplied[0] if len(supplied) == 1 else None)
            if nutrient is None:
                raise InputError(
                    f"{label!r} supplies {', '.join(supplied)}: say which nutrient each dose is of"
                )
            form = dose.form or self._form_of(terms, nutrient)
            regimen = dose_regimen(
                self.vocabularies.nutrients,
                nutrient=nutrient,
                form=form,
                amount=dose.amount,
                unit=dose.unit,
                interval_days=dose.interval_days,
                duration_days=dose.duration_days,
                text=label,
                elemental=dose.elemental,
            )
            segments.extend(regimen.segments)
        return Regimen(tuple(segments), text=label)

    def _form_of(self, terms: Sequence[RecognizedTerm], nutrient: str) -> str | None:
        """The nutrient form a recognised product names (cholecalciferol -> its form)."""
        for term in terms:
            for name in (term.id.replace("_", " "), term.name):
                found = self.vocabularies.nutrients.lookup(name)
                if found is not None and found[0] == nutrient:
                    return found[1]
        return None


def _label(codings: Sequence[Coding], text: str | None) -> str:
    if text:
        return text
    for coding in codings:
        if coding.display:
            return coding.display
    return " ".join(f"{c.system}|{c.code}" for c in codings) or "(no text)"
