"""One engine for every door: the CLI, a server (threads sharing one engine) and a batch
job (a process pool that receives the pickled engine once, streaming with assess_many)
give identical JSON for every bundled example."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from d3k2.api import Assessment, Engine
from d3k2.cli import app
from d3k2.reading.profile_file import load_profile, read_product_files
from d3k2.render.contract import assessment_out, to_json
from d3k2.yamlio import read_structured, to_plain

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
TODAY = dt.date(2026, 11, 29)
_WORKER_ENGINE: Engine | None = None


def _profile(path: Path) -> dict[str, Any]:
    """A profile file as a door reads it: product labels named in the plan are read
    relative to the file (reading files is the door's job; the engine takes mappings)."""
    data: dict[str, Any] = to_plain(read_structured(path))
    read_product_files(data, path)
    return data


def _cli(path: Path) -> str:
    result = CliRunner().invoke(
        app, ["assess", str(path), "--format", "json", "--today", TODAY.isoformat()]
    )
    assert result.exit_code == 0, result.output
    return result.output


def _server(engine: Engine, path: Path) -> str:
    """What an HTTP handler does: read the body, one call, the contract's JSON."""
    read = engine.read_profile(_profile(path), today=TODAY)
    assessment = engine.assess_read(read)
    return to_json(assessment_out(assessment, engine)) + "\n"


def _init_worker(pickled: bytes) -> None:
    global _WORKER_ENGINE
    _WORKER_ENGINE = pickle.loads(pickled)


def _batch(profiles: list[dict[str, Any]]) -> list[str]:
    engine = _WORKER_ENGINE
    assert engine is not None
    out = []
    for result in engine.assess_many(profiles, today=TODAY, projection=True):
        assert isinstance(result, Assessment), result
        out.append(to_json(assessment_out(result, engine)) + "\n")
    return out


def test_the_example_profiles_exist() -> None:
    assert len(EXAMPLES) >= 3


def test_cli_server_and_batch_give_identical_json() -> None:
    engine = Engine.default()
    cli = [_cli(path) for path in EXAMPLES]
    with ThreadPoolExecutor(max_workers=4) as pool:
        server = list(pool.map(lambda p: _server(engine, p), EXAMPLES * 2))
    # the batch job uses each profile's own guideline option through assess_many
    profiles = [_profile(path) for path in EXAMPLES]
    with ProcessPoolExecutor(
        max_workers=2, initializer=_init_worker, initargs=(pickle.dumps(engine),)
    ) as pool:
        batch = pool.submit(_batch, profiles).result(timeout=120)
    for index, path in enumerate(EXAMPLES):
        assert json.loads(cli[index]) == json.loads(server[index]), path.name
        assert server[index] == server[index + len(EXAMPLES)]  # threads share one engine
        assert cli[index] == server[index], path.name  # byte for byte
        assert cli[index] == batch[index], path.name


def test_a_stream_reports_a_bad_profile_and_goes_on() -> None:
    engine = Engine.default()
    good = _profile(EXAMPLES[0])
    results = list(
        engine.assess_many(
            [good, {"id": "p-2", "age": "old", "sex": "female"}, {**good, "id": "p-3"}],
            today=TODAY,
        )
    )
    assert [type(r).__name__ for r in results] == [
        "Assessment",
        "AssessmentFailure",
        "Assessment",
    ]
    failure = results[1]
    assert failure.index == 1 and failure.patient_id == "p-2"  # type: ignore[union-attr]
    assert "age" in str(failure.error)  # type: ignore[union-attr]
    assert results[2].patient_id == "p-3"  # type: ignore[union-attr]


def test_the_engine_is_immutable_and_pickles_small() -> None:
    engine = Engine.default()
    with pytest.raises(AttributeError):
        engine.base = engine.base  # type: ignore[misc]
    copy = pickle.loads(pickle.dumps(engine))
    assert copy.version == engine.version
    read = load_profile(EXAMPLES[0], lambda d: copy.read_profile(d, today=TODAY))
    assert copy.assess(read.facts).report.alerts == engine.assess(read.facts).report.alerts
