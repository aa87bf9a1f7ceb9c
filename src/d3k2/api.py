"""The d3k2 engine: the one public entry point that every door calls.

An :class:`Engine` is built once per process from one knowledge base. It reads profiles
into facts, assesses facts (rules, labs, intake and, opt-in, the 25(OH)D projection),
plans a vitamin D3 dose, estimates the sun's vitamin D, and assesses many profiles as a
stream. It orchestrates; every decision is made in :mod:`d3k2.core`. It is immutable,
safe to share between threads, and picklable (a pickled engine carries only its
knowledge base; the indexes are rebuilt on the other side).

    >>> from d3k2 import Engine
    >>> engine = Engine.default()
    >>> result = engine.assess_profile({"age": 67, "sex": "female",
    ...     "plan": ["D3 2000 IU daily"]}, today=datetime.date(2026, 1, 1))
    >>> result.report.alerts  # most severe first

The JSON of any result comes from :mod:`d3k2.render.contract`; text from
:mod:`d3k2.render.text`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from d3k2.core.dates import parse_iso_date
from d3k2.core.kinetics.dosing import (
    ASSESS_HORIZON_DAYS,
    AssessmentProjection,
    DosePlan,
    GuidelineLine,
    MonitoringStep,
    NotDescribed,
    Product,
    guideline_target_nmol_l,
    plan_dose,
    projection_cautions,
    projection_for_assessment,
    regimen_notes,
    rule_screen,
    vitamin_d_upper_limit_iu_per_day,
)
from d3k2.core.kinetics.projection import (
    MAX_HORIZON_DAYS,
    MODEL_NAME,
    MODEL_VERSION,
    DoseEvent,
    Projection,
    ProjectionParameters,
    project,
    regimen_end_day,
    regimen_maintenance_iu_per_day,
)
from d3k2.core.lifestyle import LifestyleReport, lifestyle_suggestions
from d3k2.core.quantities import (
    amount_in,
    parse_body_mass_kg,
    parse_quantity,
    parse_serum_25ohd_nmol_l,
)
from d3k2.core.regimen import Regimen, vitamin_d_dose_events_iu
from d3k2.core.screening.engine import DEFAULT_GUIDELINE
from d3k2.core.screening.engine import assess as assess_facts
from d3k2.core.screening.model import PatientFacts, Report, Sex
from d3k2.errors import InputError, KnowledgeError, shown
from d3k2.knowledge.base import KnowledgeBase, default_knowledge_base, load_knowledge_base
from d3k2.knowledge.projection import SCHEDULE_INTERVAL_DAYS, ParameterSet, ProjectionTable
from d3k2.knowledge.schema import Knowledge, NutrientForm
from d3k2.reading.coded import FactsBuilder
from d3k2.reading.diet import DietReading
from d3k2.reading.lifestyle import read_lifestyle
from d3k2.reading.profile import ProfileError, Vocabularies, build_facts, read_profile_diet
from d3k2.reading.regimen import parse_regimen
from d3k2.reading.sun_options import FIELD_OF_CORE_FIELD, SunRequest

if TYPE_CHECKING:
    from d3k2.core.label import DailyDose, Label, LabelFinding
    from d3k2.core.sun.model import SunExposureEstimate

PROFILE_OPTIONS: Final = frozenset({"guideline"})
"""Keys of a profile's ``options`` mapping."""
EXAMPLE_DATE: Final = dt.date(2026, 1, 1)
"""Rule examples are evaluated as of a fixed date, so they never change with the calendar."""


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class ProfileInput:
    """A profile read into facts, with the options it carries."""

    facts: PatientFacts
    guideline: str | None = None
    diet: DietReading | None = None
    """The profile's diet read food by food (None when it gave no foods)."""
    lifestyle: Mapping[str, float | str] | None = None
    """The profile's lifestyle answers (None when it has no lifestyle section)."""


