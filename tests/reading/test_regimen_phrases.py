"""The regimen phrase table (tests/reading/regimen_phrases.yaml): real-world phrases from
labels, prescriptions and leaflets in several countries, with the per-day amount each must
give or the refusal it must get; and property-based tests of the number and frequency
readers."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from d3k2.core.quantities import amount_in
from d3k2.core.regimen import max_concurrent_per_day
from d3k2.errors import InputError
from d3k2.knowledge.loader import load_knowledge
from d3k2.reading.profile import Vocabularies
from d3k2.reading.regimen import AmbiguousRegimen, parse_regimen
from d3k2.reading.regimen_words import (
    canonical_text,
    count_value,
    number_from_words,
    read_frequency,
)
from d3k2.yamlio import read_structured, to_plain

TABLE = Path(__file__).with_name("regimen_phrases.yaml")
PHRASES: list[dict[str, Any]] = to_plain(read_structured(TABLE))["phrases"]
VOCAB = Vocabularies.build(load_knowledge())
DRI_UNIT = {"vitamin_d": "mcg", "vitamin_k": "mcg", "calcium": "mg", "magnesium": "mg"}


def _expected(nutrient: str, text: str) -> float:
    value, unit = text.split()
    return amount_in(float(value), unit, DRI_UNIT[nutrient], nutrient=nutrient)


def outcome(phrase: dict[str, Any]) -> str:
    try:
        parse_regimen(phrase["text"], VOCAB.nutrients)
    except AmbiguousRegimen:
        return "ambiguous"
    except InputError:
        return "unknown"
    return "read"


def test_the_table_is_large_and_covers_several_countries() -> None:
    assert len(PHRASES) >= 200
    texts = [p["text"] for p in PHRASES]
    assert len(set(texts)) == len(texts), "a phrase is listed twice"
    sources = " ".join(p["source"] for p in PHRASES)
    for country in ("US", "UK", "DE", "FR", "NL", "SE", "DK", "NO", "FI"):
        assert country in sources


@pytest.mark.parametrize("phrase", PHRASES, ids=[p["text"] for p in PHRASES])
def test_phrase(phrase: dict[str, Any]) -> None:
    text = phrase["text"]
    if "refused" in phrase:
        kind = AmbiguousRegimen if phrase["refused"] == "ambiguous" else InputError
        with pytest.raises(kind) as caught:
            parse_regimen(text, VOCAB.nutrients)
        if phrase["refused"] == "unknown":
            assert not isinstance(caught.value, AmbiguousRegimen), str(caught.value)
        else:
            readings = caught.value.readings  # type: ignore[attr-defined]
            assert len(readings) >= 2 and f"could mean {readings[0]}" in str(caught.value)
        return
    regimen = parse_regimen(text, VOCAB.nutrients)
    expected_per_day = phrase.get("per_day", {})
    expected_single = phrase.get("single", {})
    assert regimen.nutrients == set(expected_per_day) | set(expected_single)
    for nutrient, amount in expected_per_day.items():
        got = max_concurrent_per_day([regimen], nutrient)
        assert got == pytest.approx(_expected(nutrient, amount), rel=1e-3), nutrient
    for nutrient, amount in expected_single.items():
        singles = [
            s.amount_per_dose
            for s in regimen.segments
            if s.nutrient == nutrient and s.interval_days is None
        ]
        assert singles == [pytest.approx(_expected(nutrient, amount), rel=1e-3)]


def test_phrase_table_counts(capsys: pytest.CaptureFixture[str]) -> None:
    """The figures the issue note quotes: read, refused as ambiguous, refused as unknown
    (printed with ``pytest -s``)."""
    counts = Counter(outcome(p) for p in PHRASES)
    expected = Counter("read" if "refused" not in p else str(p["refused"]) for p in PHRASES)
    assert counts == expected
    with capsys.disabled():
        print(
            f"\nregimen phrase table: {len(PHRASES)} phrases, {counts['read']} read, "
            f"{counts['ambiguous']} refused as ambiguous, {counts['unknown']} refused as unknown"
        )


def test_the_issue_example_per_day() -> None:
    vitamin_d = parse_regimen("D3 50000 IU twice weekly", VOCAB.nutrients)
    calcium = parse_regimen("calcium 600 mg 3 times daily", VOCAB.nutrients)
    iu = max_concurrent_per_day([vitamin_d], "vitamin_d") * 40
    assert round(iu) == 14286
    assert max_concurrent_per_day([calcium], "calcium") + 900 == 2700
    (segment,) = vitamin_d.segments
    assert segment.amount_per_dose * 40 == 50000  # per dose stays per dose


def test_fixed_weekdays_average_and_dose_on_those_days() -> None:
    (segment,) = parse_regimen("D3 10000 IU Mon/Wed/Fri", VOCAB.nutrients).segments
    assert segment.per_day_average == pytest.approx(250 * 3 / 7)
    assert segment.amount_per_dose == 250
    assert segment.dose_days(14) == [0, 2, 4, 7, 9, 11]
    (weekdays,) = parse_regimen("D3 2000 IU 5 days a week", VOCAB.nutrients).segments
    assert weekdays.dose_days(9) == [0, 1, 2, 3, 4, 7, 8]


def test_a_brand_is_counted_as_its_generic_form() -> None:
    (segment,) = parse_regimen("Dekristol 20000 IE 1x/Woche", VOCAB.nutrients).segments
    assert (segment.nutrient, segment.form) == ("vitamin_d", "cholecalciferol")
    (drisdol,) = parse_regimen("Drisdol 50000 units weekly", VOCAB.nutrients).segments
    assert drisdol.form == "ergocalciferol"


def test_a_product_of_unknown_strength_is_kept_unknown_when_allowed() -> None:
    regimen = parse_regimen("Os-Cal 500 + D twice daily", VOCAB.nutrients, allow_unknown=True)
    assert regimen.unknown == ("vitamin_d",)
    assert max_concurrent_per_day([regimen], "calcium") == 1000
    multivitamin = parse_regimen("Centrum Silver daily", VOCAB.nutrients, allow_unknown=True)
    assert multivitamin.segments == ()
    assert set(multivitamin.unknown) == {"vitamin_d", "vitamin_k", "calcium", "magnesium"}


# --------------------------------------------------------------------------- properties
_ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
          "seventeen", "eighteen", "nineteen"]  # fmt: skip
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _words_below_1000(n: int) -> str:
    parts: list[str] = []
    if n >= 100:
        parts.append(f"{_ONES[n // 100]} hundred")
        n %= 100
    if 10 <= n < 20:
        parts.append(_TEENS[n - 10])
    else:
        if n >= 20:
            parts.append(_TENS[n // 10] + (f"-{_ONES[n % 10]}" if n % 10 else ""))
        elif n:
            parts.append(_ONES[n])
    return " ".join(parts)


def in_words(n: int) -> str:
    thousands, rest = divmod(n, 1000)
    head = f"{_words_below_1000(thousands)} thousand" if thousands else ""
    return " ".join(p for p in (head, _words_below_1000(rest)) if p)


@given(st.integers(min_value=1, max_value=999_999))
def test_numbers_in_words_round_trip(n: int) -> None:
    assert number_from_words(in_words(n)) == n


@given(st.integers(min_value=1, max_value=999_999), st.sampled_from(["", ",", " ", "'", "\u202f"]))
def test_grouped_numbers_read_the_same(n: int, separator: str) -> None:
    grouped = f"{n:,}".replace(",", separator)
    (segment,) = parse_regimen(f"vitamin D3 {grouped} IU weekly", VOCAB.nutrients).segments
    assert segment.amount_per_dose * 40 == pytest.approx(n)


TIMES_PER_WEEK = [
    "{n} times weekly",
    "{n}x weekly",
    "{n} x per week",
    "{n}x/week",
    "{n} times a week",
    "{n}-mal pro Woche",
    "{n} fois par semaine",
    "{n} keer per week",
    "{n} gånger i veckan",
]


@given(st.integers(min_value=1, max_value=7), st.sampled_from(TIMES_PER_WEEK))
def test_times_per_week(n: int, template: str) -> None:
    frequency = read_frequency(canonical_text(template.format(n=n)))
    assert frequency is not None and frequency.interval_days == pytest.approx(7 / n)


@given(
    st.integers(min_value=1, max_value=10),
    st.sampled_from([("day", "d", 1), ("week", "w", 7), ("month", "mo", 30)]),
)
def test_every_n_periods(n: int, period: tuple[str, str, int]) -> None:
    name, short, days = period
    for text in (f"every {n} {name}s", f"q{n}{short}", f"every {in_words(n)} {name}s"):
        frequency = read_frequency(canonical_text(text))
        assert frequency is not None and frequency.interval_days == pytest.approx(n * days), text


@given(
    st.sampled_from(
        ["daily", "weekly", "monthly", "twice daily", "every 2 weeks", "3 times weekly"]
    ),
    st.sampled_from(
        ["daily", "weekly", "monthly", "twice daily", "every 2 weeks", "3 times weekly"]
    ),
)
def test_two_different_frequencies_are_refused(first: str, second: str) -> None:
    one, other = (read_frequency(canonical_text(t)) for t in (first, second))
    assert one is not None and other is not None
    assert one.interval_days is not None and other.interval_days is not None
    text = canonical_text(f"{first} {second}")
    if math.isclose(one.interval_days, other.interval_days):
        assert read_frequency(text) is not None
    else:
        with pytest.raises(AmbiguousRegimen):
            read_frequency(text)


FRACTIONS = {"1/2": 0.5, "1/4": 0.25, "3/4": 0.75, "": 0.0}


@given(st.integers(min_value=1, max_value=20), st.sampled_from(sorted(FRACTIONS)))
def test_counts_with_fractions(whole: int, fraction: str) -> None:
    assert count_value(f"{whole} {fraction}".strip()) == pytest.approx(whole + FRACTIONS[fraction])
    if fraction:
        assert count_value(fraction) == FRACTIONS[fraction]
    assert count_value(f"{whole},5") == whole + 0.5
