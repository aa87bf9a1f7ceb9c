"""The one JSON contract: response models of every d3k2 result.

``--format json`` of every command, and the HTTP doors, build their JSON here; their
OpenAPI comes from these models. Field names are a public contract: a field is added,
never renamed or removed silently. Every field is always present (``null`` when it does
not apply), so a schema describes every response exactly.

Rounding for display happens here (values are rounded to what is meaningful: 25(OH)D to
0.01 nmol/L, intakes to 0.01 of their unit), never in the core.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict

from d3k2 import __version__
from d3k2.api import Assessment, DosePlanResult, Engine, LabelCheck, ProjectionResult
from d3k2.core.kinetics.dosing import LEVEL_DECIMALS, AssessmentProjection, DoseOption
from d3k2.core.kinetics.projection import Projection, days_to_target
from d3k2.core.lifestyle import LifestyleReport
from d3k2.core.quantities import IU_PER_MCG_VITAMIN_D
from d3k2.core.screening.model import DISCLAIMER, PlanItem, Report, SourceCitation, Trigger
from d3k2.knowledge.schema import Knowledge
from d3k2.reading.diet import DietReading

if TYPE_CHECKING:
    from d3k2.core.sun.model import SunExposureEstimate


class Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --------------------------------------------------------------------------- shared
class Source(Out):
    """A cited source: reference id, citation, link and where in it."""

    id: str
    citation: str
    url: str
    locator: str | None


def source(knowledge: Knowledge, ref: str, locator: str | None = None) -> Source:
    reference = knowledge.references.get(ref)
    return Source(
        id=ref,
        citation=reference.citation if reference else "",
        url=reference.url if reference else "",
        locator=locator,
    )


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


# --------------------------------------------------------------------------- report
class TriggerOut(Out):
    kind: str
    input: str
    matched: str
    code: str | None
    assumption: str | None


class MergedOut(Out):
    """A superseded rule's alert kept inside the one that takes precedence."""

    id: str
    version: int
    severity: Literal["major", "moderate", "minor", "info"]
    title: str
    action: str
    triggers: list[TriggerOut]
    sources: list[Source]


class AlertOut(Out):
    id: str
    version: int
    severity: Literal["major", "moderate", "minor", "info"]
    title: str
    detail: str
    action: str
    triggers: list[TriggerOut]
    """Everything that made it fire, the merged rules' triggers included."""
    assumptions: list[str]
    sources: list[Source]
    merged: list[MergedOut]


class LabOut(Out):
    input: str
    test: str
    name: str
    value: float | None
    unit: str
    value_si: float | None
    unit_si: str
    interpretation: str | None
    category: str | None
    guideline: str
    date: str | None
    qualifier: str | None
    """"<" or ">" (and "≤", "≥") for a censored result ("<10 ng/mL"); null otherwise."""
    note: str | None


class Recommended(Out):
    kind: str
    value: float


class UpperLimitOut(Out):
    value: float
    applies_to: str


class IuView(Out):
    """Vitamin D amounts in IU (40 IU per mcg), for readers who think in IU."""

    supplement_per_day: int | None
    diet_per_day: int | None
    total_per_day: int | None
    upper_limit: int | None


class IntakeOut(Out):
    nutrient: str
    unit: str
    supplement_per_day: float | None
    diet_per_day: float | None
    total_per_day: float | None
    recommended: Recommended | None
    upper_limit: UpperLimitOut | None
    exceeds_upper_limit: bool
    life_stage: str
    current_per_day: float | None
    single_doses: list[float]
    unknown_sources: list[str]
    """Supplements whose amount of this nutrient is unknown: the totals may be higher."""
    iu: IuView | None
    """Vitamin D only."""
    source: Source | None


class SegmentOut(Out):
    nutrient: str
    form: str
    amount_per_dose: float
    unit: str
    stated: str
    interval_days: float | None
    per_day_average: float | None
    start_day: float
    duration_days: float | None
    description: str
    assumptions: list[str]


