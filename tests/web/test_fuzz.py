"""Schema-driven fuzzing of the OpenAPI (schemathesis), against the real server.

Bounded: a fixed number of examples per operation. Checks: no 5xx, and every response
valid against its schema (status code documented for it and body matching the model).
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    not_a_server_error,
    response_schema_conformance,
)
from tests.web.conftest import LiveServer  # noqa: E402

from d3k2.web.app import create_app  # noqa: E402

EXAMPLES_PER_OPERATION = 12

schema = schemathesis.openapi.from_dict(create_app().openapi())


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_never_fails_and_keeps_its_schema(case: object, live_server: LiveServer) -> None:
    case.call_and_validate(  # type: ignore[attr-defined]
        base_url=live_server.url,
        checks=[not_a_server_error, response_schema_conformance],
        timeout=30,
    )
