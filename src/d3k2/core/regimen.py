"""Regimens: what people write ("D3 50,000 IU weekly for 8 weeks, then 2000 IU daily")
turned into dosing segments in the nutrient's reference-intake unit.

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
    IU_PER_MCG_VITAMIN_D,
    Quantity,
    amount_in,
    format_number,
    normalize_unit,
    parse_number,
)
from d3k2.errors import InputError
from d3k2.knowledge.schema import Nutrient, NutrientForm

MIN_INTERVAL_DAYS: Final = 0.1
"""Shorter intervals (more than ten doses a day) are not a regimen but a typing slip."""
DAYS_PER_WEEK: Final = 7.0
DAYS_PER_MONTH: Final = 30.0
"""A month is counted as 30 days (the convention of the calibration trials' monthly arms)."""

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

_PERIOD_DAYS: Final[dict[str, float]] = {
    "day": 1.0,
    "d": 1.0,
    "week": DAYS_PER_WEEK,
    "wk": DAYS_PER_WEEK,
    "w": DAYS_PER_WEEK,
    "month": DAYS_PER_MONTH,
    "mo": DAYS_PER_MONTH,
    "year": 365.0,
    "yr": 365.0,
}


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
        how_often = _describe_interval(self.interval_days)
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

    @property
    def nutrients(self) -> frozenset[str]:
        return frozenset(s.nutrient for s in self.segments)


def _describe_interval(interval_days: float) -> str:
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
    return f"every {format_number(interval_days)} days"


# --------------------------------------------------------------------------- vocabulary
@dataclass(frozen=True)
class NutrientIndex:
    """Names of nutrients and their forms, longest first, for matching text."""

    nutrients: Mapping[str, Nutrient]
    names: tuple[tuple[str, str, str | None], ...]
    """(lower-case name, nutrient id, form id or None), longest name first."""
    pattern: re.Pattern[str]
    """Every name as one whole-word alternation, longest first."""
    memo: dict[tuple[str, str | None], Regimen] = field(
        default_factory=dict, compare=False, repr=False
    )
    """Parsed regimens by (text, default nutrient): the same items recur across patients."""

    @classmethod
    def build(cls, nutrients: Sequence[Nutrient]) -> NutrientIndex:
        names: list[tuple[str, str, str | None]] = []
        for nutrient in nutrients:
            names.extend((n.lower(), nutrient.id, None) for n in nutrient.names)
            for form in nutrient.forms:
                names.extend((n.lower(), nutrient.id, form.id) for n in form.names)
        names.sort(key=lambda entry: -len(entry[0]))
        alternation = "|".join(re.escape(name) for name in dict.fromkeys(n for n, _, _ in names))
        # A name followed by a class word names a drug class ("vitamin K antagonist",
        # "vitamin D analogue"), not the nutrient.
        pattern = re.compile(
            rf"(?<![\w-])(?:{alternation})(?![\w-])(?!\s+(?:{'|'.join(CLASS_WORDS)})\b)"
        )
        return cls({n.id: n for n in nutrients}, tuple(names), pattern)

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

    def lookup(self, name: str) -> tuple[str, str | None] | None:
        """Exact (case-insensitive) lookup of a nutrient or form name."""
        lowered = name.strip().lower()
        for entry_name, nutrient_id, form_id in self.names:
            if entry_name == lowered:
                return nutrient_id, form_id
        return None

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


# --------------------------------------------------------------------------- parsing text
_AMOUNT_RE: Final = re.compile(
    r"(?<![\w.,-])(?P<number>[1-9]\d{0,2}(?:\.\d{3})+(?![\d.,])|\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+(?:[.,]\d+)?)\s*"
    r"(?P<unit>international units|i\.u\.|iu|units?|mcg|µg|μg|ug|micrograms?|mg|milligrams?|"
    r"g|grams?)(?![a-z])",
    re.IGNORECASE,
)
_DOT_GROUPED_RE: Final = re.compile(r"^[1-9]\d{0,2}(?:\.\d{3})+$")
_UNITS_OF_PRODUCT = (
    r"(?:tablets?|tabs?|capsules?|caps?|softgels?|drops?|pills?|gummies|gummy|sprays?)"
)
_COUNT_BEFORE_RE: Final = re.compile(
    rf"(?<![\w.,])(?P<count>\d+)\s*(?:x|×|\*|{_UNITS_OF_PRODUCT}\s*(?:of|x|×)?)\s*$", re.I
)
_COUNT_AFTER_RE: Final = re.compile(
    rf"^\s*(?:/\s*{_UNITS_OF_PRODUCT}\s*)?[,(]?\s*(?:x|×)?\s*(?P<count>\d+)\s*{_UNITS_OF_PRODUCT}\b"
    rf"|^\s*(?:x|×|\*)\s*(?P<times>\d+)\b(?!\s*(?:IU|mcg|µg|mg|g|days?|weeks?|months?|years?|d|wk|mo)\b)",
    re.I,
)
_SPLIT_RE: Final = re.compile(r"\s*(?:,\s*then|;\s*then|\bthen\b|\bfollowed by\b|;)\s*", re.I)
_TIMES_WORDS: Final[dict[str, int]] = {
    "once": 1,
    "twice": 2,
    "three times": 3,
    "thrice": 3,
    "four times": 4,
}
_LATIN_DAILY: Final[dict[str, int]] = {"qd": 1, "od": 1, "bid": 2, "tid": 3, "qid": 4}


def _interval_days(text: str) -> float | str | None:
    """Days between doses; None for a single dose; "" when no frequency is written.

    A single-dose phrase ("single dose", "once only", "stat", "bolus") together with a
    repeating frequency ("daily") is a contradiction and an error, never a guess; the words
    "single" and "x 1" alone ("single capsule", "x 1 month") say nothing about frequency.
    """
    t = text.lower()
    t = re.sub(r"\b(b)\.(i)\.(d)\.?", r"\1\2\3", t)
    t = re.sub(r"\b(t)\.(i)\.(d)\.?", r"\1\2\3", t)
    t = re.sub(r"\b(q)\.(d)\.?", r"\1\2", t)
    single = re.search(r"\b(single dose|one dose|once only|one[- ]off|stat|bolus)\b", t)
    repeating = _repeating_interval_days(t)
    if single and repeating is not None:
        raise InputError(
            f"{text.strip()!r} says both '{single.group(1)}' and a repeating frequency",
            hint="write either a single dose ('once') or a schedule ('daily', 'weekly')",
        )
    if single:
        return None
    if repeating is not None:
        return repeating
    if re.search(r"\bonce\b", t):
        return None
    return ""


def _repeating_interval_days(t: str) -> float | None:
    """The interval of a repeating schedule written in ``t`` (lower case), or None."""
    m = re.search(r"\bevery\s+(\d+(?:\.\d+)?|other)\s*(day|week|month|year|d|wk|w|mo|yr)s?\b", t)
    if m:
        count = 2.0 if m.group(1) == "other" else parse_number(m.group(1))
        if count * _PERIOD_DAYS[m.group(2)] < MIN_INTERVAL_DAYS:
            raise InputError(
                f"'every {m.group(1)} {m.group(2)}' is not a dosing interval",
                hint="the interval must be longer than zero, e.g. 'every 2 weeks'",
            )
        return count * _PERIOD_DAYS[m.group(2)]
    if re.search(r"\bfortnight(ly)?\b", t):
        return 14.0
    m = re.search(
        r"\b(once|twice|thrice|three times|four times|(\d+)\s*(?:x|times))\s*"
        r"(?:a|per|/|each|every)?\s*(day|week|month|year|d|wk|yr)\b",
        t,
    )
    if m:
        times = _times(m.group(2), m.group(1))
        return _PERIOD_DAYS[m.group(3)] / times
    m = re.search(r"\b(once|twice|thrice|three times|four times|(\d+)\s*x)\s*daily\b", t)
    if m:
        return 1.0 / _times(m.group(2), m.group(1))
    for word, times in _LATIN_DAILY.items():
        if re.search(rf"\b{word}\b", t):
            return 1.0 / times
    if re.search(
        r"(\bdaily\b|\ba day\b|\bper day\b|/\s*d(ay)?\b|\beach day\b|\bevery day\b|"
        r"\bnightly\b|\bat bedtime\b|\bevery morning\b|\bevery evening\b)",
        t,
    ):
        return 1.0
    if re.search(r"(\bweekly\b|\ba week\b|\bper week\b|/\s*w(ee)?k\b|\bevery week\b)", t):
        return DAYS_PER_WEEK
    if re.search(r"(\bmonthly\b|\ba month\b|\bper month\b|/\s*mo(nth)?\b|\bevery month\b)", t):
        return DAYS_PER_MONTH
    if re.search(r"(\byearly\b|\bannually\b|\ba year\b|\bper year\b|/\s*y(ea)?r\b)", t):
        return _PERIOD_DAYS["year"]
    return None


def _times(count: str | None, word: str) -> int:
    times = int(count) if count else _TIMES_WORDS[word]
    if not 1 <= times <= MAX_DOSES_PER_DAY:
        raise InputError(
            f"'{word}' is not a number of doses",
            hint="write, e.g., 'twice daily' or '3 times a week'",
        )
    return times


MAX_DOSES_PER_DAY: Final = 10


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
    """Amount in the DRI unit, and any reading assumptions (elemental vs salt weight)."""
    assumptions: list[str] = []
    amount = amount_in(quantity.value, quantity.unit, nutrient.dri_unit, nutrient=nutrient.id)
    if "elemental" in text.lower():
        return amount, assumptions
    salt = _SALT_RE.search(text)
    if form.elemental_fraction is not None:
        assumptions.append(
            f"read {quantity} as elemental {nutrient.names[0].lower()}; if it is the weight "
            f"of the {form.names[0]} salt, the elemental amount is "
            f"{format_number(round(amount * form.elemental_fraction, 1))} {nutrient.dri_unit}"
        )
    elif salt is not None and nutrient.id in ("calcium", "magnesium"):
        assumptions.append(
            f"read {quantity} as elemental {nutrient.names[0].lower()}; if it is the weight "
            f"of the {salt.group(0).lower()} salt, the elemental amount is lower (its share "
            "of the salt's weight is not in the knowledge base): check the label"
        )
    return amount, assumptions


_SALT_RE: Final = re.compile(
    r"\b(carbonate|citrate|acetate|gluconate|lactate|phosphate|oxide|hydroxide|chloride|"
    r"glycinate|bisglycinate|malate|threonate|taurate|sulfate|sulphate|orotate|aspartate|"
    r"lactogluconate|citrate malate)\b",
    re.IGNORECASE,
)


def _units_per_dose(part: str, match: re.Match[str]) -> int:
    """How many tablets/capsules/drops of the stated amount make one dose ("2 x 1000 IU",
    "1000 IU, 2 capsules"); 1 when none is written."""
    before = _COUNT_BEFORE_RE.search(part[: match.start()])
    after = _COUNT_AFTER_RE.match(part[match.end() :])
    counts = [int(before.group("count"))] if before else []
    if after:
        counts.append(int(after.group("count") or after.group("times")))
    if len(counts) > 1:
        raise InputError(
            f"two counts of units per dose in {part.strip()!r}",
            hint='write one, for example "2 x 1000 IU daily"',
        )
    if counts and counts[0] < 1:
        raise InputError(f"the number of units per dose must be at least 1 in {part.strip()!r}")
    return counts[0] if counts else 1


def parse_regimen(
    text: str, nutrients: NutrientIndex, *, default_nutrient: str | None = None
) -> Regimen:
    """Parse a regimen written as text.

    Examples: ``"vitamin D3 50,000 IU weekly for 8 weeks, then 2000 IU daily"``,
    ``"K2 MK-7 100 mcg daily"``, ``"calcium citrate 600 mg elemental twice daily"``,
    ``"100000 IU once"``.

    Raises
    ------
    InputError
        When the nutrient, amount, unit or frequency cannot be read, or an amount is
        negative, or a phase without a duration is followed by another phase.
    """
    key = (text, default_nutrient)
    if key in nutrients.memo:
        return nutrients.memo[key]
    regimen = _parse_regimen(text, nutrients, default_nutrient)
    if len(nutrients.memo) >= REGIMEN_MEMO_MAX_ENTRIES:
        nutrients.memo.clear()
    nutrients.memo[key] = regimen
    return regimen


REGIMEN_MEMO_MAX_ENTRIES: Final = 100_000


def _parse_regimen(text: str, nutrients: NutrientIndex, default_nutrient: str | None) -> Regimen:
    if not text or not text.strip():
        raise InputError("the regimen is empty", hint='for example "D3 2000 IU daily"')
    parts = [p for p in _SPLIT_RE.split(text.strip()) if p and p.strip()]
    segments: list[RegimenSegment] = []
    current: tuple[str, str | None] | None = None
    start_day = 0.0
    for index, part in enumerate(parts):
        if re.search(r"-\s*\d", part) and re.search(
            r"(?<![\w])-\s*\d[\d,.]*\s*[a-zµμ]", part, re.I
        ):
            raise InputError(f"a dose cannot be negative: {part!r}")
        named = nutrients.find(_AMOUNT_RE.sub(" ", part))
        if named is not None:
            if current is not None and named[0] == current[0] and named[1] is None:
                named = current
            current = named
        elif current is None:
            if default_nutrient is None:
                raise InputError(
                    f"which nutrient is {part.strip()!r}?",
                    hint='name it, for example "vitamin D3 2000 IU daily" or "K2 MK-7 100 mcg '
                    'daily"',
                )
            current = (default_nutrient, None)
        amounts = list(_AMOUNT_RE.finditer(part))
        if not amounts:
            raise InputError(
                f"no amount with a unit in {part.strip()!r}",
                hint="write the amount and its unit, for example 2000 IU, 100 mcg, 500 mg",
            )
        components = _components(part, amounts, current, nutrients)
        interval = _interval_days(part)
        if interval == "":
            raise InputError(
                f"how often is {part.strip()!r} taken?",
                hint='add a frequency: "daily", "twice daily", "weekly", "every 2 weeks", '
                '"monthly" or "once"',
            )
        interval_days = interval if isinstance(interval, float) else None
        duration = _duration_days(part)
        doses = _dose_count(part)
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
            )
            for nutrient, form, quantity, amount, assumptions in components
        ]
        segments.extend(phase)
        end = phase[0].end_day
        start_day = end if end is not None else start_day
    return Regimen(tuple(segments), text=text.strip())


