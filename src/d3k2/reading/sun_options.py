"""What a person writes to ask about the sun -> the core's :class:`SunExposureRequest`.

Time: ``time`` is read in the zone ``tz``. The default zone is ``solar``, local mean solar
time at the longitude (12:00 is within about 16 minutes of the sun's highest point), which
needs no time-zone database and cannot be silently shifted by daylight saving. ``tz`` also
takes ``UTC``, a UTC offset such as ``+02:00`` or an IANA zone such as
``Europe/Amsterdam`` (clock time, daylight saving included). ``time="noon"`` (the default)
means true solar noon, whatever the zone. Errors name the request field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from d3k2.core.dates import parse_iso_date
from d3k2.errors import InputError, shown

if TYPE_CHECKING:
    from d3k2.core.sun.model import SunExposureRequest

# The sun model (solar geometry) is imported by the functions that use it, so commands that
# only need this module's names (``d3k2 --help``, ``assess``) do not pay for it.

SOLAR_TIME_ZONE = "solar"
NOON = "noon"
MAX_BARE_FRACTION = 1.0
"""``--exposed`` at or below this without a ``%`` sign is read as a fraction and refused."""
FIELD_OF_CORE_FIELD = {
    "latitude_deg": "lat",
    "longitude_deg": "lon",
    "exposed_percent": "exposed",
    "ozone_du": "ozone",
    "altitude_m": "altitude",
    "cloud_modification_factor": "cloud",
}
"""Field names of the core's errors -> the request's fields."""
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
            f"not a time of day: {text!r}", where="time", hint="use HH:MM, e.g. 12:30, or noon"
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
            raise InputError(f"UTC offset {name!r} is beyond 14 hours", where="tz")
        return dt.timezone(-delta if sign == "-" else delta)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a path
        raise InputError(
            f"unknown time zone {shown(name)}",
            where="tz",
            hint="use solar (default), UTC, an offset like +02:00, or a zone like Europe/Amsterdam",
        ) from None


def moment_utc(
    date: dt.date, time_of_day: dt.time | None, zone: dt.tzinfo | None, lon: float
) -> dt.datetime:
    """The exposure moment in UTC from date, time (None = solar noon) and zone."""
    if time_of_day is None:
        from d3k2.core.sun.model import solar_noon_utc

        return solar_noon_utc(date, lon)
    if zone is None:
        from d3k2.core.sun.model import utc_from_local_mean_solar_time

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
            f"not a percentage: {text!r}", where="exposed", hint="use e.g. 25% or 25"
        ) from None
    if not has_percent_sign and 0 < value <= MAX_BARE_FRACTION:
        percent = f"{value * 100:g}"
        raise InputError(
            f"{stripped} looks like a fraction of the skin, not a percentage",
            where="exposed",
            hint=f"write {percent}% or {percent}; if you really mean {value:g} percent of "
            f"the skin, write {value:g}%",
        )
    return value


@dataclass(frozen=True)
class SunRequest:
    """A planned sun exposure as a person writes it (the options of ``d3k2 sun``)."""

    lat: float
    """Latitude, degrees north (south negative)."""
    lon: float
    """Longitude, degrees east (west negative)."""
    date: str | dt.date
    skin_type: str
    """Fitzpatrick type I-VI (or 1-6)."""
    exposed: str
    """Share of body skin uncovered, "25%"."""
    minutes: float
    time: str = NOON
    tz: str = SOLAR_TIME_ZONE
    uv_index: float | None = None
    ozone: float | None = None
    altitude: float | None = None
    """Height of the ground above sea level, metres (clear-sky estimate only)."""
    cloud: float | None = None
    """Cloud modification factor, 0-1.5 (clear-sky estimate only)."""

    def exposure(self) -> SunExposureRequest:
        """The core's request, with the moment in UTC. Raises InputError naming the field."""
        from d3k2.core.sun.model import SunExposureRequest, check_supported_date

        if not -180 <= self.lon <= 180:  # checked before the clock conversion that uses it
            raise InputError(
                f"longitude {self.lon} is outside -180..180",
                where="lon",
                hint="give degrees east as positive and west as negative, e.g. 4.9",
            )
        day = (
            self.date if isinstance(self.date, dt.date) else parse_iso_date(self.date, where="date")
        )
        check_supported_date(day, where="date")  # before the clock arithmetic that uses it
        when_utc = moment_utc(day, parse_time(self.time), parse_zone(self.tz), self.lon)
        return SunExposureRequest(
            latitude_deg=self.lat,
            longitude_deg=self.lon,
            when_utc=when_utc,
            skin_type=parse_skin_type(self.skin_type),
            exposed_percent=parse_percent(self.exposed),
            minutes=self.minutes,
            uv_index=self.uv_index,
            ozone_du=self.ozone,
            altitude_m=self.altitude,
            cloud_modification_factor=self.cloud,
        )
