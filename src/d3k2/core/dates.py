"""Dates as people and files give them (ISO 8601, YYYY-MM-DD)."""

from __future__ import annotations

import datetime as dt

from d3k2.errors import InputError


def parse_iso_date(value: object, where: str | None = None) -> dt.date:
    """A date from ``YYYY-MM-DD`` text, a date or a datetime.

    Raises InputError naming ``where`` (a field or option) for anything else, including
    impossible dates such as 2024-02-30.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(
            f"{value!r} is not a valid date", where=where, hint="write dates as YYYY-MM-DD"
        ) from None
