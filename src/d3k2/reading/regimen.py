"""Regimen text: what people write ("D3 50,000 IU weekly for 8 weeks, then 2000 IU daily")
read into the regimens of :mod:`d3k2.core.regimen` (segments in the nutrient's
reference-intake unit).

Conventions (documented in the README): a month is 30 days; "twice daily" is a dose
every 0.5 day; a segment without a duration runs for the rest of the horizon; a single
dose ("once", "single dose", "stat") has no per-day average and is reported separately.
Amounts of calcium and magnesium are elemental; when a salt is named without the word
"elemental" the reading is shown as an assumption with the elemental alternative.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from d3k2.core.quantities import (
    Quantity,
    amount_in,
    format_number,
    normalize_unit,
    parse_number,
)
from d3k2.core.regimen import (
    MIN_INTERVAL_DAYS,
    NutrientCatalog,
    Regimen,
    RegimenSegment,
    amount_in_dri_unit,
    dose_regimen,
)
from d3k2.errors import InputError
from d3k2.knowledge.schema import Medication, Nutrient, NutrientForm, SupplementProduct
from d3k2.reading.regimen_words import (
    COUNT_NUMBER,
    PERIOD_DAYS,
    SINGLE_DOSE_RE,
    UNITS_OF_PRODUCT,
    AmbiguousRegimen,
    canonical_text,
    count_value,
    read_frequency,
    refuse_ranges,
)

CLASS_WORDS: Final = (
    "antagonists?",
    "blockers?",
    "channel",
    "analog(?:ue)?s?",
    "receptors?",
    "inhibitors?",
    "agonists?",
    "deficiency",
    "binders?",
)

_PERIOD_DAYS: Final = PERIOD_DAYS


# --------------------------------------------------------------------------- vocabulary
@dataclass(frozen=True)
class NutrientIndex(NutrientCatalog):
    """Names of nutrients and their forms, longest first, for matching text; and the named
    supplement products (combinations, multivitamins) with what one unit contains. It is
    the core's :class:`~d3k2.core.regimen.NutrientCatalog` too."""

    names: tuple[tuple[str, str, str | None], ...]
    """(lower-case name, nutrient id, form id or None), longest name first."""
    pattern: re.Pattern[str]
    """Every name as one whole-word alternation, longest first."""
    products: tuple[tuple[re.Pattern[str], SupplementProduct], ...] = ()
    """Each product name as a pattern over canonical text, longest name first."""
    memo: dict[tuple[str, str | None, bool], Regimen] = field(
        default_factory=dict, compare=False, repr=False
    )
    """Parsed regimens by (text, default nutrient, allow unknown): the same items recur
    across patients."""

    @classmethod
    def build(
        cls,
        nutrients: Sequence[Nutrient],
        medications: Sequence[Medication] = (),
        products: Sequence[SupplementProduct] = (),
    ) -> NutrientIndex:
        """``medications`` adds the names and brands of every single-nutrient supplement
        with a ``nutrient_form`` ("Dekristol" is cholecalciferol); ``products`` the named
        products of ``tables/supplement_products.yaml``."""
        names: list[tuple[str, str, str | None]] = []
        form_nutrient = {f.id: n.id for n in nutrients for f in n.forms}
        for nutrient in nutrients:
            names.extend((n.lower(), nutrient.id, None) for n in nutrient.names)
            for form in nutrient.forms:
                names.extend((n.lower(), nutrient.id, form.id) for n in form.names)
        for medication in medications:
            form_id = medication.nutrient_form
            if form_id is None or form_id not in form_nutrient:
                continue
            names.extend(
                (n.lower(), form_nutrient[form_id], form_id)
                for n in (*medication.names, *medication.brands)
            )
        names = list(dict.fromkeys(names))
        names.sort(key=lambda entry: -len(entry[0]))
        alternation = "|".join(re.escape(name) for name in dict.fromkeys(n for n, _, _ in names))
        # A name followed by a class word names a drug class ("vitamin K antagonist",
        # "vitamin D analogue"), not the nutrient.
        pattern = re.compile(
            rf"(?<![\w-])(?:{alternation})(?![\w-])(?!\s+(?:{'|'.join(CLASS_WORDS)})\b)"
        )
        product_patterns = sorted(
            (
                (len(name), _product_pattern(name), product)
                for product in products
                for name in product.names
            ),
            key=lambda entry: -entry[0],
        )
        return cls(
            {n.id: n for n in nutrients},
            tuple(names),
            pattern,
            tuple((compiled, product) for _, compiled, product in product_patterns),
        )

    def find(self, text: str) -> tuple[str, str | None] | None:
        """(nutrient id, form id) named in ``text``; the longest name wins."""
        matched = set(self.pattern.findall(text.lower()))
        found_nutrient: str | None = None
        found_form: str | None = None
        for name, nutrient_id, form_id in self.names:
            if name in matched:
                if found_nutrient is None:
                    found_nutrient, found_form = nutrient_id, form_id
                elif nutrient_id == found_nutrient and found_form is None and form_id:
                    found_form = form_id
        if found_nutrient is None:
            return None
        return found_nutrient, found_form

    def named(self, text: str) -> set[str]:
        """Every nutrient id named in ``text``."""
        matched = set(self.pattern.findall(text.lower()))
        return {nutrient_id for name, nutrient_id, _ in self.names if name in matched}

    def lookup(self, name: str) -> tuple[str, str | None] | None:
        """Exact (case-insensitive) lookup of a nutrient or form name."""
        lowered = name.strip().lower()
        for entry_name, nutrient_id, form_id in self.names:
            if entry_name == lowered:
                return nutrient_id, form_id
        return None

    def product_in(self, text: str) -> tuple[SupplementProduct, re.Match[str]] | None:
        """The named product in canonical ``text`` (the longest name wins), or None."""
        for compiled, product in self.products:
            m = compiled.search(text)
            if m:
                return product, m
        return None