class PlanItemOut(Out):
    input: str
    segments: list[SegmentOut]


class ScreenedOut(Out):
    kind: str
    input: str
    matched: str
    id: str
    code: str | None
    method: str
    assumption: str | None


class UnrecognizedOut(Out):
    kind: str
    input: str
    reason: str


# --------------------------------------------------------------------------- projection
class Units(Out):
    day: str
    serum_25ohd: str


class Band(Out):
    low_quantile: float
    high_quantile: float


class PointOut(Out):
    day: int
    serum_25ohd_nmol_l: float
    low: float
    high: float


class ProjectionOut(Out):
    """A 25(OH)D trajectory: central line and band per day, steady state, target."""

    model: str
    sources: list[Source]
    cautions: list[str]
    units: Units
    band: Band
    points: list[PointOut]
    steady_state_on_treatment: bool
    steady_state_nmol_l: float
    steady_state_band_nmol_l: list[float]
    maintenance_iu_per_day: float
    regimen_end_day: float | None
    target_nmol_l: float | None
    days_to_target: int | None
    days_to_target_low: int | None
    body_mass_kg: float
    assumptions: list[str]
    regimen: str
    notes: list[str]
    baseline_nmol_l: float
    baseline_date: str | None
    regimen_start_day: int
    disclaimer: str


class SkippedProjection(Out):
    """Why no projection is shown for this person (the rest of the report is complete)."""

    skipped: str


class FoodLineOut(Out):
    input: str
    food_id: str
    food: str
    grams_per_day: float
    how: str
    """How the amount was read (portion, grams, per day or per week)."""
    per_day: dict[str, float | None]
    """Food-table key (unit in the name: calcium_mg, vitamin_d_mcg, vitamin_d2_mcg,
    vitamin_d3_mcg, vitamin_k1_mcg, mk4_mcg, mk7_mcg, vitamin_k_total_mcg, magnesium_mg,
    protein_g) -> amount per day; null = not reported by the source (unknown, not zero)."""
    source: str
    """Reference id and record (e.g. ``usda-sr28 NDB 01009``)."""
    assumptions: list[str]
    range_per_day: dict[str, list[float]] | None = None
    """Questionnaire estimates: food-table key -> [low, high] per day (per_day = the mean)."""


class UnknownFoodOut(Out):
    input: str
    problem: str
    suggestions: list[str]


class DietOut(Out):
    """The foods behind the diet column of ``intake`` (profiles that list foods)."""

    foods: list[FoodLineOut]
    unknown: list[UnknownFoodOut]
    """Entries not matched to the food table: reported, not counted."""
    stated_per_day: dict[str, float]
    """Nutrient totals stated in the profile for food not listed (DRI units)."""
    per_day: dict[str, float]
    """Nutrient id -> diet total per day in the nutrient's DRI unit (= intake.diet_per_day)."""
    protein_g_per_day: float | None
    not_reported: dict[str, list[str]]
    """Nutrient id -> listed foods whose amount the food table does not report."""
    range_per_day: dict[str, list[float]] | None = None
    """With questionnaire answers: nutrient id -> [low, high] per day (per_day is central;
    the intake table and the UL check use the central value)."""
    menaquinones_per_day: dict[str, float] = {}
    """Vitamin K2 from the listed foods that report it: mk4_mcg / mk7_mcg -> mcg per day
    (included in per_day.vitamin_k)."""
    k2_in_total: list[str] = []
    """Foods whose K2 is counted inside a measured total vitamin K (not split into forms)."""
    k2_not_reported: list[str] = []
    """Foods whose menaquinones (K2) the food table does not report, or reports only as MK-4:
    unknown or partly known, not zero, so K2 from food is a lower bound."""


class LifestyleSuggestionOut(Out):
    id: str
    suggestion: str
    why: str
    because: list[str]
    """The answers that led to it."""
    sources: list[Source]


