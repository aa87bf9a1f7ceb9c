"""From a profile (plain data: the public profile format) to :class:`PatientFacts`.

Pure: the caller passes the already-parsed mapping, the knowledge base and "today".
Every problem is collected with its field path (``plan[2].unit``) and raised together
as a :class:`ProfileError`, so a user fixes everything in one go.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal, TypeVar

from d3k2.core.dates import parse_iso_date
from d3k2.core.quantities import (
    CM_PER_INCH,
    INCHES_PER_FOOT,
    Quantity,
    amount_in,
    body_mass_kg,
    checked_number,
    convert_lab_value,
    normalize_unit,
    parse_number,
    parse_quantity,
)
from d3k2.core.regimen import Regimen
from d3k2.core.screening.model import (
    LIFE_STATE_CLASSES,
    SUPPLEMENT_CLASS_NUTRIENT,
    SUPPLEMENT_CLASSES,
    LabResult,
    PatientFacts,
    PlanItem,
    RecognizedTerm,
    Sex,
    Unrecognized,
)
from d3k2.errors import InputError, shown
from d3k2.knowledge.foods import FoodTable, Questionnaire, menaquinone_label
from d3k2.knowledge.schema import Knowledge, LabTest
from d3k2.reading.diet import FOOD_KEYS, DietReading, FoodIndex, read_diet
from d3k2.reading.matching import VocabularyIndex
from d3k2.reading.regimen import (
    NutrientIndex,
    parse_regimen,
    parse_structured_item,
    split_items,
)
from d3k2.reading.regimen_words import canonical_text

PROFILE_FIELDS: Final[dict[str, str]] = {
    "age": 'years (67), or "9 months", "67 years"',
    "birth_date": "YYYY-MM-DD (with as_of, or today)",
    "as_of": "YYYY-MM-DD: the date the profile describes (default: today)",
    "sex": "female | male",
    "pregnant": "true | false",
    "lactating": "true | false",
    "weight": '"82 kg", "180 lb" or {value: 82, unit: kg}',
    "height": '"170 cm", "1.70 m", "5 ft 7 in"',
    "bmi": "kg/m² (a number)",
    "conditions": "list of names or {system, code}",
    "medications": "list of names (with doses if you like) or {system, code}",
    "labs": "list of {test | loinc, value, unit, date}",
    "lifestyle": "answers about habits: {strength_days_per_week: 1, smoking: never, "
    "alcohol_units_per_day: 1, sleep_hours: 7, falls_last_year: 0} (see d3k2 lifestyle table)",
    "diet": "usual intake from food: foods with amounts [2 slices cheddar, 200 ml fortified soy "
    "drink], totals {calcium: 700 mg, vitamin_d: 4 mcg}, or both {foods: [...], calcium: 300 mg}",
    "plan": "list of regimen items (text or {nutrient, form, amount, unit, every})",
    "options": "{guideline: nam-2011 | endocrine-2011 | endocrine-2024}",
    "name": "free text label (not used in any decision)",
    "id": "patient identifier, carried to the result (not used in any decision)",
}

T = TypeVar("T")

MAX_PROBLEMS_SHOWN: Final = 20
"""A profile with more problems lists the first ones and counts the rest (the output of a
machine-made file with thousands of bad entries stays readable and small)."""


class ProfileError(InputError):
    """Several problems in one profile; each is an InputError with a field path."""

    def __init__(self, problems: Sequence[InputError]) -> None:
        first = problems[0]
        super().__init__(first.message, where=first.where, hint=first.hint)
        self.problems = list(problems)

    def __str__(self) -> str:
        shown = [str(p) for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        hidden = len(self.problems) - len(shown)
        if hidden > 0:
            shown.append(f"… and {hidden} more problem(s) like these")
        return "\n".join(shown)


@dataclass
class _Collector:
    problems: list[InputError]

    def run(self, path: str, action: Callable[[], T]) -> T | None:
        """Run ``action``; file its InputErrors under field ``path`` ("" = as raised)."""
        try:
            return action()
        except ProfileError as error:
            self.problems.extend(p.located_field(path) if path else p for p in error.problems)
        except InputError as error:
            self.problems.append(error.located_field(path) if path else error)
        return None


@dataclass(frozen=True)
class Vocabularies:
    """Indexes built once per knowledge base and reused for every patient."""

    medications: VocabularyIndex
    conditions: VocabularyIndex
    labs: VocabularyIndex
    nutrients: NutrientIndex
    foods: FoodIndex | None = None
    """The food composition table's names; None: a diet can only give nutrient totals."""

    @classmethod
    def build(
        cls,
        knowledge: Knowledge,
        foods: FoodTable | None = None,
        questionnaire: Questionnaire | None = None,
    ) -> Vocabularies:
        return cls(
            VocabularyIndex.for_medications(knowledge.medications),
            VocabularyIndex.for_conditions(knowledge.conditions),
            VocabularyIndex.for_labs(knowledge.labs),
            NutrientIndex.build(
                knowledge.nutrients, knowledge.medications, knowledge.supplement_products
            ),
            None if foods is None else FoodIndex.build(foods, questionnaire),
        )