def _product_pattern(name: str) -> re.Pattern[str]:
    """A product name matched whole in canonical text, with or without spaces or
    punctuation between its words ("Caltrate 600+D3" = "caltrate 600 + d3")."""
    chunks = re.findall(r"[^\W_]+", canonical_text(name))
    joined = r"[\s+\-/&.,]*".join(re.escape(chunk) for chunk in chunks)
    return re.compile(rf"(?<![\w-]){joined}(?![\w-])")


# --------------------------------------------------------------------------- parsing text
_AMOUNT_RE: Final = re.compile(
    r"(?<![\w.,-])(?P<number>[1-9]\d{0,2}(?:\.\d{3})+(?![\d.,])|\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+(?:[.,]\d+)?)\s*"
    r"(?P<unit>international units|i\.u\.|iu|units?|mcg|µg|μg|ug|micrograms?|mg|milligrams?|"
    r"g|grams?)(?![a-z])",
    re.IGNORECASE,
)
_DOT_GROUPED_RE: Final = re.compile(r"^[1-9]\d{0,2}(?:\.\d{3})+$")
_COUNT_WITH_UNIT_RE: Final = re.compile(
    rf"(?<![\w.,/-])(?P<count>{COUNT_NUMBER})\s*(?:x\s+|×\s*)?{UNITS_OF_PRODUCT}(?![\w-])"
)
_COUNT_TIMES_BEFORE_RE: Final = re.compile(
    rf"(?<![\w.,/])(?P<count>{COUNT_NUMBER})\s*(?:x|×|\*)\s*$"
)
_COUNT_TIMES_AFTER_RE: Final = re.compile(
    r"^\s*(?:x|×|\*)\s*(?P<count>\d+)\b(?!\s*(?:iu|mcg|µg|mg|g|days?|weeks?|months?|years?|d|"
    r"wk|mo|times|x)\b)"
)
_SPLIT_RE: Final = re.compile(r"\s*(?:,\s*then|;\s*then|\bthen\b|\bfollowed by\b)\s*", re.I)
_ITEM_SPLIT_RE: Final = re.compile(r"\s*;\s*(?!\s*(?:then|followed by)\b)", re.I)
_WITH_D_RE: Final = re.compile(r"([+&]|\bwith|\bplus|\band)\s*d(?![\w-])")
_BARE_MINERAL_RE: Final = re.compile(
    r"(?<![\w-])(calcium|magnesium)\s+(\d{2,4})(?=\s*(?:\+|&|with|plus|and|/)\s*(?:vitamin|vit|d))"
)


