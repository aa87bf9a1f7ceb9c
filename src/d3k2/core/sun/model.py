"""Safe sun, without burning: UV index, burn time and the vitamin D a sun exposure gives.

Pure model (no file, network, clock or environment access). The caller passes the moment
of exposure as an aware UTC datetime and the validated parameters of
``knowledge/data/tables/sun.yaml`` (:class:`d3k2.knowledge.sun.SunParameters`).

Chain of the estimate, each step in its own function:

1. solar zenith angle from date, time and place (pvlib, NREL SPA);
2. UV index: as given, or Madronich's clear-sky formula from zenith angle and ozone,
   scaled for the Earth-Sun distance (Spencer 1971), the altitude and, when given, a cloud
   modification factor; with the sun below the horizon it is 0 (a given UV index is then
   ignored, and a warning says so);
3. erythemally weighted irradiance = UVI x 0.025 W/m2 (WHO UV-index definition);
4. minutes to one minimal erythema dose (MED) for the Fitzpatrick skin type;
5. vitamin D-weighted (CIE 174:2006) dose = erythemal dose x a ratio that depends on the
   zenith angle and the ozone column (fitted by d3k2 to DSA measurements, Norway);
6. oral-equivalent IU after Webb & Engelsen's Standard Vitamin D Dose, with the
   10,000-25,000 IU per whole-body MED range (Holick) as the uncertainty;
7. "vitamin D winter": a day on which even the clear-sky *noon* sun would need longer
   than a practical time to give Webb & Engelsen's Standard Vitamin D Dose on hands, face
   and arms, computed from the vitamin D-weighted irradiance itself (sun height, ozone,
   Earth-Sun distance, altitude). Under the midnight sun the same is not called winter:
   the sun stays low and little vitamin D is made. On other days the dose is computed
   from the actual UV at any hour and a small dose is said to be small;
8. burn warnings only where a burn can come: not when the UV index is "low" (WHO) and the
   plan is far from one MED, nor when one MED would take longer than the daylight left.

Every clinical or empirical number comes from the parameters; only physical constants
(seconds per minute, degrees of longitude per minute of time) are named here.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal

from d3k2.errors import InputError

if TYPE_CHECKING:
    from d3k2.knowledge.schema import SourceRef
    from d3k2.knowledge.sun import SunParameters

SECONDS_PER_MINUTE: Final = 60.0
MINUTES_OF_TIME_PER_DEGREE_LONGITUDE: Final = 4.0
"""The Earth turns 360 degrees in 1440 minutes of mean solar time."""
HORIZON_ZENITH_DEG: Final = 90.0
"""Geometric horizon: at or beyond it the sun is down and direct UV is zero."""
DAYLIGHT_SEARCH_MINUTES: Final = 24 * 60
MAX_EXPOSURE_MINUTES: Final = 24 * 60

# Input guards (typing slips, not clinical limits; no model result reads them).
EARLIEST_DATE: Final = dt.date(1900, 1, 1)
LATEST_DATE: Final = dt.date(2100, 12, 31)
"""Dates the sun model is used for: pvlib's SPA runs on pandas timestamps (years
1677-2262 only) with a present-era Delta T; nobody plans sun exposure outside these."""
MAX_UV_INDEX: Final = 45.0
"""The highest UV index measured at the ground is about 43 (Licancabur, Bolivian Andes,
2003; Cabrol et al., Front Environ Sci 2014; 2: 19); a larger value is a typing slip."""
PLAUSIBLE_OZONE_DU: Final = (50.0, 1000.0)
"""Total ozone columns far outside any measured on Earth (a few hundred DU; the deepest
Antarctic ozone hole stays above 50 DU) would extrapolate Madronich's formula without
meaning."""
ALTITUDE_RANGE_M: Final = (-500.0, 6000.0)
"""Ground heights the altitude factor is used for: the shores of the Dead Sea (about
-430 m) to 6 km, the top of the range of Engelsen's FastRT model. [m]"""

UvIndexSource = Literal["given", "clear-sky"]
Severity = Literal["danger", "caution", "info"]


# --------------------------------------------------------------------------- geometry
def solar_zenith_deg(when_utc: dt.datetime, latitude_deg: float, longitude_deg: float) -> float:
    """Geometric (true) solar zenith angle at a place and moment. [degrees]

    Uses pvlib's NREL Solar Position Algorithm (``method="nrel_numpy"``).

    References
    ----------
    Reda I, Andreas A. Solar position algorithm for solar radiation applications.
    Solar Energy 2004; 76(5): 577-589. doi:10.1016/j.solener.2003.12.003
    """
    if when_utc.tzinfo is None or when_utc.utcoffset() != dt.timedelta(0):
        raise ValueError("when_utc must be an aware datetime in UTC")
    import pandas as pd  # solar geometry only: other commands never load pvlib or pandas
    from pvlib import solarposition

    times = pd.DatetimeIndex([pd.Timestamp(when_utc)])
    position = solarposition.get_solarposition(
        times, latitude_deg, longitude_deg, method="nrel_numpy"
    )
    return float(position["zenith"].iloc[0])


def utc_from_local_mean_solar_time(
    date: dt.date, time_of_day: dt.time, longitude_deg: float
) -> dt.datetime:
    """Local mean solar time at ``longitude_deg`` (east positive) to UTC.

    Mean solar time runs ``4 min x longitude`` ahead of UTC east of Greenwich; it ignores
    the equation of time (at most about 16 minutes) and any civil time zone.
    """
    local = dt.datetime.combine(date, time_of_day, tzinfo=dt.UTC)
    offset_minutes = longitude_deg * MINUTES_OF_TIME_PER_DEGREE_LONGITUDE
    return local - dt.timedelta(minutes=offset_minutes)


def solar_noon_utc(date: dt.date, longitude_deg: float) -> dt.datetime:
    """Moment of true solar noon (sun due south/north) on ``date`` at ``longitude_deg``.

    Solar noon = 12:00 mean solar time minus the equation of time.

    References
    ----------
    Spencer JW. Fourier series representation of the position of the sun. Search 1971;
    2(5): 172. (equation of time, via ``pvlib.solarposition.equation_of_time_spencer71``)
    """
    from pvlib import solarposition

    day_of_year = date.timetuple().tm_yday
    equation_of_time_min = float(solarposition.equation_of_time_spencer71(day_of_year))
    mean_noon = utc_from_local_mean_solar_time(date, dt.time(12, 0), longitude_deg)
    return mean_noon - dt.timedelta(minutes=equation_of_time_min)


