"""What people write about their diet -> grams of foods -> nutrients per day.

A diet is a list of foods with amounts (``"2 slices cheddar"``, ``"200 ml fortified soy
drink"``, ``{food: natto, amount: 50 g, every: week}``), nutrient totals
(``{calcium: 700 mg}``), or both (``{foods: [...], calcium: 300 mg}``: the totals are food
NOT listed and are added). Foods are matched to the food composition table
(``knowledge/data/tables/foods.yaml``); a food that cannot be matched is reported with
suggestions, never dropped. A nutrient the table does not report for a food is counted as
unknown (the day's total is then a lower bound and says so), never as zero.

Amounts: grams (g, kg, oz), volumes (ml, dl, l, fl oz, cup, tbsp, tsp; converted with the
food's own gram weight of a US household measure from the table), a household measure of
the food (``2 slices``, ``1 large egg``) or a bare count (``2 eggs``: one medium or large
unit as listed in the table, stated as an assumption). Frequencies: per day (default) or
per week (``"3 eggs a week"``, ``every: week``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from d3k2.core.quantities import parse_number
from d3k2.errors import InputError
from d3k2.knowledge.foods import (
    LONG_CHAIN_K2_KEYS,
    MENAQUINONE_KEYS,
    OWN_SOURCE_KEYS,
    Food,
    FoodTable,
    Portion,
    Questionnaire,
    QuestionnaireCategory,
    normalise_food_name,
    serving_grams,
)

# US customary volume units (NIST Handbook 44, Appendix C, "Units of volume": 1 fluid ounce
# = 29.573 53 mL; 1 cup = 8 fl oz; 1 tablespoon = 1/2 fl oz; 1 teaspoon = 1/6 fl oz). The
# USDA household measures of the food table are US customary.
ML_PER_US_FL_OZ: Final = 29.5735295625
ML_PER_US_MEASURE: Final = {
    "fl oz": ML_PER_US_FL_OZ,
    "cup": 8 * ML_PER_US_FL_OZ,
    "tbsp": ML_PER_US_FL_OZ / 2,
    "tsp": ML_PER_US_FL_OZ / 6,
}
ML_PER_UNIT: Final = {"ml": 1.0, "cl": 10.0, "dl": 100.0, "l": 1000.0}
GRAMS_PER_UNIT: Final = {"g": 1.0, "kg": 1000.0, "mg": 0.001, "oz": 28.349523125}
"""1 avoirdupois ounce = 28.349 523 125 g (NIST Handbook 44, Appendix C)."""

UNIT_SPELLINGS: Final = {
    "g": "g", "gram": "g", "grams": "g", "gr": "g", "kg": "kg", "kilogram": "kg",
    "kilograms": "kg", "mg": "mg", "oz": "oz", "ounce": "oz", "ounces": "oz",
    "ml": "ml", "millilitre": "ml", "millilitres": "ml", "milliliter": "ml",
    "milliliters": "ml", "cl": "cl", "dl": "dl", "l": "l", "litre": "l", "litres": "l",
    "liter": "l", "liters": "l", "cup": "cup", "cups": "cup", "tbsp": "tbsp",
    "tablespoon": "tbsp", "tablespoons": "tbsp", "tsp": "tsp", "teaspoon": "tsp",
    "teaspoons": "tsp", "fl oz": "fl oz", "fl. oz": "fl oz", "fluid ounce": "fl oz",
    "fluid ounces": "fl oz",
}  # fmt: skip

NUMBER_WORDS: Final = {
    "a": 1.0, "an": 1.0, "one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0, "five": 5.0,
    "six": 6.0, "seven": 7.0, "eight": 8.0, "nine": 9.0, "ten": 10.0, "half": 0.5,
    "½": 0.5, "¼": 0.25, "¾": 0.75,
}  # fmt: skip

COUNT_UNITS: Final = ("medium", "large", "slice", "piece", "fruit", "egg", "fillet", "filet")
"""Household measures a bare count means ("2 eggs"), in order of preference."""

DAYS_PER_WEEK: Final = 7.0

# The engine's nutrients and the food-table keys that add up to them (same unit: the key's
# suffix is the nutrient's DRI unit, checked in read_diet). Vitamin K: the DRI is for total
# vitamin K, so phylloquinone and any menaquinone the table reports are summed; a food whose
# source reports only the total (K1 + K2 measured together) counts that total instead, never
# the total plus the K1 of another source.
FOOD_KEYS: Final = {
    "calcium": ("calcium_mg",),
    "vitamin_d": ("vitamin_d_mcg",),
    "vitamin_k": ("vitamin_k1_mcg", *MENAQUINONE_KEYS),
    "magnesium": ("magnesium_mg",),
}
VITAMIN_K_TOTAL_KEY: Final = "vitamin_k_total_mcg"
REQUIRED_KEY: Final = {
    "calcium": "calcium_mg",
    "vitamin_d": "vitamin_d_mcg",
    "vitamin_k": "vitamin_k1_mcg",
    "magnesium": "magnesium_mg",
}
"""The key whose absence makes a food's contribution unknown (for vitamin K a reported total
also makes it known). Menaquinones are reported for few foods: the foods without them are
listed by ``DietReading.k2_not_reported``, so K2 from food reads as "at least"."""


def keys_counted(nutrient: str, per_day: Mapping[str, float | None]) -> tuple[str, ...]:
    """The food-table keys one food line contributes to ``nutrient``."""
    if nutrient == "vitamin_k" and per_day.get(VITAMIN_K_TOTAL_KEY) is not None:
        return (VITAMIN_K_TOTAL_KEY,)
    return FOOD_KEYS[nutrient]


_FREQUENCY = re.compile(
    r"\s*(?:(?:per|a|an|each|every|/)\s*(?P<unit>day|week|d|wk)|(?P<adverb>daily|weekly))\s*$",
    re.IGNORECASE,
)
_LEADING_NUMBER = re.compile(
    r"^\s*(?P<number>\d+\s+\d+/\d+|\d+/\d+|\d+(?:[.,]\d+)?|[½¼¾]|a|an|one|two|three|four|"
    r"five|six|seven|eight|nine|ten|half)(?:\s*[x×])?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)


def food_sources(food: Food) -> str:
    """The food's record, then each value taken from another source (``key: ref``)."""
    cited = [f"{food.source.ref} {food.source.record}"]
    cited += [f"{key}: {ref.ref}" for key, ref in food.value_sources.items()]
    return "; ".join(cited)