class LifestyleOut(Out):
    """Personalised, sourced suggestions from the profile's ``lifestyle:`` answers."""

    answers: dict[str, float | str]
    suggestions: list[LifestyleSuggestionOut]
    not_answered: list[str]


class AssessmentOut(Out):
    """``d3k2 assess --format json`` and ``POST /api/assess``."""

    d3k2_version: str
    knowledge_version: str
    patient_id: str | None
    guideline: str
    alerts: list[AlertOut]
    labs: list[LabOut]
    intake: list[IntakeOut]
    plan: list[PlanItemOut]
    current_supplements: list[PlanItemOut]
    screened: list[ScreenedOut]
    unrecognized: list[UnrecognizedOut]
    notes: list[str]
    projection: ProjectionOut | SkippedProjection | None
    disclaimer: str
    diet: DietOut | None = None
    """Foods behind the diet totals, when the profile listed foods (added in issue 12)."""
    lifestyle: LifestyleOut | None = None
    """Lifestyle suggestions, when the profile answered the questions (added in issue 12)."""


def lifestyle_out(report: LifestyleReport, knowledge: Knowledge) -> LifestyleOut:
    def source(ref: str, locator: str) -> Source:
        reference = knowledge.references[ref]
        return Source(id=ref, citation=reference.citation, url=reference.url, locator=locator)

    return LifestyleOut(
        answers=dict(report.answers),
        suggestions=[
            LifestyleSuggestionOut(
                id=s.id,
                suggestion=s.suggestion,
                why=s.why,
                because=list(s.because),
                sources=[source(ref, locator) for ref, locator in s.sources],
            )
            for s in report.suggestions
        ],
        not_answered=list(report.not_answered),
    )


def diet_out(diet: DietReading) -> DietOut:
    protein = diet.protein_g_per_day()
    return DietOut(
        foods=[
            FoodLineOut(
                input=line.input,
                food_id=line.food_id,
                food=line.food_name,
                grams_per_day=round(line.grams_per_day, 1),
                how=line.how,
                per_day={
                    key: None if value is None else round(value, 2)
                    for key, value in line.per_day.items()
                },
                source=line.source,
                assumptions=list(line.assumptions),
                range_per_day={
                    k: [round(low, 2), round(high, 2)]
                    for k, (low, high) in line.range_per_day.items()
                }
                or None,
            )
            for line in diet.foods
        ],
        unknown=[
            UnknownFoodOut(input=u.input, problem=u.problem, suggestions=list(u.suggestions))
            for u in diet.unknown
        ],
        stated_per_day={k: round(v, 2) for k, v in diet.stated_per_day.items()},
        per_day={k: round(v, 2) for k, v in diet.per_day().items()},
        protein_g_per_day=None if protein is None else round(protein, 1),
        not_reported={k: list(v) for k, v in diet.unknown_for().items()},
        menaquinones_per_day={k: round(v, 2) for k, v in diet.menaquinones_per_day().items()},
        k2_in_total=list(diet.k2_in_total()),
        k2_not_reported=list(diet.k2_not_reported()),
        range_per_day={
            k: [round(low, 2), round(high, 2)] for k, (low, high) in diet.range_per_day().items()
        }
        or None,
    )


class DietReportOut(Out):
    """``d3k2 diet --format json``: the foods read, and (with age and sex) the report whose
    intake table adds food and planned supplements against RDA/AI/UL."""

    d3k2_version: str
    diet: DietOut | None
    report: AssessmentOut | None
    disclaimer: str


def diet_report_out(diet: DietReading | None, report: Report | None) -> DietReportOut:
    return DietReportOut(
        d3k2_version=__version__,
        diet=None if diet is None else diet_out(diet),
        report=None if report is None else report_out(report),
        disclaimer=DISCLAIMER,
    )