def build_facts(
    profile: Mapping[str, Any],
    knowledge: Knowledge,
    *,
    today: dt.date,
    vocabularies: Vocabularies,
) -> PatientFacts:
    """Read a profile into facts. Raises :class:`ProfileError` listing every problem.

    ``vocabularies`` are built once per knowledge base (the engine holds them); they are
    never rebuilt here for a single profile."""
    vocab = vocabularies
    collect = _Collector([])
    if not isinstance(profile, Mapping):
        raise InputError("a profile must be a mapping of fields (age, sex, plan, …)")
    unreadable_numbers = _unreadable_numbers(profile)
    if unreadable_numbers:  # refused first: every reader below would trip over them
        raise ProfileError(unreadable_numbers)
    field_notes: list[str] = []
    for key in profile:
        if key in PROFILE_FIELDS:
            continue
        guess = _close_field(str(key), PROFILE_FIELDS)
        if guess is not None:
            # A near miss of a real field ("Age", "medicaitons") would silently drop what
            # it holds: an error, with the field it probably is.
            collect.problems.append(
                InputError(
                    f"unknown field {shown(key)}", where=str(key), hint=f"did you mean {guess!r}?"
                )
            )
        else:
            field_notes.append(
                f"profile field {_short(str(key))!r} is not used by d3k2 and was ignored "
                "(fields: " + ", ".join(PROFILE_FIELDS) + ")"
            )

    as_of = collect.run("as_of", lambda: _date(profile.get("as_of"))) or today
    age = collect.run("", lambda: _age_years(profile, as_of))
    sex = collect.run("sex", lambda: _sex(profile.get("sex")))
    pregnant = collect.run("pregnant", lambda: _flag(profile.get("pregnant")))
    lactating = collect.run("lactating", lambda: _flag(profile.get("lactating")))
    if sex == "male" and (pregnant or lactating):
        collect.problems.append(
            InputError(
                "pregnant/lactating is set for sex male",
                where="pregnant",
                hint="check the sex and pregnancy fields",
            )
        )
    weight = collect.run("weight", lambda: _weight_kg(profile.get("weight")))
    height = collect.run("height", lambda: _height_cm(profile.get("height")))
    bmi = collect.run("bmi", lambda: _bmi(profile.get("bmi")))
    if bmi is None and weight is not None and height is not None:
        bmi = weight / (height / 100) ** 2

    unrecognized: list[Unrecognized] = []
    medications = _terms(profile, "medications", vocab.medications, collect, unrecognized)
    conditions = _terms(profile, "conditions", vocab.conditions, collect, unrecognized)
    lab_notes: list[str] = []
    labs = _labs(profile.get("labs"), knowledge, vocab, collect, unrecognized, as_of, lab_notes)
    diet_read = collect.run("diet", lambda: read_profile_diet(profile.get("diet"), vocab))
    diet = {} if diet_read is None else diet_read.per_day()
    plan = _plan(profile.get("plan"), vocab, collect)
    current, notes, unknown_intake = _current_supplements(
        profile.get("medications"), medications, unrecognized, vocab.nutrients
    )
    pregnant, lactating = _life_state_from_conditions(
        conditions,
        pregnant=pregnant,
        lactating=lactating,
        stated={key: profile.get(key) is not None for key in ("pregnant", "lactating")},
        sex=sex,
        collect=collect,
        notes=notes,
    )
    if diet_read is not None:
        unknown_intake += _diet_gaps(diet_read)
        unrecognized += [
            Unrecognized(
                "profile",
                f"diet: {item.input}",
                f"{item.problem}; not counted"
                + (f" (did you mean: {'; '.join(item.suggestions)}?)" if item.suggestions else ""),
            )
            for item in diet_read.unknown
        ]
        if diet_read.foods:
            notes.append(diet_vitamin_k_note(diet_read))
    notes = field_notes + lab_notes + notes

    if collect.problems:
        raise ProfileError(collect.problems)
    assert age is not None and sex is not None  # both raise when missing
    return PatientFacts(
        age_years=age,
        sex=sex,
        pregnant=pregnant,
        lactating=lactating,
        weight_kg=weight,
        height_cm=height,
        bmi_kg_m2=bmi,
        medications=tuple(medications),
        conditions=tuple(conditions),
        labs=tuple(labs),
        diet_per_day=diet,
        plan=tuple(plan),
        current_supplements=tuple(current),
        unrecognized=tuple(unrecognized),
        notes=tuple(notes),
        as_of=as_of.isoformat(),
        patient_id=None if profile.get("id") is None else str(profile.get("id")),
        unknown_intake=tuple(unknown_intake),
    )


