"""Load the projection model's parameters and the vitamin D3 product strengths.

Files: ``data/tables/projection.yaml`` and ``data/tables/products.yaml`` (each explains its
own format in its header). Both are read with ruamel.yaml's safe loader and validated by
the pydantic models below; every reference they cite must exist in ``data/references``.
The engine (:mod:`d3k2.api`) turns the validated tables into the plain dataclasses of
:mod:`d3k2.core.kinetics.projection` and :mod:`d3k2.core.kinetics.dosing`, so the core
never sees a file and this package never imports the core.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from d3k2.errors import KnowledgeError
from d3k2.knowledge.loader import read_table, reference_ids, unknown_citations, validate_table
from d3k2.knowledge.schema import SourceRef

TABLES_DIR = Path(__file__).parent / "data" / "tables"
REFERENCES_DIR = Path(__file__).parent / "data" / "references"
PROJECTION_FILE = "projection.yaml"
PRODUCTS_FILE = "products.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class ParameterValue(_Strict):
    """One model parameter with its unit, provenance and sources."""

    value: float
    unit: str = Field(min_length=1)
    how: Literal["literature", "fitted", "convention"]
    prior: float | None = None
    sources: list[SourceRef] = []
    note: str | None = None

    @model_validator(mode="after")
    def _provenance(self) -> ParameterValue:
        if self.how != "convention" and not self.sources:
            raise ValueError(f"a {self.how} parameter needs at least one source")
        if self.how == "convention" and not self.note:
            raise ValueError("a convention needs a note saying why")
        if self.how == "fitted" and self.prior is None:
            raise ValueError("a fitted parameter needs the literature prior it was pulled to")
        return self


class ParameterSet(_Strict):
    half_life_25ohd_days: ParameterValue
    half_life_vitamin_d3_pool_days: ParameterValue
    saturable_capacity_nmol_l: ParameterValue
    saturable_half_intake_iu_per_kg_day: ParameterValue
    linear_slope_nmol_l_per_iu_per_kg_day: ParameterValue
    induction_threshold_nmol_l: ParameterValue
    induction_scale_nmol_l: ParameterValue
    induction_half_time_days: ParameterValue
    reference_body_mass_kg: ParameterValue
    reference_height_m: ParameterValue
    body_mass_exponent: ParameterValue
    response_cv: ParameterValue
    within_person_cv: ParameterValue
    seasonal_relative_amplitude: ParameterValue
    seasonal_peak_day_of_year_north: ParameterValue
    time_step_days: ParameterValue
    band_quantile: ParameterValue
    minimum_age_years: ParameterValue
    adult_age_years: ParameterValue

    @model_validator(mode="after")
    def _ranges(self) -> ParameterSet:
        positive = [
            "half_life_25ohd_days",
            "half_life_vitamin_d3_pool_days",
            "saturable_capacity_nmol_l",
            "saturable_half_intake_iu_per_kg_day",
            "linear_slope_nmol_l_per_iu_per_kg_day",
            "induction_threshold_nmol_l",
            "induction_scale_nmol_l",
            "induction_half_time_days",
            "reference_body_mass_kg",
            "reference_height_m",
            "response_cv",
            "within_person_cv",
        ]
        for name in positive:
            if getattr(self, name).value <= 0:
                raise ValueError(f"{name} must be positive")
        if not 0 <= self.minimum_age_years.value < self.adult_age_years.value:
            raise ValueError("minimum_age_years must be at least 0 and below adult_age_years")
        if not 0 < self.band_quantile.value < 0.5:
            raise ValueError("band_quantile must be between 0 and 0.5")
        if not 0 <= self.seasonal_relative_amplitude.value < 1:
            raise ValueError("seasonal_relative_amplitude must be in [0, 1)")
        step = self.time_step_days.value
        if not 0 < step <= 1 or abs(1 / step - round(1 / step)) > 1e-9:
            raise ValueError("time_step_days must divide one day (1, 0.5, 0.25, ...)")
        return self


class GuidelineLineEntry(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.\-]*$")
    label: str = Field(min_length=3)
    serum_25ohd_nmol_l: float = Field(gt=0)
    sources: list[SourceRef] = Field(min_length=1)


class MonitoringEntry(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.\-]*$")
    tests: list[str] = Field(min_length=1)
    after_days: int = Field(gt=0)
    why: str = Field(min_length=10)
    sources: list[SourceRef] = Field(min_length=1)
    note: str | None = None


class Planning(_Strict):
    quantile: float = Field(gt=0, lt=0.5)
    horizon_days: int = Field(ge=90, le=3650)
    note: str | None = None


class BaselineResult(_Strict):
    """How old a baseline result may be before the projection warns [days]."""

    max_age_days: int = Field(ge=30, le=3650)
    how: Literal["literature", "convention"]
    sources: list[SourceRef] = []
    note: str = Field(min_length=10)


class NotDescribedEntry(_Strict):
    """A group the model does not describe: people with any of ``medication_classes`` or
    ``condition_classes`` (vocabulary classes), or pregnant or lactating (``pregnancy``)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.\-]*$")
    label: str = Field(min_length=3)
    medication_classes: list[str] = []
    condition_classes: list[str] = []
    pregnancy: bool = False
    reason: str = Field(min_length=10)
    sources: list[SourceRef] = Field(min_length=1)

    @model_validator(mode="after")
    def _names_someone(self) -> NotDescribedEntry:
        if not (self.medication_classes or self.condition_classes or self.pregnancy):
            raise ValueError("name medication_classes, condition_classes or pregnancy")
        return self


