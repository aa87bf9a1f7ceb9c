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
from d3k2.core.quantities import parse_number
from d3k2.core.regimen import NutrientIndex
from d3k2.errors import InputError

OCCASIONS: Final = {"once": 1.0, "twice": 2.0, "three times": 3.0, "four times": 4.0}
_DIRECTIONS = re.compile(
    r"(?P<low>\d+(?:\.\d+)?)(?:\s*(?:-|–|to|or)\s*(?P<high>\d+(?:\.\d+)?))?\s+"
    r"(?:\w+\s+)?(?:capsules?|tablets?|softgels?|caps?|tabs?|gummies|gummy|chewables?|"
    r"drops?|scoops?|sachets?|packets?|servings?|lozenges?|ml|teaspoons?|tsp)\b"
    r"(?P<rest>[^.;]*)",
    re.IGNORECASE,
)
_TIMES = re.compile(r"\b(once|twice|three times|four times|(\d+)\s*times)\b", re.IGNORECASE)
ADULT_GROUP: Final = "adults and children 4 or more years of age"


def identify(text: str, index: NutrientIndex) -> tuple[str | None, str | None]:
    """(nutrient id, form id) named in ``text``; the most specific form wins."""
    found: list[tuple[int, str, str | None]] = []
    for name, nutrient, form in index.names:
        if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.IGNORECASE):
            rank = 0 if form is None or "unspecified" in form else 1 if form == "menaquinone" else 2
            found.append((rank, nutrient, form))
    if not found:
        return None, None
    best = max(found, key=lambda f: f[0])
    return best[1], None if best[2] is None or "unspecified" in best[2] else best[2]


def servings_from_directions(text: str, serving_units: float = 1.0) -> tuple[float, float] | None:
    """(fewest, most) servings a day from 'Take 1-2 capsules twice daily'; None if unclear."""
    match = _DIRECTIONS.search(text)
    if match is None:
        return None
    low = float(match.group("low"))
    high = float(match.group("high") or low)
    times = 1.0
    occasion = _TIMES.search(match.group("rest") or "")
    if occasion:
        word = occasion.group(1).lower()
        times = float(occasion.group(2)) if occasion.group(2) else OCCASIONS[word]
    elif not re.search(r"\b(daily|a day|per day|each day|every day)\b", match.group("rest"), re.I):
        return None
    return low * times / serving_units, high * times / serving_units


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
    if "ingredientRows" in data:
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
        nutrient, form = identify(name, index)
        amount = item.get("amount")
        percent, percent_text = _percent(item.get("dv"))
        rows.append(
            LabelRow(
                name=name,
                nutrient=nutrient,
                form=form,
                amount=None if amount is None else float(amount),
                unit=None if item.get("unit") is None else str(item["unit"]),
                iu=None if item.get("iu") is None else float(item["iu"]),
                percent_dv=percent,
                percent_dv_text=percent_text,
            )
        )
    serving = str(data.get("serving", "1 serving"))
    units = _leading_number(serving)
    stated = data.get("servings_per_day")
    directions = None if data.get("directions") is None else str(data["directions"])
    if stated is not None:
        low, high = (stated if isinstance(stated, list) else [stated, stated])[:2]
        per_day: tuple[float, float] | None = (float(low), float(high))
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
    sizes = data.get("servingSizes") or [{}]
    size = sizes[0] if isinstance(sizes, list) and sizes else {}
    units = float(size.get("minQuantity") or 1)
    serving = f"{units:g} {size.get('unit', 'serving')}"
    low, high = size.get("minDailyServings"), size.get("maxDailyServings")
    directions = next(
        (
            str(s.get("notes", ""))
            for s in data.get("statements", []) or []
            if "Directions" in str(s.get("type", ""))
        ),
        None,
    )
    per_day: tuple[float, float] | None = None
    if low is not None or high is not None:
        fewest = float(low if low is not None else high)  # type: ignore[arg-type]
        most = float(high if high is not None else low)  # type: ignore[arg-type]
        per_day = (fewest, most)
    elif directions:
        per_day = servings_from_directions(directions, units)
    rows = []
    for row in _flatten(data.get("ingredientRows") or []):
        name = str(row.get("name", ""))
        forms = " ".join(str(f.get("name", "")) for f in row.get("forms") or [])
        notes = str(row.get("notes") or "")
        nutrient, form = identify(f"{name} {forms} {row.get('ingredientGroup', '')}", index)
        quantity = (row.get("quantity") or [{}])[0]
        groups = quantity.get("dailyValueTargetGroup") or []
        group = next(
            (g for g in groups if str(g.get("name", "")).lower() == ADULT_GROUP),
            groups[0] if groups else {},
        )
        percent, percent_text = _percent(group.get("percent"))
        unit = quantity.get("unit")
        amount = quantity.get("quantity")
        rows.append(
            LabelRow(
                name=name + (f" ({forms})" if forms else ""),
                nutrient=nutrient,
                form=form,
                amount=None if amount is None else float(amount),
                unit=None if unit is None else str(unit),
                iu=_iu_in(notes) if str(unit).lower() != "iu" else None,
                percent_dv=percent,
                percent_dv_text=percent_text or group.get("percentText"),
            )
        )
    dsld_id = data.get("id")
    product = " ".join(str(p) for p in (data.get("brandName"), data.get("fullName")) if p)
    return Label(
        product or "unnamed product",
        f"DSLD {dsld_id}" if dsld_id is not None else "DSLD record",
        serving,
        per_day,
        directions,
        tuple(rows),
    )


def _flatten(rows: list[Any]) -> list[Mapping[str, Any]]:
    out: list[Mapping[str, Any]] = []
    for row in rows:
        if isinstance(row, Mapping):
            out.append(row)
            out.extend(_flatten(list(row.get("nestedRows") or [])))
    return out