def _life_state_from_conditions(
    conditions: Sequence[RecognizedTerm],
    *,
    pregnant: bool | None,
    lactating: bool | None,
    stated: Mapping[str, bool],
    sex: Sex | None,
    collect: _Collector,
    notes: list[str],
) -> tuple[bool, bool]:
    """Pregnancy or breastfeeding written only in the condition list sets the state.

    A flag written in the profile (``pregnant: false``) wins over the condition list, which
    may be out of date; the conflict is noted. For sex male it is an input error, as with the
    flags themselves.
    """
    state = {"pregnant": bool(pregnant), "lactating": bool(lactating)}
    for flag, condition_class in LIFE_STATE_CLASSES.items():
        named = [t.input for t in conditions if condition_class in t.classes]
        if not named:
            continue
        listed = ", ".join(f"'{name}'" for name in named)
        if sex == "male":
            collect.problems.append(
                InputError(
                    f"{listed} (conditions) is listed for sex male",
                    where="conditions",
                    hint="check the sex and the condition list",
                )
            )
            continue
        if stated.get(flag) and not state[flag]:
            notes.append(
                f"{listed} (conditions) says {condition_class}, but the profile says "
                f"{flag}: false; {flag}: false was used. Check which is current."
            )
            continue
        if not state[flag]:
            state[flag] = True
            notes.append(
                f"{condition_class} was read from the condition list ({listed}): the "
                f"{condition_class} reference intakes and rules apply. Set {flag}: true (or "
                "false) in the profile to confirm."
            )
    return state["pregnant"], state["lactating"]


def _close_field(key: str, fields: Mapping[str, str] | Sequence[str]) -> str | None:
    """The field ``key`` was probably meant to be: the same but for case, or a close
    misspelling (edit similarity at least ``FIELD_GUESS_MIN_SCORE``)."""
    names = list(fields)
    for name in names:
        if key.strip().lower() == name.lower():
            return name
    if key.strip().lower() in FIELD_SYNONYMS:
        return FIELD_SYNONYMS[key.strip().lower()]
    from rapidfuzz import fuzz, process  # only for a field name that is not a known one

    guess = process.extractOne(key.lower(), names, scorer=fuzz.ratio)
    return str(guess[0]) if guess and guess[1] >= FIELD_GUESS_MIN_SCORE else None


FIELD_GUESS_MIN_SCORE: Final = 75.0
"""rapidfuzz ratio for "did you mean": 'medicaitons'/'medications' scores 91, 'labz' 75,
'notes'/'name' 44, 'allergies'/'age' 50 (not a clinical threshold; no rule reads it)."""
FIELD_SYNONYMS: Final[dict[str, str]] = {
    "supplements": "medications",
    "current_supplements": "medications",
    "vitamins": "medications",
    "drugs": "medications",
    "meds": "medications",
    "medicines": "medications",
    "diagnoses": "conditions",
    "problems": "conditions",
    "diseases": "conditions",
    "gender": "sex",
    "dob": "birth_date",
    "date_of_birth": "birth_date",
    "regimen": "plan",
    "results": "labs",
    "laboratory": "labs",
}
"""Other names for fields whose content d3k2 needs: ignoring them would screen less than
the person takes or has, so they are errors that name the field meant."""
SHORT_TEXT_CHARS: Final = 40


def _short(text: str) -> str:
    """A user's text for a message, cut to ``SHORT_TEXT_CHARS``."""
    return text if len(text) <= SHORT_TEXT_CHARS else text[: SHORT_TEXT_CHARS - 1] + "…"


# --------------------------------------------------------------------------- scalars
def _unreadable_numbers(profile: Mapping[str, Any]) -> list[InputError]:
    """Every number in the profile that is not finite or too large to compute with
    (``age: 1e400``, a 400-digit lab value), and every text holding a lone surrogate (no
    door could print or store it), with its field path."""
    problems: list[InputError] = []
    pending: list[tuple[str, Any]] = [("", profile)]
    while pending and len(problems) < MAX_PROBLEMS_SHOWN:
        path, node = pending.pop()
        if isinstance(node, Mapping):
            pending.extend(
                (f"{path}.{key}" if path else str(key), value) for key, value in node.items()
            )
        elif isinstance(node, list | tuple):
            pending.extend((f"{path}[{i}]", value) for i, value in enumerate(node))
        elif isinstance(node, int | float) and not isinstance(node, bool):
            try:
                checked_number(node)
            except InputError as error:
                problems.append(error.located_field(path) if path else error)
        elif isinstance(node, str) and not _encodable(node):
            problems.append(
                InputError(
                    "the text holds an escape that is not a character (a lone UTF-16 "
                    "surrogate such as \\ud800)",
                    where=path or None,
                    hint="remove the escape, or write the character itself",
                )
            )
    return problems


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    return parse_iso_date(value)


DAYS_PER_YEAR: Final = 365.25
# Input guards: values outside these are typing or unit slips, not people (not clinical
# thresholds; no rule reads them).
PLAUSIBLE_AGE_YEARS: Final = (0.0, 125.0)
PLAUSIBLE_WEIGHT_KG: Final = (0.5, 400.0)
PLAUSIBLE_HEIGHT_CM: Final = (30.0, 250.0)
PLAUSIBLE_BMI_KG_M2: Final = (10.0, 90.0)

_AGE_UNITS: Final[dict[str, float]] = {
    "year": 1.0,
    "yr": 1.0,
    "y": 1.0,
    "month": 1 / 12,
    "mo": 1 / 12,
    "m": 1 / 12,
    "week": 7 / DAYS_PER_YEAR,
    "wk": 7 / DAYS_PER_YEAR,
    "w": 7 / DAYS_PER_YEAR,
    "day": 1 / DAYS_PER_YEAR,
    "d": 1 / DAYS_PER_YEAR,
}


