"""Screen a profile written as a clinician would (the profile reader, then the engine), for
tests that assert which alerts a patient gets."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import TODAY

from d3k2.core.screening.engine import assess
from d3k2.core.screening.model import Report
from d3k2.knowledge.schema import Knowledge
from d3k2.reading.profile import Vocabularies, build_facts


def run(profile: dict[str, Any], knowledge: Knowledge, vocab: Vocabularies) -> Report:
    """The report for ``profile``; every medication, condition and lab must be recognised."""
    facts = build_facts(profile, knowledge, today=TODAY, vocabularies=vocab)
    assert facts.unrecognized == ()
    return assess(facts, knowledge, vocab.nutrients)


def alerts(report: Report) -> dict[str, str]:
    """Alert id -> severity."""
    return {a.id: a.severity for a in report.alerts}


def born_days_ago(days: int) -> str:
    """A birth date ``days`` before the tests' fixed today."""
    return (TODAY - dt.timedelta(days=days)).isoformat()
