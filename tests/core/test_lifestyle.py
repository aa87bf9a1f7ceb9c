"""Lifestyle suggestions: each fires on its own answer and stays silent for a look-alike;
thresholds are those of the cited sources (tables/lifestyle.yaml)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from d3k2.api import Engine
from d3k2.core.lifestyle import lifestyle_suggestions
from d3k2.reading.profile import ProfileError
from d3k2.render.contract import assessment_out

TODAY = dt.date(2026, 11, 29)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.default()


def _ids(engine: Engine, answers: dict[str, Any], age: float) -> set[str]:
    report = lifestyle_suggestions(answers, engine.base.lifestyle, age_years=age)
    return {s.id for s in report.suggestions}


@pytest.mark.parametrize(
    ("answers", "age", "fires", "look_alike"),
    [
        ({"strength_days_per_week": 1.0}, 40, "strength-training", {"strength_days_per_week": 2.0}),
        ({"balance_days_per_week": 2.0}, 70, "balance-training-older-adults",
         {"balance_days_per_week": 3.0}),
        ({"falls_last_year": 1.0}, 70, "falls-prevention", {"falls_last_year": 0.0}),
        ({"protein_g_per_kg": 0.7}, 40, "protein-below-rda", {"protein_g_per_kg": 0.8}),
        ({"protein_g_per_kg": 0.9}, 70, "protein-older-adults", {"protein_g_per_kg": 1.0}),
        ({"smoking": "current"}, 40, "stop-smoking", {"smoking": "former"}),
        ({"alcohol_units_per_day": 3.0}, 40, "limit-alcohol", {"alcohol_units_per_day": 2.0}),
        ({"sleep_hours": 6.0}, 40, "sleep", {"sleep_hours": 7.0}),
        ({"sunburns_last_year": 2.0}, 40, "sun-without-burning", {"sunburns_last_year": 0.0}),
    ],
)  # fmt: skip
def test_each_suggestion_fires_and_its_look_alike_stays_silent(
    engine: Engine, answers: dict[str, Any], age: float, fires: str, look_alike: dict[str, Any]
) -> None:
    assert fires in _ids(engine, answers, age)
    assert fires not in _ids(engine, look_alike, age)


def test_age_limits(engine: Engine) -> None:
    assert "balance-training-older-adults" not in _ids(engine, {"balance_days_per_week": 0.0}, 50)
    assert "falls-prevention" not in _ids(engine, {"falls_last_year": 2.0}, 50)
    # from 65 only the higher protein target is shown, not both
    assert _ids(engine, {"protein_g_per_kg": 0.5}, 70) == {"protein-older-adults"}


def test_every_suggestion_is_sourced(engine: Engine) -> None:
    references = engine.knowledge.references
    for item in engine.base.lifestyle.suggestions:
        assert item.sources
        assert all(s.ref in references for s in item.sources)


def test_profile_lifestyle_in_the_report_and_the_contract(engine: Engine) -> None:
    profile = {
        "age": 70,
        "sex": "female",
        "weight": "60 kg",
        "diet": ["2 slices cheddar"],  # 12.8 g protein: a lower bound, never 'too little'
        "lifestyle": {"smoking": "current", "strength_days_per_week": 3, "sleep_hours": "7.5"},
    }
    assessment = engine.assess_profile(profile, today=TODAY, projection=False)
    assert assessment.lifestyle is not None
    ids = {s.id for s in assessment.lifestyle.suggestions}
    assert ids == {"stop-smoking"}
    out = assessment_out(assessment, engine)
    assert out.lifestyle is not None
    assert out.lifestyle.suggestions[0].sources[0].id == "kanis-2005-smoking-fracture"
    assert out.lifestyle.answers["protein_g_per_kg_at_least"] == pytest.approx(0.21)
    assert out.diet is not None


def test_bad_answers_are_located(engine: Engine) -> None:
    with pytest.raises(ProfileError) as caught:
        engine.read_profile(
            {"age": 50, "sex": "male", "lifestyle": {"smoking": "sometimes"}}, today=TODAY
        )
    assert "lifestyle.smoking" in str(caught.value)
    with pytest.raises(ProfileError, match="unknown lifestyle question"):
        engine.read_profile({"age": 50, "sex": "male", "lifestyle": {"yoga": 2}}, today=TODAY)


def test_every_bad_answer_is_reported_at_once(engine: Engine) -> None:
    with pytest.raises(ProfileError) as caught:
        engine.read_profile(
            {
                "age": 50,
                "sex": "male",
                "weight": "80 kg",
                "lifestyle": {"smoking": "sometimes", "sleep_hours": "lots", "yoga": 2},
            },
            today=TODAY,
        )
    where = sorted(problem.where or "" for problem in caught.value.problems)
    assert where == ["lifestyle.sleep_hours", "lifestyle.smoking", "lifestyle.yoga"]


@pytest.mark.parametrize(
    ("answers", "where", "message"),
    [
        ({"sleep_hours": 30}, "lifestyle.sleep_hours", "is more than 24 hours a night"),
        ({"strength_days_per_week": 9}, "lifestyle.strength_days_per_week", "more than 7 days"),
        ({"falls_last_year": 2.5}, "lifestyle.falls_last_year", "is not a whole number"),
    ],
)
def test_answers_that_cannot_be_true_are_refused(
    engine: Engine, answers: dict[str, Any], where: str, message: str
) -> None:
    with pytest.raises(ProfileError) as caught:
        engine.read_profile({"age": 50, "sex": "male", "lifestyle": answers}, today=TODAY)
    (problem,) = caught.value.problems
    assert problem.where == where and message in problem.message


def test_the_largest_true_answers_are_taken(engine: Engine) -> None:
    read = engine.read_profile(
        {
            "age": 50,
            "sex": "male",
            "lifestyle": {"sleep_hours": 24, "strength_days_per_week": 7, "falls_last_year": 3},
        },
        today=TODAY,
    )
    assert read.lifestyle == {"sleep_hours": 24, "strength_days_per_week": 7, "falls_last_year": 3}