def _single_dose_or_interval(text: str) -> tuple[float | None, tuple[int, ...]] | str:
    """(interval in days or None for a single dose, weekdays); "" when no frequency is
    written.

    A single-dose phrase ("single dose", "once only", "stat", "bolus") together with a
    repeating frequency ("daily") is a contradiction and an error, never a guess; the words
    "single" and "x 1" alone ("single capsule", "x 1 month") say nothing about frequency.
    Taken "as needed" with no frequency cannot be counted and is refused.
    """
    single = SINGLE_DOSE_RE.search(text)
    frequency = read_frequency(text)
    repeating = frequency if frequency is not None and frequency.interval_days else None
    if single and repeating is not None:
        raise InputError(
            f"{text.strip()!r} says both '{single.group(1)}' and a repeating frequency",
            hint="write either a single dose ('once') or a schedule ('daily', 'weekly')",
        )
    if single:
        return None, ()
    if repeating is not None and repeating.interval_days is not None:
        return repeating.interval_days, repeating.weekdays
    if frequency is not None and frequency.as_needed:
        raise InputError(
            f"{text.strip()!r} is taken as needed, so how much a day is not known",
            hint="write how often it is taken at most, e.g. 'up to 2 tablets daily as needed'",
        )
    if re.search(r"(?<![\w-])once(?![\w-])", text):
        return None, ()
    return ""


def _duration_days(text: str) -> float | None:
    t = text.lower()
    m = re.search(r"(?:\bfor\b|\bx)\s*(\d+(?:\.\d+)?)\s*(day|week|month|year|d|wk|mo|yr)s?\b", t)
    if not m:
        return None
    return parse_number(m.group(1)) * _PERIOD_DAYS[m.group(2)]


def _dose_count(text: str) -> int | None:
    m = re.search(r"\bfor\s+(\d+)\s+doses?\b|\b(\d+)\s+doses?\b", text.lower())
    if not m:
        return None
    return int(m.group(1) or m.group(2))


def _to_dri_amount(
    quantity: Quantity, nutrient: Nutrient, form: NutrientForm, text: str
) -> tuple[float, list[str]]:
    """Amount in the DRI unit, and any reading assumptions (elemental vs salt weight), with
    "elemental" and a salt's name read from ``text``."""
    if "elemental" in text.lower():
        return amount_in_dri_unit(quantity, nutrient, form, stated_elemental=True)
    salt = _SALT_RE.search(text)
    return amount_in_dri_unit(
        quantity, nutrient, form, salt_named=None if salt is None else salt.group(0).lower()
    )


_SALT_RE: Final = re.compile(
    r"\b(carbonate|citrate|acetate|gluconate|lactate|phosphate|oxide|hydroxide|chloride|"
    r"glycinate|bisglycinate|malate|threonate|taurate|sulfate|sulphate|orotate|aspartate|"
    r"lactogluconate|citrate malate)\b",
    re.IGNORECASE,
)


def _units_per_dose(part: str, amounts: Sequence[re.Match[str]]) -> float:
    """How many tablets/capsules/drops of the stated amount (or product) make one dose
    ("2 x 1000 IU", "1000 IU, 2 capsules", "1/2 tablet", "two capsules"); 1 when none is
    written. Two different counts are an error, never a guess."""
    counts: list[float] = []
    masked = part
    for match in amounts:
        before = _COUNT_TIMES_BEFORE_RE.search(part[: match.start()])
        after = _COUNT_TIMES_AFTER_RE.match(part[match.end() :])
        if before:
            counts.append(count_value(before.group("count")))
        if after:
            counts.append(count_value(after.group("count")))
        masked = (
            masked[: match.start()] + " " * (match.end() - match.start()) + masked[match.end() :]
        )
    counts.extend(count_value(m.group("count")) for m in _COUNT_WITH_UNIT_RE.finditer(masked))
    distinct = sorted(set(counts))
    if len(distinct) > 1:
        raise AmbiguousRegimen(
            f"two counts of units per dose in {part.strip()!r}",
            [format_number(c) for c in distinct],
            hint='write one, for example "2 x 1000 IU daily"',
        )
    if distinct and distinct[0] <= 0:
        raise InputError(f"the number of units per dose must be more than 0 in {part.strip()!r}")
    return distinct[0] if distinct else 1.0


