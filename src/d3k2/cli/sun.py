"""``d3k2 sun``: safe sun, without burning: options -> one call of the engine -> a renderer.

How ``--time`` and ``--tz`` are read: :mod:`d3k2.reading.sun_options`.
"""

from __future__ import annotations

from typing import Annotated

import typer

from d3k2.cli.options import options
from d3k2.errors import InputError
from d3k2.reading.sun_options import NOON, SOLAR_TIME_ZONE, SunRequest

OPTION_OF_FIELD = {
    "lat": "--lat",
    "lon": "--lon",
    "date": "--date",
    "time": "--time",
    "tz": "--tz",
    "skin_type": "--skin-type",
    "exposed": "--exposed",
    "minutes": "--minutes",
    "uv_index": "--uv-index",
    "ozone": "--ozone",
    "altitude": "--altitude",
    "cloud": "--cloud",
}
"""Request fields -> the options a user typed."""


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
    altitude: Annotated[
        float | None,
        typer.Option(
            "--altitude",
            help="Height of the ground above sea level in metres (clear-sky estimate; default 0).",
        ),
    ] = None,
    cloud: Annotated[
        float | None,
        typer.Option(
            "--cloud",
            help="Cloud modification factor 0-1.5: all-sky over clear-sky UV (clear-sky "
            "estimate; default: clear sky).",
        ),
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
    request = SunRequest(
        lat=lat,
        lon=lon,
        date=date,
        skin_type=skin_type,
        exposed=exposed,
        minutes=minutes,
        time=time,
        tz=tz,
        uv_index=uv_index,
        ozone=ozone,
        altitude=altitude,
        cloud=cloud,
    )
    from d3k2.api import Engine
    from d3k2.render.contract import sun_out, to_json
    from d3k2.render.text import sun_text

    engine = Engine.default()
    with options(OPTION_OF_FIELD):
        estimate = engine.sun(request)
    if output_format == "json":
        typer.echo(to_json(sun_out(estimate, engine)))
    else:
        typer.echo(sun_text(estimate, engine.knowledge.references))


def register(app: typer.Typer) -> None:
    """Add the ``sun`` command to the ``d3k2`` application."""
    app.command("sun")(sun)
