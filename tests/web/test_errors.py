"""What a real bug looks like from outside: a short 500, never a traceback or input echo."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from tests.web.conftest import LiveServer

from d3k2.api import Engine
from d3k2.errors import InputError, Location
from d3k2.reading.profile import ProfileError
from d3k2.web.app import create_app, error_items


class BrokenEngine(Engine):
    def read_profile(self, profile: Any, *, today: Any) -> Any:
        raise RuntimeError("secret-patient-detail")


def test_a_bug_is_a_short_500_without_details(caplog: pytest.LogCaptureFixture) -> None:
    server = LiveServer(create_app(engine=BrokenEngine(Engine.default().base)))
    server.start()
    try:
        response = httpx.post(server.url + "/api/assess", json={"age": 50, "sex": "male"})
    finally:
        server.stop()
    assert response.status_code == 500
    detail = response.json()["detail"]
    assert "bug in d3k2" in detail and "RuntimeError" in detail
    assert "secret-patient-detail" not in response.text
    logged = [r for r in caplog.records if r.name.startswith(("d3k2", "uvicorn"))]
    assert any("internal error RuntimeError" in r.getMessage() for r in logged)
    assert all("secret-patient-detail" not in r.getMessage() for r in logged)
    assert all(r.exc_info is None for r in logged), "no traceback in the log"


def test_error_items_keep_every_problem_and_its_path() -> None:
    error = ProfileError(
        [
            InputError("unknown unit 'x'", where="labs[2].unit", hint="use mg"),
            InputError("bad file", where=Location("p.yaml", 3, "plan[0]")),
            InputError("no place"),
        ]
    )
    items = error_items(error, "body")
    assert [i["loc"] for i in items] == [["body", "labs", 2, "unit"], ["body", "plan", 0], ["body"]]
    assert items[0]["msg"] == "unknown unit 'x'" and items[0]["hint"] == "use mg"