@dataclass(frozen=True)
class FoodLine:
    """One food of the diet, read."""

    input: str
    food_id: str
    food_name: str
    grams_per_day: float
    how: str
    """How the amount was read, e.g. ``2 × slice (1 oz) = 56 g per day``."""
    per_day: Mapping[str, float | None]
    """Food-table key -> amount per day (None: the table does not report it)."""
    source: str
    assumptions: tuple[str, ...] = ()
    range_per_day: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    """Food-table key -> (low, high) per day when the line is an estimate (questionnaire)."""


@dataclass(frozen=True)
class UnknownFood:
    """A diet entry that could not be read; it is reported, never dropped."""

    input: str
    problem: str
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True)
class DietReading:
    """A diet read into foods, per-day nutrients and what is unknown."""

    foods: tuple[FoodLine, ...] = ()
    unknown: tuple[UnknownFood, ...] = ()
    stated_per_day: Mapping[str, float] = field(default_factory=dict)
    """Nutrient totals the person stated (food not itemised), in the nutrient's DRI unit."""

    def per_day(self) -> dict[str, float]:
        """Engine nutrient id -> per-day amount from listed foods plus stated totals."""
        totals: dict[str, float] = dict(self.stated_per_day)
        for line in self.foods:
            for nutrient in FOOD_KEYS:
                amounts = [line.per_day.get(key) for key in keys_counted(nutrient, line.per_day)]
                known = [a for a in amounts if a is not None]
                if known:
                    totals[nutrient] = totals.get(nutrient, 0.0) + sum(known)
        return totals

    def range_per_day(self) -> dict[str, tuple[float, float]]:
        """Engine nutrient id -> (low, high) per day: questionnaire lines give their range,
        listed foods and stated totals count as exact. Empty when nothing is estimated."""
        if not any(line.range_per_day for line in self.foods):
            return {}
        ranges: dict[str, tuple[float, float]] = {k: (v, v) for k, v in self.stated_per_day.items()}
        for line in self.foods:
            for nutrient in FOOD_KEYS:
                low = high = 0.0
                counted = False
                for key in keys_counted(nutrient, line.per_day):
                    if key in line.range_per_day:
                        low += line.range_per_day[key][0]
                        high += line.range_per_day[key][1]
                        counted = True
                    elif line.per_day.get(key) is not None:
                        low += line.per_day[key] or 0.0
                        high += line.per_day[key] or 0.0
                        counted = True
                if counted:
                    before = ranges.get(nutrient, (0.0, 0.0))
                    ranges[nutrient] = (before[0] + low, before[1] + high)
        return ranges

    def protein_g_per_day(self) -> float | None:
        known = [line.per_day.get("protein_g") for line in self.foods]
        values = [v for v in known if v is not None]
        return sum(values) if values else None

    def unknown_for(self) -> dict[str, tuple[str, ...]]:
        """Engine nutrient id -> the listed foods whose amount of it is not reported."""
        gaps: dict[str, tuple[str, ...]] = {}
        for nutrient, key in REQUIRED_KEY.items():
            missing = tuple(
                line.food_name
                for line in self.foods
                if line.per_day.get(key) is None
                and (nutrient != "vitamin_k" or line.per_day.get(VITAMIN_K_TOTAL_KEY) is None)
            )
            if missing:
                gaps[nutrient] = missing
        return gaps

    def menaquinones_per_day(self) -> dict[str, float]:
        """Menaquinone key (mk4_mcg, mk7_mcg) -> per day, from the foods that report it;
        only forms some listed food reports (a sum over the others would be unknown)."""
        totals: dict[str, float] = {}
        for line in self.foods:
            for key in MENAQUINONE_KEYS:
                value = line.per_day.get(key)
                if value is not None:
                    totals[key] = totals.get(key, 0.0) + value
        return totals

    def k2_in_total(self) -> tuple[str, ...]:
        """Foods whose K2 is counted inside a measured total vitamin K (not split)."""
        key = VITAMIN_K_TOTAL_KEY
        in_total = [line for line in self.foods if line.per_day.get(key) is not None]
        return tuple(line.food_name for line in in_total)

    def k2_not_reported(self) -> tuple[str, ...]:
        """Foods whose K2 the table does not report in full: no menaquinone at all, or MK-4
        alone (the USDA records report no longer menaquinone). Their K2 is unknown or known
        only in part, never zero."""
        return tuple(
            line.food_name
            for line in self.foods
            if all(line.per_day.get(key) is None for key in LONG_CHAIN_K2_KEYS)
        )

    @property
    def has_foods(self) -> bool:
        return bool(self.foods or self.unknown)


