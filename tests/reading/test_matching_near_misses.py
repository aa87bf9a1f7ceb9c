"""The fuzzy-matching guarantee: one drug is never turned into another.

Each near miss below is a real medicine, substance or product name that is *not* the
vocabulary entry it resembles. It must never be screened as that entry (and never be
matched fuzzily at all); when it is close, the reason names the suggestion ("did you
mean …"), so the person can correct it. Genuine one-slip typos still match, with the
assumption shown.
"""

from __future__ import annotations

import pytest

from d3k2.api import EXAMPLE_DATE
from d3k2.core.screening.engine import assess
from d3k2.core.screening.model import Unrecognized
from d3k2.knowledge.schema import Knowledge
from d3k2.reading.matching import FUZZY_MAX_EDITS, FUZZY_MIN_SCORE
from d3k2.reading.profile import Vocabularies, build_facts

NEAR_MISSES: list[tuple[str, str]] = [
    # (what was written, the vocabulary entry it must never become)
    ("lanthanum carbonate", "lithium"),
    ("lanthanum carbonate 500 mg chewable three times daily", "lithium"),
    ("mineral oil", "propranolol"),
    ("mineral oil 15 mL at night", "propranolol"),
    ("calcipotriol ointment", "calcitriol"),
    ("calcipotriene cream", "calcitriol"),
    ("tacalcitol", "calcitriol"),
    ("maxacalcitol", "calcitriol"),
    ("eldecalcitol", "calcitriol"),
    ("desloratadine", "loratadine"),
    ("levocetirizine", "cetirizine"),
    ("fludrocortisone", "hydrocortisone"),
    ("eslicarbazepine", "carbamazepine"),
    ("eprosartan", "irbesartan"),
    ("nimodipine", "nifedipine"),
    ("nicardipine", "nifedipine"),
    ("isradipine", "felodipine"),
    ("lamivudine", "lamotrigine"),
    ("hydroxyzine", "hydralazine"),
    ("methadone", "methimazole"),
    ("doxepin", "doxycycline"),
    ("clozapine", "clonazepam"),
    ("trandolapril", "ramipril"),
    ("fosinopril", "lisinopril"),
    ("moexipril", "perindopril"),
    ("pindolol", "bisoprolol"),
    ("sotalol", "atenolol"),
    ("esmolol", "metoprolol"),
    ("teriflunomide", "teriparatide"),
    ("abaloparatide", "teriparatide"),
    ("romosozumab", "denosumab"),
    ("burosumab", "denosumab"),
    ("sevelamer carbonate", "lithium"),
    ("ferric citrate", "lithium"),
    ("ferric carboxymaltose", "ferrous_sulfate"),
    ("magnesium stearate", "metformin"),
    ("cinacalcet", "calcitriol"),
    ("etelcalcetide", "calcitriol"),
    ("calcitonin", "calcitriol"),
    ("dolutegravir", "digoxin"),
    ("bictegravir", "digoxin"),
    ("efavirenz", "enalapril"),
    ("ketoconazole", "carbimazole"),
    ("fluconazole", "fluoxetine"),
    ("itraconazole", "carbimazole"),
    ("sulfasalazine", "sulfamethoxazole"),
    ("nystatin", "simvastatin"),
    ("levonorgestrel", "levothyroxine"),
    ("oxybutynin", "oxycodone"),
    ("zopiclone", "zolpidem"),
    ("tizanidine", "tinzaparin"),
    ("quinine", "quinapril"),
    ("rifamycin eye drops", "rifampin"),
    ("phenylephrine", "phenytoin"),
]
"""At least 40 (tested); each pair was checked to be two different substances."""

GENUINE_TYPOS: list[tuple[str, str]] = [
    ("cumadin 5mg", "warfarin"),
    ("warfrin 3 mg", "warfarin"),
    ("levothyroxin 75 mcg", "levothyroxine"),
    ("alendronat 70 mg weekly", "alendronate"),
    ("omeprazol 20 mg", "omeprazole"),
    ("cholecalciferl 1000 IU", "cholecalciferol"),
    ("carbamazepin 200 mg", "carbamazepine"),
    ("rifampcin 600 mg", "rifampin"),
    ("isoniazide", "isoniazid"),
    ("furosemid 40 mg", "furosemide"),
    ("digoxine 125 mcg", "digoxin"),
    ("lisinoprl 10 mg", "lisinopril"),
]


def test_the_near_miss_set_is_large_enough() -> None:
    assert len(NEAR_MISSES) >= 40
    assert len({text for text, _ in NEAR_MISSES}) == len(NEAR_MISSES)


