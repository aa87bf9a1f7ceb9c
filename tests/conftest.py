"""Shared fixtures: the real bundled knowledge base (never a mock)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from d3k2.core.facts import Vocabularies
from d3k2.knowledge.loader import load_knowledge
from d3k2.knowledge.schema import Knowledge

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
TODAY = dt.date(2026, 11, 29)


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return load_knowledge()


@pytest.fixture(scope="session")
def vocab(knowledge: Knowledge) -> Vocabularies:
    return Vocabularies.build(knowledge)
