from __future__ import annotations

from typing import Any

import pytest
from tests.conftest import TODAY

from d3k2.knowledge.schema import Knowledge
from d3k2.reading.profile import ProfileError, Vocabularies, build_facts


def facts(profile: dict[str, Any], knowledge: Knowledge, vocab: Vocabularies) -> Any:
    return build_facts(profile, knowledge, today=TODAY, vocabularies=vocab)


def problems(profile: dict[str, Any], knowledge: Knowledge, vocab: Vocabularies) -> list[str]:
    with pytest.raises(ProfileError) as caught:
        facts(profile, knowledge, vocab)
    return [f"{p.where}: {p.message}" for p in caught.value.problems]


def test_issue_example_profile(knowledge: Knowledge, vocab: Vocabularies) -> None:
    result = facts(
        {
            "age": 67,
            "sex": "female",
            "weight": "82 kg",
            "conditions": [
                "atrial fibrillation",
                "chronic kidney disease stage 4",
                {"system": "http://snomed.info/sct", "code": "431857002"},
            ],
            "medications": [
                "Coumadin 3mg",
                "fenprocoumon (Marcoumar)",
                "HCTZ 25 mg",
                {"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "855332"},
            ],
            "labs": [
                {"test": "25-hydroxyvitamin D", "value": 18, "unit": "ng/mL", "date": "2026-10-01"},
                {"test": "calcium", "value": 2.85, "unit": "mmol/L"},
                {"loinc": "62292-8", "value": 45, "unit": "nmol/L"},
            ],
            "diet": {"calcium": "700 mg", "vitamin_d": "4 mcg"},
            "plan": [
                "vitamin D3 50,000 IU weekly",
                {
                    "nutrient": "vitamin K2",
                    "form": "MK-7",
                    "amount": 100,
                    "unit": "mcg",
                    "every": "day",
                },
                {"nutrient": "calcium", "amount": 500, "unit": "mg", "every": "day"},
            ],
        },
        knowledge,
        vocab,
    )
    assert result.weight_kg == 82
    assert {m.id for m in result.medications} == {
        "warfarin",
        "phenprocoumon",
        "hydrochlorothiazide",
    }
    assert [lab.test for lab in result.labs] == ["25ohd", "calcium_total", "25ohd"]
    assert result.labs[0].value_si == pytest.approx(44.93, abs=0.01)
    assert result.diet_per_day == {"calcium": 700, "vitamin_d": 4}
    assert result.unrecognized == ()


def test_age_forms(knowledge: Knowledge, vocab: Vocabularies) -> None:
    assert facts({"age": "9 months", "sex": "f"}, knowledge, vocab).age_years == pytest.approx(0.75)
    born = facts({"birth_date": "2000-11-29", "as_of": "2026-11-29", "sex": "m"}, knowledge, vocab)
    assert born.age_years == pytest.approx(26, abs=0.01)


def test_all_problems_are_reported_at_once_with_field_paths(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    found = problems(
        {
            "sex": "female",
            "medicaitons": ["warfarin"],
            "weight": 82,
            "labs": [{"test": "calcium", "value": 2.8}],
            "plan": [
                "vitamin D3 2000 IU",
                {"nutrient": "vitamin D3", "amount": 5, "unit": "kg", "every": "day"},
            ],
        },
        knowledge,
        vocab,
    )
    joined = "\n".join(found)
    assert "medicaitons: unknown field" in joined
    assert "age: age is required" in joined
    assert "weight: the number 82 has no unit" in joined
    assert "labs[0].unit: the value 2.8 has no unit" in joined
    assert "plan[0]: how often" in joined
    assert "plan[1].unit" in joined


def test_pregnant_male_is_rejected(knowledge: Knowledge, vocab: Vocabularies) -> None:
    assert any(
        "pregnant" in p
        for p in problems({"age": 30, "sex": "male", "pregnant": True}, knowledge, vocab)
    )


def test_lab_unit_for_the_wrong_test(knowledge: Knowledge, vocab: Vocabularies) -> None:
    found = problems(
        {"age": 30, "sex": "male", "labs": [{"test": "25(OH)D", "value": 2.5, "unit": "mmol/L"}]},
        knowledge,
        vocab,
    )
    assert any(p.startswith("labs[0].unit") for p in found)


def test_unrecognized_items_are_kept(knowledge: Knowledge, vocab: Vocabularies) -> None:
    result = facts(
        {
            "age": 50,
            "sex": "male",
            "medications": ["zorblaxitol"],
            "conditions": ["ingrown toenail of destiny"],
            "labs": [{"test": "unobtainium level", "value": 3, "unit": "mg/dL"}],
        },
        knowledge,
        vocab,
    )
    assert {(u.kind, u.input.split(":")[0]) for u in result.unrecognized} == {
        ("medication", "zorblaxitol"),
        ("condition", "ingrown toenail of destiny"),
        ("lab", "unobtainium level"),
    }


def test_inr_needs_no_unit(knowledge: Knowledge, vocab: Vocabularies) -> None:
    result = facts(
        {"age": 60, "sex": "female", "labs": [{"test": "INR", "value": 2.5}]}, knowledge, vocab
    )
    assert result.labs[0].test == "inr" and result.labs[0].value == 2.5


def test_structured_values_must_be_single_values(knowledge: Knowledge, vocab: Vocabularies) -> None:
    found = problems(
        {
            "age": 60,
            "sex": "female",
            "weight": {"value": True, "unit": "kg"},
            "plan": [{"nutrient": ["calcium"], "amount": 500, "unit": "mg", "every": "day"}],
        },
        knowledge,
        vocab,
    )
    assert any(p.startswith("weight:") for p in found)
    assert any(p.startswith("plan[0].nutrient:") for p in found)


def test_birth_date_after_as_of_names_the_field(knowledge: Knowledge, vocab: Vocabularies) -> None:
    found = problems({"birth_date": "2030-01-01", "sex": "female"}, knowledge, vocab)
    assert any(p.startswith("birth_date:") for p in found)


def test_implausible_lab_values_are_refused_as_unit_slips(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    found = problems(
        {
            "age": 60,
            "sex": "female",
            "labs": [
                {"test": "albumin", "value": 3.5, "unit": "g/L"},
                {"test": "calcium", "value": 20, "unit": "mmol/L"},
            ],
        },
        knowledge,
        vocab,
    )
    assert any(p.startswith("labs[0].value") and "plausible" in p for p in found)
    assert any(p.startswith("labs[1].value") for p in found)


def test_a_lab_dated_after_the_assessment_is_refused(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    found = problems(
        {
            "age": 60,
            "sex": "female",
            "as_of": "2026-11-01",
            "labs": [{"test": "calcium", "value": 2.3, "unit": "mmol/L", "date": "2062-01-01"}],
        },
        knowledge,
        vocab,
    )
    assert any(p.startswith("labs[0].date") and "after the assessment date" in p for p in found)


def test_age_and_birth_date_must_agree(knowledge: Knowledge, vocab: Vocabularies) -> None:
    found = problems(
        {"age": 40, "birth_date": "1950-01-01", "as_of": "2026-11-01", "sex": "female"},
        knowledge,
        vocab,
    )
    assert any(p.startswith("birth_date:") and "does not match" in p for p in found)
    ok = facts(
        {"age": 76, "birth_date": "1950-01-01", "as_of": "2026-11-01", "sex": "female"},
        knowledge,
        vocab,
    )
    assert ok.age_years == 76


@pytest.mark.parametrize(
    ("condition", "pregnant", "lactating"),
    [
        ("pregnancy", True, False),
        ("pregnant 20 weeks", True, False),
        ("breastfeeding", False, True),
        ("lactating", False, True),
    ],
)
def test_pregnancy_or_lactation_in_the_condition_list_sets_the_state(
    knowledge: Knowledge, vocab: Vocabularies, condition: str, pregnant: bool, lactating: bool
) -> None:
    result = facts({"age": 30, "sex": "female", "conditions": [condition]}, knowledge, vocab)
    assert (result.pregnant, result.lactating) == (pregnant, lactating)
    assert any("condition list" in note and condition in note for note in result.notes)


def test_a_stated_flag_wins_over_the_condition_list_and_the_conflict_is_noted(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    result = facts(
        {"age": 30, "sex": "female", "pregnant": False, "conditions": ["pregnancy"]},
        knowledge,
        vocab,
    )
    assert result.pregnant is False
    assert any("pregnant: false was used" in note for note in result.notes)


def test_negated_pregnancy_does_not_set_the_state(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    result = facts({"age": 30, "sex": "female", "conditions": ["not pregnant"]}, knowledge, vocab)
    assert result.pregnant is False
    assert result.notes == ()


def test_pregnancy_condition_for_sex_male_is_rejected(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    found = problems({"age": 30, "sex": "male", "conditions": ["pregnancy"]}, knowledge, vocab)
    assert found == ["conditions: 'pregnancy' (conditions) is listed for sex male"]


def test_thousands_of_current_supplements_are_read_in_linear_time(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    import time

    def seconds(count: int) -> float:
        meds = [f"vitamin D3 {i + 1} IU daily" for i in range(count)] + ["not a drug xyz"] * count
        start = time.perf_counter()
        result = facts({"age": 50, "sex": "female", "medications": meds}, knowledge, vocab)
        assert len(result.current_supplements) == count
        assert [u.input for u in result.unrecognized] == ["not a drug xyz"] * count
        return time.perf_counter() - start

    small, large = seconds(500), seconds(4000)
    assert large < 8 * small * 2.5  # 8 times the entries: linear, with room for noise


@pytest.mark.parametrize(
    ("profile", "where"),
    [
        ({"age": 10**309, "sex": "female"}, "age"),
        ({"age": 50, "sex": "female", "weight": {"value": 10**309, "unit": "kg"}}, "weight.value"),
        (
            {
                "age": 50,
                "sex": "female",
                "labs": [{"test": "calcium", "value": 1e300, "unit": "mmol/L"}],
            },
            "labs[0].value",
        ),
        ({"age": 50, "sex": "female", "bmi": float("nan")}, "bmi"),
        (
            {
                "age": 50,
                "sex": "female",
                "diet": {"calcium": {"value": float("inf"), "unit": "mg"}},
            },
            "diet.calcium.value",
        ),
        (
            {
                "age": 50,
                "sex": "female",
                "plan": [
                    {
                        "nutrient": "calcium",
                        "amount": 500,
                        "unit": "mg",
                        "every": "day",
                        "times": 10**400,
                    }
                ],
            },
            "plan[0].times",
        ),
    ],
)
def test_numbers_beyond_any_float_are_refused_with_their_field(
    profile: dict[str, Any], where: str, knowledge: Knowledge, vocab: Vocabularies
) -> None:
    assert [p.split(":")[0] for p in problems(profile, knowledge, vocab)] == [where]


def test_a_profile_with_thousands_of_problems_prints_a_few(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    from d3k2.reading.profile import MAX_PROBLEMS_SHOWN

    profile = {"age": 50, "sex": "female", "labs": [{"value": 1}] * 5000}
    with pytest.raises(ProfileError) as caught:
        facts(profile, knowledge, vocab)
    assert len(caught.value.problems) == 5000
    lines = str(caught.value).splitlines()
    assert len(lines) == MAX_PROBLEMS_SHOWN + 1
    assert lines[-1] == f"… and {5000 - MAX_PROBLEMS_SHOWN} more problem(s) like these"
