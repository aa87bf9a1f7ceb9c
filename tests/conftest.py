"""Shared fixtures: the real bundled knowledge base (never a mock)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import settings

from d3k2.knowledge.loader import load_knowledge
from d3k2.knowledge.schema import Knowledge
from d3k2.reading.profile import Vocabularies

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
TODAY = dt.date(2026, 11, 29)


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return load_knowledge()


@pytest.fixture(scope="session")
def vocab(knowledge: Knowledge) -> Vocabularies:
    return Vocabularies.build(knowledge)


# CI runs are reproducible: the same examples every run (locally, hypothesis explores).
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(autouse=True, scope="session")
def _state_home_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Services started by tests keep their state files (CDS feedback) out of the checkout and
    out of the developer's home."""
    os.environ["XDG_STATE_HOME"] = str(tmp_path_factory.mktemp("state"))