def local_mean_solar_date(when_utc: dt.datetime, longitude_deg: float) -> dt.date:
    """The calendar day at ``longitude_deg`` in local mean solar time (east positive)."""
    offset_minutes = longitude_deg * MINUTES_OF_TIME_PER_DEGREE_LONGITUDE
    return (when_utc + dt.timedelta(minutes=offset_minutes)).date()


def noon_solar_zenith_deg(date: dt.date, latitude_deg: float, longitude_deg: float) -> float:
    """Solar zenith angle at true solar noon of ``date``: the day's highest sun. [degrees]

    Above 90 degrees the sun does not rise that day (polar night).
    """
    noon = solar_noon_utc(date, longitude_deg)
    return solar_zenith_deg(noon, latitude_deg, longitude_deg)


def sun_stays_up_all_day(date: dt.date, latitude_deg: float, longitude_deg: float) -> bool:
    """True on a day of midnight sun: the sun's centre stays above the geometric horizon.

    The day's lowest sun is at one of the two solar midnights 12 hours either side of true
    solar noon; both must be above the horizon (no refraction, as elsewhere).
    """
    noon = solar_noon_utc(date, longitude_deg)
    half_day = dt.timedelta(hours=12)
    return all(
        solar_zenith_deg(midnight, latitude_deg, longitude_deg) < HORIZON_ZENITH_DEG
        for midnight in (noon - half_day, noon + half_day)
    )


def minutes_of_daylight_left(
    when_utc: dt.datetime, latitude_deg: float, longitude_deg: float
) -> float | None:
    """Minutes until the sun's centre next reaches the geometric horizon. [min]

    0 with the sun already down; None when it does not set within the next 24 hours
    (polar day). Searched minute by minute with the same solar position algorithm as
    :func:`solar_zenith_deg` (no refraction), so the result is good to one minute.
    """
    if when_utc.tzinfo is None or when_utc.utcoffset() != dt.timedelta(0):
        raise ValueError("when_utc must be an aware datetime in UTC")
    import numpy as np
    import pandas as pd
    from pvlib import solarposition

    times = pd.date_range(
        start=pd.Timestamp(when_utc), periods=DAYLIGHT_SEARCH_MINUTES + 1, freq="1min"
    )
    position = solarposition.get_solarposition(
        times, latitude_deg, longitude_deg, method="nrel_numpy"
    )
    below_horizon = np.flatnonzero(position["zenith"].to_numpy() >= HORIZON_ZENITH_DEG)
    if below_horizon.size == 0:
        return None
    return float(below_horizon[0])


# --------------------------------------------------------------------------- UV index
def clear_sky_uv_index_madronich07(
    solar_zenith_deg: float,
    ozone_du: float,
    *,
    coefficient: float,
    cos_zenith_exponent: float,
    ozone_reference_du: float,
    ozone_exponent: float,
) -> float:
    """Clear-sky UV index from solar zenith angle and total ozone column. [unitless]

    ``UVI = coefficient * mu0**cos_zenith_exponent * (ozone_du / ozone_reference_du)
    ** ozone_exponent`` with ``mu0 = cos(zenith)``; published values 12.5, 2.42, 300 DU
    and -1.23. Valid for cloud-free, unpolluted, low-albedo conditions near sea level.
    Returns 0 with the sun at or below the horizon.

    Parameters
    ----------
    solar_zenith_deg : Solar zenith angle. [degrees]
    ozone_du : Total vertical ozone column. [Dobson units]

    References
    ----------
    Madronich S. Analytic formula for the clear-sky UV index. Photochemistry and
    Photobiology 2007; 83(6): 1537. (the formula of the abstract)
    """
    if solar_zenith_deg >= HORIZON_ZENITH_DEG:
        return 0.0
    mu0 = math.cos(math.radians(solar_zenith_deg))
    ozone_factor = math.pow(ozone_du / ozone_reference_du, ozone_exponent)
    return coefficient * math.pow(mu0, cos_zenith_exponent) * ozone_factor


def clear_sky_uv_index(solar_zenith_deg: float, ozone_du: float, params: SunParameters) -> float:
    """:func:`clear_sky_uv_index_madronich07` with the coefficients of ``params``."""
    model = params.clear_sky_uv_index
    return clear_sky_uv_index_madronich07(
        solar_zenith_deg,
        ozone_du,
        coefficient=model.coefficient,
        cos_zenith_exponent=model.cos_zenith_exponent,
        ozone_reference_du=model.ozone_reference_du,
        ozone_exponent=model.ozone_exponent,
    )


def earth_sun_distance_factor_spencer71(date: dt.date) -> float:
    """Sun irradiance on ``date`` relative to the mean Earth-Sun distance, (r0/r)^2. [unitless]

    About 1.034 in early January and 0.967 in early July.

    References
    ----------
    Spencer JW. Fourier series representation of the position of the sun. Search 1971;
    2(5): 172. (through ``pvlib.irradiance.get_extra_radiation``, method "spencer")
    """
    from pvlib import irradiance

    day_of_year = date.timetuple().tm_yday
    return float(irradiance.get_extra_radiation(day_of_year, solar_constant=1.0, method="spencer"))


def altitude_factor(altitude_m: float, increase_per_km: float) -> float:
    """Clear-sky UV at ``altitude_m`` relative to sea level: ``1 + increase_per_km * km``.

    References
    ----------
    Engelsen O. The relationship between ultraviolet radiation exposure and vitamin D
    status. Nutrients 2010; 2(5): 482-495, section 2 (about 7% more UVB per km).
    """
    return 1.0 + increase_per_km * altitude_m / 1000.0


def clear_sky_uv_index_at(
    solar_zenith_deg: float,
    ozone_du: float,
    date: dt.date,
    altitude_m: float,
    params: SunParameters,
) -> float:
    """Madronich's clear-sky UV index scaled for the Earth-Sun distance and the altitude."""
    return (
        clear_sky_uv_index(solar_zenith_deg, ozone_du, params)
        * earth_sun_distance_factor_spencer71(date)
        * altitude_factor(altitude_m, params.altitude.increase_per_km)
    )


def erythemal_irradiance_w_m2(uv_index: float, w_m2_per_uv_index: float) -> float:
    """Erythemally weighted irradiance of a UV index. [W/m2]

    The UV index is 40 m2/W times the CIE-erythema-weighted irradiance, so one unit is
    0.025 W/m2 (WHO 2002, Global Solar UV Index: A Practical Guide).
    """
    return uv_index * w_m2_per_uv_index


def minutes_to_med(uv_index: float, med_j_m2: float, w_m2_per_uv_index: float) -> float | None:
    """Minutes of exposure at ``uv_index`` to reach one MED; None when the UV index is 0.

    ``minutes = MED / (UVI * 0.025 W/m2) / 60 s``, assuming the UV index stays constant.
    """
    irradiance_w_m2 = erythemal_irradiance_w_m2(uv_index, w_m2_per_uv_index)
    if irradiance_w_m2 <= 0:
        return None
    return med_j_m2 / irradiance_w_m2 / SECONDS_PER_MINUTE