@dataclass(frozen=True)
class FoodIndex:
    """Names of the foods of the table, normalised, for matching what people write."""

    table: FoodTable
    by_name: Mapping[str, str]
    """Normalised name/alias/id -> food id."""
    questionnaire: Questionnaire | None = None

    @classmethod
    def build(cls, table: FoodTable, questionnaire: Questionnaire | None = None) -> FoodIndex:
        names: dict[str, str] = {}
        for food in table.foods:
            for label in (food.id, food.id.replace("_", " "), food.name, *food.aliases):
                names[normalise_food_name(label)] = food.id
        return cls(table, names, questionnaire)

    def food(self, food_id: str) -> Food:
        return self.table.by_id()[food_id]

    def match(self, text: str) -> tuple[Food | None, tuple[str, ...]]:
        """(the food, ()) or (None, suggestions)."""
        key = normalise_food_name(text)
        for candidate in _spellings(key):
            found = self.by_name.get(candidate)
            if found is not None:
                return self.food(found), ()
        tokens = set(key.split())
        if tokens:
            containing = sorted(
                {food_id for name, food_id in self.by_name.items() if tokens <= set(name.split())}
            )
            if len(containing) == 1:
                return self.food(containing[0]), ()
            if containing:
                names = sorted((self.food(i).name for i in containing), key=lambda n: (len(n), n))
                return None, tuple(names[:6])
        close = difflib.get_close_matches(key, list(self.by_name), n=4, cutoff=0.75)
        return None, tuple(dict.fromkeys(self.food(self.by_name[c]).name for c in close))


def _spellings(key: str) -> list[str]:
    """The name and its singulars ("eggs" -> "egg", "sardines" -> "sardine")."""
    out = [key]
    if key.endswith("ies"):
        out.append(key[:-3] + "y")
    if key.endswith("es"):
        out.append(key[:-2])
    if key.endswith("s"):
        out.append(key[:-1])
    return out


