"""Read a Supplement Facts label: one NIH DSLD label (JSON of the DSLD API's
``/label/{id}``) or a simple YAML/JSON form::

    product: Example D3 + K2
    source: the bottle, photographed 2026-11-01
    serving: 1 softgel
    directions: Take 1 softgel twice daily with food.   # or servings_per_day: 2 (or [1, 2])
    ingredients:
      - {name: Vitamin D3 (as cholecalciferol), amount: 50, unit: mcg, iu: 2000, dv: 250}
      - {name: Vitamin K2 (as menaquinone-7), amount: 100, unit: mcg, dv: 83}

Each line's nutrient and form come from the nutrient vocabulary (``vocab/nutrients.yaml``);
a line d3k2 does not check (vitamin C, zinc…) is kept with no nutrient.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from d3k2.core.label import Label, LabelRow
from d3k2.core.quantities import checked_number, parse_number
from d3k2.core.regimen import DAYS_PER_MONTH, DAYS_PER_WEEK
from d3k2.errors import InputError
from d3k2.reading.regimen import NutrientIndex

OCCASIONS: Final = {"once": 1.0, "twice": 2.0, "three times": 3.0, "four times": 4.0}
_AMOUNT_OF_UNITS = (
    r"(?P<low>\d+(?:\.\d+)?)(?:\s*(?:-|–|to|or)\s*(?P<high>\d+(?:\.\d+)?))?\s+"
    r"(?:\w+\s+)?(?:capsules?|tablets?|softgels?|caps?|tabs?|gummies|gummy|chewables?|"
    r"drops?|scoops?|sachets?|packets?|servings?|lozenges?|ml|teaspoons?|tsp)\b"
)
_AMOUNTS = re.compile(_AMOUNT_OF_UNITS, re.IGNORECASE)
_DIRECTIONS = re.compile(_AMOUNT_OF_UNITS + r"(?P<rest>[^.;]*)", re.IGNORECASE)
_TIMES = re.compile(r"\b(once|twice|three times|four times|(\d+)\s*times)\b", re.IGNORECASE)
ADULT_GROUP: Final = "adults and children 4 or more years of age"
DSLD_FIELDS: Final = frozenset(
    {"fullName", "brandName", "servingSizes", "statements", "netContents"}
)
"""Fields of a DSLD label record (none is a field of the simple form)."""


def identify(
    text: str, index: NutrientIndex, *, within: str | None = None
) -> tuple[str | None, str | None]:
    """(nutrient id, form id) named in ``text``; the most specific form wins. ``within``
    keeps only the names of that nutrient and its forms."""
    found: list[tuple[int, str, str | None]] = []
    for name, nutrient, form in index.names:
        if within is not None and nutrient != within:
            continue
        if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.IGNORECASE):
            rank = 0 if form is None or "unspecified" in form else 1 if form == "menaquinone" else 2
            found.append((rank, nutrient, form))
    if not found:
        return None, None
    best = max(found, key=lambda f: f[0])
    return best[1], None if best[2] is None or "unspecified" in best[2] else best[2]


def identify_line(head: str, detail: str, index: NutrientIndex) -> tuple[str | None, str | None]:
    """The nutrient a label line declares, from its own name (``head``), and its form from
    the name and the ``detail`` (the "as ..." part, forms, notes), among that nutrient's
    forms only: "Vitamin C (as calcium ascorbate)" is vitamin C, not calcium, and
    "Pantothenic acid (as calcium pantothenate)" is not a calcium line."""
    nutrient, form = identify(head, index)
    if nutrient is None:
        return None, None
    _, detailed = identify(f"{head} {detail}", index, within=nutrient)
    return nutrient, detailed or form


def servings_from_directions(text: str, serving_units: float = 1.0) -> tuple[float, float] | None:
    """(fewest, most) servings a day from 'Take 1-2 capsules twice daily'; None if unclear.

    Several amounts in one direction are added up ("1 capsule in the morning and 1 capsule
    in the evening" is 2 a day) unless "or" separates them (then the fewest and the most);
    a weekly, monthly or every-other-day direction is averaged over the days it covers
    ("1 capsule twice weekly" is 2/7 a day), with the regimen reader's day counts.
    """
    direction = _DIRECTIONS.search(text)
    if direction is None:
        return None
    clauses = list(_AMOUNTS.finditer(text, direction.start(), direction.end()))
    lows = [float(c.group("low")) for c in clauses]
    highs = [float(c.group("high") or c.group("low")) for c in clauses]
    if len(clauses) == 1:
        low, high = lows[0], highs[0]
    elif re.search(r"\bor\b", text[clauses[0].end() : clauses[-1].start()], re.I):
        low, high = min(lows), max(highs)
    else:
        low, high = sum(lows), sum(highs)
    rest = text[clauses[-1].end() : direction.end()]
    times = 1.0
    occasion = _TIMES.search(rest) if len(clauses) == 1 else None
    if occasion:
        word = occasion.group(1).lower()
        times = float(occasion.group(2)) if occasion.group(2) else OCCASIONS[word]
    sentence_start = max(
        text.rfind(".", 0, direction.start()), text.rfind(";", 0, direction.start())
    )
    days = _days_covered(text[sentence_start + 1 : direction.end()])
    if days is None:
        return None
    return low * times / serving_units / days, high * times / serving_units / days


def _days_covered(text: str) -> float | None:
    """Days one round of the direction covers: 1, 2, 7 or 30. A daily direction wins over a
    duration ("daily for 8 weeks" is daily): when in doubt, the larger amount a day."""
    if re.search(r"\b(daily|a day|per day|each day|every day)\b", text, re.I):
        return 1.0
    if re.search(r"\bevery other day\b|\balternate days\b", text, re.I):
        return 2.0
    if re.search(r"\b(?:a|per|each|every)\s+week\b|\bweekly\b", text, re.I):
        return DAYS_PER_WEEK
    if re.search(r"\b(?:a|per|each|every)\s+month\b|\bmonthly\b", text, re.I):
        return DAYS_PER_MONTH
    if _TIMES.search(text):
        return 1.0  # "take 1 capsule twice": read as a day's directions, as before
    return None


def _percent(value: Any) -> tuple[float | None, str | None]:
    if value is None:
        return None, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value), None
    text = str(value).strip()
    number = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*%?", text)
    if number:
        return parse_number(number.group(1)), None
    return None, text


def _iu_in(text: str) -> float | None:
    match = re.search(r"(\d[\d,]*(?:\.\d+)?)\s*IU\b", text, re.IGNORECASE)
    return None if match is None else parse_number(match.group(1))


def read_label(data: Any, index: NutrientIndex, *, where: str = "label") -> Label:
    """A label from a DSLD record or the simple form."""
    if not isinstance(data, Mapping):
        raise InputError("a label is a mapping (DSLD JSON or the simple form)", where=where)
    if "ingredientRows" in data or DSLD_FIELDS & set(data):
        return _read_dsld(data, index)
    return _read_simple(data, index)


def _read_simple(data: Mapping[str, Any], index: NutrientIndex) -> Label:
    unknown = set(data) - {
        "product",
        "source",
        "serving",
        "directions",
        "servings_per_day",
        "ingredients",
    }
    if unknown:
        raise InputError(
            f"unknown label field {sorted(unknown)[0]!r}",
            where=str(sorted(unknown)[0]),
            hint="fields: product, source, serving, directions, servings_per_day, ingredients",
        )
    ingredients = data.get("ingredients")
    if not isinstance(ingredients, list) or not ingredients:
        raise InputError("a label needs ingredients: [...]", where="ingredients")
    rows = []
    for position, item in enumerate(ingredients):
        if not isinstance(item, Mapping) or "name" not in item:
            raise InputError(
                "an ingredient is {name, amount, unit, iu, dv}", where=f"ingredients[{position}]"
            )
        name = str(item["name"])
        head, _, detail = name.partition("(")
        nutrient, form = identify_line(head, detail, index)
        where = f"ingredients[{position}]"
        percent, percent_text = _percent(item.get("dv"))
        rows.append(
            LabelRow(
                name=name,
                nutrient=nutrient,
                form=form,
                amount=_number(item, "amount", f"{where}.amount"),
                unit=_text(item, "unit", f"{where}.unit"),
                iu=_number(item, "iu", f"{where}.iu"),
                percent_dv=percent,
                percent_dv_text=percent_text,
            )
        )
    serving = str(data.get("serving", "1 serving"))
    units = _leading_number(serving)
    stated = data.get("servings_per_day")
    directions = None if data.get("directions") is None else str(data["directions"])
    if stated is not None:
        pair = stated if isinstance(stated, list) else [stated]
        numbers = [
            _number({"servings_per_day": v}, "servings_per_day", "servings_per_day") for v in pair
        ]
        if len(numbers) not in (1, 2) or None in numbers:
            raise InputError(
                "servings_per_day is a number or [low, high]", where="servings_per_day"
            )
        per_day: tuple[float, float] | None = _servings(numbers[0], numbers[-1], "servings_per_day")
    else:
        per_day = None if directions is None else servings_from_directions(directions, units)
    return Label(
        str(data.get("product", "unnamed product")),
        str(data.get("source", "file")),
        serving,
        per_day,
        directions,
        tuple(rows),
    )


def _leading_number(text: str) -> float:
    match = re.match(r"\s*(\d+(?:\.\d+)?)", text)
    return float(match.group(1)) if match else 1.0


def _read_dsld(data: Mapping[str, Any], index: NutrientIndex) -> Label:
    """One label of the DSLD API (``/v9/label/{id}``, the full-database JSON has the same
    record): ``servingSizes[]``, ``statements[]`` (the directions), ``ingredientRows[]`` with
    ``quantity[]`` per serving size, ``dailyValueTargetGroup[]`` and ``nestedRows[]``.
    Fields d3k2 does not use are ignored; a field of the wrong shape is an error naming its
    path (``ingredientRows[2].quantity[0].unit``)."""
    sizes = _records(data, "servingSizes", "servingSizes")
    size = min(sizes, key=lambda s: _number(s, "order", "servingSizes[].order") or 0, default={})
    size_path = f"servingSizes[{sizes.index(size)}]" if size else "servingSizes"
    size_order = _number(size, "order", f"{size_path}.order")
    units = _number(size, "minQuantity", f"{size_path}.minQuantity") or 1.0
    serving = f"{units:g} {_text(size, 'unit', f'{size_path}.unit') or 'serving'}"
    low = _number(size, "minDailyServings", f"{size_path}.minDailyServings")
    high = _number(size, "maxDailyServings", f"{size_path}.maxDailyServings")
    directions = next(
        (
            _text(statement, "notes", f"statements[{position}].notes")
            for position, statement in enumerate(_records(data, "statements", "statements"))
            if "Directions" in str(statement.get("type", ""))
        ),
        None,
    )
    per_day = _servings(low, high, f"{size_path}.minDailyServings")
    if per_day is None and directions:
        per_day = servings_from_directions(directions, units)
    if not isinstance(data.get("ingredientRows"), list) or not data["ingredientRows"]:
        raise InputError(
            "a DSLD label needs ingredientRows: [...] with at least one row",
            where="ingredientRows",
        )
    rows = [
        _dsld_row(row, path, size_order, index)
        for row, path in _flatten(data["ingredientRows"], "ingredientRows")
    ]
    dsld_id = data.get("id")
    if isinstance(dsld_id, bool) or not isinstance(dsld_id, int | str | None):
        raise InputError(f"the DSLD id is a number, got {dsld_id!r}", where="id")
    product = " ".join(
        text
        for text in (_text(data, "brandName", "brandName"), _text(data, "fullName", "fullName"))
        if text
    )
    return Label(
        product or "unnamed product",
        f"DSLD {dsld_id}" if dsld_id is not None else "DSLD record",
        serving,
        per_day,
        directions,
        tuple(rows),
    )


def _dsld_row(
    row: Mapping[str, Any], path: str, size_order: float | None, index: NutrientIndex
) -> LabelRow:
    """One ingredient row. The nutrient comes from the row's DSLD ingredient group (its own
    name when the group is missing), the form from the name, forms and notes."""
    name = _text(row, "name", f"{path}.name")
    if not name:
        raise InputError("an ingredient row needs a name", where=f"{path}.name")
    forms = [
        _text(form, "name", f"{path}.forms[{position}].name") or ""
        for position, form in enumerate(_records(row, "forms", f"{path}.forms"))
    ]
    forms = [form for form in forms if form and form.lower() != "unspecified"]
    notes = _text(row, "notes", f"{path}.notes") or ""
    group = _text(row, "ingredientGroup", f"{path}.ingredientGroup")
    nutrient, form = identify_line(group or name, f"{name} {' '.join(forms)} {notes}", index)
    quantities = _records(row, "quantity", f"{path}.quantity")
    position, quantity = next(
        (
            (i, q)
            for i, q in enumerate(quantities)
            if size_order is None or q.get("servingSizeOrder") in (None, size_order)
        ),
        (0, {}),
    )
    where = f"{path}.quantity[{position}]"
    amount = _number(quantity, "quantity", f"{where}.quantity")
    unit = _text(quantity, "unit", f"{where}.unit")
    if unit is not None and unit.strip().upper() == "NP":  # DSLD: amount not present
        amount, unit = None, None
    groups = _records(quantity, "dailyValueTargetGroup", f"{where}.dailyValueTargetGroup")
    group_row = next(
        (g for g in groups if str(g.get("name", "")).lower() == ADULT_GROUP),
        groups[0] if groups else {},
    )
    percent, percent_text = _percent(group_row.get("percent"))
    if percent is not None and str(group_row.get("operator") or "").strip() == "<":
        percent, percent_text = None, f"<{percent:g}%"  # "<1%" is stored as operator + 1
    return LabelRow(
        name=name + (f" ({', '.join(forms)})" if forms else ""),
        nutrient=nutrient,
        form=form,
        amount=amount,
        unit=unit,
        iu=_iu_in(notes) if str(unit).lower() != "iu" else None,
        percent_dv=percent,
        percent_dv_text=percent_text,
    )


def _records(data: Mapping[str, Any], key: str, where: str) -> list[Mapping[str, Any]]:
    """``data[key]``: a list of mappings (an absent or null field is an empty list)."""
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"{key} is a list, got {type(value).__name__}", where=where)
    for position, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise InputError(
                f"each entry of {key} is a mapping, got {item!r}", where=f"{where}[{position}]"
            )
    return value


def _number(data: Mapping[str, Any], key: str, where: str) -> float | None:
    """A label number: finite, within d3k2's bounds and not negative (no label amount,
    IU figure or serving count is below zero)."""
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InputError(f"{key} is a number, got {value!r}", where=where)
    try:
        number = parse_number(value) if isinstance(value, str) else checked_number(value)
    except (InputError, ValueError) as error:
        detail = error.message if isinstance(error, InputError) else f"got {value!r}"
        raise InputError(f"{key} is a number: {detail}", where=where) from None
    if number < 0:
        raise InputError(f"{key} cannot be negative, got {value!r}", where=where)
    return number


def _servings(low: float | None, high: float | None, where: str) -> tuple[float, float] | None:
    """(fewest, most) servings a day, both above zero, in order."""
    if low is None and high is None:
        return None
    low = high if low is None else low
    high = low if high is None else high
    assert low is not None and high is not None
    if low <= 0 or high <= 0:
        raise InputError("servings a day must be more than zero", where=where)
    return (min(low, high), max(low, high))


def _text(data: Mapping[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, Mapping | list):
        raise InputError(f"{key} is text, got {type(value).__name__}", where=where)
    return str(value)


def _flatten(rows: list[Any], path: str) -> list[tuple[Mapping[str, Any], str]]:
    """Every row and its nested rows, depth first, each with its path."""
    out: list[tuple[Mapping[str, Any], str]] = []
    for position, row in enumerate(rows):
        where = f"{path}[{position}]"
        if not isinstance(row, Mapping):
            raise InputError(f"an ingredient row is a mapping, got {row!r}", where=where)
        out.append((row, where))
        nested = row.get("nestedRows")
        if nested is not None and not isinstance(nested, list):
            raise InputError("nestedRows is a list", where=f"{where}.nestedRows")
        out.extend(_flatten(list(nested or []), f"{where}.nestedRows"))
    return out