# --------------------------------------------------------------------------- vitamin D
@dataclass(frozen=True)
class RatioBand:
    """Vitamin D (CIE 174) over erythemal weighted dose: central value and spread."""

    central: float
    low: float
    high: float


def vitamin_d_to_erythema_ratio(
    solar_zenith_deg: float, ozone_du: float, params: SunParameters
) -> RatioBand:
    """Ratio of CIE 174:2006 previtamin-D3-weighted to CIE erythemal dose.

    ``R = ratio(zenith) * (ozone / ozone_reference) ** ozone_exponent(zenith)``, with
    ``ratio`` and ``ozone_exponent`` interpolated linearly in the table of ``params``
    (fitted by d3k2 to DSA measurements at nine Norwegian stations; see ``tables/sun.yaml``)
    and the end values held outside it (Fioletov et al. 2009 found the ratio nearly
    constant at high UV). The exponent is negative: vitamin D-weighted UV falls faster
    with ozone than erythemal UV, the more so the lower the sun (McKenzie et al. 2022).

    Parameters
    ----------
    solar_zenith_deg : Solar zenith angle. [degrees]
    ozone_du : Total ozone column. [Dobson units]

    References
    ----------
    CIE 174:2006 Action spectrum for the production of previtamin D3 in human skin.
    Fioletov VE et al. J Photochem Photobiol B 2009; 95(1): 9-16.
    McKenzie R et al. Photochem Photobiol Sci 2022; 21(12): 2095-2114.
    """
    import numpy as np

    table = params.vitamin_d_to_erythema_ratio
    points = table.points
    angles = np.array([p.solar_zenith_deg for p in points])

    def at(values: list[float]) -> float:
        return float(np.interp(solar_zenith_deg, angles, np.array(values)))

    ozone_factor = math.pow(
        ozone_du / table.ozone_reference_du, at([p.ozone_exponent for p in points])
    )
    return RatioBand(
        central=at([p.ratio for p in points]) * ozone_factor,
        low=at([p.ratio_low for p in points]) * ozone_factor,
        high=at([p.ratio_high for p in points]) * ozone_factor,
    )


def standard_vitamin_d_dose_j_m2(med_j_m2: float, params: SunParameters) -> float:
    """Webb & Engelsen's Standard Vitamin D Dose for a person, vitamin D-weighted. [J/m2]

    The CIE 174-weighted dose of 1/4 of the person's MED received at Boston (42.2 N) at
    noon on 21 March with 350 DU ozone; on 1/4 of the skin it is taken as 1000 IU by mouth.

    References
    ----------
    Webb AR, Engelsen O. Calculated ultraviolet exposure levels for a healthy vitamin D
    status. Photochemistry and Photobiology 2006; 82(6): 1697-1703. (method outline)
    """
    oral = params.oral_equivalent
    reference_ratio = vitamin_d_to_erythema_ratio(
        oral.reference_solar_zenith_deg, oral.reference_ozone_du, params
    ).central
    return oral.reference_fraction_of_med * med_j_m2 * reference_ratio


def minutes_to_standard_vitamin_d_dose(
    vitamin_d_irradiance_w_m2: float,
    standard_dose_j_m2: float,
    exposed_percent: float,
    params: SunParameters,
) -> float | None:
    """Minutes to the oral equivalent of the Standard Vitamin D Dose (1000 IU). [min]

    The dose is defined on 1/4 of the skin; with more skin bare, proportionally less time
    is needed (linear in area, as in :func:`oral_equivalent_iu_webb_engelsen06`). None
    without vitamin D-weighted UV.
    """
    if vitamin_d_irradiance_w_m2 <= 0:
        return None
    area_scale = params.oral_equivalent.reference_exposed_fraction / (exposed_percent / 100)
    return standard_dose_j_m2 * area_scale / vitamin_d_irradiance_w_m2 / SECONDS_PER_MINUTE


@dataclass(frozen=True)
class OralEquivalentIu:
    """Vitamin D taken by mouth that an exposure is estimated to equal. [IU]"""

    low: float
    central: float
    high: float


def oral_equivalent_iu_webb_engelsen06(
    erythemal_dose_j_m2: float,
    med_j_m2: float,
    exposed_fraction: float,
    ratio: RatioBand,
    reference_ratio: float,
    params: SunParameters,
) -> OralEquivalentIu:
    """Oral vitamin D equivalent of a sun exposure, after Webb & Engelsen's standard dose.

    Webb & Engelsen define the Standard Vitamin D Dose (SDD) as the vitamin D-weighted
    dose of 1/4 of a personal MED on 1/4 of the skin at Boston (42.2 N), noon, 21 March,
    and take it as equal to 1000 IU by mouth. With ``f`` the MED fraction received
    (counted up to ``max_counted_fraction_of_med``), ``A`` the exposed skin fraction and
    ``R`` the vitamin D/erythema ratio::

        central = 1000 IU * (f / 0.25) * (A / 0.25) * R(zenith) / R(reference zenith)

    The range scales Holick's whole-body one-MED equivalent of 10,000-25,000 IU the same
    way, using the low and high ratio of the table::

        low  = 10,000 IU * f * A * R_low(zenith)  / R(reference zenith)
        high = 25,000 IU * f * A * R_high(zenith) / R(reference zenith)

    Linear in dose and area: production saturates within a day, which is why dose is
    capped at one MED.

    References
    ----------
    Webb AR, Engelsen O. Calculated ultraviolet exposure levels for a healthy vitamin D
    status. Photochemistry and Photobiology 2006; 82(6): 1697-1703.
    Holick MF. Vitamin D deficiency. N Engl J Med 2007; 357(3): 266-281.
    """
    oral = params.oral_equivalent
    fraction_of_med = min(erythemal_dose_j_m2 / med_j_m2, oral.max_counted_fraction_of_med)
    exposure = fraction_of_med * exposed_fraction
    per_whole_body_med_iu = oral.reference_oral_iu / (
        oral.reference_fraction_of_med * oral.reference_exposed_fraction
    )
    return OralEquivalentIu(
        low=oral.whole_body_one_med_iu_low * exposure * ratio.low / reference_ratio,
        central=per_whole_body_med_iu * exposure * ratio.central / reference_ratio,
        high=oral.whole_body_one_med_iu_high * exposure * ratio.high / reference_ratio,
    )