def parse_regimen(
    text: str,
    nutrients: NutrientIndex,
    *,
    default_nutrient: str | None = None,
    allow_unknown: bool = False,
) -> Regimen:
    """Parse a regimen written as text.

    Examples: ``"vitamin D3 50,000 IU weekly for 8 weeks, then 2000 IU daily"``,
    ``"K2 MK-7 100 mcg daily"``, ``"calcium citrate 600 mg elemental twice daily"``,
    ``"100000 IU once"``, ``"Dekristol 20000 I.E. 1x/Woche"``, ``"Adcal-D3 1 tablet twice
    daily"``, ``"D3 1000 IU daily; K2 100 mcg daily"`` (a semicolon separates items taken
    together; phases are separated by "then" or "followed by").

    ``allow_unknown``: a named product whose strengths are not all known is returned with
    the known segments and ``Regimen.unknown`` (for supplements already taken); otherwise
    it is refused.

    Raises
    ------
    AmbiguousRegimen
        When a phrase has more than one reading ("biweekly", "1-2 tablets", "daily" with
        "weekly"); the message lists the readings.
    InputError
        When the nutrient, amount, unit or frequency cannot be read, or an amount is
        negative, or a phase without a duration is followed by another phase.
    """
    key = (text, default_nutrient, allow_unknown)
    if key in nutrients.memo:
        return nutrients.memo[key]
    regimen = _parse_items(text, nutrients, default_nutrient, allow_unknown)
    if len(nutrients.memo) >= REGIMEN_MEMO_MAX_ENTRIES:
        nutrients.memo.clear()
    nutrients.memo[key] = regimen
    return regimen


REGIMEN_MEMO_MAX_ENTRIES: Final = 100_000


def split_items(text: str) -> list[str]:
    """Items taken together, written in one line with semicolons ("D3 1000 IU daily; K2
    100 mcg daily"); a semicolon followed by "then" separates phases, not items."""
    return [item for item in _ITEM_SPLIT_RE.split(text.strip()) if item.strip()]


def _parse_items(
    text: str, nutrients: NutrientIndex, default_nutrient: str | None, allow_unknown: bool
) -> Regimen:
    if not text or not text.strip():
        raise InputError("the regimen is empty", hint='for example "D3 2000 IU daily"')
    items = split_items(text)
    if len(items) == 1:
        return _parse_chain(items[0], nutrients, default_nutrient, allow_unknown)
    regimens: list[Regimen] = []
    for item in items:
        canonical = canonical_text(item)
        if (
            regimens
            and nutrients.find(_AMOUNT_RE.sub(" ", canonical)) is None
            and (nutrients.product_in(canonical) is None)
        ):
            raise AmbiguousRegimen(
                f"{item.strip()!r} after a semicolon names no nutrient",
                ["a next phase of the item before it", "a separate item taken at the same time"],
                hint="write ', then' for a next phase, or name the nutrient of a separate item",
            )
        regimens.append(_parse_chain(item, nutrients, default_nutrient, allow_unknown))
    return Regimen(
        tuple(s for r in regimens for s in r.segments),
        text=text.strip(),
        unknown=tuple(dict.fromkeys(n for r in regimens for n in r.unknown)),
    )


def _parse_chain(
    text: str, nutrients: NutrientIndex, default_nutrient: str | None, allow_unknown: bool
) -> Regimen:
    """Parse one item; an error quotes the person's own words, not the canonical text."""
    try:
        return _parse_canonical_chain(text, nutrients, default_nutrient, allow_unknown)
    except InputError as error:
        canonical = canonical_text(text)
        originals = [p.strip() for p in _SPLIT_RE.split(text.strip()) if p and p.strip()]
        parts = [p.strip() for p in _SPLIT_RE.split(canonical) if p and p.strip()]
        message = error.message
        if len(originals) == len(parts):
            for original, part in zip(originals, parts, strict=True):
                message = message.replace(repr(part), repr(original))
        if isinstance(error, AmbiguousRegimen):
            raise AmbiguousRegimen(
                message.split(": it could mean ")[0], error.readings, hint=error.hint or ""
            ) from None
        raise InputError(message, where=error.where, hint=error.hint) from None