class LabelRowOut(Out):
    name: str
    nutrient: str | None
    form: str | None
    amount: float | None
    unit: str | None
    iu: float | None
    percent_dv: float | None
    percent_dv_text: str | None


class LabelFindingOut(Out):
    check: str
    """vitamin_d_unit | percent_dv | vitamin_k_form | calcium_salt | amount |
    implausible_amount | daily_dose | upper_limit"""
    status: Literal["pass", "problem", "warning", "info"]
    row: str | None
    message: str
    source: str | None


class DailyDoseOut(Out):
    nutrient: str
    unit: str
    per_serving: float
    per_day_max: float | None


class LabelCheckOut(Out):
    """``d3k2 label --format json``."""

    d3k2_version: str
    product: str
    source: str
    serving: str
    servings_per_day: list[float] | None
    directions: str | None
    rows: list[LabelRowOut]
    findings: list[LabelFindingOut]
    daily_doses: list[DailyDoseOut]
    problems: int
    disclaimer: str


def label_check_out(result: LabelCheck) -> LabelCheckOut:
    label = result.label
    return LabelCheckOut(
        d3k2_version=__version__,
        product=label.product,
        source=label.source,
        serving=label.serving,
        servings_per_day=None if label.servings_per_day is None else list(label.servings_per_day),
        directions=label.directions,
        rows=[
            LabelRowOut(
                name=r.name,
                nutrient=r.nutrient,
                form=r.form,
                amount=r.amount,
                unit=r.unit,
                iu=r.iu,
                percent_dv=r.percent_dv,
                percent_dv_text=r.percent_dv_text,
            )
            for r in label.rows
        ],
        findings=[
            LabelFindingOut(
                check=f.check, status=f.status, row=f.row, message=f.message, source=f.source
            )
            for f in result.findings
        ],
        daily_doses=[
            DailyDoseOut(
                nutrient=d.nutrient,
                unit=d.unit,
                per_serving=round(d.per_serving, 3),
                per_day_max=None if d.per_day_max is None else round(d.per_day_max, 3),
            )
            for d in result.doses
        ],
        problems=sum(1 for f in result.findings if f.status == "problem"),
        disclaimer=DISCLAIMER,
    )


def _plan_item(item: PlanItem) -> PlanItemOut:
    return PlanItemOut(
        input=item.input,
        segments=[
            SegmentOut(
                nutrient=s.nutrient,
                form=s.form,
                amount_per_dose=s.amount_per_dose,
                unit=s.unit,
                stated=s.stated,
                interval_days=s.interval_days,
                per_day_average=_round(s.per_day_average, 3),
                start_day=s.start_day,
                duration_days=s.duration_days,
                description=s.describe(),
                assumptions=list(s.assumptions),
            )
            for s in item.regimen.segments
        ],
    )


def _iu(mcg: float | None) -> int | None:
    return None if mcg is None else round(mcg * IU_PER_MCG_VITAMIN_D)


def _trigger(t: Trigger) -> TriggerOut:
    return TriggerOut(
        kind=t.kind, input=t.input, matched=t.matched, code=t.code, assumption=t.assumption
    )


def _citation(s: SourceCitation) -> Source:
    return Source(id=s.id, citation=s.citation, url=s.url, locator=s.locator)