def noon_minutes_to_standard_vitamin_d_dose(
    date: dt.date,
    latitude_deg: float,
    longitude_deg: float,
    *,
    med_j_m2: float,
    ozone_du: float,
    altitude_m: float,
    params: SunParameters,
    noon_zenith_deg: float | None = None,
) -> float | None:
    """Minutes at clear-sky true solar noon of ``date`` to the Standard Vitamin D Dose,
    with the share of skin bare that the vitamin D winter test assumes. [min]

    None when the sun does not rise. The vitamin D-weighted irradiance is Madronich's
    clear-sky UV index (with the Earth-Sun distance and altitude) times the ozone-dependent
    vitamin D/erythema ratio; clouds are left out (the winter is a clear-sky season).
    ``noon_zenith_deg`` may be passed when already known (it is computed otherwise).
    """
    if noon_zenith_deg is None:
        noon_zenith_deg = noon_solar_zenith_deg(date, latitude_deg, longitude_deg)
    if noon_zenith_deg >= HORIZON_ZENITH_DEG:
        return None
    uv_index = clear_sky_uv_index_at(noon_zenith_deg, ozone_du, date, altitude_m, params)
    irradiance_w_m2 = (
        erythemal_irradiance_w_m2(uv_index, params.uv_index.erythemal_irradiance_w_m2_per_uv_index)
        * vitamin_d_to_erythema_ratio(noon_zenith_deg, ozone_du, params).central
    )
    return minutes_to_standard_vitamin_d_dose(
        irradiance_w_m2,
        standard_vitamin_d_dose_j_m2(med_j_m2, params),
        params.vitamin_d_winter.exposed_percent_assumed,
        params,
    )


def is_vitamin_d_winter(noon_minutes_to_standard_dose: float | None, params: SunParameters) -> bool:
    """True when even the clear-sky noon sun needs longer than a practical time for the
    Standard Vitamin D Dose (or does not rise).

    ``practical_minutes_at_noon`` is calibrated to the clear-sky results of Engelsen et al.
    (2005): no vitamin D winter below 51 degrees latitude, up to 5 months at 70 degrees
    (skin type II, 300 DU). Webb, Kline & Holick (1988) saw no previtamin D3 from November
    to February in Boston under real skies: the clear-sky season here is shorter, and the
    slow months are reported as a small dose.

    References
    ----------
    Engelsen O et al. Daily duration of vitamin D synthesis in human skin. Photochem
    Photobiol 2005; 81(6): 1287-1290.
    Webb AR, Kline L, Holick MF. J Clin Endocrinol Metab 1988; 67(2): 373-378.
    Webb AR, Engelsen O. Photochem Photobiol 2006; 82(6): 1697-1703.
    """
    if noon_minutes_to_standard_dose is None:
        return True
    return noon_minutes_to_standard_dose > params.vitamin_d_winter.practical_minutes_at_noon


# --------------------------------------------------------------------------- burn warning
BurnOutlook = Literal["no-uv", "sunburn-expected", "burn-time", "burn-unlikely"]


def is_low_uv_index(uv_index: float, params: SunParameters) -> bool:
    """True in the WHO "low" UV-index band (0-2: protection not usually needed).

    The UV index is reported as a whole number, so a fractional value counts as low only
    if it would be reported as 2 or less (below 2.5): the cautious reading.
    """
    return uv_index < params.burn_warning.low_uv_index_below


def burn_outlook(
    *,
    minutes: float,
    burn_minutes: float | None,
    daylight_minutes_left: float | None,
    uv_index: float,
    params: SunParameters,
) -> BurnOutlook:
    """Which sunburn message a planned exposure deserves.

    - ``no-uv``: no UV, no burn time.
    - ``sunburn-expected``: the plan reaches one MED, and one MED comes before sunset.
    - ``burn-time``: a clear warning of the burn time, given whenever the plan (counted up
      to sunset) reaches ``warn_from_fraction_of_med`` of one MED, and otherwise whenever
      the UV index is above "low" and one MED can be reached before sunset.
    - ``burn-unlikely``: the UV index is low and the plan is far from one MED, or one MED
      would take longer than the daylight left (a warning that cannot come true is noise).

    Parameters
    ----------
    minutes : Planned time in the sun. [min]
    burn_minutes : Minutes to one MED at ``uv_index``; None without UV. [min]
    daylight_minutes_left : Minutes to sunset; None when unknown or no sunset within a
        day, which keeps every warning (conservative). [min]
    """
    if burn_minutes is None:
        return "no-uv"
    burn_before_sunset = daylight_minutes_left is None or burn_minutes <= daylight_minutes_left
    if burn_before_sunset and minutes >= burn_minutes:
        return "sunburn-expected"
    minutes_in_daylight = (
        minutes if daylight_minutes_left is None else min(minutes, daylight_minutes_left)
    )
    approaching = minutes_in_daylight >= params.burn_warning.warn_from_fraction_of_med * (
        burn_minutes
    )
    if approaching or (burn_before_sunset and not is_low_uv_index(uv_index, params)):
        return "burn-time"
    return "burn-unlikely"


# --------------------------------------------------------------------------- request
@dataclass(frozen=True)
class SunExposureRequest:
    """One planned exposure. ``exposed_percent`` is the share of body skin uncovered."""

    latitude_deg: float
    longitude_deg: float
    when_utc: dt.datetime
    skin_type: str
    exposed_percent: float
    minutes: float
    uv_index: float | None = None
    ozone_du: float | None = None
    altitude_m: float | None = None
    """Height of the ground above sea level (clear-sky estimate only). [m]"""
    cloud_modification_factor: float | None = None
    """All-sky over clear-sky UV (clear-sky estimate only). [unitless]"""


@dataclass(frozen=True)
class SunWarning:
    code: str
    severity: Severity
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "severity": self.severity, "message": self.message}


