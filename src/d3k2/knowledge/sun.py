"""Parameters of the sun-exposure estimate, loaded from ``data/tables/sun.yaml``.

The pydantic models below say what shape the file must have;
:func:`load_sun_parameters_from` (called once by :mod:`d3k2.knowledge.base`) reads it (safe
YAML load), validates it and checks that every cited reference exists in
``data/references/*.yaml``. This module does file I/O: the pure core only receives the
validated :class:`SunParameters`.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from d3k2.errors import KnowledgeError
from d3k2.knowledge.loader import read_table, reference_ids
from d3k2.knowledge.schema import SourceRef, Strict

SUN_TABLE_PATH = Path(__file__).parent / "data" / "tables" / "sun.yaml"
REFERENCES_DIR = Path(__file__).parent / "data" / "references"

SkinType = Literal["I", "II", "III", "IV", "V", "VI"]
SKIN_TYPES: tuple[SkinType, ...] = ("I", "II", "III", "IV", "V", "VI")


class Cited(Strict):
    sources: list[SourceRef] = Field(min_length=1)
    note: str | None = None


class UvIndexDefinition(Cited):
    erythemal_irradiance_w_m2_per_uv_index: float = Field(gt=0)
    """Erythemally weighted irradiance of one UV-index unit. [W/m2]"""
    protection_advised_from_uv_index: float = Field(gt=0)


class ClearSkyUvIndexModel(Cited):
    """Coefficients of Madronich's analytic clear-sky UV index."""

    model: Literal["madronich2007"]
    coefficient: float = Field(gt=0)
    cos_zenith_exponent: float = Field(gt=0)
    ozone_reference_du: float = Field(gt=0)
    ozone_exponent: float = Field(lt=0)
    default_ozone_du: float = Field(gt=0)


class SkinTypeMed(Strict):
    skin_type: SkinType
    med_j_m2: float = Field(gt=0)
    """Minimal erythema dose, erythemally weighted. [J/m2]"""
    description: str = Field(min_length=3)


class MinimalErythemaDoses(Cited):
    skin_types: list[SkinTypeMed] = Field(min_length=1)

    @model_validator(mode="after")
    def _each_type_once(self) -> MinimalErythemaDoses:
        seen = [row.skin_type for row in self.skin_types]
        if sorted(seen) != sorted(set(seen)):
            raise ValueError("each skin type may appear only once")
        return self

    def med_j_m2(self, skin_type: str) -> float | None:
        for row in self.skin_types:
            if row.skin_type == skin_type:
                return row.med_j_m2
        return None


class RatioPoint(Strict):
    solar_zenith_deg: float = Field(ge=0, lt=90)
    ratio: float = Field(gt=0)
    """Vitamin D over erythemal weighted irradiance at ``ozone_reference_du``."""
    ratio_low: float = Field(gt=0)
    ratio_high: float = Field(gt=0)
    ozone_exponent: float = Field(le=0)
    """d ln(ratio) / d ln(ozone): vitamin D-weighted UV falls faster with ozone."""
    months: int = Field(ge=1)
    """Station months behind the point (provenance of the fit)."""

    @model_validator(mode="after")
    def _ordered(self) -> RatioPoint:
        if not self.ratio_low <= self.ratio <= self.ratio_high:
            raise ValueError("need ratio_low <= ratio <= ratio_high")
        return self


class VitaminDToErythemaRatio(Cited):
    """CIE 174 (previtamin D3) weighted over CIE erythemal dose, by zenith angle and ozone."""

    ozone_reference_du: float = Field(gt=0)
    derivation: str = Field(min_length=20)
    points: list[RatioPoint] = Field(min_length=2)

    @model_validator(mode="after")
    def _increasing_zenith(self) -> VitaminDToErythemaRatio:
        angles = [p.solar_zenith_deg for p in self.points]
        if any(b <= a for a, b in pairwise(angles)):
            raise ValueError("points must be in strictly increasing solar_zenith_deg")
        return self


