"""Run every rule's examples through the engine: each ``fires`` profile must raise the
rule, each ``silent`` look-alike must not. Used by ``d3k2 knowledge validate`` and the tests.
"""

from __future__ import annotations

import datetime as dt

from d3k2.core.engine import assess
from d3k2.core.facts import Vocabularies, build_facts
from d3k2.errors import InputError
from d3k2.knowledge.schema import Knowledge

EXAMPLE_DATE = dt.date(2026, 1, 1)
"""Examples are evaluated as of a fixed date, so they never change with the calendar."""


def check_rule_examples(knowledge: Knowledge) -> list[str]:
    """A list of failures (empty when every example behaves)."""
    vocab = Vocabularies.build(knowledge)
    failures: list[str] = []
    for rule in knowledge.rules:
        for expected, examples in (
            ("fire", rule.examples.fires),
            ("stay silent", rule.examples.silent),
        ):
            for example in examples:
                try:
                    facts = build_facts(
                        example.profile, knowledge, today=EXAMPLE_DATE, vocabularies=vocab
                    )
                    report = assess(facts, knowledge, vocabularies=vocab)
                except InputError as error:
                    failures.append(f"{rule.id}: example {example.name!r} is invalid: {error}")
                    continue
                fired = any(alert.id == rule.id for alert in report.alerts)
                if fired != (expected == "fire"):
                    failures.append(
                        f"{rule.id}: example {example.name!r} should {expected} but "
                        f"{'fired' if fired else 'did not'}"
                    )
                for item in report.unrecognized:
                    failures.append(
                        f"{rule.id}: example {example.name!r} has an unrecognised "
                        f"{item.kind} {item.input!r}"
                    )
    return failures
