"""Projection cautions for people the model does not describe (tables/projection.yaml
``not_described``): each group named in the profile gets a caution naming it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from d3k2.api import Engine
from d3k2.core.kinetics.dosing import (
    AssessmentProjection,
    not_described_cautions,
    projection_for_assessment,
)
from d3k2.knowledge.schema import Knowledge
from d3k2.reading.profile import Vocabularies, build_facts

TODAY = dt.date(2026, 3, 1)
BASE: dict[str, Any] = {
    "age": 48,
    "sex": "female",
    "weight": "70 kg",
    "labs": [{"test": "25(OH)D", "value": 40, "unit": "nmol/L", "date": "2026-03-01"}],
    "plan": ["D3 2000 IU daily"],
}


def assess_projection(
    profile: dict[str, Any], knowledge: Knowledge, vocab: Vocabularies
) -> AssessmentProjection:
    facts = build_facts(profile, knowledge, today=TODAY, vocabularies=vocab)
    assert facts.unrecognized == ()
    result = projection_for_assessment(
        facts,
        today=TODAY,
        parameters=Engine.default().projection_parameters,
        guideline_lines=Engine.default().guideline_lines,
        target_nmol_l=75.0,
        baseline_max_age_days=365,
        not_described=Engine.default().not_described,
    )
    assert result is not None and result.projection is not None
    return result


@pytest.mark.parametrize(
    ("extra", "group", "named"),
    [
        ({"conditions": ["coeliac disease"]}, "fat malabsorption", "coeliac disease"),
        ({"conditions": ["Roux-en-Y gastric bypass"]}, "fat malabsorption", "gastric bypass"),
        ({"medications": ["carbamazepine 200 mg bid"]}, "breakdown", "carbamazepine"),
        ({"medications": ["rifampicin 600 mg daily"]}, "breakdown", "rifampicin"),
        ({"medications": ["prednisolone 10 mg daily"]}, "glucocorticoids", "prednisolone"),
        ({"conditions": ["hemodialysis"]}, "dialysis", "hemodialysis"),
        ({"conditions": ["cirrhosis"]}, "liver disease", "cirrhosis"),
        ({"pregnant": True}, "pregnancy", "pregnant"),
    ],
)
def test_a_group_the_model_does_not_describe_is_named(
    knowledge: Knowledge, vocab: Vocabularies, extra: dict[str, Any], group: str, named: str
) -> None:
    result = assess_projection({**BASE, **extra}, knowledge, vocab)
    matching = [c for c in result.cautions if "does not describe" in c]
    assert len(matching) == 1, result.cautions
    assert group in matching[0] and named.lower() in matching[0].lower()


def test_a_person_the_model_describes_gets_no_such_caution(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    result = assess_projection(
        {**BASE, "medications": ["omeprazole 20 mg daily"], "conditions": ["hypertension"]},
        knowledge,
        vocab,
    )
    assert not [c for c in result.cautions if "does not describe" in c]


def test_every_class_named_exists_in_the_vocabularies(knowledge: Knowledge) -> None:
    medication_classes = {c for m in knowledge.medications for c in m.classes}
    condition_classes = {c for k in knowledge.conditions for c in k.classes}
    groups = Engine.default().not_described
    assert {g.id for g in groups} >= {
        "malabsorption",
        "enzyme-inducers",
        "glucocorticoids",
        "dialysis",
        "liver-disease",
        "pregnancy",
    }
    for group in groups:
        assert group.medication_classes <= medication_classes, group.id
        assert group.condition_classes <= condition_classes, group.id
        assert all(ref in knowledge.references for ref in group.sources), group.id


def test_no_groups_no_cautions(knowledge: Knowledge, vocab: Vocabularies) -> None:
    facts = build_facts(
        {**BASE, "conditions": ["coeliac disease"]}, knowledge, today=TODAY, vocabularies=vocab
    )
    assert not_described_cautions(facts, ()) == ()
