"""Children are not small adults (issue 8): realistic infants, children and adolescents read
against the age-ranged bands of tables/lab_bands.yaml, and the rules that read those bands
on either side of each new edge."""

from __future__ import annotations

from typing import Any

import pytest
from tests.screening_cases import alerts, born_days_ago, run

from d3k2.core.screening.model import Report
from d3k2.knowledge.schema import Knowledge
from d3k2.reading.profile import Vocabularies

HIGH_CALCIUM_RULE = "high-calcium-with-vitamin-d-or-calcium"


def categories(report: Report) -> dict[str, str | None]:
    return {reading.test: reading.category for reading in report.labs}


# Values normal for the child's age but outside the adult intervals (calcium 8.8-10.4 mg/dL,
# phosphate 2.5-4.5 mg/dL): read with adult bands each would have been "high".
NORMAL_FOR_AGE = [
    pytest.param(
        {"birth_date": born_days_ago(183)},  # 6 months
        10.8,
        6.5,
        "vitamin D3 400 IU daily",
        id="6-month-old, calcium 10.8, phosphate 6.5, 400 IU",
    ),
    pytest.param(
        {"age": 4},
        10.6,
        5.5,
        "vitamin D3 600 IU daily",
        id="4-year-old, calcium 10.6, phosphate 5.5, 600 IU",
    ),
    pytest.param(
        {"age": 14},
        10.6,
        5.2,
        "vitamin D3 600 IU daily",
        id="14-year-old, calcium 10.6, phosphate 5.2, 600 IU",
    ),
]


@pytest.mark.parametrize(("age", "calcium_mg_dl", "phosphate_mg_dl", "plan"), NORMAL_FOR_AGE)
def test_normal_for_age_calcium_and_phosphate_with_routine_vitamin_d_is_silent(
    age: dict[str, Any],
    calcium_mg_dl: float,
    phosphate_mg_dl: float,
    plan: str,
    knowledge: Knowledge,
    vocab: Vocabularies,
) -> None:
    profile = {
        **age,
        "sex": "female",
        "labs": [
            {"test": "calcium", "value": calcium_mg_dl, "unit": "mg/dL"},
            {"test": "phosphate", "value": phosphate_mg_dl, "unit": "mg/dL"},
        ],
        "plan": [plan],
    }
    report = run(profile, knowledge, vocab)
    assert "major" not in alerts(report).values()
    assert HIGH_CALCIUM_RULE not in alerts(report)
    assert categories(report) == {"calcium_total": "normal", "phosphate": "normal"}
    # the same results in an adult: calcium "high_mild" (the major "do not start" alert) and
    # phosphate above the adult interval
    adult = run({**profile, "birth_date": None, "age": 30}, knowledge, vocab)
    assert alerts(adult)[HIGH_CALCIUM_RULE] == "major"
    assert categories(adult)["phosphate"] in {"high", "very_high"}