def _parse_canonical_chain(
    text: str, nutrients: NutrientIndex, default_nutrient: str | None, allow_unknown: bool
) -> Regimen:
    canonical = canonical_text(text)
    parts = [p for p in _SPLIT_RE.split(canonical) if p and p.strip()]
    segments: list[RegimenSegment] = []
    unknown: list[str] = []
    current: tuple[str, str | None] | None = None
    start_day = 0.0
    for index, part in enumerate(parts):
        if re.search(r"-\s*\d", part) and re.search(
            r"(?<![\w])-\s*\d[\d,.]*\s*[a-zµμ]", part, re.I
        ):
            raise InputError(f"a dose cannot be negative: {part!r}")
        refuse_ranges(part)
        product = nutrients.product_in(part)
        bare_mineral = None
        if product is not None:
            rest = part[: product[1].start()] + " " + part[product[1].end() :]
        else:
            part = _WITH_D_RE.sub(r"\1 vitamin d", part)
            bare_mineral = _BARE_MINERAL_RE.search(part)
            part = _BARE_MINERAL_RE.sub(r"\1 \2 mg", part)
            rest = part
        amounts = list(_AMOUNT_RE.finditer(rest))
        if product is not None:
            components, missing = _product_components(product[0], rest, amounts, nutrients)
            if missing and not allow_unknown:
                raise InputError(
                    f"the amount of {' and '.join(n.replace('_', ' ') for n in missing)} in "
                    f"'{product[0].names[0]}' is not known to d3k2 (its formulas differ by "
                    "country or over time, or the name covers several strengths)",
                    hint="write each ingredient's amount from the label, for example "
                    "'calcium 500 mg + D3 400 IU twice daily'",
                )
            unknown.extend(missing)
        else:
            named = nutrients.find(_AMOUNT_RE.sub(" ", part))
            if named is not None:
                if current is not None and named[0] == current[0] and named[1] is None:
                    named = current
                current = named
            elif current is None:
                if default_nutrient is None:
                    raise InputError(
                        f"which nutrient is {part.strip()!r}?",
                        hint='name it, for example "vitamin D3 2000 IU daily" or "K2 MK-7 '
                        '100 mcg daily"',
                    )
                current = (default_nutrient, None)
            if not amounts:
                raise InputError(
                    f"no amount with a unit in {part.strip()!r}",
                    hint="write the amount and its unit, for example 2000 IU, 100 mcg, 500 mg",
                )
            components = _components(part, amounts, current, nutrients)
            count = _units_per_dose(part, amounts)
            components = [_times_count(c, count) for c in components]
            if bare_mineral is not None:
                components = [
                    (n, f, q, a, [*notes, _bare_mineral_note(bare_mineral)])
                    if n.id == bare_mineral.group(1)
                    else (n, f, q, a, notes)
                    for n, f, q, a, notes in components
                ]
        interval = _single_dose_or_interval(rest)
        if isinstance(interval, str):
            raise InputError(
                f"how often is {part.strip()!r} taken?",
                hint='add a frequency: "daily", "twice daily", "weekly", "every 2 weeks", '
                '"monthly" or "once"',
            )
        interval_days, weekdays = interval
        duration = _duration_days(rest)
        doses = _dose_count(rest)
        if doses is not None and interval_days is not None and duration is None:
            duration = doses * interval_days
        if interval_days is not None and duration is not None and duration < interval_days:
            raise InputError(
                f"the duration is shorter than the dosing interval in {part.strip()!r}"
            )
        if index < len(parts) - 1 and interval_days is not None and duration is None:
            raise InputError(
                f"{part.strip()!r} has no duration, so the phase after it would never start",
                hint='say how long it lasts, for example "for 8 weeks"',
            )
        phase = [
            RegimenSegment(
                nutrient=nutrient.id,
                form=form.id,
                amount_per_dose=amount,
                unit=nutrient.dri_unit,
                interval_days=interval_days,
                start_day=start_day,
                duration_days=duration,
                text=part.strip(),
                stated=str(quantity),
                assumptions=tuple(assumptions),
                weekdays=weekdays,
            )
            for nutrient, form, quantity, amount, assumptions in components
        ]
        segments.extend(phase)
        if phase:
            end = phase[0].end_day
        elif interval_days is None:
            end = start_day + 1.0
        else:
            end = None if duration is None else start_day + duration
        start_day = end if end is not None else start_day
    return Regimen(tuple(segments), text=text.strip(), unknown=tuple(dict.fromkeys(unknown)))