Component = tuple[Nutrient, NutrientForm, Quantity, float, list[str]]


def _components(
    part: str,
    amounts: list[re.Match[str]],
    current: tuple[str, str | None],
    nutrients: NutrientIndex,
) -> list[Component]:
    """One (nutrient, form, amount) per amount in ``part``: one amount, or a combination
    product naming a different nutrient before each amount ("calcium 600 mg + D3 400 IU")."""
    if len(amounts) == 1:
        return [_component(part, part, amounts[0], current, nutrients)]
    chunks = []
    previous_end = 0
    for match in amounts:
        chunk = part[previous_end : match.end()]
        named = nutrients.find(_AMOUNT_RE.sub(" ", chunk))
        if named is None:
            raise InputError(
                f"more than one amount in {part.strip()!r}",
                hint="write one amount per phase (separate phases with ', then'), or name "
                "the nutrient before each amount of a combination product",
            )
        chunks.append((chunk, match, named))
        previous_end = match.end()
    if len({named[0] for _, _, named in chunks}) != len(chunks):
        raise InputError(
            f"the same nutrient has two amounts in {part.strip()!r}",
            hint="write one amount per nutrient",
        )
    return [_component(part, chunk, match, named, nutrients) for chunk, match, named in chunks]


def _component(
    part: str,
    chunk: str,
    match: re.Match[str],
    named: tuple[str, str | None],
    nutrients: NutrientIndex,
) -> Component:
    number_text = match.group("number")
    if _DOT_GROUPED_RE.match(number_text):
        raise InputError(
            f"{number_text} {match.group('unit')} is ambiguous in {part.strip()!r}: it may "
            f"mean {format_number(float(number_text))} or "
            f"{format_number(float(number_text.replace('.', '')))}",
            hint='write thousands with a comma or nothing ("50,000 IU" or "50000 IU")',
        )
    quantity = Quantity(
        parse_number(re.sub(r"[ \u00a0\u202f]", "", number_text)),
        normalize_unit(match.group("unit")),
    )
    if quantity.value <= 0:
        raise InputError(f"a dose must be more than zero: {part.strip()!r}")
    count = _units_per_dose(part, match)
    nutrient = nutrients.nutrients[named[0]]
    form = nutrients.form(named[0], named[1])
    amount, assumptions = _to_dri_amount(quantity, nutrient, form, chunk)
    if count > 1:
        assumptions.append(
            f"{count} x {quantity} = {format_number(quantity.value * count)} "
            f"{quantity.unit} per dose"
        )
        amount *= count
        quantity = Quantity(quantity.value * count, quantity.unit)
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
        form_named = nutrients.lookup(str(item["form"])) or nutrients.find(str(item["form"]))
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
    nutrient = nutrients.nutrients[nutrient_id]
    form = nutrients.form(nutrient_id, form_id)
    quantity = Quantity(value, unit)
    note_text = "elemental" if item.get("elemental") else ""
    try:
        amount, assumptions = _to_dri_amount(quantity, nutrient, form, note_text)
    except InputError as error:
        raise error.located_field("unit") from None
    text = ", ".join(f"{k}: {v}" for k, v in item.items())
    segment = RegimenSegment(
        nutrient=nutrient_id,
        form=form.id,
        amount_per_dose=amount,
        unit=nutrient.dri_unit,
        interval_days=interval_days,
        duration_days=duration,
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