def _age_years(profile: Mapping[str, Any], as_of: dt.date) -> float:
    value = profile.get("age")
    try:
        birth = _date(profile.get("birth_date"))
    except InputError as error:
        raise error.located_field("birth_date") from None
    if value is None and birth is None:
        raise InputError(
            "age is required", where="age", hint='give age (67 or "9 months") or birth_date'
        )
    if value is not None and birth is not None:
        from_birth = (as_of - birth).days / DAYS_PER_YEAR
        stated = _age_years({"age": value}, as_of)
        if abs(from_birth - stated) >= 1.0:
            raise InputError(
                f"age {shown(value)} does not match birth_date {birth} ({from_birth:.1f} years on "
                f"{as_of})",
                where="birth_date",
                hint="give one of them, or correct the other",
            )
        return stated
    if value is None:
        assert birth is not None
        if birth > as_of:
            raise InputError(
                f"birth_date {birth} is after as_of {as_of}",
                where="birth_date",
                hint="check both dates",
            )
        return (as_of - birth).days / DAYS_PER_YEAR
    if isinstance(value, bool):
        raise InputError(f"age must be a number of years, got {shown(value)}", where="age")
    if isinstance(value, int | float):
        years = float(value)
    else:
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*", str(value).lower())
        if not m:
            raise InputError(
                f"cannot read the age {shown(value)}", where="age", hint='write 67 or "9 months"'
            )
        unit = m.group(2).rstrip("s") if m.group(2) not in ("ys",) else "y"
        if unit and unit not in _AGE_UNITS:
            raise InputError(
                f"unknown age unit in {shown(value)}",
                where="age",
                hint="use years, months or weeks",
            )
        years = parse_number(m.group(1)) * _AGE_UNITS[unit or "year"]
    if not PLAUSIBLE_AGE_YEARS[0] <= years <= PLAUSIBLE_AGE_YEARS[1]:
        raise InputError(f"age {shown(value)} is outside 0-125 years", where="age")
    return years


def _sex(value: Any) -> Sex:
    text = str(value).strip().lower() if value is not None else ""
    if text in ("female", "f", "woman", "w"):
        return "female"
    if text in ("male", "m", "man"):
        return "male"
    if not text:
        raise InputError("sex is required", hint="female or male (reference intakes differ)")
    raise InputError(f"sex must be female or male, got {shown(value)}")


def _flag(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("yes", "true", "y"):
        return True
    if text in ("no", "false", "n"):
        return False
    raise InputError(f"expected true or false, got {shown(value)}")


def _quantity(value: Any) -> Quantity:
    if isinstance(value, Mapping):
        unknown = set(value) - {"value", "unit"}
        if unknown or "value" not in value or "unit" not in value:
            raise InputError("expected {value: …, unit: …}")
        raw = value["value"]
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise InputError(f"value must be a number, got {shown(raw)}")
        number = parse_number(raw) if isinstance(raw, str) else float(raw)
        return Quantity(number, normalize_unit(str(value["unit"])))
    return parse_quantity(value)


def _weight_kg(value: Any) -> float | None:
    if value is None:
        return None
    kg = body_mass_kg(_quantity(value))
    if not PLAUSIBLE_WEIGHT_KG[0] <= kg <= PLAUSIBLE_WEIGHT_KG[1]:
        raise InputError(f"body weight {kg:.1f} kg is implausible", hint="check the unit")
    return kg


def _height_cm(value: Any) -> float | None:
    if value is None:
        return None
    text = str(value).strip().lower()
    m = re.fullmatch(r"(\d+)\s*(?:ft|')\s*(\d+(?:\.\d+)?)?\s*(?:in|\"|'')?", text)
    if m:
        cm = (int(m.group(1)) * INCHES_PER_FOOT + parse_number(m.group(2) or "0")) * CM_PER_INCH
    else:
        m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(cm|m|in)", text)
        if not m:
            raise InputError(
                f"cannot read the height {shown(value)}", hint='write "170 cm" or "1.70 m"'
            )
        number = parse_number(m.group(1))
        cm = {"cm": number, "m": number * 100, "in": number * CM_PER_INCH}[m.group(2)]
    if not PLAUSIBLE_HEIGHT_CM[0] <= cm <= PLAUSIBLE_HEIGHT_CM[1]:
        raise InputError(f"height {cm:.0f} cm is implausible", hint="check the unit")
    return cm


def _bmi(value: Any) -> float | None:
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float | str)
        or not str(value).split()
    ):
        raise InputError(f"BMI must be a number in kg/m², got {shown(value)}")
    number = float(parse_number(str(value).split()[0]))
    if not PLAUSIBLE_BMI_KG_M2[0] <= number <= PLAUSIBLE_BMI_KG_M2[1]:
        raise InputError(f"BMI {shown(value)} is implausible (expected 10-90 kg/m²)")
    return number