def _bare_mineral_note(match: re.Match[str]) -> str:
    return (
        f"read '{match.group(0)}' as {match.group(2)} mg {match.group(1)} (the number in a "
        f"{match.group(1)} product's name is its mg of {match.group(1)}); check the label"
    )


Component = tuple[Nutrient, NutrientForm, Quantity, float, list[str]]


def _times_count(component: Component, count: float) -> Component:
    nutrient, form, quantity, amount, assumptions = component
    if count == 1:
        return component
    note = (
        f"{format_number(count)} x {quantity} = {format_number(quantity.value * count)} "
        f"{quantity.unit} per dose"
    )
    return (
        nutrient,
        form,
        Quantity(quantity.value * count, quantity.unit),
        amount * count,
        [*assumptions, note],
    )


def _product_components(
    product: SupplementProduct,
    rest: str,
    amounts: Sequence[re.Match[str]],
    nutrients: NutrientIndex,
) -> tuple[list[Component], list[str]]:
    """One component per ingredient of known strength (x the units per dose), and the
    nutrients whose strength is unknown."""
    count = _units_per_dose(rest, [])
    known = [i for i in product.ingredients if i.amount is not None]
    written = [
        Quantity(
            parse_number(re.sub(r"[ \u00a0\u202f]", "", m.group("number"))),
            normalize_unit(m.group("unit")),
        )
        for m in amounts
    ]
    components: list[Component] = []
    for ingredient in known:
        assert ingredient.amount is not None
        nutrient = nutrients.nutrients[ingredient.nutrient]
        form = nutrients.form(ingredient.nutrient, ingredient.form)
        quantity = Quantity(ingredient.amount, ingredient.unit)
        amount = amount_in(
            ingredient.amount, ingredient.unit, nutrient.dri_unit, nutrient=nutrient.id
        )
        note = (
            f"read '{product.names[0]}' as {quantity} {nutrient.names[0].lower()} per "
            f"{product.unit} (product table: {product.id})"
        )
        components.append(_times_count((nutrient, form, quantity, amount, [note]), count))
    for quantity in written:
        if not any(_same_amount(quantity, c) for c in components):
            raise AmbiguousRegimen(
                f"{quantity} is written with '{product.names[0]}', whose table strengths per "
                f"{product.unit} are " + (", ".join(str(c[2]) for c in components) or "unknown"),
                [
                    f"{format_number(count)} {product.unit}(s) of {product.names[0]}",
                    f"{quantity} per dose",
                ],
                hint=f"write the product and the number of units ('{product.names[0]} 1 "
                "tablet twice daily'), or each ingredient's amount without the product name",
            )
    missing = [i.nutrient for i in product.ingredients if i.amount is None]
    return components, list(dict.fromkeys(missing))


def _same_amount(quantity: Quantity, component: Component) -> bool:
    """A written amount that is the product's own strength (per unit or per dose)."""
    nutrient, _, stated, amount, _ = component
    try:
        written = amount_in(quantity.value, quantity.unit, nutrient.dri_unit, nutrient=nutrient.id)
    except InputError:
        return False
    per_unit = amount_in(stated.value, stated.unit, nutrient.dri_unit, nutrient=nutrient.id)
    return any(math.isclose(written, value, rel_tol=1e-6) for value in (amount, per_unit))