def test_a_four_year_old_with_a_calcium_high_for_age_gets_the_major_alert(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    report = run(
        {
            "age": 4,
            "sex": "male",
            "labs": [{"test": "calcium", "value": 11.2, "unit": "mg/dL"}],
            "plan": ["vitamin D3 400 IU daily"],
        },
        knowledge,
        vocab,
    )
    assert alerts(report)[HIGH_CALCIUM_RULE] == "major"
    assert categories(report)["calcium_total"] == "high_mild"


def test_a_six_month_old_with_moderate_hypocalcaemia_gets_the_major_alert(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    report = run(
        {
            "birth_date": born_days_ago(183),
            "sex": "female",
            "labs": [{"test": "calcium", "value": 7.6, "unit": "mg/dL"}],
            "plan": ["vitamin D3 400 IU daily"],
        },
        knowledge,
        vocab,
    )
    assert alerts(report)["moderate-or-severe-hypocalcaemia"] == "major"


# ----------------------------------------------------------------- edges, through the rules
HYPERPHOSPHATAEMIA_RULE = "hyperphosphataemia-ckd-calcium-or-vitamin-d"
CALCIUM = ("calcium", "mg/dL", HIGH_CALCIUM_RULE, "major")
IONISED = ("ionized calcium", "mmol/L", HIGH_CALCIUM_RULE, "major")
PHOSPHATE = ("phosphate", "mg/dL", HYPERPHOSPHATAEMIA_RULE, "moderate")


@pytest.mark.parametrize(
    ("lab", "age", "silent_value", "fires_value"),
    [
        # total calcium upper limits: 28 days-2 years 11.0; 3-12 years 10.8; 13-17 years
        # 10.7; adults 10.4 mg/dL
        (CALCIUM, {"birth_date": born_days_ago(183)}, 10.9, 11.0),
        (CALCIUM, {"age": 2}, 10.9, 11.0),
        (CALCIUM, {"age": 3}, 10.7, 10.8),
        (CALCIUM, {"age": 12}, 10.7, 10.8),
        (CALCIUM, {"age": 13}, 10.6, 10.7),
        (CALCIUM, {"age": 17}, 10.6, 10.7),
        (CALCIUM, {"age": 18}, 10.3, 10.4),
        # ionised calcium upper limits: infants 1.46; children 1.38; adults 1.30 mmol/L
        (IONISED, {"birth_date": born_days_ago(183)}, 1.45, 1.46),
        (IONISED, {"age": 4}, 1.37, 1.38),
        (IONISED, {"age": 18}, 1.29, 1.30),
        # phosphate upper limits (a child with CKD): 28 days-3 years 8.0; 4-11 years 6.0;
        # 12-15 years 6.0; 16-17 years 5.1; adults 4.5 mg/dL
        (PHOSPHATE, {"age": 2}, 7.9, 8.0),
        (PHOSPHATE, {"age": 4}, 5.9, 6.0),
        (PHOSPHATE, {"age": 12}, 5.9, 6.0),
        (PHOSPHATE, {"age": 16}, 5.0, 5.1),
        (PHOSPHATE, {"age": 18}, 4.4, 4.5),
    ],
)
def test_rules_on_either_side_of_each_age_ranged_upper_limit(
    lab: tuple[str, str, str, str],
    age: dict[str, Any],
    silent_value: float,
    fires_value: float,
    knowledge: Knowledge,
    vocab: Vocabularies,
) -> None:
    test, unit, rule, severity = lab

    def profile(value: float) -> dict[str, Any]:
        return {
            **age,
            "sex": "male",
            "conditions": ["CKD stage 3"] if rule == HYPERPHOSPHATAEMIA_RULE else [],
            "labs": [{"test": test, "value": value, "unit": unit}],
            "plan": ["vitamin D3 400 IU daily"],
        }

    assert rule not in alerts(run(profile(silent_value), knowledge, vocab))
    assert alerts(run(profile(fires_value), knowledge, vocab))[rule] == severity


@pytest.mark.parametrize(
    ("age", "value_mmol_l", "category"),
    [
        ({"age": 8}, 0.59, "low"),
        ({"age": 8}, 0.60, "normal"),  # 0.60-0.85 is "low_normal" for adults only
        ({"age": 8}, 0.70, "normal"),
        ({"birth_date": born_days_ago(5)}, 0.70, "normal"),
        ({"age": 30}, 0.59, "low"),
        ({"age": 30}, 0.60, "low_normal"),
    ],
)
def test_hypomagnesaemia_rule_in_children(
    age: dict[str, Any],
    value_mmol_l: float,
    category: str,
    knowledge: Knowledge,
    vocab: Vocabularies,
) -> None:
    report = run(
        {
            **age,
            "sex": "female",
            "labs": [{"test": "magnesium", "value": value_mmol_l, "unit": "mmol/L"}],
            "plan": ["vitamin D3 400 IU daily"],
        },
        knowledge,
        vocab,
    )
    fires = category == "low"
    assert ("hypomagnesaemia-with-calcium-or-vitamin-d" in alerts(report)) is fires
    assert categories(report)["magnesium"] == category