# --------------------------------------------------------------------------- lists
def _as_list(value: Any, field: str) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, str):
        return [value]
    raise InputError(f"{field} must be a list")


def _terms(
    profile: Mapping[str, Any],
    field: str,
    index: VocabularyIndex,
    collect: _Collector,
    unrecognized: list[Unrecognized],
) -> list[RecognizedTerm]:
    found: list[RecognizedTerm] = []
    items = collect.run(field, lambda: _as_list(profile.get(field), field)) or []
    for i, item in enumerate(items):
        path = f"{field}[{i}]"
        if isinstance(item, Mapping):
            system, code = item.get("system"), item.get("code")
            if not system or not code:
                collect.problems.append(
                    InputError(
                        "a coded entry needs system and code",
                        where=path,
                        hint='for example {system: "http://snomed.info/sct", code: "…"}',
                    )
                )
                continue
            label = str(item.get("display") or f"{system}|{code}")
            term = index.match_code(str(system), str(code), label)
            if term is not None:
                found.append(term)
            elif item.get("display"):
                result = index.match(str(item["display"]))
                if isinstance(result, Unrecognized):
                    unrecognized.append(Unrecognized(index.kind, label))
                else:
                    found.extend(result)
            else:
                unrecognized.append(Unrecognized(index.kind, label))
            continue
        if not isinstance(item, str) or not item.strip():
            collect.problems.append(InputError(f"expected a name, got {shown(item)}", where=path))
            continue
        result = index.match(item)
        if isinstance(result, Unrecognized):
            unrecognized.append(result)
        else:
            found.extend(result)
    return found


LAB_KEYS: Final = frozenset({"test", "loinc", "system", "code", "value", "unit", "date"})
LAB_KEYS_IGNORED: Final = frozenset(
    {
        "flag",
        "flags",
        "reference_range",
        "ref_range",
        "reference",
        "range",
        "normal_range",
        "status",
        "comment",
        "comments",
        "notes",
        "interpretation",
        "abnormal",
        "lab",
        "laboratory",
        "method",
        "specimen",
        "time",
        "source",
    }
)
"""Keys a laboratory report often carries: kept out of the decision, and said so."""
LAB_QUALIFIERS: Final[dict[str, Literal["<", "<=", ">", ">="]]] = {
    "<": "<",
    "<=": "<=",
    "≤": "<=",
    ">": ">",
    ">=": ">=",
    "≥": ">=",
}


def _labs(
    value: Any,
    knowledge: Knowledge,
    vocab: Vocabularies,
    collect: _Collector,
    unrecognized: list[Unrecognized],
    as_of: dt.date,
    notes: list[str],
) -> list[LabResult]:
    results: list[LabResult] = []
    items = collect.run("labs", lambda: _as_list(value, "labs")) or []
    tests = {lab.id: lab for lab in knowledge.labs}
    for i, item in enumerate(items):
        path = f"labs[{i}]"
        if not isinstance(item, Mapping):
            collect.problems.append(
                InputError("a lab must be {test, value, unit, date}", where=path)
            )
            continue
        unknown = sorted(set(map(str, item)) - LAB_KEYS - LAB_KEYS_IGNORED - {"note"})
        near = [(key, _close_field(key, sorted(LAB_KEYS))) for key in unknown]
        misspelt = [(key, guess) for key, guess in near if guess is not None]
        if misspelt:
            collect.problems.append(
                InputError(
                    f"unknown key {shown(misspelt[0][0])}",
                    where=path,
                    hint=f"did you mean {misspelt[0][1]!r}? labs take test (or loinc), value, "
                    "unit, date",
                )
            )
            continue
        ignored = sorted((set(map(str, item)) & LAB_KEYS_IGNORED) | set(unknown))
        if ignored:
            notes.append(
                f"{path}: {', '.join(repr(_short(k)) for k in ignored)} not used (d3k2 "
                "interprets the value with its own cited bands)"
            )
        if item.get("note") not in (None, ""):
            notes.append(f"{path} note, as written: {_short(str(item['note']))}")
        label = str(item.get("test") or item.get("loinc") or item.get("code") or "")
        term: RecognizedTerm | None = None
        if item.get("loinc"):
            term = vocab.labs.match_code("loinc", str(item["loinc"]), label)
        elif item.get("code") and item.get("system"):
            term = vocab.labs.match_code(str(item["system"]), str(item["code"]), label)
        elif item.get("test"):
            matched = vocab.labs.match(str(item["test"]))
            if not isinstance(matched, Unrecognized):
                term = matched[0]
        else:
            collect.problems.append(InputError("a lab needs test or loinc", where=path))
            continue
        if term is None:
            unrecognized.append(
                Unrecognized("lab", f"{label}: {item.get('value')} {item.get('unit', '')}".strip())
            )
            continue
        lab = tests[term.id]
        result = collect.run(path, functools.partial(_lab_result, lab, item, term, i, as_of))
        if result is not None:
            results.append(result)
    return results