def _components(
    part: str,
    amounts: list[re.Match[str]],
    current: tuple[str, str | None],
    nutrients: NutrientIndex,
) -> list[Component]:
    """One (nutrient, form, amount) per amount in ``part``: one amount, or a combination
    product naming a different nutrient before each amount ("calcium 600 mg + D3 400 IU")."""
    named_here = nutrients.named(_AMOUNT_RE.sub(" ", part))
    if len(amounts) == 1:
        if len(named_here) > 1:
            raise AmbiguousRegimen(
                f"one amount and {len(named_here)} nutrients in {part.strip()!r}",
                [f"{amounts[0].group(0)} of {n.replace('_', ' ')}" for n in sorted(named_here)],
                hint="name the nutrient before each amount: 'calcium 500 mg + D3 800 IU daily'",
            )
        return [_component(part, part, amounts[0], current, nutrients)]
    chunks: list[tuple[str, re.Match[str], tuple[str, str | None]]] = []
    previous_end = 0
    for match in amounts:
        chunk = part[previous_end : match.end()]
        named = nutrients.find(_AMOUNT_RE.sub(" ", chunk))
        if len(nutrients.named(_AMOUNT_RE.sub(" ", chunk))) > 1:
            raise AmbiguousRegimen(
                f"which amount is which nutrient in {part.strip()!r}",
                [m.group(0) for m in amounts],
                hint="name the nutrient before each amount: 'calcium 500 mg + D3 800 IU daily'",
            )
        if named is None and chunks and _equivalent(chunks[-1][1], match, chunks[-1][2][0]):
            previous_end = match.end()  # "125 mcg (5000 IU)": the same amount restated
            continue
        if named is None:
            raise AmbiguousRegimen(
                f"more than one amount in {part.strip()!r}",
                [m.group(0) for m in amounts],
                hint="write one amount per phase (separate phases with ', then'), or name "
                "the nutrient before each amount of a combination product",
            )
        chunks.append((chunk, match, named))
        previous_end = match.end()
    if len(chunks) == 1:
        chunk, match, named = chunks[0]
        return [_component(part, part, match, named, nutrients)]
    if len({named[0] for _, _, named in chunks}) != len(chunks):
        raise InputError(
            f"the same nutrient has two amounts in {part.strip()!r}",
            hint="write one amount per nutrient",
        )
    return [_component(part, chunk, match, named, nutrients) for chunk, match, named in chunks]


def _equivalent(first: re.Match[str], second: re.Match[str], nutrient: str) -> bool:
    """Two written amounts that are the same dose in two units (within 1%)."""
    try:
        values = [
            amount_in(
                parse_number(re.sub(r"[ \u00a0\u202f]", "", m.group("number"))),
                normalize_unit(m.group("unit")),
                "mcg",
                nutrient=nutrient,
            )
            for m in (first, second)
        ]
    except InputError:
        return False
    return normalize_unit(first.group("unit")) != normalize_unit(
        second.group("unit")
    ) and math.isclose(values[0], values[1], rel_tol=0.01)


def _component(
    part: str,
    chunk: str,
    match: re.Match[str],
    named: tuple[str, str | None],
    nutrients: NutrientIndex,
) -> Component:
    number_text = match.group("number")
    if _DOT_GROUPED_RE.match(number_text):
        raise AmbiguousRegimen(
            f"{number_text} {match.group('unit')} is ambiguous in {part.strip()!r}",
            [
                f"{format_number(float(number_text))} {normalize_unit(match.group('unit'))}",
                f"{format_number(float(number_text.replace('.', '')))} "
                f"{normalize_unit(match.group('unit'))}",
            ],
            hint='write thousands with a comma or nothing ("50,000 IU" or "50000 IU")',
        )
    quantity = Quantity(
        parse_number(re.sub(r"[ \u00a0\u202f]", "", number_text)),
        normalize_unit(match.group("unit")),
    )
    if quantity.value <= 0:
        raise InputError(f"a dose must be more than zero: {part.strip()!r}")
    nutrient = nutrients.nutrients[named[0]]
    form = nutrients.form(named[0], named[1])
    amount, assumptions = _to_dri_amount(quantity, nutrient, form, chunk)
    return nutrient, form, quantity, amount, assumptions