@dataclass(frozen=True)
class Assessment:
    """The full report for one person: screening report and (opt-in) projection.

    ``projection`` is None when projection was not asked for, or when the person has no
    25(OH)D result or no vitamin D in the plan; when it cannot be made for this person
    its ``skipped`` says why. A failed projection never withholds the safety report.
    """

    report: Report
    projection: AssessmentProjection | None = None
    patient_id: str | None = None
    diet: DietReading | None = None
    """Foods behind the diet totals of the intake table (when the profile listed foods)."""
    lifestyle: LifestyleReport | None = None
    """Sourced lifestyle suggestions (when the profile answered the lifestyle questions)."""


@dataclass(frozen=True)
class LabelCheck:
    """``d3k2 label``: a label read, every check's finding, and the daily doses."""

    label: Label
    findings: tuple[LabelFinding, ...]
    doses: tuple[DailyDose, ...]


@dataclass(frozen=True)
class DietResult:
    """``d3k2 diet``: the foods read and, with age and sex, the report whose intake table
    adds food and planned supplements against RDA/AI/UL."""

    diet: DietReading | None
    report: Report | None


DIET_PROFILE_KEYS: Final = (
    "age",
    "sex",
    "birth_date",
    "as_of",
    "pregnant",
    "lactating",
    "plan",
    "diet",
)
"""The profile fields ``d3k2 diet`` uses (the rest of a profile is ignored there)."""


@dataclass(frozen=True)
class AssessmentFailure:
    """One profile of a stream that could not be read (the stream goes on)."""

    index: int
    patient_id: str | None
    error: InputError


@dataclass(frozen=True)
class ProjectionRequest:
    """``d3k2 project``: what a person writes. Field names are used in errors."""

    baseline: str
    """Measured serum 25(OH)D, e.g. "18 ng/mL"."""
    regimen: str
    """Vitamin D3 regimen text, e.g. "50000 IU weekly for 8 weeks, then 2000 IU daily"."""
    weight: str | None = None
    bmi: float | None = None
    age: float | None = None
    days: int = 365
    target: str | None = None
    baseline_date: str | None = None
    start: str | None = None
    latitude: float | None = None
    background: str | None = None
    """Extra daily intake starting with the regimen, e.g. "400 IU"."""
    today: dt.date | None = None


@dataclass(frozen=True)
class ProjectionResult:
    projection: Projection
    baseline_nmol_l: float
    baseline_date: dt.date | None
    regimen_text: str
    target_nmol_l: float | None
    regimen_start_day: int
    regimen_end_day: float | None
    """Day (from day 0, the test) after which no more vitamin D is taken; None: it goes on."""
    cautions: tuple[str, ...]
    notes: tuple[str, ...]
    guideline_lines: tuple[GuidelineLine, ...]


@dataclass(frozen=True)
class DosePlanRequest:
    """``d3k2 plan-dose``: what a person writes. Field names are used in errors."""

    baseline: str
    target: str
    weight: str | None = None
    bmi: float | None = None
    age: float | None = None
    supervised: bool = False
    sex: Sex | None = None
    pregnant: bool = False
    lactating: bool = False
    today: dt.date | None = None


@dataclass(frozen=True)
class DosePlanResult:
    plan: DosePlan
    upper_limit_note: str
    sources: tuple[str, ...]


def _range_notes(report: Report, diet: DietReading | None) -> list[str]:
    """When a questionnaire estimate's high end would take the total above a UL that the
    central estimate stays under, say so (the UL check itself uses the central value)."""
    if diet is None:
        return []
    ranges = diet.range_per_day()
    notes = []
    for row in report.intake:
        upper = row.upper_limit
        if row.nutrient not in ranges or upper is None or upper.supplements_only:
            continue
        if row.exceeds_upper_limit:
            continue
        high_total = row.supplement_per_day + ranges[row.nutrient][1]
        if high_total > upper.value:
            name = row.nutrient.replace("_", " ")
            notes.append(
                f"diet questionnaire: {name} from food could be up to "
                f"{ranges[row.nutrient][1]:.0f} {row.unit}/day; with supplements the total "
                f"could reach {high_total:.0f} {row.unit}/day, above the UL of "
                f"{upper.value:g} {row.unit}/day: list the foods for a narrower estimate"
            )
    return notes