def report_out(report: Report, patient_id: str | None = None) -> AssessmentOut:
    """The screening report (no projection section)."""
    return AssessmentOut(
        d3k2_version=report.d3k2_version,
        knowledge_version=report.knowledge_version,
        patient_id=patient_id,
        guideline=report.guideline,
        alerts=[
            AlertOut(
                id=a.id,
                version=a.version,
                severity=a.severity,
                title=a.title,
                detail=a.detail,
                action=a.action,
                triggers=[_trigger(t) for t in a.triggers],
                assumptions=list(a.assumptions),
                sources=[_citation(s) for s in a.sources],
                merged=[
                    MergedOut(
                        id=m.id,
                        version=m.version,
                        severity=m.severity,
                        title=m.title,
                        action=m.action,
                        triggers=[_trigger(t) for t in m.triggers],
                        sources=[_citation(s) for s in m.sources],
                    )
                    for m in a.merged
                ],
            )
            for a in report.alerts
        ],
        labs=[
            LabOut(
                input=lab.input,
                test=lab.test,
                name=lab.name,
                value=_round(lab.value, 3),
                unit=lab.unit,
                value_si=_round(lab.value_si),
                unit_si=lab.unit_si,
                interpretation=lab.interpretation,
                category=lab.category,
                guideline=lab.guideline,
                date=lab.date,
                qualifier=lab.qualifier,
                note=lab.note,
            )
            for lab in report.labs
        ],
        intake=[
            IntakeOut(
                nutrient=row.nutrient,
                unit=row.unit,
                supplement_per_day=_round(row.supplement_per_day),
                diet_per_day=_round(row.diet_per_day),
                total_per_day=_round(row.total_per_day),
                recommended=Recommended(kind=row.recommended.kind, value=row.recommended.value)
                if row.recommended
                else None,
                upper_limit=UpperLimitOut(
                    value=row.upper_limit.value, applies_to=row.upper_limit.applies_to
                )
                if row.upper_limit
                else None,
                exceeds_upper_limit=row.exceeds_upper_limit,
                life_stage=row.life_stage,
                current_per_day=_round(row.current_per_day),
                single_doses=list(row.single_doses),
                unknown_sources=list(row.unknown_sources),
                iu=IuView(
                    supplement_per_day=_iu(row.supplement_per_day),
                    diet_per_day=_iu(row.diet_per_day),
                    total_per_day=_iu(row.total_per_day),
                    upper_limit=_iu(row.upper_limit.value if row.upper_limit else None),
                )
                if row.nutrient == "vitamin_d"
                else None,
                source=_citation(row.source) if row.source else None,
            )
            for row in report.intake
        ],
        plan=[_plan_item(item) for item in report.plan],
        current_supplements=[_plan_item(item) for item in report.current_supplements],
        screened=[
            ScreenedOut(
                kind=t.kind,
                input=t.input,
                matched=t.name,
                id=t.id,
                code=t.code,
                method=t.method,
                assumption=t.assumption,
            )
            for t in report.screened
        ],
        unrecognized=[
            UnrecognizedOut(kind=u.kind, input=u.input, reason=u.reason)
            for u in report.unrecognized
        ],
        notes=list(report.notes),
        projection=None,
        disclaimer=report.disclaimer,
    )


def projection_out(
    projection: Projection,
    knowledge: Knowledge,
    *,
    target_nmol_l: float | None,
    cautions: tuple[str, ...],
    regimen: str,
    notes: tuple[str, ...],
    baseline_nmol_l: float,
    baseline_date: str | None,
    regimen_start_day: int,
    regimen_end_day: float | None,
) -> ProjectionOut:
    """A projection; ``regimen_end_day`` counts from day 0 (the test)."""
    return ProjectionOut(
        model=projection.model,
        sources=[source(knowledge, ref) for ref in projection.sources],
        cautions=list(cautions),
        units=Units(day="days since the baseline blood test", serum_25ohd="nmol/L"),
        band=Band(
            low_quantile=projection.band_quantile,
            high_quantile=round(1 - projection.band_quantile, 6),
        ),
        points=[
            PointOut(
                day=point.day,
                serum_25ohd_nmol_l=round(point.serum_25ohd_nmol_l, 2),
                low=round(point.low, 2),
                high=round(point.high, 2),
            )
            for point in projection.points
        ],
        steady_state_on_treatment=projection.steady_state_on_treatment,
        steady_state_nmol_l=round(projection.steady_state_nmol_l, 2),
        steady_state_band_nmol_l=[
            round(projection.steady_state_low_nmol_l, 2),
            round(projection.steady_state_high_nmol_l, 2),
        ],
        maintenance_iu_per_day=round(projection.maintenance_iu_per_day, 1),
        regimen_end_day=_round(regimen_end_day),
        target_nmol_l=_round(target_nmol_l),
        days_to_target=None if target_nmol_l is None else days_to_target(projection, target_nmol_l),
        days_to_target_low=None
        if target_nmol_l is None
        else days_to_target(projection, target_nmol_l, bound="low"),
        body_mass_kg=round(projection.body_mass_kg, 1),
        assumptions=list(projection.assumptions),
        regimen=regimen,
        notes=list(notes),
        baseline_nmol_l=round(baseline_nmol_l, 2),
        baseline_date=baseline_date,
        regimen_start_day=regimen_start_day,
        disclaimer=DISCLAIMER,
    )