def parse_structured_item(item: Mapping[str, Any], nutrients: NutrientIndex) -> Regimen:
    """A plan item written as a mapping:
    ``{nutrient: vitamin K2, form: MK-7, amount: 100, unit: mcg, every: day}``.

    Keys: ``nutrient`` (required), ``form``, ``amount`` and ``unit`` (required),
    ``every`` (day | week | month | "2 weeks" | once), ``times`` (doses per ``every``),
    ``for`` (duration, e.g. "8 weeks"), ``elemental`` (true when the amount is elemental).
    """
    allowed = {"nutrient", "form", "amount", "unit", "every", "times", "for", "elemental"}
    unknown = sorted(set(item) - allowed)
    if unknown:
        raise InputError(
            f"unknown key {unknown[0]!r} in a plan item",
            where=unknown[0],
            hint="plan items take: " + ", ".join(sorted(allowed)),
        )
    for key in ("nutrient", "amount", "unit"):
        if item.get(key) in (None, ""):
            raise InputError(f"a plan item needs {key!r}", where=key)
    for key in ("nutrient", "form", "unit", "every", "for"):
        if item.get(key) is not None and not isinstance(item[key], str | int | float):
            raise InputError(f"{key} must be a single value, got {item[key]!r}", where=key)
    named = nutrients.lookup(str(item["nutrient"])) or nutrients.find(str(item["nutrient"]))
    if named is None:
        raise InputError(
            f"unknown nutrient {item['nutrient']!r}",
            where="nutrient",
            hint="use vitamin D3, vitamin K2, calcium or magnesium",
        )
    nutrient_id, form_id = named
    if item.get("form") not in (None, ""):
        form_text = str(item["form"])
        # A form is often written without its nutrient ("form: carbonate" under "nutrient:
        # calcium"): read it with the nutrient's name in front. Only exact names are looked
        # up this way, so a salt word alone never names a nutrient in free text.
        form_named = (
            nutrients.lookup(form_text)
            or nutrients.find(form_text)
            or nutrients.lookup(f"{item['nutrient']} {form_text}")
        )
        if form_named is None or form_named[0] != nutrient_id or form_named[1] is None:
            raise InputError(
                f"unknown form {item['form']!r} of {nutrient_id.replace('_', ' ')}",
                where="form",
                hint="forms: "
                + ", ".join(f.names[0] for f in nutrients.nutrients[nutrient_id].forms),
            )
        form_id = form_named[1]
    amount_raw = item["amount"]
    if isinstance(amount_raw, bool) or not isinstance(amount_raw, int | float | str):
        raise InputError(f"amount must be a number, got {amount_raw!r}", where="amount")
    value = float(amount_raw) if not isinstance(amount_raw, str) else parse_number(amount_raw)
    if not math.isfinite(value):
        raise InputError(f"amount must be a finite number, got {amount_raw!r}", where="amount")
    if value <= 0:
        raise InputError(f"amount must be more than zero, got {amount_raw!r}", where="amount")
    try:
        unit = normalize_unit(str(item["unit"]))
    except InputError as error:
        raise error.located_field("unit") from None
    every = str(item.get("every", "")).strip().lower()
    times = item.get("times", 1)
    if isinstance(times, bool) or not isinstance(times, int) or times < 1:
        raise InputError(
            f"times must be a whole number of at least 1, got {times!r}", where="times"
        )
    interval_days: float | None
    if every in ("once", "single", "single dose"):
        interval_days = None
    else:
        m = re.fullmatch(r"(?:(\d+(?:\.\d+)?)\s*)?(day|week|month|d|wk|mo)s?", every)
        if not m:
            raise InputError(
                f"every must be day, week, month, 'N weeks' or once; got {item.get('every')!r}",
                where="every",
            )
        interval_days = parse_number(m.group(1) or "1") * _PERIOD_DAYS[m.group(2)] / times
        if interval_days < MIN_INTERVAL_DAYS:
            raise InputError(
                f"every {item.get('every')!r} is not a dosing interval",
                where="every",
                hint="the interval must be longer than zero, e.g. day, week, '2 weeks'",
            )
    duration = _duration_days(f"for {item['for']}") if item.get("for") else None
    if item.get("for") and duration is None:
        raise InputError(
            f"cannot read the duration {item['for']!r}", where="for", hint='for example "8 weeks"'
        )
    return dose_regimen(
        nutrients,
        nutrient=nutrient_id,
        form=form_id,
        amount=value,
        unit=unit,
        interval_days=interval_days,
        duration_days=duration,
        text=", ".join(f"{k}: {v}" for k, v in item.items()),
        elemental=bool(item.get("elemental")),
    )
