from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from d3k2.core.screening.model import RecognizedTerm, Unrecognized
from d3k2.knowledge.schema import Knowledge
from d3k2.reading.profile import Vocabularies


def one(result: list[RecognizedTerm] | Unrecognized) -> RecognizedTerm:
    assert not isinstance(result, Unrecognized), result
    assert len(result) == 1, result
    return result[0]


@pytest.mark.parametrize(
    ("text", "expected_id"),
    [
        ("Coumadin 3mg", "warfarin"),
        ("Jantoven", "warfarin"),
        ("warfarin sodium 5 mg tablet", "warfarin"),
        ("Dilantin 100 mg", "phenytoin"),
        ("Dilaudid", "hydromorphone"),
        ("HCTZ 25 mg", "hydrochlorothiazide"),
        ("phenobarb", "phenobarbital"),
        ("fenprocoumon (Marcoumar)", "phenprocoumon"),
        ("Sintrom", "acenocoumarol"),
        ("rifampicin 600 mg", "rifampin"),
        ("Eliquis 5 mg bid", "apixaban"),
    ],
)
def test_exact_names_brands_abbreviations(vocab: Vocabularies, text: str, expected_id: str) -> None:
    term = one(vocab.medications.match(text))
    assert term.id == expected_id
    assert term.assumption is None


def test_misspelling_near_a_rule_drug_is_matched_with_an_assumption(vocab: Vocabularies) -> None:
    term = one(vocab.medications.match("cumadin 5mg"))
    assert term.id == "warfarin"
    assert term.method == "fuzzy"
    assert term.assumption is not None
    assert "cumadin" in term.assumption and "confirm" in term.assumption


def test_combination_brand_carries_its_ingredients_classes(vocab: Vocabularies) -> None:
    term = one(vocab.medications.match("Hyzaar 50-12.5"))
    assert "thiazide" in term.classes
    assert {"losartan", "hydrochlorothiazide"} <= term.ingredients


def test_doacs_are_not_vitamin_k_antagonists(vocab: Vocabularies) -> None:
    for name in ("apixaban", "rivaroxaban", "edoxaban", "dabigatran", "Xarelto", "Pradaxa"):
        term = one(vocab.medications.match(name))
        assert "vitamin_k_antagonist" not in term.classes, name


def test_unknown_is_never_dropped(vocab: Vocabularies) -> None:
    result = vocab.medications.match("zorblaxitol 10 mg")
    assert isinstance(result, Unrecognized)
    assert result.input == "zorblaxitol 10 mg"


def test_negated_condition_is_not_screened_as_present(vocab: Vocabularies) -> None:
    result = vocab.conditions.match("no kidney stones")
    assert isinstance(result, Unrecognized)
    assert "negated" in result.reason


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("chronic kidney disease stage 4", "G4"),
        ("CKD stage IV", "G4"),
        ("CKD 3b", "G3b"),
        ("end-stage renal disease", "G5"),
    ],
)
def test_ckd_stages(vocab: Vocabularies, text: str, stage: str) -> None:
    term = one(vocab.conditions.match(text))
    assert term.ckd_stage == stage


def test_codes(vocab: Vocabularies) -> None:
    rx = vocab.medications.match_code(
        "http://www.nlm.nih.gov/research/umls/rxnorm", "855332", "855332"
    )
    assert rx is not None and rx.id == "warfarin"
    ckd = vocab.conditions.match_code("http://snomed.info/sct", "431857002", "431857002")
    assert ckd is not None and ckd.ckd_stage == "G4"
    icd = one(vocab.conditions.match("N18.4"))
    assert icd.ckd_stage == "G4"
    loinc = vocab.labs.match_code("http://loinc.org", "62292-8", "62292-8")
    assert loinc is not None and loinc.id == "25ohd"


def test_every_vocabulary_name_matches_its_own_entry(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    for medication in knowledge.medications:
        for name in [*medication.names, *medication.brands, *medication.abbreviations]:
            term = one(vocab.medications.match(name))
            assert term.id == medication.id, (name, term.id)


def _typo_cases(knowledge: Knowledge) -> list[tuple[str, str]]:
    cases = []
    for medication in knowledge.medications:
        for name in [*medication.names, *medication.brands]:
            if len(name) >= 8 and name.isalpha():
                cases.append((name.lower(), medication.id))
    return cases


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_typo_never_becomes_a_different_drug_silently(
    knowledge: Knowledge, vocab: Vocabularies, data: st.DataObject
) -> None:
    name, entry_id = data.draw(st.sampled_from(_typo_cases(knowledge)))
    position = data.draw(st.integers(min_value=1, max_value=len(name) - 1))
    typo = name[:position] + name[position + 1 :]  # one letter dropped
    result = vocab.medications.match(typo)
    if isinstance(result, Unrecognized):
        return
    for term in result:
        if term.id != entry_id:
            # Matching another drug is only acceptable when it is an exact name of it
            # (the typo happens to spell another drug) or shown as an assumption.
            assert term.method != "fuzzy" or term.assumption, (typo, term)
        else:
            assert term.method != "fuzzy" or term.assumption


@pytest.mark.parametrize(
    "text",
    [
        "family history of lymphoma",
        "FHx kidney stones",
        "mother had sarcoidosis",
        "r/o sarcoidosis",
        "sarcoidosis ruled out",
        "suspected sarcoidosis",
        "sarcoidosis?",
    ],
)
def test_someone_elses_or_unconfirmed_conditions_are_not_the_persons(
    vocab: Vocabularies, text: str
) -> None:
    result = vocab.conditions.match(text)
    assert isinstance(result, Unrecognized)
    assert "not screened" in result.reason


def test_personal_history_still_counts(vocab: Vocabularies) -> None:
    assert one(vocab.conditions.match("history of kidney stones")).classes >= {"kidney_stones"}


def test_a_drug_class_phrase_is_not_the_nutrient(vocab: Vocabularies) -> None:
    sintrom = vocab.medications.match("Sintrom (vitamin K antagonist) 2 mg daily")
    assert [t.id for t in sintrom] == ["acenocoumarol"]  # type: ignore[union-attr]
    amlodipine = vocab.medications.match("amlodipine (calcium channel blocker) 5 mg daily")
    assert [t.id for t in amlodipine] == ["amlodipine"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text",
    [
        "urine calcium",
        "24 h urine calcium",
        "1,25 vitamin D",
        "calcidol",
        "vitamin D binding protein",
    ],
)
def test_a_lab_name_is_never_read_as_a_different_test(vocab: Vocabularies, text: str) -> None:
    result = vocab.labs.match(text)
    if not isinstance(result, Unrecognized):
        assert all(t.id not in ("25ohd", "calcium_total") for t in result), text


@pytest.mark.parametrize(
    ("text", "test_id"),
    [
        ("25(OH)D", "25ohd"),
        ("serum calcium", "calcium_total"),
        ("Vitamin D 25-OH", "25ohd"),
        ("calcium, total", "calcium_total"),
        ("eGFR", "egfr"),
    ],
)
def test_lab_names(vocab: Vocabularies, text: str, test_id: str) -> None:
    assert one(vocab.labs.match(text)).id == test_id