def assessment_projection_out(
    section: AssessmentProjection, knowledge: Knowledge
) -> ProjectionOut | SkippedProjection:
    if section.skipped is not None or section.projection is None or section.baseline_nmol_l is None:
        return SkippedProjection(skipped=section.skipped or "no projection")
    end = section.regimen_end_day
    return projection_out(
        section.projection,
        knowledge,
        target_nmol_l=section.target_nmol_l,
        cautions=section.cautions,
        regimen=section.regimen_text,
        notes=section.notes,
        baseline_nmol_l=section.baseline_nmol_l,
        baseline_date=None if section.baseline_date is None else section.baseline_date.isoformat(),
        regimen_start_day=section.regimen_start_day,
        regimen_end_day=None if end is None else section.regimen_start_day + end,
    )


def assessment_out(assessment: Assessment, engine: Engine) -> AssessmentOut:
    """The full report of :meth:`d3k2.api.Engine.assess`."""
    out = report_out(assessment.report, assessment.patient_id)
    if assessment.diet is not None:
        out = out.model_copy(update={"diet": diet_out(assessment.diet)})
    if assessment.lifestyle is not None:
        update = {"lifestyle": lifestyle_out(assessment.lifestyle, engine.knowledge)}
        out = out.model_copy(update=update)
    if assessment.projection is None:
        return out
    return out.model_copy(
        update={"projection": assessment_projection_out(assessment.projection, engine.knowledge)}
    )


def project_out(result: ProjectionResult, engine: Engine) -> ProjectionOut:
    """``d3k2 project --format json`` and ``POST /api/project``."""
    return projection_out(
        result.projection,
        engine.knowledge,
        target_nmol_l=result.target_nmol_l,
        cautions=result.cautions,
        regimen=result.regimen_text,
        notes=result.notes,
        baseline_nmol_l=result.baseline_nmol_l,
        baseline_date=None if result.baseline_date is None else result.baseline_date.isoformat(),
        regimen_start_day=result.regimen_start_day,
        regimen_end_day=result.regimen_end_day,
    )


# --------------------------------------------------------------------------- dose plan
class BlockedBy(Out):
    rule: str
    title: str
    severity: str


class DoseOptionOut(Out):
    product: str
    regimen: str
    dose_iu: float
    interval_days: float
    iu_per_day: float
    above_upper_limit: bool
    reaches_target: bool
    trough_low_nmol_l: float
    trough_central_nmol_l: float
    steady_state_nmol_l: float
    steady_state_high_nmol_l: float
    days_to_target_low: int | None
    days_to_target_central: int | None
    share_reaching_target: float
    """Rounded down to 0.001."""
    acceptable: bool
    not_acceptable_because: list[BlockedBy]


class MonitoringOut(Out):
    tests: list[str]
    after_days: int
    why: str
    sources: list[Source]


class DosePlanOut(Out):
    """``d3k2 plan-dose --format json`` and ``POST /api/plan-dose``."""

    baseline_nmol_l: float
    target_nmol_l: float
    quantile: float
    reaches_for_share_of_people: float
    upper_limit_iu_per_day: float
    upper_limit_source: str
    supervised: bool
    cautions: list[str]
    already_at_target: bool
    recommended: DoseOptionOut | None
    closest: DoseOptionOut | None
    considered: list[DoseOptionOut]
    monitoring: list[MonitoringOut]
    messages: list[str]
    assumptions: list[str]
    model: str | None
    sources: list[Source]
    disclaimer: str