def _singular(word: str) -> str:
    word = word.lower().rstrip(".")
    for suffix, replacement in (("ches", "ch"), ("ies", "y"), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            return word[: -len(suffix)] + replacement
    return word


def _number(text: str) -> float:
    lowered = text.strip().lower()
    if lowered in NUMBER_WORDS:
        return NUMBER_WORDS[lowered]
    if " " in lowered and "/" in lowered:
        whole, fraction = lowered.split(None, 1)
        return float(whole) + _number(fraction)
    if "/" in lowered:
        numerator, denominator = lowered.split("/", 1)
        if float(denominator) == 0:
            raise InputError(f"cannot divide by zero in {text!r}")
        return float(numerator) / float(denominator)
    return parse_number(lowered)


def _days_between(text: str) -> tuple[str, float]:
    """Strip a trailing frequency; (rest, days per occasion)."""
    match = _FREQUENCY.search(text)
    if match is None:
        return text, 1.0
    word = (match.group("unit") or match.group("adverb") or "").lower()
    days = DAYS_PER_WEEK if word.startswith(("week", "wk")) else 1.0
    return text[: match.start()].strip(), days


def _every(value: Any) -> float:
    if value is None:
        return 1.0
    word = str(value).strip().lower()
    if word in ("day", "daily", "d"):
        return 1.0
    if word in ("week", "weekly", "wk"):
        return DAYS_PER_WEEK
    raise InputError(f"every: {value!r} is not a frequency", hint="use every: day or every: week")


def _volume_grams_per_ml(food: Food) -> tuple[float, Portion] | None:
    """Grams per millilitre from the food's own US household measure, if it has one."""
    for unit in ("fl oz", "cup", "tbsp", "tsp"):
        for portion in food.portions:
            if portion.unit.strip().lower() == unit:
                return portion.grams_per_unit / ML_PER_US_MEASURE[unit], portion
    return None


def _grams(amount: float, unit: str | None, food: Food) -> tuple[float, str, tuple[str, ...]]:
    """Grams of ``amount`` ``unit`` of ``food``; (grams, how, assumptions)."""
    if unit is not None and unit in GRAMS_PER_UNIT:
        grams = amount * GRAMS_PER_UNIT[unit]
        return grams, f"{amount:g} {unit}", ()
    if unit is not None and (unit in ML_PER_UNIT or unit in ML_PER_US_MEASURE):
        density = _volume_grams_per_ml(food)
        if density is None:
            raise InputError(
                f"{food.name}: the table gives no volume measure to convert {unit} to grams",
                hint="give the amount in grams or as " + _portion_words(food),
            )
        per_ml, measure = density
        ml = amount * ML_PER_UNIT.get(unit, ML_PER_US_MEASURE.get(unit, 0.0))
        note = f"density from '{measure.amount:g} {measure.unit}' = {measure.grams:g} g"
        return ml * per_ml, f"{amount:g} {unit}", (note,)
    portion = _portion(food, unit)
    if portion is None:
        wanted = f"'{unit}'" if unit else "a count"
        raise InputError(
            f"{food.name}: no household measure {wanted} in the table",
            hint="give grams or ml, or one of: " + _portion_words(food),
        )
    grams = amount * portion.grams_per_unit
    count_note = f"1 {food.name} read as 1 {portion.unit} ({portion.grams_per_unit:g} g)"
    notes: tuple[str, ...] = () if unit else (count_note,)
    return grams, f"{amount:g} × {portion.unit} ({portion.grams_per_unit:g} g)", notes


def _portion(food: Food, unit: str | None) -> Portion | None:
    if unit is None:
        for word in COUNT_UNITS:
            for portion in food.portions:
                if portion.unit_word == word:
                    return portion
        return None
    wanted = _singular(unit)
    for portion in food.portions:
        if portion.unit_word == wanted or portion.unit.strip().lower() == unit.lower():
            return portion
    return None


def _portion_words(food: Food) -> str:
    words = dict.fromkeys(p.unit for p in food.portions)
    return ", ".join(list(words)[:6]) or "grams"


def _split_amount(text: str, index: FoodIndex) -> tuple[float, str | None, str]:
    """'2 slices cheddar' -> (2, 'slices', 'cheddar'); 'natto 50 g' -> (50, 'g', 'natto')."""
    match = _LEADING_NUMBER.match(text)
    if match is None:
        trailing = re.match(
            r"^(?P<food>.+?)\s+(?P<number>\d+(?:[.,]\d+)?)\s*(?P<unit>[a-zA-Z. ]+)$", text
        )
        if trailing is None:
            raise InputError(
                f"no amount in {text!r}", hint="write e.g. '2 slices cheddar' or '200 ml milk'"
            )
        unit = UNIT_SPELLINGS.get(trailing.group("unit").strip().lower())
        if unit is None:
            raise InputError(f"unknown unit {trailing.group('unit')!r} in {text!r}")
        return _number(trailing.group("number")), unit, trailing.group("food")
    amount = _number(match.group("number"))
    rest = match.group("rest").strip()
    lowered = rest.lower()
    for spelling in sorted(UNIT_SPELLINGS, key=len, reverse=True):
        if re.match(rf"{re.escape(spelling)}\b", lowered):
            named = re.sub(r"^of\s+", "", rest[len(spelling) :].strip(), flags=re.IGNORECASE)
            return amount, UNIT_SPELLINGS[spelling], named
    whole, _ = index.match(rest)
    first, _, remainder = rest.partition(" ")
    if whole is None and remainder:
        food_text = re.sub(r"^of\s+", "", remainder.strip(), flags=re.IGNORECASE)
        food, _ = index.match(food_text)
        if food is not None:
            # "2 slices gouda": the measure is named even when the table lacks it, so the
            # reader says "no slice for Gouda" instead of "unknown food 'slices gouda'".
            return amount, first.lower(), food_text
    return amount, None, rest


def read_food_item(item: Any, index: FoodIndex) -> FoodLine | UnknownFood:
    """One diet entry (text or {food, amount, every}) read against the table."""
    if isinstance(item, Mapping):
        unknown = set(item) - {"food", "amount", "grams", "every"}
        if unknown or "food" not in item:
            raise InputError(
                "a food entry is {food: …, amount: …, every: day|week}",
                hint=f"unexpected keys: {sorted(map(str, unknown))}" if unknown else None,
            )
        food_text = str(item["food"])
        days = _every(item.get("every"))
        if item.get("grams") is not None:
            amount_text = f"{item['grams']} g"
        elif item.get("amount") is not None:
            amount_text = str(item["amount"])
        else:
            raise InputError(f"{food_text}: no amount", hint="add amount: e.g. 30 g or 2 slices")
        described = f"{amount_text} {food_text}" + (" per week" if days > 1 else "")
        amount, unit, _ = _split_amount(f"{amount_text} x", index)
        if unit is None:
            word = amount_text.split()[-1] if len(amount_text.split()) > 1 else None
            unit = word.lower() if word else None
    elif isinstance(item, str):
        described = item.strip()
        text, days = _days_between(described)
        amount, unit, food_text = _split_amount(text, index)
    else:
        raise InputError(f"a food entry must be text or a mapping, got {item!r}")
    food, suggestions = index.match(food_text)
    if food is None:
        problem = (
            "matches several foods" if suggestions and len(suggestions) > 1 else "unknown food"
        )
        return UnknownFood(described, f"{problem}: {food_text!r}", suggestions)
    if amount < 0:
        raise InputError(f"an amount cannot be negative: {described!r}")
    grams, how, assumptions = _grams(amount, unit, food)
    grams_per_day = grams / days
    per_day = {
        key: (None if value is None else value * grams_per_day / 100.0)
        for key, value in food.per_100g.model_dump().items()
    }
    every = "per day" if days == 1 else "per week"
    return FoodLine(
        input=described,
        food_id=food.id,
        food_name=food.name,
        grams_per_day=grams_per_day,
        how=f"{how} = {grams:.0f} g {every}",
        per_day=per_day,
        source=food_sources(food),
        assumptions=assumptions,
    )


def read_questionnaire_answer(
    category: QuestionnaireCategory, answer: Any, index: FoodIndex
) -> FoodLine:
    """One questionnaire answer ("2", "3 a week") -> an estimated line with its range."""
    if isinstance(answer, bool):
        raise InputError(f"{category.id}: {answer!r} is not a number of servings")
    text, days = (
        (str(answer), DAYS_PER_WEEK if category.per == "week" else 1.0)
        if isinstance(answer, int | float)
        else _days_between(str(answer))
    )
    if isinstance(answer, str) and not _FREQUENCY.search(str(answer)):
        days = DAYS_PER_WEEK if category.per == "week" else 1.0
    try:
        servings = _number(text)
    except (InputError, ValueError):
        raise InputError(
            f"{category.id}: {answer!r} is not a number of servings",
            hint=f"e.g. 2 or '2 a {category.per}'",
        ) from None
    if servings < 0:
        raise InputError(f"{category.id}: servings cannot be negative")
    per_day_servings = servings / days
    keys = list(Food.model_fields["per_100g"].annotation.model_fields)  # type: ignore[union-attr]
    values: dict[str, list[float]] = {key: [] for key in keys}
    records = []
    for example in category.examples:
        food = index.food(example.food)
        grams = serving_grams(example, food)
        records.append(food_sources(food))
        for key in keys:
            per_100g = food.amount_per_100g(key)
            if per_100g is not None:
                values[key].append(per_100g * grams / 100.0 * per_day_servings)
    for key in OWN_SOURCE_KEYS:
        # Reported for few foods: a mean over only the examples that report it would stand
        # for the others too, so it counts only when every example reports it.
        if len(values[key]) != len(category.examples):
            values[key] = []
    per_day = {k: (sum(v) / len(v) if v else None) for k, v in values.items()}
    ranges = {k: (min(v), max(v)) for k, v in values.items() if v}
    every = "a day" if days == 1 else "a week"
    grams_mean = sum(serving_grams(e, index.food(e.food)) for e in category.examples) / len(
        category.examples
    )
    return FoodLine(
        input=f"{category.id}: {answer}",
        food_id=f"questionnaire:{category.id}",
        food_name=f"{category.ask} (1 serving = {category.serving})",
        grams_per_day=grams_mean * per_day_servings,
        how=f"{servings:g} serving(s) {every}; estimate = mean of {len(category.examples)} "
        "example foods, range = lowest to highest",
        per_day=per_day,
        source="; ".join(dict.fromkeys(records)),
        assumptions=(
            "estimated from the questionnaire; examples: "
            + ", ".join(index.food(e.food).name for e in category.examples),
        ),
        range_per_day=ranges,
    )


def _read_questionnaire(
    answers: Any, index: FoodIndex, problems: list[InputError]
) -> list[FoodLine]:
    questionnaire = index.questionnaire
    if questionnaire is None or not isinstance(answers, Mapping):
        problems.append(
            InputError("questionnaire must be a mapping of servings", where="questionnaire")
        )
        return []
    lines = []
    for key, answer in answers.items():
        category = questionnaire.category(str(key))
        if category is None:
            problems.append(
                InputError(
                    f"unknown questionnaire item {key!r}",
                    where=f"questionnaire.{key}",
                    hint="items: " + ", ".join(c.id for c in questionnaire.categories),
                )
            )
            continue
        try:
            lines.append(read_questionnaire_answer(category, answer, index))
        except InputError as error:
            problems.append(error.located_field(f"questionnaire.{key}"))
    return lines


def read_diet(value: Any, index: FoodIndex, read_total: Any) -> DietReading:
    """A profile's ``diet:`` section (or a diet file's content).

    ``read_total(nutrient_key, amount)`` reads one stated total into (nutrient id, amount
    in the DRI unit); it is the profile reader's, so totals keep their existing meaning.
    """
    if value is None:
        return DietReading()
    items: Sequence[Any]
    totals: dict[str, float] = {}
    problems: list[InputError] = []
    if isinstance(value, list):
        items = value
    elif isinstance(value, Mapping):
        raw_items = value.get("foods", [])
        if not isinstance(raw_items, list):
            raise InputError("diet.foods must be a list", where="foods")
        items = raw_items
        for key, amount in value.items():
            if key in ("foods", "questionnaire"):
                continue
            try:
                nutrient, per_day = read_total(key, amount)
            except InputError as error:
                problems.append(error.located_field(str(key)))
                continue
            totals[nutrient] = totals.get(nutrient, 0.0) + per_day
    else:
        raise InputError(
            "diet must be a list of foods or a mapping",
            hint="e.g. [2 slices cheddar, 200 ml fortified soy drink] or {calcium: 700 mg}",
        )
    lines: list[FoodLine] = []
    unknown: list[UnknownFood] = []
    answers = value.get("questionnaire") if isinstance(value, Mapping) else None
    if answers is not None:
        lines += _read_questionnaire(answers, index, problems)
    for position, item in enumerate(items):
        try:
            read = read_food_item(item, index)
        except InputError as error:
            problems.append(error.located_field(f"foods[{position}]"))
            continue
        if isinstance(read, FoodLine):
            lines.append(read)
        else:
            unknown.append(read)
    if problems:
        from d3k2.reading.profile import ProfileError  # profile.py imports this module

        raise ProfileError(problems)
    return DietReading(tuple(lines), tuple(unknown), totals)