# --------------------------------------------------------------------------- the engine
@dataclass(frozen=True, eq=False)
class Engine:
    """Built once from a knowledge base; every door calls its methods."""

    base: KnowledgeBase
    vocabularies: Vocabularies = field(init=False, repr=False)
    projection_parameters: ProjectionParameters = field(init=False, repr=False)
    products: tuple[Product, ...] = field(init=False, repr=False)
    guideline_lines: tuple[GuidelineLine, ...] = field(init=False, repr=False)
    monitoring_steps: tuple[MonitoringStep, ...] = field(init=False, repr=False)
    not_described: tuple[NotDescribed, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        table = self.base.projection
        derived = {
            "vocabularies": Vocabularies.build(
                self.base.clinical, self.base.foods, self.base.questionnaire
            ),
            "projection_parameters": _parameters_from_table(table),
            "products": _products(self.base),
            "guideline_lines": tuple(
                GuidelineLine(line.id, line.label, line.serum_25ohd_nmol_l, _refs(line.sources))
                for line in table.guideline_lines
            ),
            "monitoring_steps": tuple(
                MonitoringStep(
                    step.id,
                    tuple(step.tests),
                    step.after_days,
                    step.why.strip(),
                    _refs(step.sources),
                )
                for step in table.monitoring
            ),
            "not_described": tuple(
                NotDescribed(
                    id=entry.id,
                    label=entry.label,
                    reason=" ".join(entry.reason.split()),
                    medication_classes=frozenset(entry.medication_classes),
                    condition_classes=frozenset(entry.condition_classes),
                    pregnancy=entry.pregnancy,
                    sources=_refs(entry.sources),
                )
                for entry in table.not_described
            ),
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)

    def __reduce__(self) -> tuple[Any, tuple[KnowledgeBase]]:
        return (Engine, (self.base,))

    # ----------------------------------------------------------------- construction
    @classmethod
    def default(cls) -> Engine:
        """The engine of the bundled knowledge base (one per process)."""
        return _default_engine()

    @classmethod
    def load(cls, data_dir: Path | None = None) -> Engine:
        """An engine for a knowledge folder (default: the bundled one)."""
        if data_dir is None:
            return cls.default()
        return cls(load_knowledge_base(data_dir))

    @property
    def knowledge(self) -> Knowledge:
        """Rules, vocabularies, DRIs, lab bands and references."""
        return self.base.clinical

    @property
    def version(self) -> str:
        """The knowledge base's fingerprint."""
        return self.base.fingerprint

    # ----------------------------------------------------------------- labels
    def check_label(self, data: Mapping[str, Any]) -> LabelCheck:
        """Read a Supplement Facts label (DSLD JSON or the simple form) and check it."""
        from d3k2.core.label import check_label  # label checks only: not at start
        from d3k2.reading.label import read_label

        label = read_label(data, self.vocabularies.nutrients)
        forms: dict[tuple[str, str | None], NutrientForm] = {
            (nutrient.id, form.id): form
            for nutrient in self.knowledge.nutrients
            for form in nutrient.forms
        }
        for nutrient in self.knowledge.nutrients:
            forms[(nutrient.id, None)] = self.vocabularies.nutrients.form(nutrient.id, None)
        findings, doses = check_label(
            label,
            self.base.label_rules,
            self.knowledge.dri,
            forms,
            {n.id: n.dri_unit for n in self.knowledge.nutrients},
        )
        return LabelCheck(label, tuple(findings), tuple(doses))

    # ----------------------------------------------------------------- diet
    def diet(
        self,
        data: Any,
        *,
        today: dt.date,
        age: float | None = None,
        sex: str | None = None,
    ) -> DietResult:
        """``d3k2 diet``: ``data`` is a diet (a list of foods, or ``{foods: [...],
        questionnaire: {...}, calcium: 300 mg}``) or a profile with a ``diet:`` section
        (its age, sex, pregnancy and plan are used too). With age (or birth date) and sex,
        the result carries the intake report of food plus planned supplements.

        Raises InputError (a ProfileError with every problem) with field paths.
        """
        if isinstance(data, list):
            profile: dict[str, Any] = {"diet": data}
        elif isinstance(data, Mapping) and "diet" in data:
            profile = {key: data[key] for key in DIET_PROFILE_KEYS if key in data}
        elif isinstance(data, Mapping):
            profile = {"diet": data}
        else:
            raise InputError("a diet holds a list of foods or a mapping")
        if age is not None:
            profile["age"] = age
        if sex is not None:
            profile["sex"] = sex
        if ("age" in profile and "sex" in profile) or "birth_date" in profile:
            read = self.read_profile(profile, today=today)
            return DietResult(read.diet, self.assess_read(read, projection=False).report)
        return DietResult(read_profile_diet(profile.get("diet"), self.vocabularies), None)

    # ----------------------------------------------------------------- reading
    def read_profile(self, profile: Mapping[str, Any], *, today: dt.date) -> ProfileInput:
        """Read a profile (a mapping, as in a profile file) into facts.

        Raises
        ------
        ProfileError
            Every problem at once, each with its field path.
        """
        problems: list[InputError] = []
        try:
            facts = build_facts(
                profile, self.knowledge, today=today, vocabularies=self.vocabularies
            )
        except ProfileError as error:
            problems.extend(error.problems)
            facts = None
        except InputError as error:
            problems.append(error)
            facts = None
        guideline = None
        try:
            guideline = self._profile_guideline(profile.get("options"))
        except InputError as error:
            problems.append(error)
        lifestyle = None
        if profile.get("lifestyle") is not None:
            try:
                lifestyle = read_lifestyle(profile["lifestyle"], self.base.lifestyle)
            except ProfileError as error:
                problems.extend(error.problems)
            except InputError as error:
                problems.append(error)
        if problems or facts is None:
            raise ProfileError(problems)
        diet = read_profile_diet(profile.get("diet"), self.vocabularies)
        return ProfileInput(
            facts, guideline, diet if diet is not None and diet.has_foods else None, lifestyle
        )

    def _profile_guideline(self, options: Any) -> str | None:
        if options is None:
            return None
        if not isinstance(options, Mapping):
            raise InputError("options must be a mapping", where="options")
        unknown = sorted(set(options) - PROFILE_OPTIONS)
        if unknown:
            raise InputError(
                f"unknown option {shown(unknown[0])}",
                where=f"options.{unknown[0]}",
                hint="options take: " + ", ".join(sorted(PROFILE_OPTIONS)),
            )
        guideline = options.get("guideline")
        if guideline is None:
            return None
        self._check_guideline(str(guideline), where="options.guideline")
        return str(guideline)

    def _check_guideline(self, guideline: str, *, where: str = "guideline") -> None:
        if guideline not in self.knowledge.guidelines:
            raise InputError(
                f"unknown guideline {shown(guideline)}",
                where=where,
                hint="choose one of: " + ", ".join(sorted(self.knowledge.guidelines)),
            )

    def facts(
        self,
        *,
        sex: Sex,
        as_of: dt.date,
        age_years: float | None = None,
        birth_date: dt.date | None = None,
        patient_id: str | None = None,
        pregnant: bool = False,
        lactating: bool = False,
        weight_kg: float | None = None,
        height_cm: float | None = None,
    ) -> FactsBuilder:
        """A builder of facts from coded, structured entries (FHIR, EHR, batch): add
        medications, conditions and labs by code, then ``build()``. Nothing is written as
        text to be parsed again."""
        return FactsBuilder(
            self.knowledge,
            self.vocabularies,
            sex=sex,
            as_of=as_of,
            age_years=age_years,
            birth_date=birth_date,
            patient_id=patient_id,
            pregnant=pregnant,
            lactating=lactating,
            weight_kg=weight_kg,
            height_cm=height_cm,
        )

    # ----------------------------------------------------------------- assessing
    def assess(
        self,
        facts: PatientFacts,
        *,
        guideline: str | None = None,
        today: dt.date | None = None,
        projection: bool = True,
    ) -> Assessment:
        """Screen the facts and, with ``projection``, project 25(OH)D under the plan.

        ``today`` is the day the regimen starts (default: the facts' ``as_of``).
        Raises InputError for an unknown guideline.
        """
        chosen = guideline or DEFAULT_GUIDELINE
        self._check_guideline(chosen)
        report = assess_facts(facts, self.knowledge, self.vocabularies.nutrients, guideline=chosen)
        section = self._assessment_projection(facts, chosen, today) if projection else None
        return Assessment(report, section, facts.patient_id)

    def assess_profile(
        self,
        profile: Mapping[str, Any],
        *,
        today: dt.date,
        guideline: str | None = None,
        projection: bool = True,
    ) -> Assessment:
        """Read and assess a profile in one call; ``guideline`` overrides the profile's."""
        read = self.read_profile(profile, today=today)
        return self.assess_read(read, guideline=guideline, projection=projection)

    def assess_read(
        self, read: ProfileInput, *, guideline: str | None = None, projection: bool = True
    ) -> Assessment:
        """Assess a profile already read; the report keeps the profile's diet foods.
        ``guideline`` overrides the profile's."""
        assessment = self.assess(
            read.facts, guideline=guideline or read.guideline, projection=projection
        )
        assessment = replace(assessment, diet=read.diet, lifestyle=self._lifestyle(read))
        notes = _range_notes(assessment.report, read.diet)
        if notes:
            report = replace(assessment.report, notes=(*assessment.report.notes, *notes))
            assessment = replace(assessment, report=report)
        return assessment

    def _lifestyle(self, read: ProfileInput) -> LifestyleReport | None:
        if read.lifestyle is None:
            return None
        answers: dict[str, float | str] = dict(read.lifestyle)
        weight = read.facts.weight_kg
        stated = answers.get("protein_g_per_day")
        listed = read.diet.protein_g_per_day() if read.diet is not None else None
        if isinstance(stated, float) and weight:
            answers["protein_g_per_kg"] = round(stated / weight, 2)
        elif listed is not None and weight:
            # the listed foods give a lower bound: it can show enough protein, never too little
            answers["protein_g_per_kg_at_least"] = round(listed / weight, 2)
        return lifestyle_suggestions(answers, self.base.lifestyle, age_years=read.facts.age_years)

    def assess_many(
        self,
        profiles: Iterable[Mapping[str, Any] | PatientFacts],
        *,
        today: dt.date,
        guideline: str | None = None,
        projection: bool = False,
    ) -> Iterator[Assessment | AssessmentFailure]:
        """Assess a stream of profiles or facts, in order, one result each.

        A profile that cannot be read gives an :class:`AssessmentFailure` (with its index
        and id) and the stream goes on: nothing is dropped silently.
        """
        if guideline is not None:
            self._check_guideline(guideline)
        for index, item in enumerate(profiles):
            if isinstance(item, PatientFacts):
                yield self.assess(item, guideline=guideline, projection=projection)
                continue
            try:
                yield self.assess_profile(
                    item, today=today, guideline=guideline, projection=projection
                )
            except InputError as error:
                patient_id = item.get("id") if isinstance(item, Mapping) else None
                yield AssessmentFailure(
                    index, None if patient_id is None else str(patient_id), error
                )

    def _assessment_projection(
        self, facts: PatientFacts, guideline: str, today: dt.date | None
    ) -> AssessmentProjection | None:
        """The projection section; never raises (the safety report is never withheld)."""
        try:
            start = today or (parse_iso_date(facts.as_of, where="as_of") if facts.as_of else None)
            return projection_for_assessment(
                facts,
                today=start,
                parameters=self.projection_parameters,
                guideline_lines=self.guideline_lines,
                target_nmol_l=guideline_target_nmol_l(self.knowledge, guideline),
                baseline_max_age_days=self.base.projection.baseline_result.max_age_days,
                horizon_days=ASSESS_HORIZON_DAYS,
                not_described=self.not_described,
            )
        except InputError as error:
            return AssessmentProjection(skipped=error.message)
        except Exception as error:  # the safety report must never be withheld
            return AssessmentProjection(
                skipped=f"the projection failed ({type(error).__name__}); this is a bug in "
                "d3k2, please report it. The rest of the report is complete"
            )

    # ----------------------------------------------------------------- projection
    def project(self, request: ProjectionRequest) -> ProjectionResult:
        """Project 25(OH)D day by day under a regimen (``d3k2 project``).

        Raises InputError naming the request field (``baseline``, ``regimen`` …).
        """
        r = request
        baseline_nmol_l = _field("baseline", parse_serum_25ohd_nmol_l, r.baseline)
        weight_kg = None if r.weight is None else _field("weight", parse_body_mass_kg, r.weight)
        _finite("bmi", r.bmi)
        _finite("age", r.age)
        target_nmol_l = None if r.target is None else parse_target_nmol_l(r.target)
        regimen = self.parse_vitamin_d_regimen(r.regimen)
        days = r.days
        if isinstance(days, bool) or not 1 <= days <= MAX_HORIZON_DAYS:
            raise InputError(f"days must be 1 to {MAX_HORIZON_DAYS}, got {days}", where="days")
        today = r.today or dt.date.today()
        baseline_date = (
            None
            if r.baseline_date is None
            else parse_iso_date(r.baseline_date, where="baseline_date")
        )
        offset_days = _start_offset_days(baseline_date, r.start, today, days)
        if r.latitude is not None and not (math.isfinite(r.latitude) and -90 <= r.latitude <= 90):
            raise InputError(f"latitude must be -90 to 90, got {r.latitude}", where="latitude")
        background_iu = 0.0 if r.background is None else parse_background_iu_per_day(r.background)
        events = [
            DoseEvent(day + offset_days, iu)
            for day, iu in vitamin_d_dose_events_iu(regimen, days - offset_days)
        ]
        end_day = regimen_end_day([regimen])
        projection = project(
            baseline_nmol_l,
            events,
            days,
            parameters=self.projection_parameters,
            weight_kg=weight_kg,
            bmi_kg_m2=r.bmi,
            age_years=r.age,
            background_iu_per_day=background_iu,
            baseline_day_of_year=None
            if baseline_date is None
            else baseline_date.timetuple().tm_yday,
            southern_hemisphere=r.latitude is not None and r.latitude < 0,
            maintenance_iu_per_day=regimen_maintenance_iu_per_day([regimen]),
        )
        cautions = projection_cautions(
            projection,
            baseline_nmol_l,
            self.guideline_lines,
            days_since_test=None if baseline_date is None else (today - baseline_date).days,
            baseline_max_age_days=self.base.projection.baseline_result.max_age_days,
        )
        return ProjectionResult(
            projection=projection,
            baseline_nmol_l=baseline_nmol_l,
            baseline_date=baseline_date,
            regimen_text=r.regimen,
            target_nmol_l=target_nmol_l,
            regimen_start_day=offset_days,
            regimen_end_day=None if end_day is None else offset_days + end_day,
            cautions=tuple(cautions),
            notes=regimen_notes(regimen),
            guideline_lines=self.guideline_lines,
        )

    def parse_vitamin_d_regimen(self, text: str) -> Regimen:
        """A regimen text that must contain vitamin D (``where="regimen"`` in errors)."""
        regimen: Regimen = _field(
            "regimen",
            lambda value: parse_regimen(
                value, self.vocabularies.nutrients, default_nutrient="vitamin_d"
            ),
            text,
        )
        if not any(s.nutrient == "vitamin_d" for s in regimen.segments):
            raise InputError(
                f"the regimen has no vitamin D: {text!r}",
                where="regimen",
                hint='for example "50000 IU weekly for 8 weeks, then 2000 IU daily"',
            )
        return regimen

    # ----------------------------------------------------------------- dose planning
    def plan_dose(self, request: DosePlanRequest) -> DosePlanResult:
        """The smallest real vitamin D3 regimen reaching the target for most people like
        this one, screened by the same rules as :meth:`assess` (``d3k2 plan-dose``)."""
        r = request
        baseline_nmol_l = _field("baseline", parse_serum_25ohd_nmol_l, r.baseline)
        weight_kg = None if r.weight is None else _field("weight", parse_body_mass_kg, r.weight)
        _finite("bmi", r.bmi)
        _finite("age", r.age)
        target_nmol_l = parse_target_nmol_l(r.target)
        if r.sex == "male" and (r.pregnant or r.lactating):
            raise InputError(
                "pregnant or lactating is set with sex male",
                where="pregnant",
                hint="check the sex and pregnancy options",
            )
        ul_iu, ul_note = vitamin_d_upper_limit_iu_per_day(self.knowledge.dri, r.age)
        screen = rule_screen(
            self.knowledge,
            self.vocabularies.nutrients,
            today=r.today or dt.date.today(),
            age_years=r.age,
            sex=r.sex,
            pregnant=r.pregnant,
            lactating=r.lactating,
            weight_kg=weight_kg,
        )
        table = self.base.projection
        plan = plan_dose(
            baseline_nmol_l,
            target_nmol_l,
            products=self.products,
            parameters=self.projection_parameters,
            upper_limit_iu_per_day=ul_iu,
            quantile=table.planning.quantile,
            horizon_days=table.planning.horizon_days,
            weight_kg=weight_kg,
            bmi_kg_m2=r.bmi,
            age_years=r.age,
            supervised=r.supervised,
            monitoring=self.monitoring_steps,
            guideline_lines=self.guideline_lines,
            screen=screen,
        )
        return DosePlanResult(plan, ul_note, self.projection_parameters.sources)

    # ----------------------------------------------------------------- sun
    def sun(self, request: SunRequest) -> SunExposureEstimate:
        """UV index, vitamin D-weighted dose, oral equivalent and minutes to sunburn for a
        planned exposure (``d3k2 sun``). Imports the sun model only here."""
        from d3k2.core.sun.model import estimate_sun_exposure

        try:
            return estimate_sun_exposure(request.exposure(), self.base.sun)
        except InputError as error:
            where = FIELD_OF_CORE_FIELD.get(str(error.where), error.where)
            raise InputError(error.message, where=where, hint=error.hint) from None

    # ----------------------------------------------------------------- knowledge checks
    def check_rule_examples(self) -> list[str]:
        """Run every rule's examples: each ``fires`` profile must raise the rule, each
        ``silent`` look-alike must not. A list of failures (empty when all behave)."""
        failures: list[str] = []
        for rule in self.knowledge.rules:
            for expected, examples in (
                ("fire", rule.examples.fires),
                ("stay silent", rule.examples.silent),
            ):
                for example in examples:
                    try:
                        result = self.assess_profile(
                            example.profile, today=EXAMPLE_DATE, projection=False
                        )
                    except InputError as error:
                        failures.append(f"{rule.id}: example {example.name!r} is invalid: {error}")
                        continue
                    report = result.report
                    fired = any(alert.id == rule.id for alert in report.alerts)
                    if fired != (expected == "fire"):
                        failures.append(
                            f"{rule.id}: example {example.name!r} should {expected} but "
                            f"{'fired' if fired else 'did not'}"
                        )
                    failures.extend(
                        f"{rule.id}: example {example.name!r} has an unrecognised "
                        f"{item.kind} {item.input!r}"
                        for item in report.unrecognized
                    )
        return failures


@lru_cache(maxsize=1)
def _default_engine() -> Engine:
    return Engine(default_knowledge_base())


# --------------------------------------------------------------------------- helpers
def _refs(sources: Iterable[Any]) -> tuple[str, ...]:
    return tuple(source.ref for source in sources)


def _parameters_from_table(table: ProjectionTable) -> ProjectionParameters:
    """The core's parameters from the validated table; the table must be for this model."""
    if table.model != MODEL_NAME or table.version != MODEL_VERSION:
        raise KnowledgeError(
            [
                f"tables/projection.yaml: parameters are for {table.model} v{table.version}, "
                f"the code is {MODEL_NAME} v{MODEL_VERSION}"
            ]
        )
    values = {name: getattr(table.parameters, name).value for name in ParameterSet.model_fields}
    sources = dict.fromkeys(
        source.ref
        for name in ParameterSet.model_fields
        for source in getattr(table.parameters, name).sources
    )
    return ProjectionParameters(**values, sources=tuple(sources))


def _products(base: KnowledgeBase) -> tuple[Product, ...]:
    """The vitamin D3 products, one entry per usable (strength, schedule)."""
    return tuple(
        Product(
            id=entry.id,
            name=entry.name,
            amount_iu=entry.amount_iu,
            schedule=schedule,
            interval_days=SCHEDULE_INTERVAL_DAYS[schedule],
            sources=_refs(entry.sources),
        )
        for entry in base.products.products
        for schedule in entry.schedules
    )


def _field(name: str, parse: Any, value: Any) -> Any:
    """``parse(value)``, with any InputError located at request field ``name``."""
    try:
        return parse(value)
    except InputError as error:
        raise InputError(error.message, where=name, hint=error.hint) from None


def _finite(name: str, value: float | None) -> None:
    if value is not None and (isinstance(value, bool) or not math.isfinite(value)):
        raise InputError(f"{name} must be a number, got {value}", where=name)


def parse_target_nmol_l(text: str) -> float:
    """A target level ("30 ng/mL") in nmol/L."""
    value: float = _field("target", parse_serum_25ohd_nmol_l, text)
    if value <= 0:
        raise InputError(f"the target must be more than zero: {text!r}", where="target")
    return value


def parse_background_iu_per_day(text: str) -> float:
    """``"400 IU"`` or ``"10 mcg"`` (per day) -> IU/day."""
    cleaned = text.lower().replace("/day", "").replace("per day", "").replace("/d", "").strip()
    try:
        quantity = parse_quantity(cleaned)
        if quantity.value < 0:
            raise InputError(f"background intake cannot be negative: {text!r}")
        return amount_in(quantity.value, quantity.unit, "IU", nutrient="vitamin_d")
    except InputError as error:
        raise InputError(
            error.message,
            where="background",
            hint='give a daily vitamin D intake, e.g. "400 IU" or "10 mcg"',
        ) from None


def _start_offset_days(
    baseline: dt.date | None, start: str | None, today: dt.date, horizon_days: int
) -> int:
    """Days from the baseline test to the first dose; checks that the dates make sense."""
    if baseline is not None and baseline > today:
        raise InputError(
            f"the baseline test date {baseline} is in the future (today is {today})",
            where="baseline_date",
            hint="give the date the blood was taken",
        )
    if start is None:
        return 0
    if baseline is None:
        raise InputError(
            "start needs baseline_date (the projection counts days from the test)",
            where="start",
        )
    first_dose = parse_iso_date(start, where="start")
    if first_dose < baseline:
        raise InputError(
            f"the regimen starts on {first_dose}, before the baseline test on {baseline}",
            where="start",
            hint="a baseline must be measured before the regimen starts; check the two dates",
        )
    offset = (first_dose - baseline).days
    if offset >= horizon_days:
        raise InputError(
            f"the regimen starts {offset} days after the test, beyond days {horizon_days}",
            where="start",
        )
    return offset