def _option(option: DoseOption | None) -> DoseOptionOut | None:
    if option is None:
        return None
    return DoseOptionOut(
        product=option.product.id,
        regimen=option.product.describe(),
        dose_iu=option.product.amount_iu,
        interval_days=option.product.interval_days,
        iu_per_day=round(option.iu_per_day, 1),
        above_upper_limit=option.above_upper_limit,
        reaches_target=option.reaches_target,
        trough_low_nmol_l=round(option.trough_low_nmol_l, LEVEL_DECIMALS),
        trough_central_nmol_l=round(option.trough_central_nmol_l, 1),
        steady_state_nmol_l=round(option.steady_state_nmol_l, 1),
        steady_state_high_nmol_l=round(option.steady_state_high_nmol_l, 1),
        days_to_target_low=option.days_to_target_low,
        days_to_target_central=option.days_to_target_central,
        share_reaching_target=math.floor(option.share_reaching_target * 1000 + 1e-6) / 1000,
        acceptable=option.acceptable,
        not_acceptable_because=[
            BlockedBy(rule=alert.rule_id, title=alert.title, severity=alert.severity)
            for alert in option.blocked_by
        ],
    )


def plan_out(result: DosePlanResult, engine: Engine) -> DosePlanOut:
    plan = result.plan
    knowledge = engine.knowledge
    return DosePlanOut(
        baseline_nmol_l=round(plan.baseline_nmol_l, 2),
        target_nmol_l=round(plan.target_nmol_l, 2),
        quantile=plan.quantile,
        reaches_for_share_of_people=round(1 - plan.quantile, 3),
        upper_limit_iu_per_day=plan.upper_limit_iu_per_day,
        upper_limit_source=result.upper_limit_note,
        supervised=plan.supervised,
        cautions=list(plan.cautions),
        already_at_target=plan.already_at_target,
        recommended=_option(plan.recommended),
        closest=_option(plan.closest),
        considered=[o for o in (_option(c) for c in plan.considered) if o is not None],
        monitoring=[
            MonitoringOut(
                tests=list(step.tests),
                after_days=step.after_days,
                why=step.why,
                sources=[source(knowledge, ref) for ref in step.sources],
            )
            for step in plan.monitoring
        ],
        messages=list(plan.messages),
        assumptions=list(plan.assumptions),
        model=plan.projection.model if plan.projection else None,
        sources=[source(knowledge, ref) for ref in result.sources],
        disclaimer=DISCLAIMER,
    )


# --------------------------------------------------------------------------- sun
class SunWarningOut(Out):
    code: str
    severity: str
    message: str


class OralEquivalentOut(Out):
    low: int
    central: int
    high: int


class SunOut(Out):
    """``d3k2 sun --format json`` and ``GET /api/sun``."""

    time_utc: str
    latitude_deg: float
    longitude_deg: float
    solar_zenith_deg: float
    uv_index: float
    uv_index_source: str
    uv_index_ignored: float | None
    ozone_du: float | None
    skin_type: str
    med_j_m2: float
    exposed_percent: float
    minutes: float
    minutes_counted: float
    erythemal_irradiance_w_m2: float
    erythemal_dose_j_m2: float
    fraction_of_med: float
    minutes_to_med: float | None
    daylight_minutes_left: int | None
    noon_solar_zenith_deg: float
    vitamin_d_winter: bool
    midnight_sun: bool
    low_sun_all_day: bool
    vitamin_d_to_erythema_ratio: float
    vitamin_d_weighted_dose_j_m2: float
    altitude_m: float
    cloud_modification_factor: float | None
    earth_sun_distance_factor: float
    vitamin_d_weighted_irradiance_w_m2: float
    standard_vitamin_d_dose_j_m2: float
    noon_minutes_to_standard_vitamin_d_dose: float | None
    oral_equivalent_iu: OralEquivalentOut
    little_or_no_vitamin_d: bool
    warnings: list[SunWarningOut]
    assumptions: list[str]
    sources: list[Source]
    disclaimer: str