def _lab_result(
    lab: LabTest,
    item: Mapping[str, Any],
    term: RecognizedTerm,
    order: int,
    as_of: dt.date,
) -> LabResult:
    test, name, units = lab.id, lab.names[0], lab.units
    raw = item.get("value")
    unit_raw = item.get("unit")
    if raw is None:
        raise InputError("a lab needs a value", where="value")
    if unit_raw is None and [normalize_unit(u) for u in units] == ["{INR}"]:
        unit_raw = "{INR}"  # a ratio: the only test reported without a unit
    qualifier = None
    if isinstance(raw, str):
        censored = re.match(r"^\s*(<=|>=|≤|≥|<|>)\s*(.+)$", raw)
        if censored:
            qualifier = LAB_QUALIFIERS[censored.group(1)]
            raw = censored.group(2).strip()
    if isinstance(raw, str) and unit_raw is None:
        quantity = parse_quantity(raw)
        value, unit = quantity.value, quantity.unit
    else:
        if unit_raw is None:
            raise InputError(
                f"the value {raw} has no unit",
                where="unit",
                hint="accepted units for this test: " + ", ".join(units),
            )
        if isinstance(raw, bool):
            raise InputError(f"value must be a number, got {shown(raw)}", where="value")
        try:
            value = float(raw) if isinstance(raw, int | float) else parse_number(str(raw))
        except InputError as error:
            raise error.located_field("value") from None
        try:
            unit = normalize_unit(str(unit_raw))
        except InputError as error:
            raise error.located_field("unit") from None
    if value < 0:
        raise InputError(f"a lab value cannot be negative: {value}", where="value")
    si_unit = normalize_unit(units[0])
    if unit not in {normalize_unit(u) for u in units}:
        # Only the units listed for the test: a convertible but foreign unit (25(OH)D in
        # mmol/L) is far more often a mix-up with another test than a real report.
        raise InputError(
            f"{shown(unit)} is not a unit for {name}",
            where="unit",
            hint="use " + " or ".join(units),
        )
    value_si = convert_lab_value(test, value, unit, si_unit) if unit != si_unit else value
    plausible = lab.plausible_si
    if plausible is not None and not plausible.low <= value_si <= plausible.high:
        raise InputError(
            f"{name} {value:g} {unit} is outside any plausible value "
            f"({plausible.low:g}-{plausible.high:g} {si_unit})",
            where="value",
            hint="check the value and its unit (g/L or g/dL? mmol/L or mg/dL?)",
        )
    try:
        date = _date(item.get("date"))
    except InputError as error:
        raise error.located_field("date") from None
    if date is not None and date > as_of:
        raise InputError(
            f"the result is dated {date}, after the assessment date {as_of}",
            where="date",
            hint="check the date (a typo would make this result count as the latest)",
        )
    return LabResult(
        input=f"{item.get('test') or item.get('loinc') or item.get('code')}: {qualifier or ''}"
        f"{raw if not isinstance(raw, float) else f'{raw:g}'} {unit_raw or ''}".strip(),
        test=test,
        test_name=name,
        value=value,
        unit=unit,
        value_si=value_si,
        unit_si=si_unit,
        date=date.isoformat() if date else None,
        code=term.code,
        order=order,
        qualifier=qualifier,
        name_as_written=str(item["test"]) if item.get("test") else None,
    )


def diet_vitamin_k_note(diet: DietReading) -> str:
    """What vitamin K from the listed foods counts: K1, the menaquinones (K2) the food table
    reports, and the foods whose K2 is not reported (unknown, so K2 from food is a lower
    bound)."""
    counted = ["phylloquinone (K1)"]
    forms = diet.menaquinones_per_day()
    counted += [
        f"{menaquinone_label(key)} {value:.1f} mcg/day" for key, value in sorted(forms.items())
    ]
    note = "diet: vitamin K from the listed foods counts " + ", ".join(counted)
    in_total = diet.k2_in_total()
    if in_total:
        note += "; K2 inside a measured total vitamin K (not split) for " + ", ".join(in_total)
    missing = diet.k2_not_reported()
    if missing:
        note += (
            "; menaquinones (K2) are not reported, or only MK-4 is, in the food table for "
            + ", ".join(missing)
            + ", so K2 from food is at least the amount counted"
        )
    return note


def read_profile_diet(value: Any, vocab: Vocabularies) -> DietReading | None:
    """A profile's ``diet:`` section: nutrient totals, foods with amounts, or both."""
    if value is None:
        return None
    has_foods = isinstance(value, list) or (
        isinstance(value, Mapping) and ("foods" in value or "questionnaire" in value)
    )
    if not has_foods:
        return DietReading(stated_per_day=_diet(value, vocab.nutrients))
    if vocab.foods is None:
        raise InputError(
            "a diet with foods needs the food composition table",
            hint="give nutrient totals instead, e.g. {calcium: 700 mg}",
        )
    return read_diet(
        value, vocab.foods, lambda key, amount: _diet_total(key, amount, vocab.nutrients)
    )


def _diet_gaps(diet: DietReading) -> list[tuple[str, str]]:
    """(input, nutrient) for every food whose amount of a nutrient is not known."""
    gaps = [(f"diet: {item.input} (unknown food)", n) for item in diet.unknown for n in FOOD_KEYS]
    for nutrient, foods in diet.unknown_for().items():
        gaps += [(f"diet: {food} (not reported in the food table)", nutrient) for food in foods]
    return gaps


