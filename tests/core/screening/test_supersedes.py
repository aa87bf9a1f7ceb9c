"""Precedence written once: a rule that ``supersedes`` another absorbs its alert, and the
surviving alert still names every trigger and keeps the superseded rule's advice."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from d3k2.core.screening.engine import assess, intake_rows
from d3k2.core.screening.rules import RuleContext, evaluate
from d3k2.knowledge.schema import Knowledge, NamedPredicate, parse_predicate
from d3k2.reading.profile import Vocabularies, build_facts

TODAY = dt.date(2026, 11, 29)
CKD = "ckd-g4-g5-vitamin-d-or-calcium"
ACTIVE_D = "active-vitamin-d-with-vitamin-d-or-calcium"
DIALYSIS_ON_CALCITRIOL: dict[str, Any] = {
    "age": 61,
    "sex": "male",
    "conditions": ["haemodialysis"],
    "medications": ["calcitriol 0.25 mcg daily"],
    "plan": ["vitamin D3 1000 IU daily"],
}


def _with(knowledge: Knowledge, rule_id: str, **changes: Any) -> Knowledge:
    rules = tuple(
        rule.model_copy(update=changes) if rule.id == rule_id else rule for rule in knowledge.rules
    )
    return dataclasses.replace(knowledge, rules=rules)


def _without_not(knowledge: Knowledge) -> Knowledge:
    """The active vitamin D rule without its copied CKD exclusion (as supersedes allows)."""
    rule = next(r for r in knowledge.rules if r.id == ACTIVE_D)
    when = parse_predicate(
        {
            "all": [
                {"medication_class": "active_vitamin_d"},
                {
                    "any": [
                        {"plan_includes": {"nutrient": "vitamin_d"}},
                        {"plan_includes": {"nutrient": "calcium"}},
                    ]
                },
            ]
        }
    )
    return _with(knowledge, rule.id, when=when)


def _alerts(knowledge: Knowledge, vocab: Vocabularies, profile: dict[str, Any]) -> list[Any]:
    facts = build_facts(profile, knowledge, today=TODAY, vocabularies=vocab)
    return list(assess(facts, knowledge, vocab.nutrients).alerts)


def test_without_supersedes_both_rules_fire(knowledge: Knowledge, vocab: Vocabularies) -> None:
    undeclared = _with(_without_not(knowledge), CKD, supersedes=[])
    ids = {a.id for a in _alerts(undeclared, vocab, DIALYSIS_ON_CALCITRIOL)}
    assert {CKD, ACTIVE_D} <= ids


def test_the_superseding_alert_keeps_every_trigger_and_the_advice(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    merged_kb = _with(_without_not(knowledge), CKD, supersedes=[ACTIVE_D])
    alerts = _alerts(merged_kb, vocab, DIALYSIS_ON_CALCITRIOL)
    ids = [a.id for a in alerts]
    assert CKD in ids and ACTIVE_D not in ids
    ckd = next(a for a in alerts if a.id == CKD)
    assert "calcitriol" in {t.matched for t in ckd.triggers}
    assert [m.id for m in ckd.merged] == [ACTIVE_D]
    active = next(r for r in knowledge.rules if r.id == ACTIVE_D)
    assert ckd.merged[0].action == active.action.strip()
    assert ckd.merged[0].sources  # the superseded rule's sources stay one click away


def test_a_superseded_rule_alone_still_fires(knowledge: Knowledge, vocab: Vocabularies) -> None:
    merged_kb = _with(_without_not(knowledge), CKD, supersedes=[ACTIVE_D])
    profile = {**DIALYSIS_ON_CALCITRIOL, "conditions": []}
    ids = {a.id for a in _alerts(merged_kb, vocab, profile)}
    assert ACTIVE_D in ids and CKD not in ids


def test_a_named_predicate_means_what_its_body_means(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    named = NamedPredicate(
        id="advanced-ckd",
        description="CKD stage G4 or G5, from a condition or eGFR",
        when=parse_predicate({"ckd_stage": {"at_least": "G4"}}),
    )
    kb = dataclasses.replace(knowledge, predicates={"advanced-ckd": named})
    for conditions in (["haemodialysis"], ["CKD stage 3a"], []):
        facts = build_facts(
            {**DIALYSIS_ON_CALCITRIOL, "conditions": conditions},
            kb,
            today=TODAY,
            vocabularies=vocab,
        )
        ctx = RuleContext(facts, kb, vocab.nutrients, intake_rows(facts, kb))
        by_name = evaluate(parse_predicate({"use": "advanced-ckd"}), ctx)
        by_body = evaluate(named.when, ctx)
        assert by_name == by_body
        assert (by_name is not None) == (conditions == ["haemodialysis"])
