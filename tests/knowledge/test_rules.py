"""Every rule: valid, cited, and each of its examples fires (or stays silent) in the engine."""

from __future__ import annotations

import pytest

from d3k2.api import EXAMPLE_DATE, Engine
from d3k2.core.screening.engine import assess
from d3k2.knowledge.loader import load_knowledge
from d3k2.knowledge.schema import Knowledge
from d3k2.reading.profile import Vocabularies, build_facts

KNOWLEDGE = load_knowledge()
CASES = [
    (rule.id, expected, example.name, example.profile)
    for rule in KNOWLEDGE.rules
    for expected, examples in (("fires", rule.examples.fires), ("silent", rule.examples.silent))
    for example in examples
]


@pytest.mark.parametrize(
    ("rule_id", "expected", "name", "profile"),
    CASES,
    ids=[f"{rule_id}-{expected}-{i}" for i, (rule_id, expected, _, _) in enumerate(CASES)],
)
def test_rule_example(
    knowledge: Knowledge,
    vocab: Vocabularies,
    rule_id: str,
    expected: str,
    name: str,
    profile: dict[str, object],
) -> None:
    facts = build_facts(profile, knowledge, today=EXAMPLE_DATE, vocabularies=vocab)
    assert facts.unrecognized == (), f"{name}: every input of an example must be recognised"
    report = assess(facts, knowledge, vocab.nutrients)
    fired = [alert for alert in report.alerts if alert.id == rule_id]
    if expected == "fires":
        assert fired, f"{name}: expected {rule_id} to fire"
        assert fired[0].triggers, "an alert says what triggered it"
    else:
        assert not fired, f"{name}: {rule_id} must stay silent"


def test_the_validator_agrees(knowledge: Knowledge) -> None:
    assert Engine.default().check_rule_examples() == []


def test_every_rule_says_what_to_do_why_and_where_from(knowledge: Knowledge) -> None:
    for rule in knowledge.rules:
        assert rule.action.strip() and rule.detail.strip()
        assert rule.sources
        for source in rule.sources:
            assert source.ref in knowledge.references


def test_there_is_a_rule_for_each_topic_of_the_issue(knowledge: Knowledge) -> None:
    topics = {rule.topic for rule in knowledge.rules}
    assert {
        "anticoagulation",
        "kidney",
        "calcium",
        "granulomatous",
        "life-stage",
        "drug-interactions",
        "labs",
        "dose",
    } <= topics
    assert len(knowledge.active_rules) >= 30


def test_rules_are_documented() -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text()
    missing = [rule.id for rule in KNOWLEDGE.rules if rule.id not in text]
    assert missing == []


def test_the_whole_knowledge_base_validates_including_model_tables() -> None:
    from d3k2.knowledge.loader import DATA_DIR, load_knowledge_from

    knowledge = load_knowledge_from(DATA_DIR, check_model_tables=True)
    assert knowledge.version == KNOWLEDGE.version