def _diet(value: Any, nutrients: NutrientIndex) -> dict[str, float]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InputError("diet must be a mapping like {calcium: 700 mg}")
    diet: dict[str, float] = {}
    for key, amount in value.items():
        nutrient, per_day = _diet_total(key, amount, nutrients)
        diet[nutrient] = per_day
    return diet


def _diet_total(key: Any, amount: Any, nutrients: NutrientIndex) -> tuple[str, float]:
    """One stated diet total: (nutrient id, per day in the nutrient's DRI unit)."""
    named = nutrients.lookup(str(key).replace("_", " ")) or nutrients.lookup(str(key))
    if named is None:
        raise InputError(
            f"unknown nutrient {shown(key)}",
            where=str(key),
            hint="diet takes calcium, vitamin_d, vitamin_k, magnesium (or foods: [...])",
        )
    nutrient = nutrients.nutrients[named[0]]
    try:
        quantity = _quantity(amount)
        if quantity.value < 0:
            raise InputError(f"an intake cannot be negative: {shown(amount)}")
        return nutrient.id, amount_in(
            quantity.value, quantity.unit, nutrient.dri_unit, nutrient=nutrient.id
        )
    except InputError as error:
        raise error.located_field(str(key)) from None


NOT_A_NUTRIENT_CLASSES: Final = frozenset({"active_vitamin_d"})
NOT_A_NUTRIENT_IDS: Final = frozenset({"calcifediol"})
"""Vitamin D metabolites and analogues are medicines whose potency per microgram differs
from vitamin D3; a plan item naming one is never converted into vitamin D."""


def _plan(value: Any, vocab: Vocabularies, collect: _Collector) -> list[PlanItem]:
    items = collect.run("plan", lambda: _as_list(value, "plan")) or []
    plan: list[PlanItem] = []
    for i, item in enumerate(items):
        path = f"plan[{i}]"
        text = (
            item
            if isinstance(item, str)
            else str(item.get("nutrient", ""))
            if isinstance(item, Mapping)
            else ""
        )
        named = vocab.medications.match(text) if text else []
        for term in named if isinstance(named, list) else []:
            if term.classes & NOT_A_NUTRIENT_CLASSES or term.id in NOT_A_NUTRIENT_IDS:
                collect.problems.append(
                    InputError(
                        f"{shown(text)} is {term.name}, a vitamin D metabolite or analogue, not a "
                        "vitamin D supplement; d3k2 does not convert it to vitamin D",
                        where=path,
                        hint="list it under medications (it is screened there)",
                    )
                )
                break
        else:
            plan.extend(_plan_regimen(item, vocab.nutrients, path, collect))
    return plan


def _plan_product(
    item: Mapping[str, Any], nutrients: NutrientIndex, path: str, collect: _Collector
) -> list[PlanItem]:
    """``{product: <label>, servings: 1, every: day}``: one plan item per nutrient on the
    label, each the label's amount per serving x servings (elemental, as US labels state)."""
    from d3k2.reading.label import read_label  # label.py imports the core only

    unknown = sorted(set(item) - {"product", "servings", "every", "for"})
    if unknown:
        collect.problems.append(
            InputError(
                f"unknown key {unknown[0]!r} in a product plan item",
                where=f"{path}.{unknown[0]}",
                hint="product items take: product, servings, every, for",
            )
        )
        return []
    product = item["product"]
    if not isinstance(product, Mapping):
        collect.problems.append(
            InputError(
                f"product {shown(product)} was not read",
                where=f"{path}.product",
                hint="give the label file's path in a profile file (read relative to it), "
                "or the label itself as a mapping",
            )
        )
        return []
    label = collect.run(f"{path}.product", lambda: read_label(product, nutrients))
    if label is None:
        return []
    servings = collect.run(f"{path}.servings", lambda: _positive(item.get("servings", 1)))
    if servings is None:
        return []
    items: list[PlanItem] = []
    for row in label.rows:
        if row.nutrient is None or row.amount is None or row.unit is None:
            continue
        form = nutrients.form(row.nutrient, row.form) if row.form else None
        structured: dict[str, Any] = {
            "nutrient": nutrients.nutrients[row.nutrient].names[0],
            "amount": row.amount * servings,
            "unit": row.unit,
            "every": item.get("every", "day"),
        }
        if form is not None:
            structured["form"] = form.names[0]
        if row.nutrient in ("calcium", "magnesium"):
            structured["elemental"] = True
        if item.get("for") is not None:
            structured["for"] = item["for"]
        text = f"{label.product}: {servings:g} × {row.name} {row.amount:g} {row.unit}"
        regimen = collect.run(path, functools.partial(parse_structured_item, structured, nutrients))
        if regimen is not None:
            items.append(PlanItem(text, regimen, path))
    return items


def _positive(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"servings must be a number, got {value!r}")
    if value <= 0:
        raise InputError(f"servings must be positive, got {value!r}")
    return float(value)