def sun_out(e: SunExposureEstimate, engine: Engine) -> SunOut:
    return SunOut(
        time_utc=e.when_utc.isoformat(),
        latitude_deg=e.latitude_deg,
        longitude_deg=e.longitude_deg,
        solar_zenith_deg=round(e.solar_zenith_deg, 2),
        uv_index=round(e.uv_index, 2),
        uv_index_source=e.uv_index_source,
        uv_index_ignored=e.uv_index_ignored,
        ozone_du=e.ozone_du,
        skin_type=e.skin_type,
        med_j_m2=e.med_j_m2,
        exposed_percent=e.exposed_percent,
        minutes=e.minutes,
        minutes_counted=e.minutes if e.minutes_counted is None else e.minutes_counted,
        erythemal_irradiance_w_m2=round(e.erythemal_irradiance_w_m2, 4),
        erythemal_dose_j_m2=round(e.erythemal_dose_j_m2, 1),
        fraction_of_med=round(e.fraction_of_med, 3),
        minutes_to_med=_round(e.minutes_to_med, 1),
        daylight_minutes_left=None
        if e.daylight_minutes_left is None
        else round(e.daylight_minutes_left),
        noon_solar_zenith_deg=round(e.noon_solar_zenith_deg, 2),
        vitamin_d_winter=e.vitamin_d_winter,
        midnight_sun=e.midnight_sun,
        low_sun_all_day=e.low_sun_all_day,
        vitamin_d_to_erythema_ratio=round(e.vitamin_d_to_erythema_ratio, 3),
        vitamin_d_weighted_dose_j_m2=round(e.vitamin_d_weighted_dose_j_m2, 1),
        altitude_m=e.altitude_m,
        cloud_modification_factor=e.cloud_modification_factor,
        earth_sun_distance_factor=round(e.earth_sun_distance_factor, 4),
        vitamin_d_weighted_irradiance_w_m2=round(e.vitamin_d_weighted_irradiance_w_m2, 5),
        standard_vitamin_d_dose_j_m2=round(e.standard_vitamin_d_dose_j_m2, 1),
        noon_minutes_to_standard_vitamin_d_dose=_round(
            e.noon_minutes_to_standard_vitamin_d_dose, 1
        ),
        oral_equivalent_iu=OralEquivalentOut(
            low=round(e.oral_equivalent_iu.low),
            central=round(e.oral_equivalent_iu.central),
            high=round(e.oral_equivalent_iu.high),
        ),
        little_or_no_vitamin_d=e.little_or_no_vitamin_d,
        warnings=[
            SunWarningOut(code=w.code, severity=w.severity, message=w.message) for w in e.warnings
        ],
        assumptions=list(e.assumptions),
        sources=[source(engine.knowledge, s.ref, s.locator) for s in e.sources],
        disclaimer=DISCLAIMER,
    )


# --------------------------------------------------------------------------- knowledge
class VersionOut(Out):
    d3k2_version: str
    knowledge_version: str


def version_out(knowledge_version: str) -> VersionOut:
    return VersionOut(d3k2_version=__version__, knowledge_version=knowledge_version)


def to_json(model: BaseModel | list[Any]) -> str:
    """The JSON text of a response (indented, UTF-8, strict: no NaN or Infinity)."""
    data = (
        [
            item.model_dump(mode="json", by_alias=True) if isinstance(item, BaseModel) else item
            for item in model
        ]
        if isinstance(model, list)
        else model.model_dump(mode="json", by_alias=True)
    )
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