class ProjectionTable(_Strict):
    """``tables/projection.yaml``."""

    schema_version: Literal[1]
    model: str
    version: int
    parameters: ParameterSet
    guideline_lines: list[GuidelineLineEntry] = Field(min_length=1)
    monitoring: list[MonitoringEntry] = Field(min_length=1)
    planning: Planning
    baseline_result: BaselineResult
    """The engine checks that ``model`` and ``version`` are the ones its code implements."""
    not_described: list[NotDescribedEntry] = []


class ProductEntry(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.\-]*$")
    name: str = Field(min_length=3)
    ingredient: Literal["cholecalciferol"]
    amount_iu: float = Field(gt=0)
    schedules: list[Literal["daily", "weekly", "every 2 weeks", "monthly"]] = Field(min_length=1)
    sources: list[SourceRef] = Field(min_length=1)
    note: str | None = None


class ProductTable(_Strict):
    """``tables/products.yaml``."""

    products: list[ProductEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> ProductTable:
        ids = [p.id for p in self.products]
        if len(ids) != len(set(ids)):
            raise ValueError("product ids must be unique")
        return self


SCHEDULE_INTERVAL_DAYS: dict[str, float] = {
    "daily": 1.0,
    "weekly": 7.0,
    "every 2 weeks": 14.0,
    "monthly": 30.0,
}
"""Days between doses of each schedule (a month is 30 days, as in d3k2.core.regimen)."""


def load_projection_table(
    tables_dir: Path = TABLES_DIR, references_dir: Path = REFERENCES_DIR
) -> ProjectionTable:
    """Read and validate ``projection.yaml``; every cited reference must exist."""
    path = tables_dir / PROJECTION_FILE
    table: ProjectionTable = validate_table(ProjectionTable, read_table(path), path)
    known = reference_ids(references_dir)
    problems: list[str] = []
    for name in ParameterSet.model_fields:
        value: ParameterValue = getattr(table.parameters, name)
        problems += unknown_citations(value.sources, known, f"{path.name} parameters.{name}")
    for line in table.guideline_lines:
        problems += unknown_citations(line.sources, known, f"{path.name} {line.id}")
    for step in table.monitoring:
        problems += unknown_citations(step.sources, known, f"{path.name} {step.id}")
    problems += unknown_citations(
        table.baseline_result.sources, known, f"{path.name} baseline_result"
    )
    if problems:
        raise KnowledgeError(problems)
    return table


def load_product_table(
    tables_dir: Path = TABLES_DIR, references_dir: Path = REFERENCES_DIR
) -> ProductTable:
    """Read and validate ``products.yaml``; every cited reference must exist."""
    path = tables_dir / PRODUCTS_FILE
    table: ProductTable = validate_table(ProductTable, read_table(path), path)
    known = reference_ids(references_dir)
    problems: list[str] = []
    for product in table.products:
        problems += unknown_citations(product.sources, known, f"{path.name} {product.id}")
    if problems:
        raise KnowledgeError(problems)
    return table
