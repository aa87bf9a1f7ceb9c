"""``d3k2 sun``: safe sun, without burning (adapter: parses options, calls the core, renders).

Time: ``--time`` is read in the zone given by ``--tz``. The default zone is ``solar``,
local mean solar time at ``--lon`` (12:00 is within about 16 minutes of the sun's
highest point), which needs no time-zone database and cannot be silently shifted by
daylight saving. ``--tz`` also takes ``UTC``, a UTC offset such as ``+02:00`` or an IANA
zone such as ``Europe/Amsterdam`` (clock time, daylight saving included). ``--time noon``
(the default) means true solar noon, whatever the zone.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from d3k2.adapters.render import source_json
from d3k2.core.dates import parse_iso_date
from d3k2.core.model import DISCLAIMER
from d3k2.core.sun import (
    SunExposureEstimate,
    SunExposureRequest,
    check_supported_date,
    estimate_sun_exposure,
    solar_noon_utc,
    utc_from_local_mean_solar_time,
)
from d3k2.errors import InputError, shown
from d3k2.knowledge.loader import load_knowledge
from d3k2.knowledge.sun import load_sun_parameters

SOLAR_TIME_ZONE = "solar"
NOON = "noon"
MAX_BARE_FRACTION = 1.0
"""``--exposed`` at or below this without a ``%`` sign is read as a fraction and refused."""
_OPTION_OF_FIELD = {
    "latitude_deg": "--lat",
    "longitude_deg": "--lon",
    "skin_type": "--skin-type",
    "exposed_percent": "--exposed",
    "minutes": "--minutes",
    "uv_index": "--uv-index",
    "ozone_du": "--ozone",
}
_OFFSET = re.compile(r"^(?:UTC)?([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV", "5": "V", "6": "VI"}


def parse_time(text: str) -> dt.time | None:
    """``HH:MM`` (or ``HH:MM:SS``) as a time of day; ``noon`` as None (true solar noon)."""
    if text.strip().lower() == NOON:
        return None
    try:
        return dt.time.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"not a time of day: {text!r}", where="--time", hint="use HH:MM, e.g. 12:30, or noon"
        ) from None


def parse_zone(text: str) -> dt.tzinfo | None:
    """None for local mean solar time; otherwise a tzinfo (UTC, offset or IANA zone)."""
    name = text.strip()
    if name.lower() == SOLAR_TIME_ZONE:
        return None
    if name.upper() in {"UTC", "Z", "GMT"}:
        return dt.UTC
    offset = _OFFSET.match(name)
    if offset:
        sign, hours, minutes = offset.groups()
        delta = dt.timedelta(hours=int(hours), minutes=int(minutes or 0))
        if delta > dt.timedelta(hours=14):
            raise InputError(f"UTC offset {name!r} is beyond 14 hours", where="--tz")
        return dt.timezone(-delta if sign == "-" else delta)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a path
        raise InputError(
            f"unknown time zone {shown(name)}",
            where="--tz",
            hint="use solar (default), UTC, an offset like +02:00, or a zone like Europe/Amsterdam",
        ) from None


def moment_utc(
    date: dt.date, time_of_day: dt.time | None, zone: dt.tzinfo | None, lon: float
) -> dt.datetime:
    """The exposure moment in UTC from date, time (None = solar noon) and zone."""
    if time_of_day is None:
        return solar_noon_utc(date, lon)
    if zone is None:
        return utc_from_local_mean_solar_time(date, time_of_day, lon)
    return dt.datetime.combine(date, time_of_day, tzinfo=zone).astimezone(dt.UTC)


def parse_skin_type(text: str) -> str:
    """Fitzpatrick type as a Roman numeral; accepts ``III``, ``iii`` or ``3``."""
    cleaned = text.strip().upper()
    return _ROMAN.get(cleaned, cleaned)


def parse_percent(text: str) -> float:
    """``25%`` or ``25`` as 25.0 (a percentage of body skin).

    A number above 0 and at most 1 *without* a ``%`` sign is almost certainly a fraction
    (``0.25`` meant as 25%), so it is refused with a hint; ``0.5%`` (with the sign) is
    accepted as half a percent.
    """
    stripped = text.strip()
    has_percent_sign = stripped.endswith("%")
    try:
        value = float(stripped.removesuffix("%").strip())
    except ValueError:
        raise InputError(
            f"not a percentage: {text!r}", where="--exposed", hint="use e.g. 25% or 25"
        ) from None
    if not has_percent_sign and 0 < value <= MAX_BARE_FRACTION:
        percent = f"{value * 100:g}"
        raise InputError(
            f"{stripped} looks like a fraction of the skin, not a percentage",
            where="--exposed",
            hint=f"write {percent}% or {percent}; if you really mean {value:g} percent of "
            f"the skin, write {value:g}%",
        )
    return value


def render_text(estimate: SunExposureEstimate) -> str:
    e = estimate
    lat = f"{abs(e.latitude_deg):.2f}{'N' if e.latitude_deg >= 0 else 'S'}"
    lon = f"{abs(e.longitude_deg):.2f}{'E' if e.longitude_deg >= 0 else 'W'}"
    uv_note = (
        f"given {e.uv_index_ignored:g} ignored: the sun is down"
        if e.uv_index_ignored is not None
        else "given"
        if e.uv_index_source == "given"
        else f"clear-sky estimate, {e.ozone_du:g} DU ozone"
    )
    lines = [
        "Sun exposure estimate",
        f"  {DISCLAIMER}",
        "",
    ]
    for warning in e.warnings:
        marker = {"danger": "!!", "caution": "! ", "info": "- "}[warning.severity]
        lines.append(f"{marker} {warning.message}")
    burn = "never (no UV)" if e.minutes_to_med is None else f"about {e.minutes_to_med:.0f} min"
    if (
        e.minutes_to_med is not None
        and e.daylight_minutes_left is not None
        and e.minutes_to_med > e.daylight_minutes_left > 0
    ):
        burn += " at this UV index: more than the daylight left"
    daylight = (
        "no sunset within 24 h"
        if e.daylight_minutes_left is None
        else "none (the sun is down)"
        if e.daylight_minutes_left <= 0
        else f"about {e.daylight_minutes_left:.0f} min to sunset"
    )
    season = (
        "vitamin D winter (little or no vitamin D all day)"
        if e.vitamin_d_winter
        else "midnight sun, but the sun stays low (little vitamin D is made)"
        if e.low_sun_all_day
        else "vitamin D can be made when the sun is up"
    )
    iu = e.oral_equivalent_iu
    lines += [
        "",
        f"Place and time     {lat} {lon}, {e.when_utc:%Y-%m-%d %H:%M} UTC",
        f"Solar zenith angle {e.solar_zenith_deg:.1f} degrees",
        f"Noon sun today     zenith {e.noon_solar_zenith_deg:.1f} degrees: {season}",
        f"Daylight left      {daylight}",
        f"UV index           {e.uv_index:.1f} ({uv_note})",
        f"Skin               type {e.skin_type} (typical MED {e.med_j_m2:g} J/m2), "
        f"{e.exposed_percent:g}% exposed for {e.minutes:g} min"
        + (
            f" ({e.minutes_counted:.0f} before sunset counted)"
            if e.minutes_counted is not None
            and e.minutes_counted < e.minutes
            and e.daylight_minutes_left
            else ""
        ),
        f"Time to sunburn    {burn}",
        f"Erythemal dose     {e.erythemal_dose_j_m2:.0f} J/m2 ({e.fraction_of_med:.0%} of one MED)",
        f"Vitamin D dose     {e.vitamin_d_weighted_dose_j_m2:.0f} J/m2 CIE 174-weighted "
        f"(ratio {e.vitamin_d_to_erythema_ratio:.2f})",
        f"Oral equivalent    about {iu.central:,.0f} IU (range {iu.low:,.0f}-{iu.high:,.0f} IU)"
        + (
            "; the sun stays low: little vitamin D expected"
            if e.low_sun_all_day
            else "; little or no vitamin D expected"
            if e.little_or_no_vitamin_d
            else ""
        ),
        "",
        "Assumptions",
    ]
    lines += [f"  - {item}" for item in e.assumptions]
    lines += ["", "Sources"]
    references = load_knowledge().references
    lines += [
        f"  - {s.ref}: {s.locator}" + (f" {references[s.ref].url}" if s.ref in references else "")
        for s in e.sources
    ]
    return "\n".join(lines)


def render_json(estimate: SunExposureEstimate) -> str:
    data: dict[str, Any] = estimate.as_dict()
    knowledge = load_knowledge()
    data["sources"] = [source_json(knowledge, s.ref, s.locator) for s in estimate.sources]
    data["disclaimer"] = DISCLAIMER
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)


def _relocated(error: InputError) -> InputError:
    if isinstance(error.where, str) and error.where in _OPTION_OF_FIELD:
        return InputError(error.message, where=_OPTION_OF_FIELD[error.where], hint=error.hint)
    return error


def sun(
    lat: Annotated[float, typer.Option("--lat", help="Latitude, degrees north (south negative).")],
    lon: Annotated[float, typer.Option("--lon", help="Longitude, degrees east (west negative).")],
    date: Annotated[str, typer.Option("--date", help="Date of exposure, YYYY-MM-DD.")],
    skin_type: Annotated[
        str, typer.Option("--skin-type", help="Fitzpatrick skin type I-VI (or 1-6).")
    ],
    exposed: Annotated[
        str, typer.Option("--exposed", help="Share of body skin uncovered, e.g. 25%.")
    ],
    minutes: Annotated[float, typer.Option("--minutes", help="Planned minutes in the sun.")],
    time: Annotated[
        str, typer.Option("--time", help="Time of day HH:MM in --tz, or 'noon' (solar noon).")
    ] = NOON,
    tz: Annotated[
        str,
        typer.Option(
            "--tz",
            help="Zone of --time: 'solar' (local mean solar time, default), UTC, +02:00, "
            "or an IANA zone like Europe/Amsterdam.",
        ),
    ] = SOLAR_TIME_ZONE,
    uv_index: Annotated[
        float | None,
        typer.Option("--uv-index", help="Measured or forecast UV index; default: clear-sky."),
    ] = None,
    ozone: Annotated[
        float | None,
        typer.Option("--ozone", help="Total ozone column in Dobson units (clear-sky estimate)."),
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", help="Output format: text or json.")
    ] = "text",
) -> None:
    """Safe sun, without burning: burn time and vitamin D from a planned sun exposure.

    Supports, and does not replace, a clinician's judgement.
    """
    if output_format not in {"text", "json"}:
        raise InputError(
            f"unknown format {output_format!r}", where="--format", hint="use text or json"
        )
    if not -180 <= lon <= 180:  # checked before the clock conversion that uses it
        raise InputError(
            f"longitude {lon} is outside -180..180",
            where="--lon",
            hint="give degrees east as positive and west as negative, e.g. 4.9",
        )
    day = parse_iso_date(date, where="--date")
    check_supported_date(day, where="--date")  # before the clock arithmetic that uses it
    when_utc = moment_utc(day, parse_time(time), parse_zone(tz), lon)
    request = SunExposureRequest(
        latitude_deg=lat,
        longitude_deg=lon,
        when_utc=when_utc,
        skin_type=parse_skin_type(skin_type),
        exposed_percent=parse_percent(exposed),
        minutes=minutes,
        uv_index=uv_index,
        ozone_du=ozone,
    )
    try:
        estimate = estimate_sun_exposure(request, load_sun_parameters())
    except InputError as error:
        raise _relocated(error) from None
    typer.echo(render_json(estimate) if output_format == "json" else render_text(estimate))


def register(app: typer.Typer) -> None:
    """Add the ``sun`` command to the ``d3k2`` application."""
    app.command("sun")(sun)
