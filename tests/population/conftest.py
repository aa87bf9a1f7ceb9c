"""Exports for the population tests: the real Synthea sample (in ../shared/data) and small
synthetic exports written by ``d3k2 synth``'s generator."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from d3k2.api import Engine
from d3k2.population.run import ScreenResult, screen_export
from d3k2.population.screening import ScreenSettings, read_protocol
from d3k2.population.synth import write_export

REPO = Path(__file__).resolve().parents[2]
SYNTHEA = REPO.parent / "shared" / "data" / "synthea-sample-10"
AS_OF = dt.date(2026, 12, 1)
PROTOCOL = "vitamin D3 1000 IU daily; vitamin K2 MK-7 100 mcg daily"
BAD_LINES = 3


def settings(plan: str | None = PROTOCOL) -> ScreenSettings:
    engine = Engine.default()
    items = read_protocol(engine, plan, as_of=AS_OF) if plan else ()
    return ScreenSettings(engine, AS_OF, items)


def run(export: Path, out: Path, plan: str | None = PROTOCOL, **options) -> ScreenResult:
    options.setdefault("workers", 1)
    options.setdefault("progress", False)
    return screen_export(export, out, settings(plan), plan_text=plan, **options)


@pytest.fixture(scope="session")
def synthea_dir() -> Path:
    if not SYNTHEA.is_dir():
        pytest.skip(f"the Synthea sample is not here ({SYNTHEA}); it lives in ../shared/data")
    return SYNTHEA


@pytest.fixture(scope="session")
def synthetic_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 patients, 2 files per type, a manifest and 3 malformed lines."""
    folder = tmp_path_factory.mktemp("synthetic")
    write_export(folder, 300, seed=7, bad_lines=BAD_LINES, patients_per_file=150)
    return folder


@pytest.fixture(scope="session")
def synthetic_result(synthetic_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("synthetic-out")
    return run(synthetic_dir, out), out