@dataclass(frozen=True)
class SunExposureEstimate:
    """Result of :func:`estimate_sun_exposure` (raw floats; renderers round)."""

    when_utc: dt.datetime
    latitude_deg: float
    longitude_deg: float
    solar_zenith_deg: float
    uv_index: float
    uv_index_source: UvIndexSource
    ozone_du: float | None
    skin_type: str
    med_j_m2: float
    exposed_percent: float
    minutes: float
    erythemal_irradiance_w_m2: float
    erythemal_dose_j_m2: float
    fraction_of_med: float
    minutes_to_med: float | None
    daylight_minutes_left: float | None
    noon_solar_zenith_deg: float
    vitamin_d_winter: bool
    vitamin_d_to_erythema_ratio: float
    vitamin_d_weighted_dose_j_m2: float
    oral_equivalent_iu: OralEquivalentIu
    little_or_no_vitamin_d: bool
    warnings: tuple[SunWarning, ...]
    assumptions: tuple[str, ...]
    sources: tuple[SourceRef, ...] = field(default_factory=tuple)
    midnight_sun: bool = False
    """The sun does not set on the (local mean solar) day of the exposure."""
    low_sun_all_day: bool = False
    """Midnight sun with a noon sun at or past the vitamin D winter threshold."""
    uv_index_ignored: float | None = None
    """A UV index given for a moment when the sun is down: not used (``uv_index`` is 0)."""
    minutes_counted: float | None = None
    """Minutes of the plan that count toward the dose: up to sunset. [min]"""
    altitude_m: float = 0.0
    """Ground height used for the clear-sky UV index. [m]"""
    cloud_modification_factor: float | None = None
    earth_sun_distance_factor: float = 1.0
    """(mean distance / distance)^2 on the day. [unitless]"""
    vitamin_d_weighted_irradiance_w_m2: float = 0.0
    standard_vitamin_d_dose_j_m2: float = 0.0
    """Webb & Engelsen's Standard Vitamin D Dose for this skin type, CIE 174-weighted."""
    noon_minutes_to_standard_vitamin_d_dose: float | None = None
    """Clear-sky noon minutes to the standard dose with the winter test's skin share."""
    standard_dose_oral_iu: float = 0.0
    """The oral equivalent of the standard dose (Webb & Engelsen: 1000 IU). [IU]"""
    standard_dose_exposed_percent: float = 0.0
    """Skin bare in the noon standard-dose time (hands, face and arms). [%]"""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready view with sensible rounding."""
        return {
            "time_utc": self.when_utc.isoformat(),
            "latitude_deg": self.latitude_deg,
            "longitude_deg": self.longitude_deg,
            "solar_zenith_deg": round(self.solar_zenith_deg, 2),
            "uv_index": round(self.uv_index, 2),
            "uv_index_source": self.uv_index_source,
            "uv_index_ignored": self.uv_index_ignored,
            "ozone_du": self.ozone_du,
            "skin_type": self.skin_type,
            "med_j_m2": self.med_j_m2,
            "exposed_percent": self.exposed_percent,
            "minutes": self.minutes,
            "minutes_counted": self.minutes
            if self.minutes_counted is None
            else self.minutes_counted,
            "erythemal_irradiance_w_m2": round(self.erythemal_irradiance_w_m2, 4),
            "erythemal_dose_j_m2": round(self.erythemal_dose_j_m2, 1),
            "fraction_of_med": round(self.fraction_of_med, 3),
            "minutes_to_med": None
            if self.minutes_to_med is None
            else round(self.minutes_to_med, 1),
            "daylight_minutes_left": None
            if self.daylight_minutes_left is None
            else round(self.daylight_minutes_left),
            "noon_solar_zenith_deg": round(self.noon_solar_zenith_deg, 2),
            "vitamin_d_winter": self.vitamin_d_winter,
            "midnight_sun": self.midnight_sun,
            "low_sun_all_day": self.low_sun_all_day,
            "vitamin_d_to_erythema_ratio": round(self.vitamin_d_to_erythema_ratio, 3),
            "vitamin_d_weighted_dose_j_m2": round(self.vitamin_d_weighted_dose_j_m2, 1),
            "altitude_m": self.altitude_m,
            "cloud_modification_factor": self.cloud_modification_factor,
            "earth_sun_distance_factor": round(self.earth_sun_distance_factor, 4),
            "vitamin_d_weighted_irradiance_w_m2": round(self.vitamin_d_weighted_irradiance_w_m2, 5),
            "standard_vitamin_d_dose_j_m2": round(self.standard_vitamin_d_dose_j_m2, 1),
            "noon_minutes_to_standard_vitamin_d_dose": None
            if self.noon_minutes_to_standard_vitamin_d_dose is None
            else round(self.noon_minutes_to_standard_vitamin_d_dose, 1),
            "oral_equivalent_iu": {
                "low": round(self.oral_equivalent_iu.low),
                "central": round(self.oral_equivalent_iu.central),
                "high": round(self.oral_equivalent_iu.high),
            },
            "little_or_no_vitamin_d": self.little_or_no_vitamin_d,
            "warnings": [w.as_dict() for w in self.warnings],
            "assumptions": list(self.assumptions),
            "sources": [{"ref": s.ref, "locator": s.locator} for s in self.sources],
        }


def validate_request(request: SunExposureRequest, params: SunParameters) -> None:
    """Raise InputError (with the field and a hint) for an impossible request."""
    if not math.isfinite(request.latitude_deg) or not -90 <= request.latitude_deg <= 90:
        raise InputError(
            f"latitude {request.latitude_deg} is outside -90..90",
            where="latitude_deg",
            hint="give degrees north as positive and south as negative, e.g. 52.4",
        )
    if not math.isfinite(request.longitude_deg) or not -180 <= request.longitude_deg <= 180:
        raise InputError(
            f"longitude {request.longitude_deg} is outside -180..180",
            where="longitude_deg",
            hint="give degrees east as positive and west as negative, e.g. 4.9",
        )
    if params.minimal_erythema_dose.med_j_m2(request.skin_type) is None:
        known = ", ".join(row.skin_type for row in params.minimal_erythema_dose.skin_types)
        raise InputError(
            f"unknown Fitzpatrick skin type {request.skin_type!r}",
            where="skin_type",
            hint=f"use one of {known}",
        )
    if not math.isfinite(request.exposed_percent) or not 0 < request.exposed_percent <= 100:
        raise InputError(
            f"exposed skin {request.exposed_percent}% is outside (0, 100]",
            where="exposed_percent",
            hint="face, hands and forearms are about 25%; shorts and T-shirt about 35-40%",
        )
    if not math.isfinite(request.minutes) or request.minutes < 0:
        raise InputError(
            f"minutes {request.minutes} must be zero or more",
            where="minutes",
            hint="give the planned time in the sun, e.g. 20",
        )
    if request.minutes > MAX_EXPOSURE_MINUTES:
        raise InputError(
            f"minutes {request.minutes:g} is more than a day ({MAX_EXPOSURE_MINUTES} min)",
            where="minutes",
            hint="give one stretch of time in the sun, e.g. 20; estimate each day on its own",
        )
    if request.uv_index is not None and (
        not math.isfinite(request.uv_index) or not 0 <= request.uv_index <= MAX_UV_INDEX
    ):
        raise InputError(
            f"UV index {request.uv_index:g} must be between 0 and {MAX_UV_INDEX:g}",
            where="uv_index",
            hint="use the value of your local UV forecast, e.g. 6",
        )
    _check_optional_range(
        request.ozone_du,
        PLAUSIBLE_OZONE_DU,
        label="ozone column",
        unit=" DU",
        where="ozone_du",
        hint="typical columns are 250-450 DU; leave it out to use 300 DU",
    )
    _validate_clear_sky_inputs(request, params)
    if request.when_utc.tzinfo is None or request.when_utc.utcoffset() != dt.timedelta(0):
        raise InputError("the moment of exposure must be given in UTC", where="when_utc")
    check_supported_date(request.when_utc.date(), where="when_utc")


def _validate_clear_sky_inputs(request: SunExposureRequest, params: SunParameters) -> None:
    """Altitude and cloud shape the clear-sky estimate; a given UV index already has both."""
    for field_name, value in (
        ("altitude_m", request.altitude_m),
        ("cloud_modification_factor", request.cloud_modification_factor),
    ):
        if value is not None and request.uv_index is not None:
            raise InputError(
                f"{field_name} applies to the clear-sky estimate, but a UV index was given",
                where=field_name,
                hint="a measured or forecast UV index already includes altitude and clouds: "
                "leave one of the two out",
            )
    _check_optional_range(
        request.altitude_m,
        ALTITUDE_RANGE_M,
        label="altitude",
        unit=" m",
        where="altitude_m",
        hint="give the height of the ground above sea level in metres, e.g. 1500",
    )
    max_cmf = params.cloud.max_cloud_modification_factor
    _check_optional_range(
        request.cloud_modification_factor,
        (0.0, max_cmf),
        label="cloud modification factor",
        unit="",
        where="cloud_modification_factor",
        hint="1 is a clear sky, 0.5 halves the UV (thick cloud); broken cloud can add up "
        f"to {max_cmf:g}",
    )


def _check_optional_range(
    value: float | None,
    bounds: tuple[float, float],
    *,
    label: str,
    unit: str,
    where: str,
    hint: str,
) -> None:
    """Raise InputError unless ``value`` is None or a finite number within ``bounds``."""
    low, high = bounds
    if value is not None and (not math.isfinite(value) or not low <= value <= high):
        raise InputError(
            f"{label} {value:g}{unit} is outside {low:g} to {high:g}{unit}", where=where, hint=hint
        )


def check_supported_date(date: dt.date, *, where: str = "date") -> None:
    """Refuse a date outside :data:`EARLIEST_DATE`..:data:`LATEST_DATE`."""
    if not EARLIEST_DATE <= date <= LATEST_DATE:
        raise InputError(
            f"the date {date.isoformat()} is outside {EARLIEST_DATE.isoformat()} to "
            f"{LATEST_DATE.isoformat()}, the dates the sun model is used for",
            where=where,
            hint="give the date of the planned exposure, e.g. 2026-06-21",
        )


def _format_minutes(minutes: float) -> str:
    return f"{minutes:.0f} min" if minutes >= 1 else "under 1 min"


_SEVERITY_ORDER: Final[dict[Severity, int]] = {"danger": 0, "caution": 1, "info": 2}


def estimate_sun_exposure(
    request: SunExposureRequest, params: SunParameters
) -> SunExposureEstimate:
    """Estimate UV index, burn time, vitamin D-weighted dose and oral-equivalent IU.

    Warnings come most important first (danger, caution, info): sunburn, then "little or
    no vitamin D", then protection advice and data caveats.
    """
    validate_request(request, params)
    sources: list[SourceRef] = []
    latitude_deg, longitude_deg = request.latitude_deg, request.longitude_deg
    zenith_deg = solar_zenith_deg(request.when_utc, latitude_deg, longitude_deg)
    sun_up = zenith_deg < HORIZON_ZENITH_DEG
    solar_date = local_mean_solar_date(request.when_utc, longitude_deg)
    noon_zenith_deg = noon_solar_zenith_deg(solar_date, latitude_deg, longitude_deg)
    midnight_sun = sun_stays_up_all_day(solar_date, latitude_deg, longitude_deg)
    daylight_left = minutes_of_daylight_left(request.when_utc, latitude_deg, longitude_deg)

    ozone_du: float | None = None
    # The ratio needs an ozone column even with a given UV index: the default then.
    ozone_for_ratio_du = (
        request.ozone_du
        if request.ozone_du is not None
        else params.clear_sky_uv_index.default_ozone_du
    )
    altitude_m = 0.0 if request.altitude_m is None else request.altitude_m
    distance_factor = earth_sun_distance_factor_spencer71(solar_date)
    uv_index_ignored: float | None = None
    uv_index_source: UvIndexSource
    if request.uv_index is not None:
        uv_index = request.uv_index
        uv_index_source = "given"
        if not sun_up and uv_index > 0:
            # With the sun below the horizon no UV index can apply (most likely a wrong
            # time or time zone): nothing is estimated from it, and a warning says so.
            uv_index_ignored, uv_index = uv_index, 0.0
    else:
        ozone_du = (
            request.ozone_du
            if request.ozone_du is not None
            else params.clear_sky_uv_index.default_ozone_du
        )
        uv_index = clear_sky_uv_index_at(zenith_deg, ozone_du, solar_date, altitude_m, params)
        if request.cloud_modification_factor is not None:
            uv_index *= request.cloud_modification_factor
            sources.extend(params.cloud.sources)
        uv_index_source = "clear-sky"
        sources.extend(params.clear_sky_uv_index.sources)
        sources.extend(params.earth_sun_distance.sources)
        if request.altitude_m is not None:
            sources.extend(params.altitude.sources)

    w_m2_per_uvi = params.uv_index.erythemal_irradiance_w_m2_per_uv_index
    sources.extend(params.uv_index.sources)
    med_j_m2 = params.minimal_erythema_dose.med_j_m2(request.skin_type)
    assert med_j_m2 is not None  # checked by validate_request
    sources.extend(params.minimal_erythema_dose.sources)

    irradiance_w_m2 = erythemal_irradiance_w_m2(uv_index, w_m2_per_uvi)
    # UV after sunset is negligible: only the minutes before sunset are counted.
    minutes_counted = (
        request.minutes if daylight_left is None else min(request.minutes, daylight_left)
    )
    erythemal_dose_j_m2 = irradiance_w_m2 * minutes_counted * SECONDS_PER_MINUTE
    fraction_of_med = erythemal_dose_j_m2 / med_j_m2
    burn_minutes = minutes_to_med(uv_index, med_j_m2, w_m2_per_uvi)
    outlook = burn_outlook(
        minutes=request.minutes,
        burn_minutes=burn_minutes,
        daylight_minutes_left=daylight_left,
        uv_index=uv_index,
        params=params,
    )
    sources.extend(params.burn_warning.sources)

    ratio = vitamin_d_to_erythema_ratio(
        min(zenith_deg, HORIZON_ZENITH_DEG), ozone_for_ratio_du, params
    )
    oral_params = params.oral_equivalent
    reference_ratio = vitamin_d_to_erythema_ratio(
        oral_params.reference_solar_zenith_deg, oral_params.reference_ozone_du, params
    ).central
    vitamin_d_dose_j_m2 = erythemal_dose_j_m2 * ratio.central
    vitamin_d_irradiance_w_m2 = irradiance_w_m2 * ratio.central
    sources.extend(params.vitamin_d_to_erythema_ratio.sources)

    # The season decides "vitamin D winter": can the day's clear-sky noon sun give the
    # standard dose in a practical time? The hour only decides how much UV there is now,
    # which the dose below already follows. Under the midnight sun the same test says the
    # sun stays low, not winter: the same conservative estimate.
    noon_minutes = noon_minutes_to_standard_vitamin_d_dose(
        solar_date,
        latitude_deg,
        longitude_deg,
        med_j_m2=med_j_m2,
        ozone_du=ozone_for_ratio_du,
        altitude_m=altitude_m,
        params=params,
        noon_zenith_deg=noon_zenith_deg,
    )
    low_noon_sun = is_vitamin_d_winter(noon_minutes, params)
    winter = low_noon_sun and not midnight_sun
    low_sun_all_day = low_noon_sun and midnight_sun
    no_uv_now = not sun_up or uv_index <= 0
    little_or_no = low_noon_sun or no_uv_now
    sources.extend(params.vitamin_d_winter.sources)
    oral = oral_equivalent_iu_webb_engelsen06(
        erythemal_dose_j_m2,
        med_j_m2,
        request.exposed_percent / 100,
        ratio,
        reference_ratio,
        params,
    )
    if little_or_no:
        # Conservative: too little UV for the standard dose even at clear-sky noon (no
        # synthesis was seen in such months: Webb 1988), and none is made with the sun
        # down; keep only the upper bound.
        oral = OralEquivalentIu(low=0.0, central=0.0, high=oral.high)
    sources.extend(params.oral_equivalent.sources)

    warnings = _warnings(
        _WarningContext(
            request=request,
            zenith_deg=zenith_deg,
            noon_zenith_deg=noon_zenith_deg,
            uv_index=uv_index,
            uv_index_source=uv_index_source,
            burn_minutes=burn_minutes,
            daylight_minutes_left=daylight_left,
            outlook=outlook,
            winter=winter,
            low_sun_all_day=low_sun_all_day,
            no_uv_now=no_uv_now,
            uv_index_ignored=uv_index_ignored,
            oral=oral,
            params=params,
            noon_minutes_to_standard_dose=noon_minutes,
        )
    )
    if sun_up and minutes_counted < request.minutes:
        warnings.append(
            SunWarning(
                "exposure-past-sunset",
                "info",
                f"the sun sets in about {minutes_counted:.0f} min: only those minutes of the "
                f"{request.minutes:g} planned are counted (no UV after sunset)",
            )
        )
    return SunExposureEstimate(
        when_utc=request.when_utc,
        latitude_deg=latitude_deg,
        longitude_deg=longitude_deg,
        solar_zenith_deg=zenith_deg,
        uv_index=uv_index,
        uv_index_source=uv_index_source,
        ozone_du=ozone_du,
        skin_type=request.skin_type,
        med_j_m2=med_j_m2,
        exposed_percent=request.exposed_percent,
        minutes=request.minutes,
        minutes_counted=minutes_counted,
        erythemal_irradiance_w_m2=irradiance_w_m2,
        erythemal_dose_j_m2=erythemal_dose_j_m2,
        fraction_of_med=fraction_of_med,
        minutes_to_med=burn_minutes,
        daylight_minutes_left=daylight_left,
        noon_solar_zenith_deg=noon_zenith_deg,
        vitamin_d_winter=winter,
        vitamin_d_to_erythema_ratio=ratio.central,
        vitamin_d_weighted_dose_j_m2=vitamin_d_dose_j_m2,
        oral_equivalent_iu=oral,
        little_or_no_vitamin_d=little_or_no,
        warnings=tuple(sorted(warnings, key=lambda w: _SEVERITY_ORDER[w.severity])),
        assumptions=_assumptions(uv_index_source),
        sources=tuple(_unique(sources)),
        midnight_sun=midnight_sun,
        low_sun_all_day=low_sun_all_day,
        uv_index_ignored=uv_index_ignored,
        altitude_m=altitude_m,
        cloud_modification_factor=request.cloud_modification_factor,
        earth_sun_distance_factor=distance_factor,
        vitamin_d_weighted_irradiance_w_m2=vitamin_d_irradiance_w_m2,
        standard_vitamin_d_dose_j_m2=standard_vitamin_d_dose_j_m2(med_j_m2, params),
        noon_minutes_to_standard_vitamin_d_dose=noon_minutes,
        standard_dose_oral_iu=oral_params.reference_oral_iu,
        standard_dose_exposed_percent=params.vitamin_d_winter.exposed_percent_assumed,
    )


@dataclass(frozen=True)
class _WarningContext:
    request: SunExposureRequest
    zenith_deg: float
    noon_zenith_deg: float
    uv_index: float
    uv_index_source: UvIndexSource
    burn_minutes: float | None
    daylight_minutes_left: float | None
    outlook: BurnOutlook
    winter: bool
    low_sun_all_day: bool
    no_uv_now: bool
    uv_index_ignored: float | None
    oral: OralEquivalentIu
    params: SunParameters
    noon_minutes_to_standard_dose: float | None


def _warnings(c: _WarningContext) -> list[SunWarning]:
    warnings: list[SunWarning] = []
    burn = _burn_warning(c)
    if burn is not None:
        warnings.append(burn)
    vitamin_d = _vitamin_d_warning(c)
    if vitamin_d is not None:
        warnings.append(vitamin_d)
    protection_from = c.params.uv_index.protection_advised_from_uv_index
    if c.uv_index >= protection_from:
        warnings.append(
            SunWarning(
                "protection-advised",
                "info",
                f"UV index {c.uv_index:.1f}: sun protection (shade, clothing, hat, sunscreen) "
                f"is advised from UV index {protection_from:g}.",
            )
        )
    if c.uv_index_ignored is not None:
        warnings.append(
            SunWarning(
                "uv-index-at-night",
                "caution",
                f"The sun is down at that place and time (zenith angle {c.zenith_deg:.0f} "
                f"degrees), so the given UV index {c.uv_index_ignored:g} cannot apply and was "
                "ignored: no sunburn and no vitamin D are estimated. If you meant a daytime "
                "hour, check the date, time and time zone.",
            )
        )
    if c.uv_index_source == "clear-sky":
        cloud = c.request.cloud_modification_factor
        altitude = c.request.altitude_m
        if cloud is not None:
            message = (
                f"The UV index is a clear-sky estimate scaled by the cloud factor given "
                f"({cloud:g}){'' if not altitude else f', at {altitude:g} m'}: real cloud "
                "changes by the minute, and snow, sand and water can raise it. Prefer a local "
                "UV forecast."
            )
        else:
            message = (
                "The UV index is a clear-sky estimate"
                f"{'' if not altitude else f' at {altitude:g} m'}: clouds usually lower it, "
                "broken cloud, snow, sand and water"
                f"{'' if altitude else ' and altitude'} can raise it. Prefer a local UV "
                "forecast."
            )
        warnings.append(SunWarning("clear-sky-estimate", "info", message))
    return warnings


def _burn_warning(c: _WarningContext) -> SunWarning | None:
    if c.burn_minutes is None or c.outlook == "no-uv":
        return None
    skin = f"skin type {c.request.skin_type}"
    burn = _format_minutes(c.burn_minutes)
    planned = f"{c.request.minutes:g} min"
    if c.outlook == "sunburn-expected":
        return SunWarning(
            "sunburn-expected",
            "danger",
            f"{planned} is at or past the sunburn time: one MED for {skin} at UV index "
            f"{c.uv_index:.1f} is reached after about {burn}. Cover up or go into the shade "
            f"before {burn}.",
        )
    if c.outlook == "burn-time":
        return SunWarning(
            "burn-time",
            "caution",
            f"Sunburn (one MED) for {skin} at UV index {c.uv_index:.1f} comes after about "
            f"{burn}; cover up or go into the shade well before then. Sensitive individuals "
            "burn sooner than the typical MED of their type.",
        )
    reasons: list[str] = []
    if is_low_uv_index(c.uv_index, c.params):
        reasons.append(
            f"UV index {c.uv_index:.1f} is low (WHO: 0-2, protection not usually needed)"
        )
    daylight = c.daylight_minutes_left
    if daylight is not None and c.burn_minutes > daylight:
        reasons.append(
            f"one MED for {skin} would take about {burn}, longer than the "
            f"{_format_minutes(daylight)} of daylight left"
        )
    else:
        # One MED can come before sunset here, so a sensitive skin could still get there.
        reasons.append(
            f"{planned} is far from the about {burn} to one MED for {skin} (sensitive "
            "skin burns sooner)"
        )
    return SunWarning(
        "burn-unlikely", "info", "Sunburn is unlikely: " + " and ".join(reasons) + "."
    )


def _noon_standard_dose(c: _WarningContext) -> str:
    """How long the clear-sky noon sun would take for the standard dose today."""
    winter = c.params.vitamin_d_winter
    minutes = c.noon_minutes_to_standard_dose
    reference_iu = c.params.oral_equivalent.reference_oral_iu
    if minutes is None:
        return "the sun does not rise today at this latitude"
    return (
        f"even at solar noon under a clear sky, skin type {c.request.skin_type} with "
        f"{winter.exposed_percent_assumed:g}% of the skin bare would need about "
        f"{_format_minutes(minutes)} for the {reference_iu:,.0f} IU standard dose (Webb & "
        f"Engelsen 2006), more than {winter.practical_minutes_at_noon:g} min"
    )


def _vitamin_d_warning(c: _WarningContext) -> SunWarning | None:
    if c.low_sun_all_day:
        # Midnight sun: not a winter, but the noon sun is too low for the standard dose.
        return SunWarning(
            "little-or-no-vitamin-d",
            "caution",
            f"The sun stays low: little vitamin D is made. It does not set today (midnight "
            f"sun), but {_noon_standard_dose(c)}. Diet or a supplement is the reliable "
            "source; discuss with a clinician.",
        )
    if c.winter:
        return SunWarning(
            "little-or-no-vitamin-d",
            "caution",
            f"Vitamin D winter: {_noon_standard_dose(c)}, so little or no vitamin D is made "
            "from the sun all day. Clouds, thick ozone and haze make it less still. Diet or a "
            "supplement is the reliable source in this season; discuss with a clinician.",
        )
    if c.no_uv_now:
        reason = (
            "the sun is below the horizon"
            if c.zenith_deg >= HORIZON_ZENITH_DEG
            else "the cloud factor given (0) lets no UV through"
            if c.request.cloud_modification_factor == 0
            else "the UV index is zero"
        )
        return SunWarning(
            "little-or-no-vitamin-d",
            "info",
            f"No vitamin D is made now: {reason}."
            + (
                ""
                if c.request.cloud_modification_factor == 0
                else " It is made only in daylight, most around solar noon."
            ),
        )
    reference_iu = c.params.oral_equivalent.reference_oral_iu
    if c.request.minutes > 0 and c.oral.central < reference_iu:
        noon = c.noon_minutes_to_standard_dose
        at_noon = (
            ""
            if noon is None
            else f" At clear-sky solar noon today the standard dose takes about "
            f"{_format_minutes(noon)} with "
            f"{c.params.vitamin_d_winter.exposed_percent_assumed:g}% of the skin bare."
        )
        return SunWarning(
            "small-vitamin-d-dose",
            "info",
            f"Small vitamin D dose: about {c.oral.central:,.0f} IU "
            f"(range {c.oral.low:,.0f}-{c.oral.high:,.0f} IU), less than the "
            f"{reference_iu:,.0f} IU Standard Vitamin D Dose of Webb & Engelsen (2006)."
            f"{at_noon}",
        )
    return None


def _assumptions(uv_index_source: UvIndexSource) -> tuple[str, ...]:
    items = [
        "UV index taken as constant over the exposure.",
        "Typical MED of the Fitzpatrick type; individuals differ.",
        "Vitamin D/erythema ratio (by sun height and ozone) fitted to all-sky monthly doses "
        "measured in Norway (58-79 N).",
        "No sunscreen; sunscreen and clothing block UVB.",
        "Synthesis falls with age (about 13% per decade in one study), with obesity and "
        "after exposure beyond one MED; none of this is modelled.",
    ]
    if uv_index_source == "clear-sky":
        items.insert(
            0,
            "Clear sky unless a cloud factor is given, low surface albedo (no snow), "
            "Madronich 2007 scaled for the Earth-Sun distance and altitude.",
        )
    return tuple(items)


def _unique(sources: list[SourceRef]) -> list[SourceRef]:
    seen: set[tuple[str, str]] = set()
    unique: list[SourceRef] = []
    for source in sources:
        key = (source.ref, source.locator)
        if key not in seen:
            seen.add(key)
            unique.append(source)
    return unique
