"""Regimens as d3k2 reasons about them: dosing segments in the nutrient's reference-intake
unit, the arithmetic on them (dose days, per-day averages, concurrent totals, vitamin D dose
events) and the words used to show them.

Reading what people write into a regimen is an adapter's job
(:mod:`d3k2.reading.regimen`); here a regimen is built only from structured numbers
(:func:`dose_regimen`).

Conventions (documented in the README): a month is 30 days; "twice daily" is a dose
every 0.5 day; a segment without a duration runs for the rest of the horizon; a single
dose has no per-day average and is reported separately. Amounts of calcium and magnesium
are elemental; when a salt is named without the word "elemental" the reading is shown as
an assumption with the elemental alternative.
Pure: no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from d3k2.core.quantities import (
    IU_PER_MCG_VITAMIN_D,
    Quantity,
    amount_in,
    format_number,
    normalize_unit,
)
from d3k2.errors import InputError
from d3k2.knowledge.schema import Nutrient, NutrientForm

DAYS_PER_WEEK: Final = 7.0
DAYS_PER_MONTH: Final = 30.0
"""A month is counted as 30 days (the convention of the calibration trials' monthly arms)."""
DAYS_PER_YEAR: Final = 365.0
MAX_DOSES_PER_DAY: Final = 10
MIN_INTERVAL_DAYS: Final = 0.1
"""Shorter intervals (more than ten doses a day) are not a regimen but a typing slip."""
_WEEKDAY_NAMES: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class RegimenSegment:
    """One dosing phase of one nutrient.

    ``amount_per_dose`` is in ``unit`` (the nutrient's DRI unit: mcg or mg).
    ``interval_days`` is the time between doses; ``None`` for a single dose.
    ``start_day`` counts from the regimen's day 0; ``duration_days`` is ``None`` when the
    phase runs on indefinitely.
    """

    nutrient: str
    form: str
    amount_per_dose: float
    unit: str
    interval_days: float | None
    start_day: float = 0.0
    duration_days: float | None = None
    text: str = ""
    stated: str = ""
    """The amount as the person wrote it ("50,000 IU")."""
    assumptions: tuple[str, ...] = ()
    weekdays: tuple[int, ...] = ()
    """Fixed days of a weekly pattern (0 = Monday: "Mon/Wed/Fri" is (0, 2, 4)); then
    ``interval_days`` is the average interval (7 / number of days) and :meth:`dose_days`
    follows the pattern."""

    @property
    def per_day_average(self) -> float | None:
        """Average amount per day in ``unit``; None for a single dose."""
        if self.interval_days is None:
            return None
        return self.amount_per_dose / self.interval_days

    @property
    def end_day(self) -> float | None:
        if self.interval_days is None:
            return self.start_day + 1.0
        if self.duration_days is None:
            return None
        return self.start_day + self.duration_days

    def dose_days(self, horizon_days: float) -> list[float]:
        """Days (from regimen day 0) on which a dose is taken, before ``horizon_days``."""
        if self.interval_days is None:
            return [self.start_day] if self.start_day < horizon_days else []
        end = self.end_day
        stop = horizon_days if end is None else min(end, horizon_days)
        days: list[float] = []
        if self.weekdays:
            offsets = [d - self.weekdays[0] for d in self.weekdays]
            week = 0
            while self.start_day + week * DAYS_PER_WEEK < stop - 1e-9:
                for offset in offsets:
                    day = self.start_day + week * DAYS_PER_WEEK + offset
                    if day < stop - 1e-9:
                        days.append(day)
                week += 1
            return days
        n = 0
        while True:
            day = self.start_day + n * self.interval_days
            if day >= stop - 1e-9:
                break
            days.append(day)
            n += 1
        return days

    def describe(self) -> str:
        amount = f"{format_number(self.amount_per_dose)} {self.unit}"
        if self.nutrient == "vitamin_d" and self.unit == "mcg":
            amount += f" ({format_number(self.amount_per_dose * IU_PER_MCG_VITAMIN_D)} IU)"
        if self.interval_days is None:
            return f"{amount} once (day {format_number(self.start_day)})"
        how_often = describe_interval(self.interval_days, self.weekdays)
        text = f"{amount} {how_often}"
        if self.duration_days is not None:
            text += f" for {format_number(self.duration_days)} days"
        if self.start_day:
            text += f" from day {format_number(self.start_day)}"
        return text


@dataclass(frozen=True)
class Regimen:
    """A chain of segments, as one plan item: later segments start when earlier ones end."""

    segments: tuple[RegimenSegment, ...]
    text: str = ""
    assumptions: tuple[str, ...] = field(default=())
    unknown: tuple[str, ...] = ()
    """Nutrient ids this item contains in an amount d3k2 does not know (a product whose
    strengths are not in the product table): the intake totals may be higher than shown."""

    @property
    def nutrients(self) -> frozenset[str]:
        return frozenset(s.nutrient for s in self.segments)


@dataclass(frozen=True)
class NutrientCatalog:
    """The nutrients of the knowledge base by id, with their forms: what the core needs to
    know about a nutrient (names for messages, DRI unit, forms and their elemental share).
    Matching nutrient names in text is :class:`d3k2.reading.regimen.NutrientIndex`."""

    nutrients: Mapping[str, Nutrient]

    def form(self, nutrient_id: str, form_id: str | None) -> NutrientForm:
        """The form, or the nutrient's unspecified/first form when none was named."""
        nutrient = self.nutrients[nutrient_id]
        if form_id is not None:
            for form in nutrient.forms:
                if form.id == form_id:
                    return form
        for form in nutrient.forms:
            if "unspecified" in form.id:
                return form
        return nutrient.forms[0]


SALT_STRENGTH_TOLERANCE: Final = 0.5
"""A stated amount within this of a listed salt strength [dri_unit] is that strength
(rounding of the label's figure; not a clinical threshold)."""


def amount_in_dri_unit(
    quantity: Quantity,
    nutrient: Nutrient,
    form: NutrientForm,
    *,
    stated_elemental: bool = False,
    salt_named: str | None = None,
) -> tuple[float, list[str]]:
    """Amount in the DRI unit, and any reading assumptions (elemental vs salt weight).

    ``stated_elemental``: the amount is stated as elemental (no assumption is made).
    ``salt_named``: a salt the input named ("citrate") when the form has no known elemental
    share; it is only mentioned in the assumption.
    """
    assumptions: list[str] = []
    amount = amount_in(quantity.value, quantity.unit, nutrient.dri_unit, nutrient=nutrient.id)
    if stated_elemental:
        return amount, assumptions
    per_unit = amount
    if form.elemental_fraction is not None and any(
        abs(per_unit - strength) <= SALT_STRENGTH_TOLERANCE for strength in form.salt_strengths
    ):
        elemental = amount * form.elemental_fraction
        assumptions.append(
            f"read {quantity} as the weight of the {form.names[0]} salt (a strength labels "
            f"state as salt weight): {format_number(round(elemental, 1))} "
            f"{nutrient.dri_unit} elemental {nutrient.names[0].lower()}; if {quantity} is "
            "elemental, write 'elemental'"
        )
        return elemental, assumptions
    if form.elemental_fraction is not None:
        assumptions.append(
            f"read {quantity} as elemental {nutrient.names[0].lower()}; if it is the weight "
            f"of the {form.names[0]} salt, the elemental amount is "
            f"{format_number(round(amount * form.elemental_fraction, 1))} {nutrient.dri_unit}"
        )
    elif salt_named is not None and nutrient.id in ("calcium", "magnesium"):
        assumptions.append(
            f"read {quantity} as elemental {nutrient.names[0].lower()}; if it is the weight "
            f"of the {salt_named} salt, the elemental amount is lower (its share "
            "of the salt's weight is not in the knowledge base): check the label"
        )
    return amount, assumptions


def dose_regimen(
    nutrients: NutrientCatalog,
    *,
    nutrient: str,
    form: str | None,
    amount: float,
    unit: str,
    interval_days: float | None,
    duration_days: float | None = None,
    text: str = "",
    elemental: bool = False,
) -> Regimen:
    """A one-phase regimen from structured data: a coded product with its dose (a FHIR
    ``dosageInstruction``), a dose-planning candidate. Nothing is written as text to be
    parsed again.

    Parameters
    ----------
    nutrients
        The nutrients of the knowledge base.
    nutrient, form
        Nutrient id (``vitamin_d``) and form id (``cholecalciferol``; None: unspecified).
    amount, unit
        One dose [``unit``: IU, mcg, mg or g].
    interval_days
        Days between doses; None for a single dose.
    duration_days
        How long the phase lasts [days]; None: it goes on.
    text
        How the input named it, for the report.
    elemental
        The amount is elemental (calcium, magnesium), not the salt's weight.

    Raises
    ------
    InputError
        An unknown nutrient, a non-positive or non-finite amount or interval, a unit that
        does not fit the nutrient (IU of calcium).
    """
    if nutrient not in nutrients.nutrients:
        raise InputError(f"unknown nutrient {nutrient!r}", where="nutrient")
    if not math.isfinite(amount) or amount <= 0:
        raise InputError(f"a dose must be more than zero, got {amount!r}", where="amount")
    if interval_days is not None and (
        not math.isfinite(interval_days) or interval_days < MIN_INTERVAL_DAYS
    ):
        raise InputError(f"not a dosing interval: {interval_days!r} days", where="interval")
    nutrient_entry = nutrients.nutrients[nutrient]
    form_entry = nutrients.form(nutrient, form)
    quantity = Quantity(amount, normalize_unit(unit))
    try:
        converted, assumptions = amount_in_dri_unit(
            quantity, nutrient_entry, form_entry, stated_elemental=elemental
        )
    except InputError as error:  # a unit that does not fit the nutrient (IU of calcium)
        raise error.located_field("unit") from None
    segment = RegimenSegment(
        nutrient=nutrient,
        form=form_entry.id,
        amount_per_dose=converted,
        unit=nutrient_entry.dri_unit,
        interval_days=interval_days,
        duration_days=duration_days,
        text=text,
        stated=str(quantity),
        assumptions=tuple(assumptions),
    )
    return Regimen((segment,), text=text)


def vitamin_d_dose_events_iu(regimen: Regimen, horizon_days: int) -> list[tuple[float, float]]:
    """(day, IU) for every vitamin D dose of the regimen before ``horizon_days``."""
    events: list[tuple[float, float]] = []
    for segment in regimen.segments:
        if segment.nutrient != "vitamin_d":
            continue
        amount_iu = amount_in(segment.amount_per_dose, segment.unit, "IU", nutrient="vitamin_d")
        events.extend((day, amount_iu) for day in segment.dose_days(horizon_days))
    return sorted(events)


def max_concurrent_per_day(regimens: Sequence[Regimen], nutrient: str) -> float:
    """The highest total per-day average of ``nutrient`` over time across all regimens
    taken together (single doses excluded)."""
    repeating = [
        s
        for r in regimens
        for s in r.segments
        if s.nutrient == nutrient and s.interval_days is not None
    ]
    if not repeating:
        return 0.0
    boundaries = sorted({s.start_day for s in repeating})
    best = 0.0
    for day in boundaries:
        total = sum(
            s.per_day_average or 0.0
            for s in repeating
            if s.start_day <= day and (s.end_day is None or day < s.end_day)
        )
        best = max(best, total)
    return best


def describe_interval(interval_days: float, weekdays: Sequence[int] = ()) -> str:
    """Canonical words for an interval: 0.5 -> "twice daily", 3.5 -> "twice weekly"."""
    if weekdays:
        names = "/".join(_WEEKDAY_NAMES[d] for d in weekdays)
        return (
            f"weekly on {names}"
            if len(weekdays) == 1
            else f"{len(weekdays)} times weekly ({names})"
        )
    if interval_days == 1:
        return "daily"
    if interval_days < 1:
        per_day = round(1 / interval_days)
        return {2: "twice daily", 3: "three times daily", 4: "four times daily"}.get(
            per_day, f"{per_day} times daily"
        )
    if interval_days == DAYS_PER_WEEK:
        return "weekly"
    if interval_days == DAYS_PER_MONTH:
        return "monthly (every 30 days)"
    if interval_days == DAYS_PER_YEAR:
        return "yearly"
    for period, name in ((DAYS_PER_WEEK, "weekly"), (DAYS_PER_MONTH, "monthly")):
        per_period = period / interval_days
        if interval_days < period and abs(per_period - round(per_period)) < 1e-9:
            count = round(per_period)
            return f"{'twice' if count == 2 else f'{count} times'} {name}"
    days = f"{interval_days:.4g}"
    return f"every {days} days"
