"""Whatever a profile contains, reading it either succeeds or raises InputError (never any
other exception, so the CLI never shows a traceback for a user's mistake)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from d3k2.core.screening.engine import assess
from d3k2.errors import InputError
from d3k2.knowledge.loader import load_knowledge
from d3k2.reading.profile import Vocabularies, build_facts

KNOWLEDGE = load_knowledge()
VOCAB = Vocabularies.build(KNOWLEDGE)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        [
            "82 kg",
            "18 ng/mL",
            "D3 1000 IU daily",
            "warfarin",
            "-5 mg",
            "2,85",
            "1e309 IU daily",
            "vitamin D3 50,000 IU weekly for 8 weeks, then",
        ]
    ),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "test",
                    "value",
                    "unit",
                    "loinc",
                    "nutrient",
                    "amount",
                    "every",
                    "system",
                    "code",
                    "form",
                    "date",
                    "x",
                ]
            ),
            inner,
            max_size=5,
        ),
    ),
    max_leaves=12,
)
fields = st.sampled_from(
    [
        "age",
        "sex",
        "pregnant",
        "lactating",
        "weight",
        "height",
        "bmi",
        "conditions",
        "medications",
        "labs",
        "diet",
        "plan",
        "birth_date",
        "as_of",
        "options",
        "colour",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(fields, values, max_size=8))
def test_any_profile_reads_or_raises_input_error(profile: dict[str, Any]) -> None:
    try:
        facts = build_facts(profile, KNOWLEDGE, today=dt.date(2026, 11, 29), vocabularies=VOCAB)
    except InputError:
        return
    assess(facts, KNOWLEDGE, VOCAB.nutrients)
