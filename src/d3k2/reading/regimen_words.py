"""The words of a regimen: how often, how many units, and numbers written as words, as
people write them on labels, prescriptions and leaflets in English and the common
European languages (German, French, Dutch, Swedish, Danish, Norwegian, Finnish).

Text is first rewritten into one canonical English form (:func:`canonical_text`:
"1x/Woche" -> "1 times weekly", "1'000 I.E." -> "1000 iu", "two capsules" -> "2 capsule"),
then read by one grammar (:func:`read_frequency`, :func:`read_units_per_dose`).

A phrase that could mean two things is refused, never guessed: "biweekly" (twice a week or
every two weeks), "1-2 tablets", "daily" together with "weekly". The refusal
(:class:`AmbiguousRegimen`) lists the readings, so the person can say which one is meant.
Pure: no I/O. The wording of an interval for output is
:func:`d3k2.core.regimen.describe_interval`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from d3k2.core.quantities import checked_number
from d3k2.core.regimen import (
    DAYS_PER_MONTH,
    DAYS_PER_WEEK,
    DAYS_PER_YEAR,
    MAX_DOSES_PER_DAY,
    MIN_INTERVAL_DAYS,
    describe_interval,
)
from d3k2.errors import InputError

DAYS_PER_QUARTER: Final = 3 * DAYS_PER_MONTH
HOURS_PER_DAY: Final = 24.0

PERIOD_DAYS: Final[dict[str, float]] = {
    "day": 1.0,
    "d": 1.0,
    "week": DAYS_PER_WEEK,
    "wk": DAYS_PER_WEEK,
    "w": DAYS_PER_WEEK,
    "month": DAYS_PER_MONTH,
    "mo": DAYS_PER_MONTH,
    "year": DAYS_PER_YEAR,
    "yr": DAYS_PER_YEAR,
    "y": DAYS_PER_YEAR,
}
_PERIOD_ADVERBS: Final[dict[str, float]] = {
    "daily": 1.0,
    "weekly": DAYS_PER_WEEK,
    "monthly": DAYS_PER_MONTH,
    "yearly": DAYS_PER_YEAR,
    "annually": DAYS_PER_YEAR,
}


class AmbiguousRegimen(InputError):
    """A phrase with more than one reading; ``readings`` lists them."""

    def __init__(self, message: str, readings: Sequence[str], *, hint: str) -> None:
        super().__init__(f"{message}: it could mean {' or '.join(readings)}", hint=hint)
        self.readings = tuple(readings)


# --------------------------------------------------------------------------- numbers
_UNITS_WORDS: Final[dict[str, int]] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALE_WORDS: Final[dict[str, int]] = {"hundred": 100, "thousand": 1000}
_OTHER_LANGUAGE_NUMBERS: Final[dict[str, int]] = {
    # German, French, Dutch, Swedish, Danish/Norwegian, Finnish: the small counts a
    # leaflet writes in words ("zwei Tabletten", "deux comprimés", "twee capsules").
    "ein": 1,
    "eine": 1,
    "einen": 1,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "een": 1,
    "één": 1,
    "twee": 2,
    "drie": 3,
    "ett": 1,
    "två": 2,
    "tre": 3,
    "fyra": 4,
    "fire": 4,
    "yksi": 1,
    "kaksi": 2,
    "kolme": 3,
}
_NUMBER_WORD: Final = "|".join(sorted([*_UNITS_WORDS, *_SCALE_WORDS, "and"], key=len, reverse=True))
_NUMBER_PHRASE_RE: Final = re.compile(
    rf"(?<![\w-])(?:{'|'.join(sorted([*_UNITS_WORDS, *_SCALE_WORDS], key=len, reverse=True))})"
    rf"(?:[\s-]+(?:{_NUMBER_WORD}))*(?![\w-])"
)


def number_from_words(phrase: str) -> int:
    """An English number written in words: "fifty thousand" -> 50000, "twenty-five" -> 25,
    "one hundred and twenty" -> 120.

    Raises
    ------
    InputError
        When a word is not a number word, or the words do not make one number
        ("thousand thousand").
    """
    words = [w for w in re.split(r"[\s-]+", phrase.strip().lower()) if w and w != "and"]
    if not words:
        raise InputError(f"{phrase!r} is not a number")
    total = 0
    current = 0
    seen_scale: list[int] = []
    for word in words:
        if word in _UNITS_WORDS:
            current += _UNITS_WORDS[word]
        elif word in _SCALE_WORDS:
            scale = _SCALE_WORDS[word]
            if scale == 100:
                current = (current or 1) * 100
            else:
                if seen_scale and seen_scale[-1] <= scale:
                    raise InputError(f"{phrase!r} is not a number")
                total += (current or 1) * scale
                current = 0
                seen_scale.append(scale)
        else:
            raise InputError(f"{word!r} in {phrase!r} is not a number word")
    return total + current


def _replace_number_words(text: str) -> str:
    def english(match: re.Match[str]) -> str:
        phrase = match.group(0)
        trailing = ""
        if re.search(r"[\s-]and$", phrase):
            phrase, trailing = re.sub(r"[\s-]and$", "", phrase), " and"
        try:
            return str(number_from_words(phrase)) + trailing
        except InputError:
            return match.group(0)

    text = _NUMBER_PHRASE_RE.sub(english, text)
    other = "|".join(sorted(_OTHER_LANGUAGE_NUMBERS, key=len, reverse=True))
    return re.sub(
        rf"(?<![\w-])({other})(?=\s+(?:tablet|capsule|drops?|sachet|times|softgel|day|week|"
        r"month|dose)s?\b)",
        lambda m: str(_OTHER_LANGUAGE_NUMBERS[m.group(1)]),
        text,
    )


# --------------------------------------------------------------------------- canonical text
def _alternation(words: Sequence[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_DAILY_WORDS: Final = (
    r"täglich",
    r"tägl\.",
    r"tägl",
    r"tgl\.",
    r"tgl",
    r"pro tag",
    r"am tag",
    r"je tag",
    r"per tag",
    r"jeden tag",
    r"/\s*tag",
    r"par jour",
    r"/\s*jour",
    r"par j",
    r"quotidiennement",
    r"quotidienne",
    r"quotidien",
    r"chaque jour",
    r"tous les jours",
    r"per dag",
    r"/\s*dag",
    r"dagelijks",
    r"daags",
    r"elke dag",
    r"iedere dag",
    r"dagligen",
    r"dagligt",
    r"daglig",
    r"om dagen",
    r"per dygn",
    r"varje dag",
    r"hver dag",
    r"päivittäin",
    r"päivässä",
    r"joka päivä",
    r"vuorokaudessa",
    r"al día",
    r"al dia",
    r"diariamente",
    r"cada día",
    r"al giorno",
    r"ogni giorno",
)
_WEEKLY_WORDS: Final = (
    r"wöchentlich",
    r"wöchentl\.",
    r"pro woche",
    r"in der woche",
    r"je woche",
    r"/\s*woche",
    r"jede woche",
    r"par semaine",
    r"/\s*semaine",
    r"hebdomadairement",
    r"hebdomadaire",
    r"chaque semaine",
    r"toutes les semaines",
    r"per week",
    r"wekelijks",
    r"elke week",
    r"iedere week",
    r"i veckan",
    r"per vecka",
    r"/\s*vecka",
    r"varje vecka",
    r"veckovis",
    r"om ugen",
    r"ugentligt",
    r"ugentlig",
    r"om uka",
    r"om uken",
    r"i uken",
    r"i uka",
    r"i ugen",
    r"ukentlig",
    r"per uke",
    r"hver uke",
    r"hver uge",
    r"viikossa",
    r"viikoittain",
    r"a la semana",
    r"por semana",
    r"semanalmente",
    r"semanal",
    r"alla settimana",
    r"settimanale",
)
_MONTHLY_WORDS: Final = (
    r"monatlich",
    r"pro monat",
    r"im monat",
    r"je monat",
    r"/\s*monat",
    r"jeden monat",
    r"par mois",
    r"/\s*mois",
    r"mensuellement",
    r"mensuelle",
    r"mensuel",
    r"chaque mois",
    r"tous les mois",
    r"per maand",
    r"maandelijks",
    r"elke maand",
    r"i månaden",
    r"per månad",
    r"varje månad",
    r"månadsvis",
    r"om måneden",
    r"månedlig",
    r"hver måned",
    r"kuukausittain",
    r"kuukaudessa",
    r"al mes",
    r"mensualmente",
    r"al mese",
)

_SUBSTITUTIONS: Final[tuple[tuple[str, str], ...]] = (
    # characters and number grouping
    (r"[’`´]", "'"),
    (r"½", " 1/2"),
    (r"¼", " 1/4"),
    (r"¾", " 3/4"),
    (r"(?<=\d)'(?=\d{3}(?!\d))", ""),
    (r"(?<=\d)'(?=\d{3}(?!\d))", ""),
    # units of amount
    (
        r"(?<=\d)\s*(?:internationale einheiten|internationalen einheiten|einheiten|"
        r"unités internationales|unites internationales|unités|unites|"
        r"internationale eenheden|eenheden|internationella enheter|internationale enheder|"
        r"internasjonale enheter|enheter|enheder|ky|"
        r"i\.\s?e\.|u\.\s?i\.|i\.\s?u\.|ie|ui|iu)(?![\w.])",
        " iu",
    ),
    (
        r"(?<=\d)\s*(?:mikrogrammaa|mikrogramm|mikrogram|mikrog|microgrammes|microgramme|"
        r"microgramos|microgramas)(?!\w)",
        " mcg",
    ),
    (r"(?<=\d)\s*(?:milligrammes|milligramme|milligramm|milligrammaa)(?!\w)", " mg"),
    # units of product
    (
        r"(?<![\w-])(?:brausetabletten|brausetablette|kautabletten|kautablette|kauwtabletten|"
        r"kauwtablet|tabletten|tablette|tabletter|tablett|tablettia|tabletti|comprimés|comprimé|"
        r"comprimes|comprime|compresse|tabl\.|tbl\.|tabs?\.?)(?![\w-])",
        "tablet",
    ),
    (
        r"(?<![\w-])(?:weichkapseln|weichkapsel|kapseln|kapsel|kapslar|kapsler|kapselia|kapseli|"
        r"gélules|gélule|gelules|gelule)(?![\w-])",
        "capsule",
    ),
    (
        r"(?<![\w-])(?:tropfen|gouttes|goutte|druppels|druppel|droppar|dråber|dråper|tippaa|"
        r"tippa)(?![\w-])",
        "drops",
    ),
    (r"(?<![\w-])(?:beutel|zakjes|zakje|påsar|påse|breve|dospåsar)(?![\w-])", "sachet"),
    # halves
    (
        r"(?<![\w-])(?:one half|a half|half a|half of a|half an|half|eine halbe|halbe|"
        r"un demi-|un demi|une demie?|demi-|demi|een halve|halve|en halv|halv|puolikas)\s*"
        r"(?=tablet|capsule|sachet)",
        "1/2 ",
    ),
    # how many times
    (r"(?<![\w-])einmal(?![\w-])", "1 times"),
    (r"(?<![\w-])zweimal(?![\w-])", "2 times"),
    (r"(?<![\w-])dreimal(?![\w-])", "3 times"),
    (r"(?<![\w-])viermal(?![\w-])", "4 times"),
    (r"(?<![\w-])fünfmal(?![\w-])", "5 times"),
    (r"(?<![\w-])eenmaal(?![\w-])", "1 times"),
    (r"(?<![\w-])tweemaal(?![\w-])", "2 times"),
    (r"(?<![\w-])driemaal(?![\w-])", "3 times"),
    (r"(?<![\w-])(?:en|ett) gång(?![\w-])", "1 times"),
    (r"(?<![\w-])(?:en|et) gang(?![\w-])", "1 times"),
    (r"(?<![\w-])(?:två|to) (?:gånger|gange|ganger)(?![\w-])", "2 times"),
    (r"(?<![\w-])tre (?:gånger|gange|ganger)(?![\w-])", "3 times"),
    (r"(?<![\w-])kerran(?![\w-])", "1 times"),
    (
        r"(?<=\d)\s*-?\s*(?:mal|fois|keer|maal|gånger|gång|gange|ganger|gang|kertaa|veces|"
        r"volte)(?![\w-])",
        " times",
    ),
    (r"(?<![\w-])(?:une|un) fois(?![\w-])", "1 times"),
    (r"(?<![\w-])deux fois(?![\w-])", "2 times"),
    (r"(?<![\w-])trois fois(?![\w-])", "3 times"),
    (r"(?<![\w-])(?:een|één) keer(?![\w-])", "1 times"),
    (r"(?<![\w-])twee keer(?![\w-])", "2 times"),
    (r"(?<![\w-])drie keer(?![\w-])", "3 times"),
    (r"(?<![\w-])kaksi kertaa(?![\w-])", "2 times"),
    (r"(?<![\w-])kolme kertaa(?![\w-])", "3 times"),
    # every other day / week
    (
        r"(?<![\w-])(?:un jour sur deux|tous les deux jours|om de andere dag|om de dag|"
        r"varannan dag|hver anden dag|annenhver dag|hver annen dag|joka toinen päivä|"
        r"jeden zweiten tag|jeden 2\. tag|on alternate days|alternate days|alternate-day|"
        r"alternate day|every alternate day|q\.?o\.?d\.?|eod)(?![\w-])",
        " every 2 day ",
    ),
    (
        r"(?<![\w-])(?:une semaine sur deux|toutes les deux semaines|om de andere week|"
        r"varannan vecka|hver anden uge|annenhver uke|hver annen uke|joka toinen viikko|"
        r"jede zweite woche|jede 2\. woche|alternate weeks|every alternate week)(?![\w-])",
        " every 2 week ",
    ),
    (
        r"(?<![\w-])(?:zweiwöchentlich|14-tägig|14-tägl\.|vierzehntägig|tweewekelijks)"
        r"(?![\w-])",
        " every 2 week ",
    ),
    (
        r"(?<![\w-])(?:vierteljährlich|quartalsweise|trimestriel(?:le)?|driemaandelijks|"
        r"kvartalsvis)(?![\w-])",
        " quarterly ",
    ),
    (
        r"(?<![\w-])(?:jährlich|annuel(?:le)?|jaarlijks|årligen|årlig|vuosittain)(?![\w-])",
        " yearly ",
    ),
    # "every"
    (
        r"(?<![\w-])(?:alle|toutes les|tous les|om de|jede|jeden|jedes|varje|hver|var|joka|"
        r"cada|ogni)(?=\s+\d)",
        "every",
    ),
    # the next phase
    (
        r"(?<![\w-])(?:dann|danach|anschließend|anschliessend|puis|ensuite|daarna|vervolgens|"
        r"sedan|därefter|derefter|deretter|sitten)(?![\w-])",
        "then",
    ),
    # single dose and as-needed
    (
        r"(?<![\w-])(?:einmalig|einmalgabe|einzeldosis|dose unique|prise unique|eenmalig|"
        r"engångsdos|engangsdosis|kerta-annos|kertaannos)(?![\w-])",
        " single dose ",
    ),
    (
        r"(?<![\w-])(?:bei bedarf|si besoin|au besoin|zo nodig|indien nodig|vid behov|"
        r"ved behov|tarvittaessa|as needed|as required|when needed|when required|"
        r"p\.r\.n\.?|prn)(?![\w-])",
        " as needed ",
    ),
    # duration
    (r"(?<![\w-])(?:für|fuer|pendant|durant|gedurende|während)(?=\s+\d)", "for"),
    (
        r"(?<![\w-])i(?=\s+\d+\s+(?:veckor|vecka|uker|uke|uger|uge|dagar|dage|dager|"
        r"månader|måneder|måned|månad)(?![\w-]))",
        "for",
    ),
    (r"(?<!\d)(\d+)\s+(viikon|päivän|kuukauden)\s+ajan", r"for \1 \2"),
    # period nouns
    (
        r"(?<![\w-])(?:tagen|tage|tag|jours|jour|dagen|dagar|dage|dager|dag|päivän|päivää|"
        r"päivä|días|dias|giorni)(?![\w-])",
        "day",
    ),
    (
        r"(?<![\w-])(?:wochen|woche|semaines|semaine|weken|veckor|vecka|uker|uke|uger|uge|"
        r"viikon|viikkoa|viikko|semanas|settimane)(?![\w-])",
        "week",
    ),
    (
        r"(?<![\w-])(?:monaten|monate|monat|mois|maanden|maand|månader|månad|måneder|måned|"
        r"kuukauden|kuukautta|kuukausi|meses|mesi)(?![\w-])",
        "month",
    ),
    (
        r"(?<![\w-])(?:stunden|stunde|heures|heure|uur|timmar|timme|timer|time|tuntia|tunnin)"
        r"(?![\w-])",
        "hours",
    ),
    # ordinals after "every": "every 2nd week", "var 14:e dag", "hver 14. dag"
    (r"(?<=every )(\d+)(?:st|nd|rd|th|:e|\.|e)(?=\s)", r"\1"),
    (r"(?<![\w-])every (?:other|second)(?![\w-])", "every 2"),
    (r"(?<![\w-])every third(?![\w-])", "every 3"),
    (r"(?<![\w-])every fourth(?![\w-])", "every 4"),
    # weekday names of other languages
    (r"(?<![\w-])(?:montags|montag|lundi|maandag|måndag|mandag|maanantai)(?![\w-])", "monday"),
    (r"(?<![\w-])(?:dienstags|dienstag|mardi|dinsdag|tisdag|tirsdag|tiistai)(?![\w-])", "tuesday"),
    (
        r"(?<![\w-])(?:mittwochs|mittwoch|mercredi|woensdag|onsdag|keskiviikko)(?![\w-])",
        "wednesday",
    ),
    (r"(?<![\w-])(?:donnerstags|donnerstag|jeudi|donderdag|torsdag|torstai)(?![\w-])", "thursday"),
    (r"(?<![\w-])(?:freitags|freitag|vendredi|vrijdag|fredag|perjantai)(?![\w-])", "friday"),
    (r"(?<![\w-])(?:samstags|samstag|samedi|zaterdag|lördag|lørdag|lauantai)(?![\w-])", "saturday"),
    (r"(?<![\w-])(?:sonntags|sonntag|dimanche|zondag|söndag|søndag|sunnuntai)(?![\w-])", "sunday"),
    (r"(?<![\w-])(?:und|et|en|och|og|ja|y|e)(?=\s+(?:mon|tue|wed|thu|fri|sat|sun))", "and"),
)
CANONICAL_MEMO_MAX_ENTRIES: Final = 65_536
"""Bound on remembered texts (the same items recur across a population; memory stays flat)."""
_COMPILED_SUBSTITUTIONS: Final = tuple(
    (re.compile(pattern), replacement) for pattern, replacement in _SUBSTITUTIONS
)
_PERIOD_WORDS: Final = (
    (re.compile(rf"(?<![\w-])(?:{_alternation(_DAILY_WORDS)})(?![\w-])"), " daily "),
    (re.compile(rf"(?<![\w-])(?:{_alternation(_WEEKLY_WORDS)})(?![\w-])"), " weekly "),
    (re.compile(rf"(?<![\w-])(?:{_alternation(_MONTHLY_WORDS)})(?![\w-])"), " monthly "),
)


@functools.lru_cache(maxsize=CANONICAL_MEMO_MAX_ENTRIES)
def canonical_text(text: str) -> str:
    """``text`` in lower case and canonical English words, amounts untouched:
    "Dekristol 20000 I.E. 1x/Woche" -> "dekristol 20000 iu 1x weekly"."""
    t = text.lower()
    for pattern, replacement in _PERIOD_WORDS:
        t = pattern.sub(replacement, t)
    for compiled, replacement in _COMPILED_SUBSTITUTIONS:
        t = compiled.sub(replacement, t)
    t = _replace_number_words(t)
    return re.sub(r"[ \t]+", " ", t).strip()


# --------------------------------------------------------------------------- frequency
@dataclass(frozen=True)
class Frequency:
    """How often a dose is taken.

    ``interval_days`` is the average time between doses (None for a single dose);
    ``weekdays`` (0 = Monday) the fixed days of a weekly pattern, when the text names them;
    ``phrase`` is the canonical wording shown back to the person.
    """

    interval_days: float | None
    phrase: str
    weekdays: tuple[int, ...] = ()
    as_needed: bool = False


_DAY_NAMES: Final[dict[str, int]] = {
    "monday": 0,
    "mondays": 0,
    "mon": 0,
    "tuesday": 1,
    "tuesdays": 1,
    "tues": 1,
    "tue": 1,
    "wednesday": 2,
    "wednesdays": 2,
    "wed": 2,
    "thursday": 3,
    "thursdays": 3,
    "thurs": 3,
    "thur": 3,
    "thu": 3,
    "friday": 4,
    "fridays": 4,
    "fri": 4,
    "saturday": 5,
    "saturdays": 5,
    "sat": 5,
    "sunday": 6,
    "sundays": 6,
    "sun": 6,
}
_SHORT_DAY_NAMES: Final[dict[str, int]] = {
    # only inside a list ("Mo/Mi/Fr", "M/W/F", "Tu/Th"): alone they are ordinary words
    "m": 0,
    "mo": 0,
    "t": 1,
    "tu": 1,
    "di": 1,
    "w": 2,
    "we": 2,
    "mi": 2,
    "th": 3,
    "do": 3,
    "f": 4,
    "fr": 4,
    "sa": 5,
    "su": 6,
    "so": 6,
}
_DAY: Final = _alternation(list(_DAY_NAMES))
_SHORT_DAY: Final = _alternation([*_DAY_NAMES, *_SHORT_DAY_NAMES])
_DAY_LIST_RE: Final = re.compile(
    rf"(?<![\w/-])(?:{_DAY})(?:\s*(?:/|,|&|\+|and)\s*(?:{_DAY}))*(?![\w/-])"
)
_SHORT_DAY_LIST_RE: Final = re.compile(
    rf"(?<![\w/-])(?:{_SHORT_DAY})(?:\s*[/,]\s*(?:{_SHORT_DAY}))+(?![\w/-])"
)
_DAY_RANGE_RE: Final = re.compile(
    rf"(?<![\w/-])({_SHORT_DAY})\s*(?:-|–|to|through|thru|bis|à|tot|till|til)\s*"
    rf"({_SHORT_DAY})(?![\w/-])"
)
_TIMES: Final = r"(?:once|twice|thrice|(\d+)\s*(?:times|x|×))"


def _times(count: str | None, word: str) -> int:
    words = {"once": 1, "twice": 2, "thrice": 3}
    times = int(count) if count else words.get(word.split()[0], 0)
    if not 1 <= times <= MAX_DOSES_PER_DAY:
        raise InputError(
            f"'{word.strip()}' is not a number of doses",
            hint="write, e.g., 'twice daily' or '3 times a week'",
        )
    return times


def _interval(count: float, period: float, phrase: str) -> float:
    interval = count * period
    if interval < MIN_INTERVAL_DAYS:
        raise InputError(
            f"'{phrase.strip()}' is not a dosing interval",
            hint="the interval must be longer than zero, e.g. 'every 2 weeks'",
        )
    return interval


def refuse_ranges(text: str) -> None:
    """Refuse a range of amounts, counts or frequencies ("1-2 tablets", "1000-2000 IU",
    "every 2-4 weeks"): each end is a reading, and d3k2 does not pick one.

    Raises
    ------
    AmbiguousRegimen
        Listing both ends.
    """
    t = text
    ranged = re.search(
        r"(?<![\w.,/-])(\d[\d,.]*)\s*(?:-|–|to|or|bis|à|tot|till|til)\s*(\d[\d,.]*)\s*"
        rf"(times|x\b|×|days?|weeks?|months?|hours|iu|mcg|µg|μg|mg|{UNITS_OF_PRODUCT})",
        t,
    )
    if ranged:
        raise AmbiguousRegimen(
            f"'{ranged.group(0).strip()}' is a range",
            (f"{ranged.group(1)} {ranged.group(3)}", f"{ranged.group(2)} {ranged.group(3)}"),
            hint="write the one amount, count or frequency actually taken (the highest, if unsure)",
        )


def read_frequency(text: str) -> Frequency | None:
    """The frequency written in canonical ``text`` (see :func:`canonical_text`); None
    when none is written.

    Raises
    ------
    AmbiguousRegimen
        When the phrase has two readings ("biweekly") or two frequencies disagree
        ("daily ... weekly").
    InputError
        When a number of doses or an interval is impossible ("0 times a day").
    """
    t = f" {text} "
    for word, readings in _AMBIGUOUS_WORDS.items():
        m = re.search(word, t)
        if m:
            raise AmbiguousRegimen(
                f"{m.group(0).strip()!r} is ambiguous",
                readings,
                hint="write 'twice weekly' / '2 times a week', or 'every 2 weeks' "
                "(or 'twice monthly' / 'every 2 months')",
            )
    refuse_ranges(t)
    found: list[tuple[str, Frequency]] = []

    def take(pattern: str, reader: object) -> None:
        nonlocal t
        matches = list(re.finditer(pattern, t))
        for m in matches:
            frequency = reader(m)  # type: ignore[operator]
            if frequency is not None:
                found.append((m.group(0).strip(), frequency))
        for m in reversed(matches):  # mask what was read, so no later pattern reads it again
            t = t[: m.start()] + " ; " + t[m.end() :]

    def every(m: re.Match[str]) -> Frequency:
        count = checked_number(float(m.group(1)), written=m.group(1))
        unit = m.group(2)
        period = 1 / HOURS_PER_DAY if unit.startswith("h") else PERIOD_DAYS[unit]
        interval = _interval(count, period, m.group(0))
        return Frequency(interval, describe_interval(interval))

    def q_hours(m: re.Match[str]) -> Frequency:
        hours = checked_number(float(m.group(1)), written=m.group(1))
        interval = _interval(hours, 1 / HOURS_PER_DAY, m.group(0))
        return Frequency(interval, describe_interval(interval))

    def q_period(m: re.Match[str]) -> Frequency:
        count = checked_number(float(m.group(1) or 1), written=m.group(1))
        interval = _interval(count, PERIOD_DAYS[m.group(2)], m.group(0))
        return Frequency(interval, describe_interval(interval))

    def times_per(m: re.Match[str]) -> Frequency:
        times = _times(m.group(1), m.group(0))
        period_word = m.group(2)
        period = _PERIOD_ADVERBS.get(period_word) or PERIOD_DAYS[period_word]
        interval = period / times
        return Frequency(interval, describe_interval(interval))

    def days_a_week(m: re.Match[str]) -> Frequency:
        days = int(m.group(1))
        if not 1 <= days <= DAYS_PER_WEEK:
            raise InputError(f"'{m.group(0).strip()}' is not a number of days in a week")
        weekdays = tuple(range(days))
        return Frequency(DAYS_PER_WEEK / days, f"{days} days a week", weekdays)

    def day_range(m: re.Match[str]) -> Frequency:
        names = {**_DAY_NAMES, **_SHORT_DAY_NAMES}
        first, last = names[m.group(1)], names[m.group(2)]
        if last < first:
            last += 7
        weekdays = tuple(sorted({d % 7 for d in range(first, last + 1)}))
        return Frequency(DAYS_PER_WEEK / len(weekdays), describe_interval(7, weekdays), weekdays)

    def day_list(m: re.Match[str]) -> Frequency:
        names = {**_DAY_NAMES, **_SHORT_DAY_NAMES}
        tokens = re.findall(rf"{_SHORT_DAY}", m.group(0))
        weekdays = tuple(sorted({names[token] for token in tokens if token in names}))
        return Frequency(DAYS_PER_WEEK / len(weekdays), describe_interval(7, weekdays), weekdays)

    def compact_days(m: re.Match[str]) -> Frequency:
        weekdays = {"mwf": (0, 2, 4), "tth": (1, 3), "tuth": (1, 3)}[m.group(0).strip()]
        return Frequency(DAYS_PER_WEEK / len(weekdays), describe_interval(7, weekdays), weekdays)

    def fixed(interval: float) -> object:
        return lambda m: Frequency(interval, describe_interval(interval))

    # Most specific first; each match is masked so a shorter pattern cannot read it again.
    take(r"(?<![\w-])as needed(?![\w-])", lambda m: Frequency(None, "as needed", as_needed=True))
    take(
        r"(?<![\w-])every\s+(\d+(?:\.\d+)?)\s*(day|week|month|year|hours|hour|hrs|hr|h|d|wk|w|mo|yr)s?(?![\w-])",
        every,
    )
    take(r"(?<![\w-])q\.?\s?(\d+)\s*(?:h|hr|hrs|hours?)\.?(?![\w-])", q_hours)
    take(r"(?<![\w-])(?:q\.?i\.?d\.?|qds|q\.d\.s\.)(?![\w-])", fixed(0.25))
    take(r"(?<![\w-])(?:t\.?i\.?d\.?|tds|t\.d\.s\.)(?![\w-])", fixed(1 / 3))
    take(r"(?<![\w-])(?:b\.?i\.?d\.?|bds|b\.?d\.?)(?![\w-])", fixed(0.5))
    take(
        r"(?<![\w-])(?:q\.?d\.?|o\.?d\.?|qam|qpm|qhs|q\.?h\.?s\.?|nocte|mane)(?![\w-])", fixed(1.0)
    )
    take(r"(?<![\w-])q\.?\s?(\d+)?\s*(day|week|month|d|wk|w|mo)s?\.?(?![\w-])", q_period)
    take(
        r"(?<![\w-])(\d+)\s*days?\s*(?:a|per|/|each|every|in a|of the)\s*week(?![\w-])", days_a_week
    )
    take(
        rf"(?<![\w-]){_TIMES}\s*(?:a|per|/|each|every|in a|in the)?\s*"
        r"(daily|weekly|monthly|yearly|annually|day|week|month|year|d|wk|w|mo|yr)(?![\w-])",
        times_per,
    )
    take(
        r"(?<![\w-])(?:weekdays|on weekdays|every weekday)(?![\w-])",
        lambda m: Frequency(7 / 5, "5 days a week (Mon-Fri)", (0, 1, 2, 3, 4)),
    )
    take(
        r"(?<![\w-])(?:weekends|on weekends|at weekends|at the weekend)(?![\w-])",
        lambda m: Frequency(3.5, "2 times weekly (Sat/Sun)", (5, 6)),
    )
    take(_DAY_RANGE_RE.pattern, day_range)
    take(_SHORT_DAY_LIST_RE.pattern, day_list)
    take(_DAY_LIST_RE.pattern, day_list)
    take(r"(?<![\w/-])(?:mwf|tth|tuth)(?![\w/-])", compact_days)
    take(r"(?<![\w-])(?:fortnightly|fortnight)(?![\w-])", fixed(14.0))
    take(r"(?<![\w-])(?:semi-?weekly|twice-weekly)(?![\w-])", fixed(3.5))
    take(r"(?<![\w-])(?:semi-?monthly|twice-monthly)(?![\w-])", fixed(15.0))
    take(r"(?<![\w-])(?:quarterly|every quarter)(?![\w-])", fixed(DAYS_PER_QUARTER))
    take(
        r"(?:(?<![\w-])(?:daily|a day|per day|each day|every day|everyday|nightly|"
        r"at bedtime|every morning|every evening|every night|each morning|each evening|"
        r"each night|once-daily)|/\s*d(?:ay)?)(?![\w-])",
        fixed(1.0),
    )
    take(
        r"(?:(?<![\w-])(?:weekly|a week|per week|each week|every week|once-weekly)"
        r"|/\s*w(?:ee)?k)(?![\w-])",
        fixed(DAYS_PER_WEEK),
    )
    take(
        r"(?:(?<![\w-])(?:monthly|a month|per month|each month|every month|once-monthly)"
        r"|/\s*mo(?:nth)?)(?![\w-])",
        fixed(DAYS_PER_MONTH),
    )
    take(
        r"(?:(?<![\w-])(?:yearly|annually|a year|per year|each year|every year)"
        r"|/\s*y(?:ea)?r)(?![\w-])",
        fixed(DAYS_PER_YEAR),
    )

    distinct = {(f.interval_days, f.weekdays, f.as_needed) for _, f in found}
    if len(distinct) > 1:
        as_needed = [f for _, f in found if f.as_needed]
        regular = [(p, f) for p, f in found if not f.as_needed]
        if as_needed and len({(f.interval_days, f.weekdays) for _, f in regular}) == 1:
            frequency = regular[0][1]
            return Frequency(
                frequency.interval_days, frequency.phrase, frequency.weekdays, as_needed=True
            )
        raise AmbiguousRegimen(
            "two different frequencies are written",
            [f"{phrase!r} ({f.phrase})" for phrase, f in found],
            hint="write one frequency per phase; separate phases with ', then'",
        )
    if found:
        return found[0][1]
    return None


_AMBIGUOUS_WORDS: Final[dict[str, tuple[str, ...]]] = {
    r"(?<![\w-])bi-?weekly(?![\w-])": ("twice a week", "every two weeks"),
    r"(?<![\w-])bi-?monthly(?![\w-])": ("twice a month", "every two months"),
    r"(?<![\w-])bi-?annual(?:ly)?(?![\w-])": ("twice a year", "every two years"),
    r"(?<![\w-])(?:every|tous les) (?:15|quinze) (?:day|jours)s?(?![\w-])": (
        "every 15 days",
        "every two weeks (a fortnight: 'tous les quinze jours')",
    ),
}

SINGLE_DOSE_RE: Final = re.compile(
    r"(?<![\w-])(single dose|(?<!for )1 dose|once only|one[- ]off|stat|bolus)(?![\w-])"
)


# --------------------------------------------------------------------------- units per dose
UNITS_OF_PRODUCT: Final = (
    r"(?:tablets?|tabs?|capsules?|caps?|caplets?|softgels?|soft gels?|drops?|pills?|gummies|"
    r"gummy|sprays?|sachets?|chews?|lozenges?|wafers?|ampoules?|vials?|scoops?|sticks?|"
    r"packets?|puffs?)"
)
COUNT_NUMBER: Final = r"(?:\d+\s+[1-3]/[2-4]|[1-3]/[2-4]|\d+(?:[.,]\d+)?)"


def count_value(text: str) -> float:
    """``"1/2"`` -> 0.5, ``"1 1/2"`` -> 1.5, ``"0,5"`` -> 0.5, ``"2"`` -> 2."""
    text = text.strip()
    m = re.fullmatch(r"(?:(\d+)\s+)?([1-3])/([2-4])", text)
    if m:
        whole = int(m.group(1) or 0)
        return whole + int(m.group(2)) / int(m.group(3))
    return checked_number(float(text.replace(",", ".")), written=text)
