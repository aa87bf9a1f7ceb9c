"""A small FHIR R4 server on loopback for the tests: answers reads and searches from
resources given to it, records the Authorization headers it saw, and can fail or stall."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse


def fhir_app(resources: Sequence[Mapping[str, Any]], *, jwks: Mapping[str, Any] | None = None):
    app = FastAPI()
    app.state.seen_authorization = []
    app.state.mode = "ok"

    def owner(resource: Mapping[str, Any]) -> str | None:
        for key in ("subject", "patient"):
            ref = resource.get(key)
            if isinstance(ref, Mapping):
                return str(ref.get("reference", "")).rsplit("/", 1)[-1].removeprefix("urn:uuid:")
        return None

    async def guard(request: Request) -> JSONResponse | None:
        app.state.seen_authorization.append(request.headers.get("authorization"))
        if app.state.mode == "fail":
            return JSONResponse({"resourceType": "OperationOutcome"}, status_code=500)
        if app.state.mode == "stall":
            await asyncio.sleep(3)
        return None

    if jwks is not None:

        @app.get("/.well-known/jwks.json")
        async def keys() -> Mapping[str, Any]:
            return jwks

    @app.get("/Patient/{patient_id}")
    async def read_patient(patient_id: str, request: Request):
        failed = await guard(request)
        if failed:
            return failed
        for resource in resources:
            if resource["resourceType"] == "Patient" and resource["id"] == patient_id:
                return resource
        return JSONResponse({"resourceType": "OperationOutcome"}, status_code=404)

    @app.get("/{resource_type}")
    async def search(resource_type: str, request: Request, patient: str = ""):
        failed = await guard(request)
        if failed:
            return failed
        matches = [
            r for r in resources if r["resourceType"] == resource_type and owner(r) == patient
        ]
        return {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": len(matches),
            "entry": [{"resource": r, "search": {"mode": "match"}} for r in matches],
        }

    return app