def _plan_regimen(
    item: Any, nutrients: NutrientIndex, path: str, collect: _Collector
) -> list[PlanItem]:
    if isinstance(item, Mapping) and "product" in item:
        return _plan_product(item, nutrients, path, collect)
    if isinstance(item, Mapping):
        regimen = collect.run(path, functools.partial(parse_structured_item, item, nutrients))
        text = ", ".join(f"{k}: {v}" for k, v in item.items())
    elif isinstance(item, str):
        regimen = collect.run(path, functools.partial(parse_regimen, item, nutrients))
        text = item
        if regimen is not None and len(split_items(item)) > 1:
            # "D3 1000 IU daily; K2 100 mcg daily": items taken together, one per part
            return [
                PlanItem(part, parse_regimen(part, nutrients), path) for part in split_items(item)
            ]
    else:
        collect.problems.append(
            InputError(f"a plan item must be text or a mapping, got {shown(item)}", where=path)
        )
        return []
    return [PlanItem(text, regimen, path)] if regimen is not None else []


def _current_supplements(
    value: Any,
    medications: list[RecognizedTerm],
    unrecognized: list[Unrecognized],
    nutrients: NutrientIndex,
) -> tuple[list[PlanItem], list[str], list[tuple[str, str]]]:
    """Supplements already taken, written in the medication list with amount and frequency
    ("Vitamin D3 1000 IU daily", "Adcal-D3 1 tablet twice daily"), so that total intake
    counts them; and (input, nutrient) for every supplement whose amount of a nutrient is
    not known (a multivitamin, a product of unknown strength, a line without a dose), so
    that the report says the totals may be higher than shown.

    A line counts only when what it names is a supplement: every medicine recognised in it
    has a supplement class, it names a product of the product table, or nothing was
    recognised but it reads as a nutrient regimen (then it is moved from "not recognised"
    to the screened medications, since it was read). "Amlodipine (calcium channel
    blocker) 5 mg daily" is never calcium.
    """
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    supplement_inputs = {t.input for t in medications if t.classes & SUPPLEMENT_CLASSES}
    other_drug_inputs = {t.input for t in medications if not t.classes & SUPPLEMENT_CLASSES}
    unread = {u.input for u in unrecognized if u.kind == "medication"}
    not_taken = {u.input for u in unrecognized if u.kind == "medication" and not u.unknown}
    read_as_supplement: set[str] = set()
    current: list[PlanItem] = []
    notes: list[str] = []
    unknown: list[tuple[str, str]] = []
    for i, item in enumerate(items):
        if not isinstance(item, str) or item in not_taken:
            continue
        product = nutrients.product_in(canonical_text(item))
        if product is None and any(
            "multivitamin" in t.classes for t in medications if t.input == item
        ):
            product = nutrients.product_in("multivitamin")
        if product is None and (
            item in other_drug_inputs or (item not in supplement_inputs and item not in unread)
        ):
            continue
        try:
            regimen: Regimen | None = parse_regimen(item, nutrients, allow_unknown=True)
        except InputError:
            regimen = None
        if regimen is None:
            contains = (
                [n.nutrient for n in product[0].ingredients]
                if product is not None
                else [
                    SUPPLEMENT_CLASS_NUTRIENT[c]
                    for t in medications
                    if t.input == item
                    for c in sorted(t.classes)
                    if c in SUPPLEMENT_CLASS_NUTRIENT
                ]
            )
            contains = list(dict.fromkeys(contains))
            unknown.extend((item, n) for n in contains)
            if contains:
                notes.append(
                    f"'{item}' (medications) is a supplement whose amount and frequency could "
                    "not be read, so it is not counted and the intake totals of "
                    f"{_nutrient_names(contains, nutrients)} may be higher than shown; write it "
                    "like 'vitamin D3 1000 IU daily'"
                )
            continue
        if regimen.unknown:
            unknown.extend((item, n) for n in regimen.unknown)
            notes.append(
                f"'{item}' (medications): its amount of "
                f"{_nutrient_names(regimen.unknown, nutrients)} is not known to d3k2 (the "
                "product's formulas differ), so the intake totals may be higher than shown; "
                "check the label"
            )
        if regimen.segments:
            current.append(PlanItem(item, regimen, f"medications[{i}]"))
        if item in unread:
            read_as_supplement.add(item)
            for nutrient_id in sorted({*regimen.nutrients, *regimen.unknown}):
                nutrient = nutrients.nutrients[nutrient_id]
                medications.append(
                    RecognizedTerm(
                        kind="medication",
                        input=item,
                        id=f"{nutrient_id}_supplement",
                        name=f"{nutrient.names[0]} supplement",
                        classes=frozenset({f"{nutrient_id}_supplement"}),
                        method="word",
                        assumption=f"read '{item}' as a {nutrient.names[0]} supplement",
                    )
                )
    if read_as_supplement:  # one pass, however many medications
        unrecognized[:] = [u for u in unrecognized if u.input not in read_as_supplement]
    return current, notes, unknown


def _nutrient_names(nutrient_ids: Sequence[str], nutrients: NutrientIndex) -> str:
    names = [nutrients.nutrients[n].names[0] for n in nutrient_ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