@pytest.mark.parametrize(("text", "look_alike"), NEAR_MISSES)
def test_a_near_miss_is_never_screened_as_its_look_alike(
    vocab: Vocabularies, text: str, look_alike: str
) -> None:
    result = vocab.medications.match(text)
    if isinstance(result, Unrecognized):
        assert result.unknown
        return
    # Recognised only by an exact name of its own (another branch may add it to the
    # vocabulary), never fuzzily and never as the look-alike.
    assert all(t.method != "fuzzy" for t in result), result
    assert all(look_alike not in t.ingredients for t in result), result


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("calcipotriol", "calcitriol"),
        ("desloratadine", "loratadine"),
        ("fludrocortisone", "hydrocortisone"),
    ],
)
def test_a_close_near_miss_names_the_suggestion(
    vocab: Vocabularies, text: str, suggestion: str
) -> None:
    result = vocab.medications.match(text)
    assert isinstance(result, Unrecognized)
    assert "did you mean" in result.reason and suggestion in result.reason
    assert "not screened" in result.reason.lower()


def test_salt_words_never_carry_a_match(vocab: Vocabularies) -> None:
    for salt in ("carbonate", "citrate", "acetate", "oxide", "gluconate", "sulfate"):
        result = vocab.medications.match(f"zorblaxitol {salt}")
        assert isinstance(result, Unrecognized), salt
        assert "did you mean" not in result.reason, salt


@pytest.mark.parametrize(("text", "expected_id"), GENUINE_TYPOS)
def test_a_genuine_typo_still_matches_with_the_assumption_shown(
    vocab: Vocabularies, text: str, expected_id: str
) -> None:
    result = vocab.medications.match(text)
    assert not isinstance(result, Unrecognized), result
    assert [t.id for t in result] == [expected_id]
    term = result[0]
    assert term.method == "fuzzy"
    assert term.assumption is not None and "confirm" in term.assumption


def test_fuzzy_edges(vocab: Vocabularies) -> None:
    """Each edge of the certainty test, on either side."""
    assert FUZZY_MAX_EDITS == 1 and FUZZY_MIN_SCORE == 83.0
    # one slip: matched; two slips of the same word: only suggested
    assert not isinstance(vocab.medications.match("warfrin"), Unrecognized)
    two = vocab.medications.match("wrfrin")
    assert isinstance(two, Unrecognized)
    # same letters, different first letter: never certain ('farfarin' is one slip)
    first = vocab.medications.match("farfarin")
    assert isinstance(first, Unrecognized) and "warfarin" in first.reason
    # a slip in a 5-letter name scores 80, under FUZZY_MIN_SCORE: only suggested; a 4-letter
    # word is never compared at all
    five = vocab.medications.match("lasxi")
    assert isinstance(five, Unrecognized) and "furosemide" in five.reason
    four = vocab.medications.match("alle")
    assert isinstance(four, Unrecognized) and "did you mean" not in four.reason


def test_conditions_keep_the_same_guarantee(vocab: Vocabularies) -> None:
    # hypocalcaemia is not hypercalcaemia: two slips apart, never matched as it
    result = vocab.conditions.match("hypocalcaemiaa")
    if not isinstance(result, Unrecognized):
        assert all("hypercalcemia" not in t.classes for t in result)
    assert [t.id for t in vocab.conditions.match("hypercalcaemi")] == [  # type: ignore[union-attr]
        "hypercalcaemia"
    ]


@pytest.mark.parametrize(
    ("medication", "look_alike", "must_not_fire"),
    [
        (
            "lanthanum carbonate 500 mg three times daily",
            "lithium",
            "lithium-vitamin-d-or-calcium",
        ),
        (
            "calcipotriol ointment twice daily",
            "calcitriol",
            "active-vitamin-d-with-vitamin-d-or-calcium",
        ),
    ],
)
def test_a_near_miss_never_fires_the_look_alikes_rule(
    knowledge: Knowledge,
    vocab: Vocabularies,
    medication: str,
    look_alike: str,
    must_not_fire: str,
) -> None:
    profile = {
        "age": 66,
        "sex": "female",
        "medications": [medication],
        "plan": ["D3 1000 IU daily", "calcium citrate 500 mg daily"],
    }
    facts = build_facts(profile, knowledge, today=EXAMPLE_DATE, vocabularies=vocab)
    report = assess(facts, knowledge, vocab.nutrients)
    assert must_not_fire not in {a.id for a in report.alerts}
    # unrecognised, or recognised as itself (lanthanum is a phosphate binder in the
    # vocabulary), never as the look-alike and never by a fuzzy match
    screened = [t for t in facts.medications if t.input == medication]
    assert all(t.id != look_alike and t.method != "fuzzy" for t in screened)
    assert screened or [u.input for u in report.unrecognized] == [medication]