class OralEquivalent(Cited):
    reference_oral_iu: float = Field(gt=0)
    reference_fraction_of_med: float = Field(gt=0, le=1)
    reference_exposed_fraction: float = Field(gt=0, le=1)
    reference_solar_zenith_deg: float = Field(ge=0, lt=90)
    reference_ozone_du: float = Field(gt=0)
    whole_body_one_med_iu_low: float = Field(gt=0)
    whole_body_one_med_iu_high: float = Field(gt=0)
    max_counted_fraction_of_med: float = Field(gt=0)

    @model_validator(mode="after")
    def _range_ordered(self) -> OralEquivalent:
        if self.whole_body_one_med_iu_low > self.whole_body_one_med_iu_high:
            raise ValueError("whole_body_one_med_iu_low must not exceed ..._high")
        return self


class BurnWarning(Cited):
    """When a burn warning is worth showing (see ``d3k2.core.sun.burn_outlook``)."""

    low_uv_index_below: float = Field(gt=0)
    """Below this UV index the WHO band is "low": protection not usually needed."""
    warn_from_fraction_of_med: float = Field(gt=0, le=1)
    """A plan reaching this share of one MED always gets the burn-time warning."""


class EarthSunDistance(Cited):
    """How the clear-sky UV index follows the Earth-Sun distance."""

    model: Literal["spencer1971"]


class Altitude(Cited):
    """Clear-sky UV increase with the height of the ground above sea level."""

    increase_per_km: float = Field(ge=0, lt=1)
    """Fractional increase of the UV index per km of altitude. [1/km]"""


class Cloud(Cited):
    """Bounds of a cloud modification factor (all-sky over clear-sky UV)."""

    max_cloud_modification_factor: float = Field(ge=1)


class VitaminDWinter(Cited):
    """The season in which even clear-sky noon sun gives too little vitamin D in time."""

    practical_minutes_at_noon: float = Field(gt=0, le=24 * 60)
    """Longer than this for the Standard Vitamin D Dose at clear-sky noon: winter. [min]"""
    exposed_percent_assumed: float = Field(gt=0, le=100)
    """Skin uncovered for the winter test (hands, face, arms). [%]"""
    derivation: str = Field(min_length=20)


class SunParameters(Strict):
    """Everything ``tables/sun.yaml`` holds, validated."""

    schema_version: Literal[1]
    uv_index: UvIndexDefinition
    clear_sky_uv_index: ClearSkyUvIndexModel
    minimal_erythema_dose: MinimalErythemaDoses
    vitamin_d_to_erythema_ratio: VitaminDToErythemaRatio
    oral_equivalent: OralEquivalent
    burn_warning: BurnWarning
    vitamin_d_winter: VitaminDWinter
    earth_sun_distance: EarthSunDistance
    altitude: Altitude
    cloud: Cloud

    def cited_sections(self) -> dict[str, Cited]:
        return {
            "uv_index": self.uv_index,
            "clear_sky_uv_index": self.clear_sky_uv_index,
            "minimal_erythema_dose": self.minimal_erythema_dose,
            "vitamin_d_to_erythema_ratio": self.vitamin_d_to_erythema_ratio,
            "oral_equivalent": self.oral_equivalent,
            "burn_warning": self.burn_warning,
            "vitamin_d_winter": self.vitamin_d_winter,
            "earth_sun_distance": self.earth_sun_distance,
            "altitude": self.altitude,
            "cloud": self.cloud,
        }


def parse_sun_parameters(data: Any, *, name: str = "tables/sun.yaml") -> SunParameters:
    """Validate already-loaded data; raise KnowledgeError listing every problem."""
    try:
        return SunParameters.model_validate(data)
    except ValidationError as error:
        problems = [
            f"{name} ({'.'.join(str(p) for p in item['loc'])}): {item['msg']}"
            for item in error.errors()
        ]
        raise KnowledgeError(problems) from None


def load_sun_parameters_from(
    path: Path = SUN_TABLE_PATH, references_dir: Path = REFERENCES_DIR
) -> SunParameters:
    """Read and validate a sun table, checking its citations against the bibliography."""
    parameters = parse_sun_parameters(read_table(path), name=str(path))
    known = reference_ids(references_dir)
    missing = [
        f"{path} ({section}): cites unknown reference {source.ref!r}"
        for section, cited in parameters.cited_sections().items()
        for source in cited.sources
        if source.ref not in known
    ]
    if missing:
        raise KnowledgeError(missing)
    return parameters
